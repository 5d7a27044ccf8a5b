"""The concurrency semaphore and daily usage counter on fakeredis."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import pytest
from fakeredis import FakeAsyncRedis

from jobpipe.adapters.redis_concurrency_limiter import RedisConcurrencyLimiter
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.adapters.redis_usage_counter import RedisUsageCounter

pytestmark = pytest.mark.unit

KEYS = KeySpace(prefix="unit")


@pytest.fixture
async def redis() -> AsyncIterator[FakeAsyncRedis]:
    client = FakeAsyncRedis()
    yield client
    await client.aclose()


async def test_semaphore_admits_up_to_its_limit(redis: FakeAsyncRedis) -> None:
    limiter = RedisConcurrencyLimiter(redis, KEYS)
    user = uuid.uuid4()
    granted = [await limiter.acquire(user, f"job{i}", limit=2, ttl_seconds=60) for i in range(3)]
    assert granted == [True, True, False]
    assert await limiter.active(user) == 2


async def test_reacquiring_a_held_slot_is_not_a_second_slot(redis: FakeAsyncRedis) -> None:
    limiter = RedisConcurrencyLimiter(redis, KEYS)
    user = uuid.uuid4()
    assert await limiter.acquire(user, "job", limit=1, ttl_seconds=60)
    assert await limiter.acquire(user, "job", limit=1, ttl_seconds=60)
    assert await limiter.active(user) == 1


async def test_release_frees_a_slot_and_users_are_independent(redis: FakeAsyncRedis) -> None:
    limiter = RedisConcurrencyLimiter(redis, KEYS)
    ann, bob = uuid.uuid4(), uuid.uuid4()
    await limiter.acquire(ann, "a", limit=1, ttl_seconds=60)
    assert await limiter.acquire(bob, "b", limit=1, ttl_seconds=60)
    assert not await limiter.acquire(ann, "a2", limit=1, ttl_seconds=60)
    await limiter.release(ann, "a")
    assert await limiter.acquire(ann, "a2", limit=1, ttl_seconds=60)


async def test_abandoned_slots_expire(redis: FakeAsyncRedis) -> None:
    limiter = RedisConcurrencyLimiter(redis, KEYS)
    user = uuid.uuid4()
    await limiter.acquire(user, "lost", limit=1, ttl_seconds=0.05)
    await asyncio.sleep(0.1)
    assert await limiter.active(user) == 0
    assert await limiter.acquire(user, "next", limit=1, ttl_seconds=60)


def today_noon() -> datetime:
    return datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)


async def test_usage_counts_until_the_limit_then_refuses(redis: FakeAsyncRedis) -> None:
    usage = RedisUsageCounter(redis, KEYS)
    user, now = uuid.uuid4(), today_noon()
    results = [await usage.consume(user, limit=2, now=now) for _ in range(3)]
    assert results == [(True, 1), (True, 2), (False, 2)]
    assert await usage.used(user, now=now) == 2


async def test_refund_gives_back_one_use_but_never_goes_negative(redis: FakeAsyncRedis) -> None:
    usage = RedisUsageCounter(redis, KEYS)
    user, now = uuid.uuid4(), today_noon()
    await usage.consume(user, limit=5, now=now)
    await usage.refund(user, now=now)
    await usage.refund(user, now=now)
    assert await usage.used(user, now=now) == 0


async def test_usage_counter_expires_at_the_end_of_its_day(redis: FakeAsyncRedis) -> None:
    usage = RedisUsageCounter(redis, KEYS)
    user, now = uuid.uuid4(), today_noon()
    await usage.consume(user, limit=5, now=now)
    ttl = await redis.ttl(KEYS.daily_usage(user, now.date()))
    midnight = now.replace(hour=0) + timedelta(days=1)
    assert 0 < ttl <= (midnight - datetime.now(timezone.utc)).total_seconds() + 1
    yesterday = now - timedelta(days=1)
    await usage.consume(user, limit=5, now=yesterday)  # its day is over: gone at once
    assert await usage.used(user, now=yesterday) == 0
