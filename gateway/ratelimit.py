"""Rate limits per client and per anonymous address (GCRA, the generic cell rate algorithm).

GCRA keeps one number per key, the theoretical arrival time (TAT) of the next request, so a
limit costs one read and one write, and it spreads a budget evenly instead of letting a
fixed window's edges double it. In memory by default; with a Redis URL the TAT lives in Redis
and is updated by one Lua script on the server's clock, so several gateway processes share
one budget exactly.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from kit.problems import TooManyRequests

log = logging.getLogger("gateway.ratelimit")


@dataclass(frozen=True)
class Rate:
    per_minute: int
    burst: int

    @property
    def interval(self) -> float:
        return 60.0 / self.per_minute

    @property
    def tolerance(self) -> float:
        return self.interval * (self.burst - 1)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float
    remaining: int


class Store(Protocol):
    async def acquire(self, key: str, rate: Rate) -> Decision: ...

    async def close(self) -> None: ...


def _decide(tat: float, now: float, rate: Rate) -> tuple[Decision, float | None]:
    tat = max(tat, now)
    if tat - now > rate.tolerance:
        return Decision(False, tat - now - rate.tolerance, 0), None
    new_tat = tat + rate.interval
    remaining = int((rate.tolerance - (new_tat - now)) / rate.interval) + 1
    return Decision(True, 0.0, max(remaining, 0)), new_tat


class MemoryStore:
    """One process's budget. Entries expire lazily; the map is bounded."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._tats: dict[str, float] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    async def acquire(self, key: str, rate: Rate) -> Decision:
        now = time.monotonic()
        with self._lock:
            decision, new_tat = _decide(self._tats.get(key, now), now, rate)
            if new_tat is not None:
                if len(self._tats) >= self._max_keys:
                    self._tats = {k: v for k, v in self._tats.items() if v > now}
                self._tats[key] = new_tat
        return decision

    async def close(self) -> None:
        return None


# KEYS[1] = key; ARGV = interval, tolerance (seconds). Uses the Redis server's clock.
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - now > tolerance then
  return {0, tostring(tat - now - tolerance), 0}
end
local new_tat = tat + interval
local ttl = math.ceil((new_tat - now) * 1000) + 1000
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', ttl)
local remaining = math.floor((tolerance - (new_tat - now)) / interval) + 1
if remaining < 0 then remaining = 0 end
return {1, '0', remaining}
"""


class RedisStore:
    def __init__(self, url: str, prefix: str = "po:rate:") -> None:
        import redis.asyncio as redis  # only when Redis is configured

        self._redis: Any = redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._redis.register_script(_GCRA)
        self._prefix = prefix

    async def acquire(self, key: str, rate: Rate) -> Decision:
        try:
            allowed, retry_after, remaining = await self._script(
                keys=[self._prefix + key], args=[rate.interval, rate.tolerance]
            )
        except Exception as exc:  # redis-py's errors and OSError alike
            # Fail open: a rate limiter that is down must not take the API down with it.
            log.error("rate limit store unavailable, letting the request through: %r", exc)
            return Decision(True, 0.0, rate.burst)
        return Decision(bool(allowed), float(retry_after), int(remaining))

    async def close(self) -> None:
        await self._redis.aclose()


class RateLimiter:
    def __init__(self, store: Store, *, clients: Rate, anonymous: Rate) -> None:
        self.store, self.clients, self.anonymous = store, clients, anonymous

    @classmethod
    def from_settings(cls, settings: Any) -> RateLimiter:
        store: Store = (
            RedisStore(settings.redis_url, settings.rate_limit_prefix)
            if settings.redis_url
            else MemoryStore()
        )
        return cls(
            store,
            clients=Rate(settings.rate_limit_per_minute, settings.rate_limit_burst),
            anonymous=Rate(
                settings.anonymous_rate_limit_per_minute, settings.anonymous_rate_limit_burst
            ),
        )

    async def check(self, *, client: str | None, address: str | None) -> dict[str, str]:
        """Raises 429 when over budget; otherwise the RateLimit headers for the response."""
        rate = self.clients if client else self.anonymous
        key = f"client:{client}" if client else f"address:{address or 'unknown'}"
        decision = await self.store.acquire(key, rate)
        if not decision.allowed:
            seconds = max(1, math.ceil(decision.retry_after))
            raise TooManyRequests(
                f"More than {rate.per_minute} requests a minute; try again in {seconds} s.",
                headers={
                    "Retry-After": str(seconds),
                    "RateLimit-Limit": str(rate.per_minute),
                    "RateLimit-Remaining": "0",
                },
            )
        return {
            "RateLimit-Limit": str(rate.per_minute),
            "RateLimit-Remaining": str(decision.remaining),
        }
