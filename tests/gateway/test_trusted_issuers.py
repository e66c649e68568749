"""An agency may bring its own identity provider; its tokens act for that agency only.

The test plays both providers: VR's signs ES256 and is configured with an inline JWKS;
Vinnova's signs RS256 and publishes its JWKS at a URL served by a tiny local server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway.identity.roles import ROLE_SCOPES
from kit.tokens import SigningKey, jwks_document
from tests.gateway.helpers import (
    WAIT,
    JwksServer,
    RsaKey,
    Servers,
    assert_problem,
    assert_unauthorized,
    closed_port_url,
    compact,
    echo_app,
    echoed,
    gateway_app,
    sign_es256,
    timed_claims,
)
from tests.harness import Stack

VR_ISSUER = "https://idp.vr.example"
VR_AUDIENCE = "programme-office-vr"
VINNOVA_ISSUER = "https://login.vinnova.example/realms/po"
VINNOVA_AUDIENCE = "programme-office"
VINNOVA_SCOPES = ["calls:read", "grants:read"]


@dataclass
class Federation:
    vr_key: SigningKey
    vinnova_key: RsaKey
    jwks: JwksServer
    echo_gateway: str  # forwards to an echo service
    real_gateway: str  # forwards to the stack's services

    def vr(self, **claims: Any) -> str:
        return sign_es256(self.vr_key, vr_claims(**claims))

    def vinnova(self, **claims: Any) -> str:
        base = {"iss": VINNOVA_ISSUER, "aud": VINNOVA_AUDIENCE, "sub": "bob"}
        return self.vinnova_key.sign(timed_claims(**{**base, **claims}))


def vr_claims(**claims: Any) -> dict[str, Any]:
    base = {"iss": VR_ISSUER, "aud": VR_AUDIENCE, "sub": "alice"}
    merged = timed_claims(**{**base, **claims})
    return {k: v for k, v in merged.items() if v is not None}


def issuers(vr_key: SigningKey, jwks_url: str) -> list[dict[str, Any]]:
    return [
        {
            "issuer": VR_ISSUER,
            "audience": VR_AUDIENCE,
            "agency": "vr",
            "jwks": jwks_document([vr_key]),
        },
        {
            "issuer": VINNOVA_ISSUER,
            "audience": VINNOVA_AUDIENCE,
            "agency": "vinnova",
            "jwks_url": jwks_url,
            "scopes": VINNOVA_SCOPES,
        },
    ]


@pytest.fixture(scope="module")
def federation(
    stack: Stack, module_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> Federation:
    servers = module_servers
    vr_key, vinnova_key = SigningKey.generate(), RsaKey("vinnova-2026-1")
    jwks = JwksServer({"keys": [vinnova_key.public_jwk]})
    jwks_url = f"{servers.start(jwks.app).url}/jwks.json"
    echo = servers.start(echo_app(tmp_path_factory.mktemp("echo"), keys=[stack.key]))
    trusted = issuers(vr_key, jwks_url)
    echo_gateway = servers.start(gateway_app(stack, trusted_issuers=trusted, calls_url=echo.url))
    real_gateway = servers.start(gateway_app(stack, trusted_issuers=trusted))
    return Federation(vr_key, vinnova_key, jwks, echo_gateway.url, real_gateway.url)


def get(base: str, path: str, token: str) -> httpx.Response:
    return httpx.get(f"{base}{path}", headers={"authorization": f"Bearer {token}"}, timeout=WAIT)


def test_a_token_from_vrs_provider_acts_for_vr(federation: Federation) -> None:
    seen = echoed(get(federation.echo_gateway, "/v1/calls/x", federation.vr()))
    assert seen.principal.role == "agency"
    assert seen.principal.agency == "vr"
    assert seen.principal.sub == "vr:alice"
    assert seen.principal.client == "alice"
    assert set(seen.principal.scopes) == ROLE_SCOPES["agency"]


def test_a_token_from_vrs_provider_may_narrow_its_scopes(federation: Federation) -> None:
    token = federation.vr(scope="calls:read grants:read")
    seen = echoed(get(federation.echo_gateway, "/v1/calls/x", token))
    assert seen.principal.scopes == ["calls:read", "grants:read"]


def test_vrs_provider_cannot_make_its_users_office_or_widen_their_scopes(
    federation: Federation,
) -> None:
    token = federation.vr(role="office", scope="calls:coordinate reports:write calls:read")
    seen = echoed(get(federation.echo_gateway, "/v1/calls/x", token))
    assert (seen.principal.role, seen.principal.agency) == ("agency", "vr")
    assert seen.principal.scopes == ["calls:read"]


def test_a_token_from_vrs_provider_claiming_vinnova_is_refused(federation: Federation) -> None:
    assert_unauthorized(
        get(federation.echo_gateway, "/v1/calls/x", federation.vr(agency="vinnova"))
    )


def test_vrs_key_cannot_speak_as_vinnovas_provider(federation: Federation) -> None:
    forged = sign_es256(
        federation.vr_key, vr_claims(iss=VINNOVA_ISSUER, aud=VINNOVA_AUDIENCE, agency="vinnova")
    )
    assert_unauthorized(get(federation.echo_gateway, "/v1/calls/x", forged))
    # Nor with Vinnova's key id in the header.
    forged = sign_es256(
        federation.vr_key,
        vr_claims(iss=VINNOVA_ISSUER, aud=VINNOVA_AUDIENCE),
        kid=federation.vinnova_key.kid,
    )
    assert_unauthorized(get(federation.echo_gateway, "/v1/calls/x", forged))


def test_vrs_key_cannot_speak_as_the_gateway(stack: Stack, federation: Federation) -> None:
    settings = stack.servers["gateway"].app.state.settings
    forged = sign_es256(
        federation.vr_key, vr_claims(iss=settings.issuer, aud=settings.audience, role="office")
    )
    assert_unauthorized(get(federation.echo_gateway, "/v1/calls/x", forged))


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "someone-else"},
        {"aud": None},
        {"exp": 1_000_000},
        {"nbf": 4_000_000_000},
        {"sub": None},
    ],
    ids=["wrong-audience", "no-audience", "expired", "not-yet-valid", "no-subject"],
)
def test_vrs_provider_tokens_are_checked_like_any_other(
    federation: Federation, claims: dict[str, Any]
) -> None:
    assert_unauthorized(get(federation.echo_gateway, "/v1/calls/x", federation.vr(**claims)))


def test_alg_none_under_vrs_issuer_is_refused(federation: Federation) -> None:
    token = compact({"alg": "none", "kid": federation.vr_key.kid}, vr_claims())
    assert_unauthorized(get(federation.echo_gateway, "/v1/calls/x", token))


def test_vinnovas_provider_with_a_jwks_url_acts_for_vinnova_within_its_scopes(
    federation: Federation,
) -> None:
    fetched_before = federation.jwks.fetches
    for _ in range(3):
        seen = echoed(get(federation.echo_gateway, "/v1/calls/x", federation.vinnova()))
        assert (seen.principal.role, seen.principal.agency) == ("agency", "vinnova")
        assert seen.principal.sub == "vinnova:bob"
        assert seen.principal.scopes == VINNOVA_SCOPES
    assert federation.jwks.fetches >= 1
    assert federation.jwks.fetches - fetched_before <= 1  # fetched once, then kept


def test_vinnovas_provider_cannot_act_for_vr(federation: Federation) -> None:
    assert_unauthorized(
        get(federation.echo_gateway, "/v1/calls/x", federation.vinnova(agency="vr"))
    )


def test_an_unknown_kid_from_a_provider_is_refused_without_a_flood_of_fetches(
    federation: Federation,
) -> None:
    stranger = RsaKey("not-published")
    fetched_before = federation.jwks.fetches
    for _ in range(5):
        token = stranger.sign(timed_claims(iss=VINNOVA_ISSUER, aud=VINNOVA_AUDIENCE, sub="eve"))
        assert_unauthorized(get(federation.echo_gateway, "/v1/calls/x", token))
    assert federation.jwks.fetches - fetched_before <= 1


def test_a_provider_whose_jwks_cannot_be_fetched_gets_401_not_a_crash(
    stack: Stack, servers: Servers
) -> None:
    key = RsaKey("k1")
    trusted = [
        {
            "issuer": VINNOVA_ISSUER,
            "audience": VINNOVA_AUDIENCE,
            "agency": "vinnova",
            "jwks_url": f"{closed_port_url()}/jwks.json",
        }
    ]
    gateway = servers.start(gateway_app(stack, trusted_issuers=trusted))
    token = key.sign(timed_claims(iss=VINNOVA_ISSUER, aud=VINNOVA_AUDIENCE, sub="bob"))
    assert_unauthorized(get(gateway.url, "/v1/calls", token))


@pytest.mark.parametrize("document", [{"keys": "nope"}, ["a", "list"], {"keys": [1, "x"]}])
def test_a_provider_serving_a_malformed_jwks_gets_401_not_a_crash(
    stack: Stack, servers: Servers, document: Any
) -> None:
    key = RsaKey("k1")
    jwks = servers.start(JwksServer(document).app)
    trusted = [
        {
            "issuer": VINNOVA_ISSUER,
            "audience": VINNOVA_AUDIENCE,
            "agency": "vinnova",
            "jwks_url": f"{jwks.url}/jwks.json",
        }
    ]
    gateway = servers.start(gateway_app(stack, trusted_issuers=trusted))
    token = key.sign(timed_claims(iss=VINNOVA_ISSUER, aud=VINNOVA_AUDIENCE, sub="bob"))
    assert_unauthorized(get(gateway.url, "/v1/calls", token))


def test_a_gateway_without_the_provider_configured_refuses_its_tokens(
    stack: Stack, federation: Federation
) -> None:
    assert_unauthorized(get(stack.gateway_url, "/v1/calls", federation.vr()))


def test_a_provider_token_reaches_the_real_services_as_that_agency(
    federation: Federation,
) -> None:
    token = federation.vr()
    assert get(federation.real_gateway, "/v1/calls", token).status_code == 200
    assert get(federation.real_gateway, "/v1/grants", token).status_code == 200
    # The office's planning list stays closed to it: the services see an agency, not office.
    response = get(federation.real_gateway, "/v1/reports/planning", token)
    assert response.status_code == 403


def test_a_provider_token_writes_as_vr_and_never_reads_vinnovas_objects(
    federation: Federation, vinnova: httpx.Client
) -> None:
    figure = {"code": "UO24 1:5", "amount_sek": 400_000_000}
    assert vinnova.put("/v1/appropriations/vinnova/2026", json=figure).status_code == 201
    token = federation.vr()
    headers = {"authorization": f"Bearer {token}"}
    with httpx.Client(base_url=federation.real_gateway, headers=headers, timeout=WAIT) as idp:
        assert idp.get("/v1/appropriations/vr/2026").status_code == 200
        assert_problem(idp.get("/v1/appropriations/vinnova/2026"), 404)
        assert [a["agency"] for a in idp.get("/v1/appropriations").json()] == ["vr"] * 4
        assert_problem(idp.put("/v1/appropriations/vinnova/2026", json=figure), 403)
        # What it creates belongs to VR.
        cluster = {
            "name": "Cluster made through VR's own identity provider",
            "lead_hei": {"name": "KTH"},
            "participating_heis": [{"name": "Uppsala universitet"}],
            "technology_area": "ai",
            "international_partners": [],
            "graduate_school": None,
        }
        created = idp.post("/v1/clusters", json=cluster)
        assert created.status_code == 201, created.text
        assert created.json()["agency"] == "vr"
    # Vinnova's figure is as it was.
    assert vinnova.get("/v1/appropriations/vinnova/2026").json()["amount_sek"] == 400_000_000
