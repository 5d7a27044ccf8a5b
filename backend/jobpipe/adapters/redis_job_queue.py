"""A priority queue of jobs in Redis (redis-py asyncio)."""

from __future__ import annotations

from redis.asyncio import Redis

from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.domain.queue_messages import QueuedJob

# Scores are priority * _PRIORITY_STRIDE + sequence: lower priority values are served first,
# and equal priorities in enqueue order. 2**40 sequence numbers per priority is plenty.
_PRIORITY_STRIDE = 2**40

# Pop the lowest-scored job id and its payload in one atomic step, so two workers can never
# take the same job.
_POP_LUA = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then
  return false
end
local payload = redis.call('HGET', KEYS[2], popped[1])
redis.call('HDEL', KEYS[2], popped[1])
return payload
"""


class RedisJobQueue:
    def __init__(self, redis: Redis, keys: KeySpace) -> None:
        self._redis = redis
        self._keys = keys
        self._pop = redis.register_script(_POP_LUA)

    async def enqueue(self, message: QueuedJob) -> None:
        sequence = await self._redis.incr(self._keys.sequence)
        score = message.priority * _PRIORITY_STRIDE + sequence
        job_id = str(message.job_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.payloads, job_id, message.to_wire())
            pipe.zadd(self._keys.queue, {job_id: score})
            await pipe.execute()

    async def pop(self) -> QueuedJob | None:
        payload = await self._pop(keys=[self._keys.queue, self._keys.payloads])
        return None if payload is None else QueuedJob.from_wire(payload)

    async def depth(self) -> int:
        return int(await self._redis.zcard(self._keys.queue))
