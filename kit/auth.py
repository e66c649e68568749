"""How a service knows who is calling: the gateway's internal token, verified on every route.

Services never see client credentials or external tokens. The gateway verifies those and
forwards a short-lived token signed with its own key, audience = the target service,
carrying the principal. A request without one is refused, even on public routes (the
gateway forwards anonymous readers with an `anonymous` principal).
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from kit.principal import Principal
from kit.problems import Forbidden, ServiceUnavailable, Unauthorized
from kit.tokens import KeySet, TokenError

log = logging.getLogger("kit.auth")

INTERNAL_ISSUER = "urn:programme-office:gateway"


def service_audience(name: str) -> str:
    return f"urn:programme-office:{name}"


class InternalVerifier:
    """Verifies internal tokens against the gateway's JWKS (inline or fetched and cached).

    An unknown `kid` refetches the JWKS at most once per `refresh_interval`, so a key rotated
    in at the gateway is picked up without a restart, and a flood of forged kids cannot turn
    into a flood of fetches.
    """

    def __init__(
        self,
        *,
        audience: str,
        issuer: str = INTERNAL_ISSUER,
        jwks: str | None = None,
        jwks_url: str | None = None,
        refresh_interval: float = 30.0,
    ) -> None:
        if not jwks and not jwks_url:
            raise ValueError("internal token verification needs a JWKS or a JWKS URL")
        self.audience, self.issuer = audience, issuer
        self.jwks_url = jwks_url
        self.refresh_interval = refresh_interval
        self._keys = KeySet(json.loads(jwks)) if jwks else KeySet({})
        # Never fetched: the first unknown kid fetches, however soon after boot (monotonic
        # time may start near zero).
        self._fetched_at = -math.inf
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        if not self.jwks_url:
            return
        with self._lock:
            if time.monotonic() - self._fetched_at < self.refresh_interval:
                return
            self._fetched_at = time.monotonic()
            try:
                response = httpx.get(self.jwks_url, timeout=5.0)
                response.raise_for_status()
                self._keys = KeySet(response.json())
            except (httpx.HTTPError, ValueError) as exc:
                log.error("could not fetch the gateway's JWKS: %s", exc)
                raise ServiceUnavailable("The gateway's signing keys cannot be read.") from exc

    def verify(self, token: str) -> Principal:
        try:
            try:
                claims = self._keys.verify(token, issuer=self.issuer, audience=self.audience)
            except TokenError as exc:
                if str(exc) != "unknown signing key" or not self.jwks_url:
                    raise
                self._refresh()
                claims = self._keys.verify(token, issuer=self.issuer, audience=self.audience)
        except TokenError as exc:
            raise Unauthorized(str(exc)) from exc
        return Principal.from_claims(claims)

    async def verify_async(self, token: str) -> Principal:
        """`verify` on the event loop: CPU only (a known token is a cache hit), except that
        fetching the JWKS for an unknown key goes to a worker thread."""
        try:
            claims = self._keys.verify(token, issuer=self.issuer, audience=self.audience)
        except TokenError as exc:
            if str(exc) != "unknown signing key" or not self.jwks_url:
                raise Unauthorized(str(exc)) from exc
            return await run_in_threadpool(self.verify, token)
        return Principal.from_claims(claims)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def current_principal(request: Request) -> Principal:
    # async on purpose: a sync dependency costs a thread-pool round trip on every request.
    token = bearer_token(request)
    if token is None:
        raise Unauthorized(
            "This service only answers requests forwarded by the gateway.", error=None
        )
    verifier: InternalVerifier = request.app.state.verifier
    principal = await verifier.verify_async(token)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(
    *, roles: set[str] | None = None, scope: str | None = None
) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through only the given roles and/or a scope."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.is_anonymous:
            raise Unauthorized("Authentication required.", error=None)
        if roles is not None and principal.role not in roles:
            raise Forbidden(f"The role '{principal.role}' may not do this.")
        if scope is not None and scope not in principal.scopes:
            raise Forbidden(f"The scope '{scope}' is needed.", required_scope=scope)
        return principal

    return check


def describe(principal: Principal) -> dict[str, Any]:
    """Who did a write, for audit columns."""
    return {"client_id": principal.client or principal.sub, "agency": principal.agency}
