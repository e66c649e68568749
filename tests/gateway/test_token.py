"""POST /v1/auth/token: OAuth 2.0 client credentials (RFC 6749 4.4) and its errors (5.2)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from urllib.parse import quote_plus

import httpx
import pytest

from gateway.identity.clients import register
from gateway.identity.models import Client
from gateway.identity.roles import ROLE_SCOPES
from gateway.settings import GatewaySettings
from kit.auth import INTERNAL_ISSUER, service_audience
from kit.db import utcnow
from kit.tokens import KeySet
from tests.gateway.helpers import WAIT, assert_unauthorized, claims_of, header_of, token_for
from tests.harness import Stack

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=WAIT) as client:
        yield client


def settings_of(stack: Stack) -> GatewaySettings:
    settings: GatewaySettings = stack.servers["gateway"].app.state.settings
    return settings


def basic(client_id: str, secret: str) -> str:
    # RFC 6749 2.3.1: both parts are form-urlencoded before they are joined and encoded.
    pair = f"{quote_plus(client_id)}:{quote_plus(secret)}"
    return "Basic " + base64.b64encode(pair.encode()).decode()


def new_client(
    stack: Stack,
    *,
    role: str = "agency",
    agency: str | None = "vr",
    secret: str | None = None,
    disabled: bool = False,
) -> tuple[str, str]:
    """A client registered only for this test (the gateway's store is not reset per test)."""
    client_id = f"test-{uuid.uuid4().hex[:12]}"
    database = stack.servers["gateway"].app.state.database
    with database.writer() as session, session.begin():
        secret = register(
            session,
            client_id=client_id,
            name="test client",
            role=role,
            agency=agency,
            secret=secret,
        )
        if disabled:
            client = session.get(Client, client_id)
            assert client is not None
            client.disabled_at = utcnow()
    return client_id, secret


def assert_oauth_error(response: httpx.Response, status: int, error: str) -> None:
    """RFC 6749 5.2: a JSON object with `error` (and a description), never cached."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["error"] == error
    assert set(body) <= {"error", "error_description", "error_uri"}
    # 5.2: the description is printable ASCII without '"' and '\'.
    assert all(0x20 <= ord(c) <= 0x7E and c not in '"\\' for c in body["error_description"])
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Basic ")


# the four principals --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "role", "agency"),
    [
        ("vr", "agency", "vr"),
        ("vinnova", "agency", "vinnova"),
        ("office", "office", None),
        ("government", "government", None),
    ],
)
def test_each_principal_gets_a_signed_token_with_the_documented_claims(
    stack: Stack, gateway: httpx.Client, name: str, role: str, agency: str | None
) -> None:
    settings = settings_of(stack)
    creds = stack.credentials[name]
    response = token_for(stack.gateway_url, creds.client_id, creds.client_secret)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.token_ttl
    assert set(body["scope"].split()) == ROLE_SCOPES[role]

    token = body["access_token"]
    jwks = gateway.get("/.well-known/jwks.json").json()
    claims = KeySet(jwks).verify(token, issuer=settings.issuer, audience=settings.audience)
    assert claims["sub"] == creds.client_id
    assert claims["role"] == role
    assert claims.get("agency") == agency
    assert ("agency" in claims) == (agency is not None)
    assert claims["scope"] == body["scope"]
    assert claims["iss"] == settings.issuer
    assert claims["aud"] == settings.audience
    assert claims["exp"] - claims["iat"] == settings.token_ttl
    assert isinstance(claims["jti"], str)
    assert len(claims["jti"]) >= 16
    header = header_of(token)
    assert header["alg"] == "ES256"
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}


def test_every_token_has_its_own_jti(stack: Stack) -> None:
    creds = stack.credentials["vr"]
    tokens = [
        token_for(stack.gateway_url, creds.client_id, creds.client_secret).json() for _ in range(3)
    ]
    assert len({claims_of(t["access_token"])["jti"] for t in tokens}) == 3


def test_http_basic_credentials_are_accepted_form_urlencoded(
    stack: Stack, gateway: httpx.Client
) -> None:
    client_id, secret = new_client(stack, secret="s3cret with space:colon%pct+plus/slash")
    response = gateway.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"authorization": basic(client_id, secret)},
    )
    assert response.status_code == 200, response.text
    assert claims_of(response.json()["access_token"])["sub"] == client_id


def test_form_content_type_may_name_its_charset(stack: Stack, gateway: httpx.Client) -> None:
    creds = stack.credentials["office"]
    response = gateway.post(
        "/v1/auth/token",
        content=f"grant_type=client_credentials&client_id={creds.client_id}"
        f"&client_secret={creds.client_secret}",
        headers={"content-type": f"{FORM}; charset=UTF-8"},
    )
    assert response.status_code == 200, response.text


# wrong credentials: 401 invalid_client --------------------------------------------------
def test_wrong_secret_is_invalid_client(stack: Stack) -> None:
    creds = stack.credentials["vr"]
    response = token_for(stack.gateway_url, creds.client_id, creds.client_secret + "x")
    assert_oauth_error(response, 401, "invalid_client")


def test_unknown_client_is_invalid_client(stack: Stack) -> None:
    response = token_for(stack.gateway_url, "no-such-client", "whatever")
    assert_oauth_error(response, 401, "invalid_client")


def test_an_overlong_client_id_is_invalid_client(stack: Stack) -> None:
    response = token_for(stack.gateway_url, "x" * 5000, "whatever")
    assert_oauth_error(response, 401, "invalid_client")


def test_wrong_secret_over_basic_is_invalid_client(stack: Stack, gateway: httpx.Client) -> None:
    creds = stack.credentials["vr"]
    response = gateway.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"authorization": basic(creds.client_id, "not-the-secret")},
    )
    assert_oauth_error(response, 401, "invalid_client")


@pytest.mark.parametrize(
    "header",
    [
        "Basic !!!not-base64",
        "Basic " + base64.b64encode(b"no-colon-here").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
    ],
)
def test_garbled_basic_credentials_are_invalid_client(gateway: httpx.Client, header: str) -> None:
    response = gateway.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"authorization": header},
    )
    assert_oauth_error(response, 401, "invalid_client")


def test_no_credentials_is_invalid_client(gateway: httpx.Client) -> None:
    response = gateway.post("/v1/auth/token", data={"grant_type": "client_credentials"})
    assert_oauth_error(response, 401, "invalid_client")


def test_a_disabled_client_gets_no_token(stack: Stack) -> None:
    client_id, secret = new_client(stack, disabled=True)
    assert_oauth_error(token_for(stack.gateway_url, client_id, secret), 401, "invalid_client")


# bad requests: 400 ----------------------------------------------------------------------
@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "CLIENT_CREDENTIALS"])
def test_other_grant_types_are_unsupported(stack: Stack, grant_type: str) -> None:
    creds = stack.credentials["vr"]
    response = token_for(
        stack.gateway_url, creds.client_id, creds.client_secret, grant_type=grant_type
    )
    assert_oauth_error(response, 400, "unsupported_grant_type")


def test_a_missing_grant_type_is_an_invalid_request(stack: Stack, gateway: httpx.Client) -> None:
    creds = stack.credentials["vr"]
    response = gateway.post("/v1/auth/token", data=creds.as_dict())
    assert_oauth_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"grant_type": "client_credentials"}', "application/json"),
        (b"grant_type=client_credentials", "text/plain"),
        (b"grant_type=client_credentials", None),
        (b"grant_type=client_credentials&grant_type=client_credentials", FORM),
        (b"grant_type=client_credentials&scope=\xff\xfe", FORM),
    ],
    ids=["json", "text", "no-content-type", "repeated-parameter", "not-utf8"],
)
def test_a_malformed_form_is_an_invalid_request(
    stack: Stack, gateway: httpx.Client, content: bytes, content_type: str | None
) -> None:
    creds = stack.credentials["vr"]
    headers = {"authorization": basic(creds.client_id, creds.client_secret)}
    if content_type:
        headers["content-type"] = content_type
    response = gateway.post("/v1/auth/token", content=content, headers=headers)
    assert_oauth_error(response, 400, "invalid_request")


def test_two_ways_of_authenticating_at_once_are_refused(
    stack: Stack, gateway: httpx.Client
) -> None:
    # RFC 6749 2.3: a client must not use more than one authentication method per request.
    creds = stack.credentials["vr"]
    response = gateway.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials", **creds.as_dict()},
        headers={"authorization": basic(creds.client_id, creds.client_secret)},
    )
    assert_oauth_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    ("name", "scope"),
    [
        ("government", "reports:read calls:write"),
        ("office", "calls:write"),
        ("vr", "calls:coordinate"),
        ("vr", "admin"),
        ("vinnova", "internal:read"),
    ],
)
def test_scopes_beyond_the_clients_own_are_refused(stack: Stack, name: str, scope: str) -> None:
    creds = stack.credentials[name]
    response = token_for(stack.gateway_url, creds.client_id, creds.client_secret, scope=scope)
    assert_oauth_error(response, 400, "invalid_scope")


def test_a_client_may_narrow_its_scopes(stack: Stack) -> None:
    creds = stack.credentials["vr"]
    response = token_for(
        stack.gateway_url, creds.client_id, creds.client_secret, scope="grants:read calls:read"
    )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "calls:read grants:read"
    assert claims_of(response.json()["access_token"])["scope"] == "calls:read grants:read"


# service clients and internal tokens ----------------------------------------------------
@pytest.mark.parametrize("service", ["calls", "grants", "reporting"])
def test_a_service_client_naming_a_resource_gets_an_internal_token(
    stack: Stack, service: str
) -> None:
    creds = stack.credentials["service:reporting"]
    response = token_for(
        stack.gateway_url, creds.client_id, creds.client_secret, resource=service_audience(service)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["expires_in"] == settings_of(stack).internal_token_ttl
    claims = claims_of(body["access_token"])
    assert claims["iss"] == INTERNAL_ISSUER
    assert claims["aud"] == service_audience(service)
    assert claims["role"] == "service"
    assert claims["sub"] == creds.client_id
    assert claims["scope"] == "internal:read"
    assert "agency" not in claims

    # It opens that service's port, and no other, and not the gateway.
    bearer = {"authorization": f"Bearer {body['access_token']}"}
    assert httpx.get(f"{stack.urls[service]}/openapi.json", headers=bearer).status_code == 200
    for other in {"calls", "grants", "reporting"} - {service}:
        assert_unauthorized(httpx.get(f"{stack.urls[other]}/openapi.json", headers=bearer))
    assert_unauthorized(httpx.get(f"{stack.gateway_url}/v1/calls", headers=bearer))


@pytest.mark.parametrize(
    "resource",
    [None, "", "urn:programme-office:gateway", "urn:programme-office:api", "https://calls.example"],
)
def test_a_service_client_must_name_a_known_resource(stack: Stack, resource: str | None) -> None:
    creds = stack.credentials["service:grants"]
    extra = {} if resource is None else {"resource": resource}
    response = token_for(stack.gateway_url, creds.client_id, creds.client_secret, **extra)
    assert_oauth_error(response, 400, "invalid_target")


@pytest.mark.parametrize("name", ["vr", "office", "government"])
def test_only_services_may_name_a_resource(stack: Stack, name: str) -> None:
    creds = stack.credentials[name]
    response = token_for(
        stack.gateway_url, creds.client_id, creds.client_secret, resource=service_audience("calls")
    )
    assert_oauth_error(response, 400, "invalid_target")


def test_a_service_client_cannot_widen_its_scope(stack: Stack) -> None:
    creds = stack.credentials["service:grants"]
    response = token_for(
        stack.gateway_url,
        creds.client_id,
        creds.client_secret,
        resource=service_audience("calls"),
        scope="calls:write",
    )
    assert_oauth_error(response, 400, "invalid_scope")


def test_the_token_endpoint_is_documented_and_post_only(gateway: httpx.Client) -> None:
    response = gateway.get("/v1/auth/token")
    assert response.status_code in {404, 405}
    assert response.headers["content-type"].startswith("application/problem+json")
