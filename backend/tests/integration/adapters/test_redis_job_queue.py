"""The reliable queue on real Redis: ordering, atomicity under concurrent workers, leases
expiring on the server clock, redelivery, and blocking pops."""

import asyncio
import time
import uuid

import pytest
from redis.asyncio import Redis

from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.domain.queue_messages import QueuedJob

pytestmark = pytest.mark.integration


async def wait_for_redelivery(queue: RedisJobQueue, deadline_seconds: float = 5.0) -> list:
    """Reap until something comes back; bounded so a bug fails instead of hanging."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if reaped := await queue.reap_expired():
            return reaped
        await asyncio.sleep(0.02)
    return []


async def test_priority_then_fifo_on_real_redis(redis_client: Redis, keys: KeySpace) -> None:
    queue = RedisJobQueue(redis_client, keys)
    messages = [QueuedJob(job_id=uuid.uuid4(), priority=p) for p in (5, 0, 5, 0)]
    for message in messages:
        await queue.enqueue(message)
    popped = [await queue.pop("w", lease_seconds=30) for _ in messages]
    assert [m.job_id for m in popped if m] == [
        messages[1].job_id,
        messages[3].job_id,
        messages[0].job_id,
        messages[2].job_id,
    ]


async def test_concurrent_poppers_never_share_a_job(redis_client: Redis, keys: KeySpace) -> None:
    """The pop is one Lua script: 20 workers racing over 50 jobs take each exactly once."""
    queue = RedisJobQueue(redis_client, keys)
    ids = {uuid.uuid4() for _ in range(50)}
    for job_id in ids:
        await queue.enqueue(QueuedJob(job_id=job_id, priority=1))

    async def worker(index: int) -> list[uuid.UUID]:
        taken = []
        while (message := await queue.pop(f"w{index}", lease_seconds=30)) is not None:
            taken.append(message.job_id)
        return taken

    results = await asyncio.gather(*(worker(i) for i in range(20)))
    taken = [job_id for batch in results for job_id in batch]
    assert len(taken) == len(ids)
    assert set(taken) == ids
    assert await queue.depth() == 0
    leased = await queue.leased()
    assert set(leased) == ids
    for index, batch in enumerate(results):
        assert all(leased[job_id] == f"w{index}" for job_id in batch)


async def test_concurrent_enqueues_keep_every_job(redis_client: Redis, keys: KeySpace) -> None:
    queue = RedisJobQueue(redis_client, keys)
    messages = [QueuedJob(job_id=uuid.uuid4(), priority=i % 3) for i in range(60)]
    await asyncio.gather(*(queue.enqueue(m) for m in messages))
    assert await queue.depth() == 60


async def test_an_unacked_job_comes_back_after_its_lease(
    redis_client: Redis, keys: KeySpace
) -> None:
    queue = RedisJobQueue(redis_client, keys)
    job = QueuedJob(job_id=uuid.uuid4(), priority=3)
    await queue.enqueue(job)
    assert await queue.pop("doomed", lease_seconds=0.2) == job
    assert await queue.reap_expired() == []  # still leased
    assert await wait_for_redelivery(queue) == [job.job_id]
    assert await queue.pop("rescuer", lease_seconds=30) == job
    assert not await queue.ack(job.job_id, "doomed")
    assert await queue.ack(job.job_id, "rescuer")
    assert await redis_client.hlen(keys.payloads) == 0


async def test_concurrent_reapers_redeliver_a_job_once(redis_client: Redis, keys: KeySpace) -> None:
    queue = RedisJobQueue(redis_client, keys)
    jobs = [QueuedJob(job_id=uuid.uuid4(), priority=1) for _ in range(10)]
    for job in jobs:
        await queue.enqueue(job)
        await queue.pop("dead", lease_seconds=0.05)
    await asyncio.sleep(0.1)
    reaped = await asyncio.gather(*(queue.reap_expired() for _ in range(8)))
    flat = [job_id for batch in reaped for job_id in batch]
    assert sorted(flat) == sorted(j.job_id for j in jobs)
    assert await queue.depth() == 10


async def test_blocking_pop_wakes_up_on_enqueue(redis_client: Redis, keys: KeySpace) -> None:
    queue = RedisJobQueue(redis_client, keys)
    job = QueuedJob(job_id=uuid.uuid4(), priority=1)
    waiter = asyncio.create_task(queue.pop("w", lease_seconds=30, timeout=5))
    await asyncio.sleep(0.1)
    assert not waiter.done()
    started = time.monotonic()
    await queue.enqueue(job)
    assert await asyncio.wait_for(waiter, timeout=5) == job
    assert time.monotonic() - started < 2  # woken by the enqueue, not by the timeout


async def test_blocking_pop_gives_up_after_its_timeout(redis_client: Redis, keys: KeySpace) -> None:
    queue = RedisJobQueue(redis_client, keys)
    started = time.monotonic()
    assert await queue.pop("w", lease_seconds=30, timeout=0.3) is None
    assert 0.25 <= time.monotonic() - started < 3


async def test_cancelled_job_is_skipped_by_the_pop(redis_client: Redis, keys: KeySpace) -> None:
    queue = RedisJobQueue(redis_client, keys)
    gone, kept = (QueuedJob(job_id=uuid.uuid4(), priority=1) for _ in range(2))
    await queue.enqueue(gone)
    await queue.enqueue(kept)
    assert await queue.remove(gone.job_id)
    assert await queue.pop("w", lease_seconds=30) == kept
    assert await queue.pop("w", lease_seconds=30) is None


async def test_key_prefixes_isolate_queues(redis_client: Redis, keys: KeySpace) -> None:
    mine = RedisJobQueue(redis_client, keys)
    theirs = RedisJobQueue(redis_client, KeySpace(prefix=f"{keys.prefix}:other"))
    await theirs.enqueue(QueuedJob(job_id=uuid.uuid4(), priority=1))
    assert await mine.depth() == 0
    assert await mine.pop("w", lease_seconds=30) is None
    assert await theirs.depth() == 1
