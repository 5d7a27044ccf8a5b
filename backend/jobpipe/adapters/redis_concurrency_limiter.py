"""A distributed counting semaphore in Redis: at most N active jobs per user.

Each slot is a member of a sorted set scored by its expiry, so a slot whose holder vanished
without releasing it frees itself instead of blocking the user forever. Acquiring is one Lua
script: prune expired slots, check the count, add — no two callers can both take the last slot.
"""

from __future__ import annotations

import uuid

from redis.asyncio import Redis

from jobpipe.adapters.redis_keys import KeySpace

# KEYS: semaphore. ARGV: holder, limit, ttl ms.
_ACQUIRE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
  local longest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[1], longest[2])
  return 1
end
return 0
"""

# KEYS: semaphore. Counts unexpired slots.
_ACTIVE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
"""


class RedisConcurrencyLimiter:
    def __init__(self, redis: Redis, keys: KeySpace) -> None:
        self._redis = redis
        self._keys = keys
        self._acquire = redis.register_script(_ACQUIRE_LUA)
        self._active = redis.register_script(_ACTIVE_LUA)

    async def acquire(
        self, user_id: uuid.UUID, holder: str, *, limit: int, ttl_seconds: float
    ) -> bool:
        """Take a slot for `holder` (re-acquiring refreshes it); False if all are taken."""
        acquired = await self._acquire(
            keys=[self._keys.concurrency(user_id)],
            args=[holder, limit, int(ttl_seconds * 1000)],
        )
        return bool(acquired)

    async def release(self, user_id: uuid.UUID, holder: str) -> None:
        await self._redis.zrem(self._keys.concurrency(user_id), holder)

    async def active(self, user_id: uuid.UUID) -> int:
        return int(await self._active(keys=[self._keys.concurrency(user_id)]))
