"""kit.auth: services trust only the gateway's internal tokens, and `require` guards routes."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from kit import auth
from kit.auth import InternalVerifier
from kit.problems import ServiceUnavailable, Unauthorized
from kit.tokens import SigningKey, issue, jwks_document
from tests.gateway.helpers import (
    JwksServer,
    Servers,
    assert_problem,
    assert_unauthorized,
    closed_port_url,
)
from tests.kit.conftest import Tiny
from tests.kit.tinyapp import NAME

AUDIENCE = f"urn:programme-office:{NAME}"


def token(key: SigningKey, **claims: str | None) -> str:
    base: dict[str, str | None] = {"role": "office", "scope": "calls:read"}
    signed, _ = issue(
        key,
        issuer=auth.INTERNAL_ISSUER,
        audience=AUDIENCE,
        subject="dev-office",
        ttl=60,
        **{**base, **claims},
    )
    return signed


def test_the_principal_comes_from_the_internal_token(tiny: Tiny) -> None:
    with tiny.client(role="agency", agency="vinnova") as client:
        assert client.get("/v1/who").json() == {
            "sub": "dev-vinnova",
            "role": "agency",
            "agency": "vinnova",
        }


def test_require_refuses_anonymous_with_401_and_the_wrong_role_with_403(tiny: Tiny) -> None:
    with tiny.client(role="anonymous", agency=None, scope="") as client:
        assert_unauthorized(client.get("/v1/office-only"))
    with tiny.client(role="agency", agency="vr") as client:
        assert_problem(client.get("/v1/office-only"), 403)
    with tiny.client(role="office", agency=None) as client:
        assert client.get("/v1/office-only").status_code == 200


def test_require_refuses_a_missing_scope_naming_it(tiny: Tiny) -> None:
    with tiny.client(scope="calls:read") as client:
        body = assert_problem(client.get("/v1/needs-scope"), 403)
    assert body["required_scope"] == "calls:write"
    with tiny.client(scope="calls:read calls:write") as client:
        assert client.get("/v1/needs-scope").status_code == 200


# fetching the gateway's keys --------------------------------------------------------------
@pytest.fixture
def jwks(servers: Servers) -> tuple[JwksServer, str]:
    served = JwksServer({"keys": []})
    return served, f"{servers.start(served.app).url}/jwks.json"


def test_keys_are_fetched_from_the_jwks_url_and_kept(jwks: tuple[JwksServer, str]) -> None:
    served, url = jwks
    key = SigningKey.generate()
    served.document = jwks_document([key])
    verifier = InternalVerifier(audience=AUDIENCE, jwks_url=url)
    for _ in range(3):
        assert verifier.verify(token(key)).role == "office"
    assert served.fetches == 1


def test_the_first_unknown_kid_is_fetched_even_right_after_boot(
    jwks: tuple[JwksServer, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # time.monotonic() counts from boot; a container seconds old must still fetch the keys.
    served, url = jwks
    key = SigningKey.generate()
    served.document = jwks_document([key])
    monkeypatch.setattr(auth, "time", SimpleNamespace(monotonic=lambda: 3.0))
    verifier = InternalVerifier(audience=AUDIENCE, jwks_url=url)
    assert verifier.verify(token(key)).role == "office"


def test_a_rotated_key_is_picked_up_and_forged_kids_do_not_flood_the_gateway(
    jwks: tuple[JwksServer, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served, url = jwks
    old, new, forged = SigningKey.generate(), SigningKey.generate(), SigningKey.generate()
    served.document = jwks_document([old])
    clock = [1000.0]
    monkeypatch.setattr(auth, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    verifier = InternalVerifier(audience=AUDIENCE, jwks_url=url, refresh_interval=30)
    verifier.verify(token(old))
    served.document = jwks_document([old, new])
    clock[0] += 31
    assert verifier.verify(token(new)).role == "office"  # unknown kid: fetched again
    fetches = served.fetches
    for _ in range(5):
        with pytest.raises(Unauthorized):
            verifier.verify(token(forged))
    assert served.fetches - fetches <= 1


def test_keys_that_cannot_be_fetched_are_a_503_not_a_401(servers: Servers) -> None:
    verifier = InternalVerifier(audience=AUDIENCE, jwks_url=f"{closed_port_url()}/jwks.json")
    with pytest.raises(ServiceUnavailable):
        verifier.verify(token(SigningKey.generate()))


def test_an_inline_jwks_never_fetches() -> None:
    key = SigningKey.generate()
    verifier = InternalVerifier(audience=AUDIENCE, jwks=json.dumps(jwks_document([key])))
    assert verifier.verify(token(key)).sub == "dev-office"
    with pytest.raises(Unauthorized):
        verifier.verify(token(SigningKey.generate()))


def test_a_verifier_needs_keys() -> None:
    with pytest.raises(ValueError, match="JWKS"):
        InternalVerifier(audience=AUDIENCE)
