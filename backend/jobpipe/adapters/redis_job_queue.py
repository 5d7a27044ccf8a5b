"""A reliable priority queue of jobs in Redis (redis-py asyncio).

Taking a job does not remove it: the pop moves it, in one Lua script, from the queue into a
lease (deadline sorted set, owner and original score hashes). The worker acknowledges the job
when it is done, or extends the lease while it runs; a worker that dies stops extending, and
`reap_expired` puts its jobs back on the queue at their original position. Deadlines use the
Redis server's clock, so workers' clocks never disagree about expiry.
"""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.domain.queue_messages import QueuedJob

# Scores are priority * _PRIORITY_STRIDE + sequence: lower priority values are served first,
# and equal priorities in enqueue order. 2**40 sequence numbers per priority is plenty.
_PRIORITY_STRIDE = 2**40

# Enqueue hints kept for blocked workers; stale hints only cost a retried pop.
_MAX_WAKEUPS = 1000

_NOW_MS_LUA = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
"""

# KEYS: queue, payloads, leases, lease_owners, lease_scores, wakeups. ARGV: worker id, lease ms.
# Jobs removed from the payloads hash (cancelled) are skipped, not handed out. An empty queue
# clears the wake-up hints: they are all stale, and a later enqueue pushes a fresh one.
_POP_LUA = (
    _NOW_MS_LUA
    + """
while true do
  local popped = redis.call('ZPOPMIN', KEYS[1])
  if #popped == 0 then
    redis.call('DEL', KEYS[6])
    return false
  end
  local job_id, score = popped[1], popped[2]
  local payload = redis.call('HGET', KEYS[2], job_id)
  if payload then
    redis.call('ZADD', KEYS[3], now_ms() + tonumber(ARGV[2]), job_id)
    redis.call('HSET', KEYS[4], job_id, ARGV[1])
    redis.call('HSET', KEYS[5], job_id, score)
    return payload
  end
end
"""
)

# KEYS: leases, lease_owners, lease_scores, payloads. ARGV: job id, worker id.
_ACK_LUA = """
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return 1
"""

# KEYS: leases, lease_owners. ARGV: job id, worker id, lease ms.
_EXTEND_LUA = (
    _NOW_MS_LUA
    + """
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', now_ms() + tonumber(ARGV[3]), ARGV[1])
return 1
"""
)

# KEYS: queue, payloads, leases, lease_owners, lease_scores, wakeups. ARGV: max jobs.
_REAP_LUA = (
    _NOW_MS_LUA
    + """
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_ms(), 'LIMIT', 0, ARGV[1])
for _, job_id in ipairs(expired) do
  local score = redis.call('HGET', KEYS[5], job_id)
  redis.call('ZREM', KEYS[3], job_id)
  redis.call('HDEL', KEYS[4], job_id)
  redis.call('HDEL', KEYS[5], job_id)
  if score and redis.call('HEXISTS', KEYS[2], job_id) == 1 then
    redis.call('ZADD', KEYS[1], score, job_id)
    redis.call('RPUSH', KEYS[6], job_id)
  end
end
return expired
"""
)

# KEYS: queue, payloads. ARGV: job id. Returns 1 if the job was still waiting in the queue.
_REMOVE_LUA = """
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return removed
"""


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisJobQueue:
    def __init__(self, redis: Redis, keys: KeySpace) -> None:
        self._redis = redis
        self._keys = keys
        self._pop = redis.register_script(_POP_LUA)
        self._ack = redis.register_script(_ACK_LUA)
        self._extend = redis.register_script(_EXTEND_LUA)
        self._reap = redis.register_script(_REAP_LUA)
        self._remove = redis.register_script(_REMOVE_LUA)
        # KEYS[1..6] of the pop and reap scripts, which both move jobs between queue and leases.
        self._delivery_keys = [
            keys.queue,
            keys.payloads,
            keys.leases,
            keys.lease_owners,
            keys.lease_scores,
            keys.wakeups,
        ]

    async def enqueue(self, message: QueuedJob) -> None:
        """Store the payload, queue the id and wake one blocked worker, all in one MULTI."""
        sequence = await self._redis.incr(self._keys.sequence)
        score = message.priority * _PRIORITY_STRIDE + sequence
        job_id = str(message.job_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.payloads, job_id, message.to_wire())
            pipe.zadd(self._keys.queue, {job_id: score})
            pipe.rpush(self._keys.wakeups, job_id)
            pipe.ltrim(self._keys.wakeups, -_MAX_WAKEUPS, -1)
            await pipe.execute()

    async def pop(
        self, worker_id: str, *, lease_seconds: float, timeout: float = 0.0
    ) -> QueuedJob | None:
        """Take the most urgent job under a lease; wait up to `timeout` seconds for one."""
        deadline = time.monotonic() + timeout
        while True:
            payload = await self._pop(
                keys=self._delivery_keys,
                args=[worker_id, int(lease_seconds * 1000)],
            )
            if payload is not None:
                return QueuedJob.from_wire(payload)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            # Redis rounds very small timeouts down to 0 (block forever): keep a floor.
            await self._redis.blpop([self._keys.wakeups], timeout=max(remaining, 0.01))

    async def ack(self, job_id: uuid.UUID, worker_id: str) -> bool:
        """Forget a finished job; False if this worker no longer holds its lease."""
        done = await self._ack(
            keys=[
                self._keys.leases,
                self._keys.lease_owners,
                self._keys.lease_scores,
                self._keys.payloads,
            ],
            args=[str(job_id), worker_id],
        )
        return bool(done)

    async def extend_lease(self, job_id: uuid.UUID, worker_id: str, lease_seconds: float) -> bool:
        """Heartbeat: push the lease deadline out; False if the lease was lost."""
        extended = await self._extend(
            keys=[self._keys.leases, self._keys.lease_owners],
            args=[str(job_id), worker_id, int(lease_seconds * 1000)],
        )
        return bool(extended)

    async def reap_expired(self, limit: int = 100) -> list[uuid.UUID]:
        """Redeliver jobs whose lease ran out (their worker died or hung)."""
        expired = await self._reap(
            keys=self._delivery_keys,
            args=[limit],
        )
        return [uuid.UUID(_text(job_id)) for job_id in expired]

    async def remove(self, job_id: uuid.UUID) -> bool:
        """Withdraw a job (cancelled); True if it had not been taken by a worker yet."""
        removed = await self._remove(
            keys=[self._keys.queue, self._keys.payloads], args=[str(job_id)]
        )
        return bool(removed)

    async def depth(self) -> int:
        return int(await self._redis.zcard(self._keys.queue))

    async def leased(self) -> dict[uuid.UUID, str]:
        """Jobs currently held, by the id of the worker holding each."""
        owners = await self._redis.hgetall(self._keys.lease_owners)
        return {uuid.UUID(_text(job)): _text(worker) for job, worker in owners.items()}
