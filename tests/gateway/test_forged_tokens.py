"""Every token the gateway did not issue for the API, or that was changed since, is refused.

Each forgery is tried on a protected route and on a public one (a bad token is refused even
where no token is needed), and must answer 401 problem+json with a Bearer challenge.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gateway.settings import GatewaySettings
from kit.auth import INTERNAL_ISSUER, service_audience
from kit.tokens import SigningKey
from tests.gateway.helpers import (
    WAIT,
    RsaKey,
    assert_unauthorized,
    b64url,
    claims_of,
    compact,
    sign_es256,
    timed_claims,
    token_for,
)
from tests.harness import Stack

ROUTES = ["/v1/calls", "/v1/public/calls"]
OTHER_KEY = SigningKey.generate()


def api_claims(stack: Stack, **overrides: Any) -> dict[str, Any]:
    settings: GatewaySettings = stack.servers["gateway"].app.state.settings
    base = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": "dev-vr",
        "client_id": "dev-vr",
        "role": "agency",
        "agency": "vr",
        "scope": "calls:read",
    }
    claims = timed_claims(**{**base, **overrides})
    return {k: v for k, v in claims.items() if v is not None}


def hs256(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    digest = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(digest)}"


def get(stack: Stack, path: str, token: str) -> httpx.Response:
    return httpx.get(
        f"{stack.gateway_url}{path}", headers={"authorization": f"Bearer {token}"}, timeout=WAIT
    )


def real_token(stack: Stack, name: str = "vr") -> str:
    return stack.token(name)


def test_a_well_formed_token_signed_with_the_gateways_key_is_accepted(stack: Stack) -> None:
    # The control for every forgery below: the same claims, honestly signed, pass.
    token = sign_es256(stack.key, api_claims(stack))
    for path in ROUTES:
        assert get(stack, path, token).status_code == 200


def test_no_token_is_challenged_without_an_error_code(stack: Stack) -> None:
    response = httpx.get(f"{stack.gateway_url}/v1/calls", timeout=WAIT)
    assert_unauthorized(response)
    # RFC 6750 3.1: no credentials at all gets a bare challenge, no error code.
    assert "error=" not in response.headers["www-authenticate"]


def _tampered(stack: Stack, **changes: Any) -> str:
    header, _, signature = real_token(stack).split(".")
    claims = {**claims_of(real_token(stack)), **changes}
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"


def _public_key_pem(stack: Stack) -> bytes:
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(stack.key.private_pem, password=None)
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


FORGERIES: dict[str, Callable[[Stack], str]] = {
    "alg-none": lambda s: compact({"alg": "none", "typ": "JWT", "kid": s.key.kid}, api_claims(s)),
    "alg-None": lambda s: compact({"alg": "None", "kid": s.key.kid}, api_claims(s)),
    "alg-none-with-signature": lambda s: compact(
        {"alg": "none", "kid": s.key.kid}, api_claims(s), b"\x00" * 64
    ),
    "hs256-with-public-pem": lambda s: hs256(
        _public_key_pem(s), {"alg": "HS256", "typ": "JWT", "kid": s.key.kid}, api_claims(s)
    ),
    "hs256-with-public-jwk": lambda s: hs256(
        json.dumps(s.key.public_jwk).encode(), {"alg": "HS256", "kid": s.key.kid}, api_claims(s)
    ),
    "rs256-with-the-ec-kid": lambda s: RsaKey(s.key.kid).sign(api_claims(s)),
    "tampered-agency": lambda s: _tampered(s, agency="vinnova"),
    "tampered-role": lambda s: _tampered(s, role="office"),
    "tampered-expiry": lambda s: _tampered(s, exp=int(time.time()) + 10**6),
    "tampered-header": lambda s: ".".join(
        [
            b64url(json.dumps({"alg": "ES256", "kid": s.key.kid, "x": 1}).encode()),
            *real_token(s).split(".")[1:],
        ]
    ),
    "signature-cut": lambda s: real_token(s).rsplit(".", 1)[0] + ".",
    "signature-of-another-token": lambda s: ".".join(
        [*real_token(s).split(".")[:2], real_token(s, "vinnova").split(".")[2]]
    ),
    "expired": lambda s: sign_es256(
        s.key, api_claims(s, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    ),
    "not-yet-valid": lambda s: sign_es256(s.key, api_claims(s, nbf=int(time.time()) + 3600)),
    "no-exp": lambda s: sign_es256(s.key, api_claims(s, exp=None)),
    "no-sub": lambda s: sign_es256(s.key, api_claims(s, sub=None)),
    "no-aud": lambda s: sign_es256(s.key, api_claims(s, aud=None)),
    "wrong-audience": lambda s: sign_es256(s.key, api_claims(s, aud="https://elsewhere.example")),
    "internal-audience": lambda s: sign_es256(s.key, api_claims(s, aud=service_audience("calls"))),
    "wrong-issuer": lambda s: sign_es256(s.key, api_claims(s, iss="https://evil.example")),
    "no-issuer": lambda s: sign_es256(s.key, api_claims(s, iss=None)),
    "unknown-kid": lambda s: sign_es256(OTHER_KEY, api_claims(s)),
    "no-kid": lambda s: sign_es256(s.key, api_claims(s), kid=None),
    "known-kid-other-key": lambda s: sign_es256(OTHER_KEY, api_claims(s), kid=s.key.kid),
    "embedded-jwk": lambda s: sign_es256(
        OTHER_KEY, api_claims(s), kid=s.key.kid, jwk=OTHER_KEY.public_jwk
    ),
    "jku-header": lambda s: sign_es256(
        OTHER_KEY, api_claims(s), kid=OTHER_KEY.kid, jku="http://127.0.0.1:9/jwks.json"
    ),
    "service-role-at-the-api": lambda s: sign_es256(
        s.key, api_claims(s, role="service", agency=None, scope="internal:read")
    ),
    "forged-internal-token": lambda s: sign_es256(
        s.key, api_claims(s, iss=INTERNAL_ISSUER, aud=service_audience("calls"))
    ),
    "garbage": lambda s: "not-a-token",
    "three-garbage-parts": lambda s: "a.b.c",
    "payload-not-an-object": lambda s: (
        compact({"alg": "ES256", "kid": s.key.kid}, api_claims(s)).split(".")[0]
        + "."
        + b64url(b"[1,2]")
        + ".sig"
    ),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_token_is_refused(stack: Stack, forgery: str) -> None:
    token = FORGERIES[forgery](stack)
    for path in ROUTES:
        response = get(stack, path, token)
        body = assert_unauthorized(response)
        assert 'error="invalid_token"' in response.headers["www-authenticate"]
        assert body["detail"]


def test_an_internal_token_from_the_token_endpoint_is_refused_by_the_gateway(
    stack: Stack,
) -> None:
    creds = stack.credentials["service:grants"]
    internal = token_for(
        stack.gateway_url, creds.client_id, creds.client_secret, resource=service_audience("calls")
    ).json()["access_token"]
    for path in ROUTES:
        assert_unauthorized(get(stack, path, internal))


def test_a_gateway_api_token_is_refused_by_every_service_port(stack: Stack) -> None:
    token = real_token(stack, "office")
    paths = {"calls": "/v1/calls", "grants": "/v1/grants", "reporting": "/v1/reports/planning"}
    for service, path in paths.items():
        response = httpx.get(
            f"{stack.urls[service]}{path}",
            headers={"authorization": f"Bearer {token}"},
            timeout=WAIT,
        )
        assert_unauthorized(response)


def test_an_unsupported_scheme_counts_as_no_token(stack: Stack) -> None:
    response = httpx.get(
        f"{stack.gateway_url}/v1/calls",
        headers={"authorization": f"Token {real_token(stack)}"},
        timeout=WAIT,
    )
    assert_unauthorized(response)
