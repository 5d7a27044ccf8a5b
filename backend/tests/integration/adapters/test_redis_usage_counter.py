"""Daily usage counters on real Redis: atomic check-and-count, expiry at the end of the day."""

import asyncio
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from redis.asyncio import Redis

from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.adapters.redis_usage_counter import RedisUsageCounter
from jobpipe.domain.usage_policy import quota_resets_at

pytestmark = pytest.mark.integration


async def test_concurrent_submissions_never_exceed_the_quota(
    redis_client: Redis, keys: KeySpace
) -> None:
    usage = RedisUsageCounter(redis_client, keys)
    user, now = uuid.uuid4(), datetime.now(timezone.utc)
    results = await asyncio.gather(*(usage.consume(user, limit=7, now=now) for _ in range(50)))
    assert sum(allowed for allowed, _ in results) == 7
    assert sorted(used for allowed, used in results if allowed) == list(range(1, 8))
    assert await usage.used(user, now=now) == 7


async def test_counter_expires_at_the_next_utc_midnight(
    redis_client: Redis, keys: KeySpace
) -> None:
    usage = RedisUsageCounter(redis_client, keys)
    user, now = uuid.uuid4(), datetime.now(timezone.utc)
    await usage.consume(user, limit=3, now=now)
    ttl = await redis_client.ttl(keys.daily_usage(user, now.date()))
    expected = (quota_resets_at(now) - now).total_seconds()
    assert abs(ttl - expected) <= 2


async def test_a_past_days_count_is_gone(redis_client: Redis, keys: KeySpace) -> None:
    usage = RedisUsageCounter(redis_client, keys)
    user = uuid.uuid4()
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    assert await usage.consume(user, limit=1, now=yesterday) == (True, 1)
    assert await usage.used(user, now=yesterday) == 0
    assert await redis_client.exists(keys.daily_usage(user, yesterday.date())) == 0


async def test_days_and_users_count_separately(redis_client: Redis, keys: KeySpace) -> None:
    usage = RedisUsageCounter(redis_client, keys)
    ann, bob, now = uuid.uuid4(), uuid.uuid4(), datetime.now(timezone.utc)
    await usage.consume(ann, limit=1, now=now)
    assert await usage.consume(ann, limit=1, now=now) == (False, 1)
    assert await usage.consume(bob, limit=1, now=now) == (True, 1)
    assert await usage.consume(ann, limit=1, now=now + timedelta(days=1)) == (True, 1)


async def test_refund_is_atomic_and_floors_at_zero(redis_client: Redis, keys: KeySpace) -> None:
    usage = RedisUsageCounter(redis_client, keys)
    user, now = uuid.uuid4(), datetime.now(timezone.utc)
    for _ in range(3):
        await usage.consume(user, limit=10, now=now)
    await asyncio.gather(*(usage.refund(user, now=now) for _ in range(10)))
    assert await usage.used(user, now=now) == 0
