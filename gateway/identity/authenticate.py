"""Who is calling the gateway: its own tokens, or a trusted agency identity provider's."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

from gateway.identity.keys import KeyStore
from gateway.identity.roles import ROLE_SCOPES
from gateway.settings import GatewaySettings, TrustedIssuer
from kit.principal import ANONYMOUS, Principal
from kit.tokens import KeySet, TokenError, jwks_document, unverified_claims

log = logging.getLogger("gateway.identity")


class IssuerKeys:
    """A trusted issuer's JWKS, inline or fetched; refetched on an unknown kid at most every
    `refresh_interval` seconds."""

    def __init__(self, issuer: TrustedIssuer, refresh_interval: float = 60.0) -> None:
        self.issuer = issuer
        self.refresh_interval = refresh_interval
        self.keys = KeySet(issuer.jwks or {})
        self.fetched_at = -refresh_interval

    async def refresh(self, http: httpx.AsyncClient) -> bool:
        if not self.issuer.jwks_url or time.monotonic() - self.fetched_at < self.refresh_interval:
            return False
        self.fetched_at = time.monotonic()
        try:
            response = await http.get(self.issuer.jwks_url)
            response.raise_for_status()
            self.keys = KeySet(response.json())
        except (httpx.HTTPError, ValueError) as exc:  # unreachable, not JSON, not a JWKS
            log.error("JWKS of %s could not be fetched: %s", self.issuer.issuer, exc)
            return False
        return True


class Authenticator:
    def __init__(self, settings: GatewaySettings, keys: KeyStore, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.own = KeySet(jwks_document(keys.keys))
        self.trusted = {i.issuer: IssuerKeys(i) for i in settings.trusted_issuers}
        self.http = http

    async def principal(self, token: str | None) -> Principal:
        if token is None:
            return ANONYMOUS
        issuer = unverified_claims(token).get("iss")
        if issuer == self.settings.issuer:
            claims = self.own.verify(
                token, issuer=self.settings.issuer, audience=self.settings.audience
            )
            if claims.get("role") not in {"agency", "office", "government"}:
                raise TokenError("token not usable at the API")
            return Principal.from_claims(claims)
        trusted = self.trusted.get(issuer) if isinstance(issuer, str) else None
        if trusted is None:
            raise TokenError("token issuer not trusted")
        return await self._external(token, trusted)

    async def _external(self, token: str, trusted: IssuerKeys) -> Principal:
        issuer = trusted.issuer
        try:
            claims = trusted.keys.verify(token, issuer=issuer.issuer, audience=issuer.audience)
        except TokenError as exc:
            if str(exc) != "unknown signing key" or not await trusted.refresh(self.http):
                raise
            claims = trusted.keys.verify(token, issuer=issuer.issuer, audience=issuer.audience)
        claimed_agency = claims.get("agency")
        if claimed_agency is not None and claimed_agency != issuer.agency:
            raise TokenError("this issuer cannot act for that agency")
        allowed = frozenset(issuer.scopes) or ROLE_SCOPES["agency"]
        requested = _scopes(claims)
        scopes = allowed & requested if requested else allowed
        return Principal(
            sub=f"{issuer.agency}:{claims['sub']}",
            role="agency",
            agency=issuer.agency,
            scopes=scopes,
            client=str(claims["sub"]),
        )


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    scope = claims.get("scope", claims.get("scp"))
    if isinstance(scope, str):
        return frozenset(scope.split())
    if isinstance(scope, list):
        return frozenset(str(s) for s in scope)
    return frozenset()
