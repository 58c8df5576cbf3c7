"""Per-key token buckets: in-process by default, in Redis (shared by all replicas) if configured."""

from __future__ import annotations

import logging
import math
import time
from typing import Any, Protocol

logger = logging.getLogger("sbe.gateway.ratelimit")


class RateLimiter(Protocol):
    async def check(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds to wait before retrying."""
        ...


class LocalRateLimiter:
    """A token bucket per key in this process: `rate` tokens a second, at most `burst`."""

    def __init__(self, rate: float, burst: int, max_keys: int = 100_000) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    async def check(self, key: str) -> float:
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            if len(self._buckets) >= self.max_keys and key not in self._buckets:
                self._buckets.clear()  # a flood of distinct keys must not grow memory forever
            self._buckets[key] = (tokens - 1.0, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.rate


# One round trip: refill by elapsed time (Redis's own clock, the same for all replicas), take a
# token if there is one, and expire idle buckets.
_BUCKET_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class RedisRateLimiter:
    """The same bucket kept in Redis, so the limit holds across gateway replicas.

    If Redis is unreachable the request goes ahead (logged): the platform stays usable and the
    per-replica limit of a fallback would be no better defined.
    """

    def __init__(self, redis: Any, rate: float, burst: int) -> None:
        self.redis = redis
        self.rate = rate
        self.burst = burst
        self._script = redis.register_script(_BUCKET_SCRIPT)

    async def check(self, key: str) -> float:
        try:
            wait = await self._script(keys=[f"sbe:ratelimit:{key}"], args=[self.rate, self.burst])
        except Exception:
            logger.warning("rate limiter unreachable; letting the request through", exc_info=True)
            return 0.0
        return float(wait)


def retry_after_header(wait: float) -> str:
    """Retry-After in whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))
