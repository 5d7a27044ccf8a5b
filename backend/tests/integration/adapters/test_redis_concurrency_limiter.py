"""The per-user semaphore on real Redis: no over-admission under concurrent callers, expiry."""

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from jobpipe.adapters.redis_concurrency_limiter import RedisConcurrencyLimiter
from jobpipe.adapters.redis_keys import KeySpace

pytestmark = pytest.mark.integration


async def test_racing_callers_get_exactly_the_limit(redis_client: Redis, keys: KeySpace) -> None:
    limiter = RedisConcurrencyLimiter(redis_client, keys)
    user = uuid.uuid4()
    granted = await asyncio.gather(
        *(limiter.acquire(user, f"job{i}", limit=4, ttl_seconds=60) for i in range(40))
    )
    assert sum(granted) == 4
    assert await limiter.active(user) == 4


async def test_release_lets_the_next_caller_in(redis_client: Redis, keys: KeySpace) -> None:
    limiter = RedisConcurrencyLimiter(redis_client, keys)
    user = uuid.uuid4()
    assert await limiter.acquire(user, "a", limit=1, ttl_seconds=60)
    assert not await limiter.acquire(user, "b", limit=1, ttl_seconds=60)
    await limiter.release(user, "a")
    assert await limiter.acquire(user, "b", limit=1, ttl_seconds=60)


async def test_expired_slots_free_themselves_and_the_key(
    redis_client: Redis, keys: KeySpace
) -> None:
    limiter = RedisConcurrencyLimiter(redis_client, keys)
    user = uuid.uuid4()
    await limiter.acquire(user, "lost", limit=1, ttl_seconds=0.2)
    assert 0 < await redis_client.pttl(keys.concurrency(user)) <= 200
    await asyncio.sleep(0.3)
    assert await limiter.active(user) == 0
    assert not await redis_client.exists(keys.concurrency(user))
    assert await limiter.acquire(user, "next", limit=1, ttl_seconds=60)


async def test_key_lives_as_long_as_its_longest_slot(redis_client: Redis, keys: KeySpace) -> None:
    limiter = RedisConcurrencyLimiter(redis_client, keys)
    user = uuid.uuid4()
    await limiter.acquire(user, "long", limit=2, ttl_seconds=60)
    await limiter.acquire(user, "short", limit=2, ttl_seconds=1)
    assert await redis_client.pttl(keys.concurrency(user)) > 50_000
