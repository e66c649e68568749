"""Tokens the gateway signs: API access tokens, and internal tokens for the services."""

from __future__ import annotations

import threading
import time

from gateway.identity.keys import KeyStore
from kit.auth import INTERNAL_ISSUER
from kit.principal import Principal
from kit.tokens import issue


class InternalTokens:
    """Short-lived tokens that carry a verified principal to one service.

    Signing costs more than the rest of a forwarded request's gateway work, so a token is
    reused for the same principal and service until half its lifetime has passed.
    """

    def __init__(self, keys: KeyStore, ttl: int) -> None:
        self.keys, self.ttl = keys, ttl
        self._cache: dict[tuple[Principal, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def token(self, principal: Principal, audience: str) -> str:
        key = (principal, audience)
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached and cached[1] > now:
            return cached[0]
        token, _ = issue(
            self.keys.current,
            issuer=INTERNAL_ISSUER,
            audience=audience,
            subject=principal.sub,
            ttl=self.ttl,
            **principal.claims(),
        )
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (token, now + self.ttl / 2)
        return token
