"""A service's own port answers only requests carrying the gateway's internal token for it."""

from __future__ import annotations

import time

import httpx
import pytest

from kit.auth import INTERNAL_ISSUER, service_audience
from kit.tokens import SigningKey
from tests.gateway.helpers import WAIT, assert_unauthorized, sign_es256, timed_claims
from tests.harness import Stack

PATHS = {
    "calls": ["/v1/calls", "/v1/public/calls", "/openapi.json"],
    "grants": ["/v1/grants", "/openapi.json"],
    "reporting": ["/v1/reports/planning", "/openapi.json"],
}
CASES = [(service, path) for service, paths in PATHS.items() for path in paths]


def internal(key: SigningKey, service: str, **claims: object) -> str:
    base = {
        "iss": INTERNAL_ISSUER,
        "aud": service_audience(service),
        "sub": "dev-office",
        "role": "office",
        "scope": "calls:read grants:read reports:read",
    }
    merged = timed_claims(**{**base, **claims})
    return sign_es256(key, {k: v for k, v in merged.items() if v is not None})


def get(
    stack: Stack,
    service: str,
    path: str,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    headers = dict(headers or {})
    if token:
        headers["authorization"] = f"Bearer {token}"
    return httpx.get(f"{stack.urls[service]}{path}", headers=headers, timeout=WAIT)


@pytest.mark.parametrize(("service", "path"), CASES)
def test_a_request_without_an_internal_token_is_refused(
    stack: Stack, service: str, path: str
) -> None:
    assert_unauthorized(get(stack, service, path))
    # Identity headers a client might try instead of a token count for nothing.
    spoofed = {
        "x-principal": "office",
        "x-agency": "vr",
        "x-role": "office",
        "x-forwarded-for": "127.0.0.1",
        "x-user": "dev-office",
    }
    assert_unauthorized(get(stack, service, path, headers=spoofed))


@pytest.mark.parametrize(("service", "path"), CASES)
def test_the_gateways_internal_token_for_the_service_is_accepted(
    stack: Stack, service: str, path: str
) -> None:
    # The control for the refusals: a token like the gateway's, for this service.
    assert get(stack, service, path, internal(stack.key, service)).status_code == 200


@pytest.mark.parametrize("service", sorted(PATHS))
def test_internal_tokens_that_are_not_the_gateways_for_this_service_are_refused(
    stack: Stack, service: str
) -> None:
    path = PATHS[service][0]
    other = next(s for s in PATHS if s != service)
    for token in (
        internal(SigningKey.generate(), service),  # another key
        internal(stack.key, other),  # meant for another service
        internal(stack.key, service, iss="urn:programme-office:api"),  # an API token's issuer
        internal(stack.key, service, exp=int(time.time()) - 3600, iat=int(time.time()) - 3700),
        internal(stack.key, service, nbf=int(time.time()) + 3600),
        internal(stack.key, service, aud=None),
    ):
        assert_unauthorized(get(stack, service, path, token))


@pytest.mark.parametrize("service", sorted(PATHS))
def test_health_checks_need_no_token(stack: Stack, service: str) -> None:
    assert get(stack, service, "/healthz").json() == {"status": "ok"}
    assert get(stack, service, "/readyz").json() == {"status": "ready"}
