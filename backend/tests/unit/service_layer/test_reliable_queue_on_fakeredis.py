"""The reliable queue's Lua scripts on fakeredis: leases, acks, redelivery, withdrawal.

The same adapter runs against real Redis in tests/adapters; here the logic is checked fast.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from fakeredis import FakeAsyncRedis

from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.domain.queue_messages import QueuedJob

pytestmark = pytest.mark.unit


@pytest.fixture
async def queue() -> AsyncIterator[RedisJobQueue]:
    redis = FakeAsyncRedis()
    yield RedisJobQueue(redis, KeySpace(prefix="unit"))
    await redis.aclose()


def message(priority: int = 1) -> QueuedJob:
    return QueuedJob(job_id=uuid.uuid4(), priority=priority)


async def test_pop_leases_instead_of_removing(queue: RedisJobQueue) -> None:
    job = message()
    await queue.enqueue(job)
    taken = await queue.pop("w1", lease_seconds=30)
    assert taken == job
    assert await queue.depth() == 0
    assert await queue.leased() == {job.job_id: "w1"}


async def test_ack_forgets_the_job_only_for_its_holder(queue: RedisJobQueue) -> None:
    job = message()
    await queue.enqueue(job)
    await queue.pop("w1", lease_seconds=30)
    assert not await queue.ack(job.job_id, "w2")
    assert await queue.leased() == {job.job_id: "w1"}
    assert await queue.ack(job.job_id, "w1")
    assert await queue.leased() == {}
    assert await queue.reap_expired() == []


async def test_expired_lease_is_redelivered_at_its_old_position(queue: RedisJobQueue) -> None:
    first, second = message(priority=2), message(priority=2)
    await queue.enqueue(first)
    await queue.enqueue(second)
    await queue.pop("dead-worker", lease_seconds=0.05)
    await asyncio.sleep(0.1)
    assert await queue.reap_expired() == [first.job_id]
    assert (await queue.pop("w2", lease_seconds=30)) == first  # ahead of `second` again
    assert not await queue.ack(first.job_id, "dead-worker")


async def test_live_lease_is_not_reaped(queue: RedisJobQueue) -> None:
    await queue.enqueue(message())
    await queue.pop("w1", lease_seconds=30)
    assert await queue.reap_expired() == []
    assert await queue.depth() == 0


async def test_extending_keeps_a_lease_alive_only_for_its_holder(queue: RedisJobQueue) -> None:
    job = message()
    await queue.enqueue(job)
    await queue.pop("w1", lease_seconds=0.05)
    assert await queue.extend_lease(job.job_id, "w1", 30)
    assert not await queue.extend_lease(job.job_id, "w2", 30)
    await asyncio.sleep(0.1)
    assert await queue.reap_expired() == []


async def test_removed_job_is_never_handed_out(queue: RedisJobQueue) -> None:
    withdrawn, kept = message(), message()
    await queue.enqueue(withdrawn)
    await queue.enqueue(kept)
    assert await queue.remove(withdrawn.job_id)
    assert not await queue.remove(withdrawn.job_id)
    assert await queue.pop("w", lease_seconds=5) == kept
    assert await queue.pop("w", lease_seconds=5) is None


async def test_pop_waits_for_an_enqueue_up_to_its_timeout(queue: RedisJobQueue) -> None:
    job = message()

    async def enqueue_later() -> None:
        await asyncio.sleep(0.05)
        await queue.enqueue(job)

    producer = asyncio.create_task(enqueue_later())
    assert await queue.pop("w", lease_seconds=5, timeout=2) == job
    await producer
    assert await queue.pop("w", lease_seconds=5, timeout=0.05) is None


async def test_stale_wakeups_are_cleared_by_an_empty_pop(queue: RedisJobQueue) -> None:
    """Hints left by jobs nobody waited for must not make a later blocking pop spin."""
    for _ in range(5):
        await queue.enqueue(message())
    for _ in range(5):
        await queue.pop("w", lease_seconds=5)
    assert await queue.pop("w", lease_seconds=5) is None
    redis = queue._redis  # the hint list is an implementation detail, checked directly here
    assert await redis.llen(KeySpace(prefix="unit").wakeups) == 0
