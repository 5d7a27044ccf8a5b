"""Per-user daily job counters in Redis, expiring when their day is over.

`consume` checks and increments in one Lua script, so concurrent submissions can never push a
user past the quota, and a refused request does not count.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from redis.asyncio import Redis

from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.domain.usage_policy import quota_day, quota_resets_at

# KEYS: counter. ARGV: limit, expiry (unix seconds). Returns {allowed, used}.
_CONSUME_LUA = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then
  return {0, used}
end
used = redis.call('INCR', KEYS[1])
if used == 1 then
  redis.call('EXPIREAT', KEYS[1], ARGV[2])
end
return {1, used}
"""

# KEYS: counter. Gives back one use, never going below zero.
_REFUND_LUA = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


class RedisUsageCounter:
    def __init__(self, redis: Redis, keys: KeySpace) -> None:
        self._redis = redis
        self._keys = keys
        self._consume = redis.register_script(_CONSUME_LUA)
        self._refund = redis.register_script(_REFUND_LUA)

    def _key(self, user_id: uuid.UUID, now: datetime) -> str:
        return self._keys.daily_usage(user_id, quota_day(now))

    async def consume(self, user_id: uuid.UUID, *, limit: int, now: datetime) -> tuple[bool, int]:
        """Count one job for today if under `limit`; returns (allowed, used including it)."""
        expires_at = int(quota_resets_at(now).timestamp())
        allowed, used = await self._consume(
            keys=[self._key(user_id, now)], args=[limit, expires_at]
        )
        return bool(allowed), int(used)

    async def refund(self, user_id: uuid.UUID, *, now: datetime) -> None:
        await self._refund(keys=[self._key(user_id, now)])

    async def used(self, user_id: uuid.UUID, *, now: datetime) -> int:
        return int(await self._redis.get(self._key(user_id, now)) or 0)
