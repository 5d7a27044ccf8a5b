import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.domain.queue_messages import QueuedJob

pytestmark = pytest.mark.integration


async def test_priority_then_fifo_on_real_redis(redis_client: Redis, keys: KeySpace) -> None:
    queue = RedisJobQueue(redis_client, keys)
    messages = [QueuedJob(job_id=uuid.uuid4(), priority=p) for p in (5, 0, 5, 0)]
    for message in messages:
        await queue.enqueue(message)
    popped = [await queue.pop() for _ in messages]
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

    async def worker() -> list[uuid.UUID]:
        taken = []
        while (message := await queue.pop()) is not None:
            taken.append(message.job_id)
        return taken

    results = await asyncio.gather(*(worker() for _ in range(20)))
    taken = [job_id for batch in results for job_id in batch]
    assert len(taken) == len(ids)
    assert set(taken) == ids
    assert await queue.depth() == 0
