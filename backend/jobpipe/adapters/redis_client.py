"""Builds the asyncio Redis client; like the engine, it connects lazily on first command."""

from __future__ import annotations

from redis.asyncio import Redis


def create_redis_client(redis_url: str) -> Redis:
    return Redis.from_url(redis_url)
