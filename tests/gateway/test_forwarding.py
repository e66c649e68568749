"""What the gateway forwards: the verified principal only, the request unchanged otherwise.

An extra gateway forwards the calls prefix to an echo service (a real service app) that
answers with what reached it.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from kit.auth import INTERNAL_ISSUER, service_audience
from kit.logs import JsonFormatter
from tests.gateway.helpers import (
    WAIT,
    Servers,
    assert_problem,
    assert_unauthorized,
    claims_of,
    echo_app,
    echoed,
    gateway_app,
    raw_request,
    raw_status,
    token_for,
)
from tests.harness import Server, Stack


@dataclass
class Echoing:
    gateway: Server
    echo: Server

    @property
    def hits(self) -> int:
        hits: int = self.echo.app.state.hits
        return hits


@pytest.fixture(scope="module")
def echoing(
    stack: Stack, module_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> Echoing:
    echo = module_servers.start(echo_app(tmp_path_factory.mktemp("echo"), keys=[stack.key]))
    gateway = module_servers.start(gateway_app(stack, calls_url=echo.url), edge=True)
    return Echoing(gateway, echo)


@pytest.fixture
def vr_echo(stack: Stack, echoing: Echoing) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=echoing.gateway.url,
        timeout=WAIT,
        headers={"authorization": f"Bearer {stack.token('vr')}"},
    ) as client:
        yield client


SPOOFED = [
    ("x-principal", '{"role": "office"}'),
    ("x-agency", "vinnova"),
    ("x-role", "office"),
    ("x-scope", "calls:coordinate"),
    ("x-scopes", "calls:coordinate"),
    ("x-client-id", "dev-office"),
    ("x-user", "office"),
    ("x-user-id", "office"),
    ("x-auth-request-user", "office"),
    ("x-internal-token", "whatever"),
    ("x-remote-user", "office"),
    ("x-forwarded-for", "6.6.6.6"),
    ("x-forwarded-host", "evil.example"),
    ("x-forwarded-proto", "https"),
    ("forwarded", "for=6.6.6.6;by=evil"),
    ("x-real-ip", "6.6.6.6"),
    ("proxy-authorization", "Basic ZXZpbDpldmls"),
    ("cookie", "session=office"),
]


def test_spoofed_identity_headers_never_reach_the_service(stack: Stack, echoing: Echoing) -> None:
    vr, office = stack.token("vr"), stack.token("office")
    headers = [("authorization", f"Bearer {vr}"), *SPOOFED, ("authorization", f"Bearer {office}")]
    response = httpx.get(f"{echoing.gateway.url}/v1/calls/x", headers=headers, timeout=WAIT)
    seen = echoed(response)

    assert (seen.principal.role, seen.principal.agency, seen.principal.sub) == (
        "agency",
        "vr",
        stack.credentials["vr"].client_id,
    )
    names = {name for name, _ in seen.headers}
    assert not names & {name for name, _ in SPOOFED if name != "x-forwarded-for"}
    # One Authorization: the gateway's internal token for this service, carrying vr.
    [authorization] = seen.header("authorization")
    internal = claims_of(authorization.removeprefix("Bearer "))
    assert internal["iss"] == INTERNAL_ISSUER
    assert internal["aud"] == service_audience("calls")
    assert (internal["role"], internal["agency"]) == ("agency", "vr")
    # The only client address is the one the gateway saw.
    assert seen.header("x-forwarded-for") == ["127.0.0.1"]


def test_a_forged_first_authorization_is_not_rescued_by_a_valid_second(
    stack: Stack, echoing: Echoing
) -> None:
    hits = echoing.hits
    headers = [
        ("authorization", "Bearer forged.token.here"),
        ("authorization", f"Bearer {stack.token('vr')}"),
    ]
    assert_unauthorized(
        httpx.get(f"{echoing.gateway.url}/v1/calls/x", headers=headers, timeout=WAIT)
    )
    assert echoing.hits == hits


def test_spoofed_headers_change_nothing_at_the_real_services(stack: Stack) -> None:
    with stack.client("vr") as vr:
        spoofed = dict(SPOOFED)
        assert vr.get("/v1/reports/planning").status_code == 403
        assert vr.get("/v1/reports/planning", headers=spoofed).status_code == 403
        plain, with_spoof = vr.get("/v1/calls"), vr.get("/v1/calls", headers=spoofed)
        assert (plain.status_code, plain.json()) == (with_spoof.status_code, with_spoof.json())


def test_anonymous_readers_reach_public_routes_as_anonymous(echoing: Echoing) -> None:
    spoofed = dict(SPOOFED)
    seen = echoed(httpx.get(f"{echoing.gateway.url}/v1/public/x", headers=spoofed, timeout=WAIT))
    assert (seen.principal.role, seen.principal.agency) == ("anonymous", None)
    assert seen.principal.scopes == []


def test_anonymous_readers_do_not_reach_other_routes(echoing: Echoing) -> None:
    hits = echoing.hits
    for method in ("GET", "POST", "DELETE"):
        response = httpx.request(method, f"{echoing.gateway.url}/v1/calls/x", timeout=WAIT)
        assert_unauthorized(response)
    assert echoing.hits == hits


def test_a_narrowed_token_reaches_the_service_narrowed(stack: Stack, echoing: Echoing) -> None:
    creds = stack.credentials["vr"]
    token = token_for(
        stack.gateway_url, creds.client_id, creds.client_secret, scope="calls:read"
    ).json()["access_token"]
    seen = echoed(
        httpx.get(
            f"{echoing.gateway.url}/v1/calls/x",
            headers={"authorization": f"Bearer {token}"},
            timeout=WAIT,
        )
    )
    assert seen.principal.scopes == ["calls:read"]


def test_method_path_query_body_and_ordinary_headers_pass_unchanged(
    vr_echo: httpx.Client,
) -> None:
    body = json.dumps({"title": {"sv": "Åtgärd", "en": "Action"}, "n": 1}).encode()
    headers = {
        "content-type": "application/json",
        "accept": "application/json",
        "if-match": '"abc"',
        "idempotency-key": "key-1",
        "accept-language": "sv",
        "if-none-match": '"x"',
        "user-agent": "agency-system/1.0",
    }
    path = "/v1/calls/a%2Fb/c%20d/%C3%A5"
    query = "x=1&x=2&q=%C3%A5+b&empty="
    response = vr_echo.patch(f"{path}?{query}", content=body, headers=headers)
    seen = echoed(response)
    assert seen.method == "PATCH"
    assert seen.raw_path == path
    assert seen.query == query
    assert seen.body_bytes == len(body)
    for name, value in headers.items():
        assert seen.header(name) == [value]
    assert seen.header("content-length") == [str(len(body))]
    # And the service's response headers come back.
    assert response.headers["etag"] == '"echo-1"'
    assert response.headers["location"] == "/v1/calls/echoed"


# request IDs ------------------------------------------------------------------------------
def test_a_valid_request_id_is_passed_on_and_returned(vr_echo: httpx.Client) -> None:
    response = vr_echo.get("/v1/calls/x", headers={"x-request-id": "agency-trace:42.a_b-c"})
    assert response.headers["x-request-id"] == "agency-trace:42.a_b-c"
    assert echoed(response).header("x-request-id") == ["agency-trace:42.a_b-c"]


def test_a_missing_request_id_is_made_and_returned(vr_echo: httpx.Client) -> None:
    response = vr_echo.get("/v1/calls/x")
    made = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert echoed(response).header("x-request-id") == [made]
    assert vr_echo.get("/v1/calls/x").headers["x-request-id"] != made


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "semi;colon", 'quote"d', "ÅÄÖ"])
def test_an_unusable_request_id_is_replaced_everywhere(vr_echo: httpx.Client, bad: str) -> None:
    response = vr_echo.get("/v1/calls/x", headers={b"x-request-id": bad.encode()})
    made = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    # The service sees the gateway's id only, so both processes log the same one.
    assert echoed(response).header("x-request-id") == [made]


def test_answers_made_by_the_gateway_itself_carry_the_request_id(stack: Stack) -> None:
    for method, path in [
        ("GET", "/nowhere"),
        ("GET", "/v1/calls"),
        ("POST", "/v1/auth/token"),
        ("GET", "/.well-known/jwks.json"),
        ("GET", "/healthz"),
    ]:
        response = httpx.request(
            method,
            f"{stack.gateway_url}{path}",
            timeout=WAIT,
            headers={"x-request-id": "own-answer-1"},
        )
        assert response.headers["x-request-id"] == "own-answer-1"


def test_every_process_logs_the_request_id(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    gateway_thread = f"uvicorn-{stack.servers['gateway'].port}"
    calls_thread = f"uvicorn-{stack.servers['calls'].port}"

    def access_lines() -> list[logging.LogRecord]:
        return [
            r
            for r in caplog.records
            if r.name == "access" and getattr(r, "request_id", None) == "trace-every-process"
        ]

    with caplog.at_level(logging.INFO), stack.client("vr") as vr:
        response = vr.get("/v1/calls", headers={"x-request-id": "trace-every-process"})
        assert response.status_code == 200
        # A process writes its access line once its answer is sent, so the gateway's may
        # come a moment after the client has the response.
        deadline = time.monotonic() + WAIT
        while len(access_lines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    access = access_lines()
    assert sorted(str(r.threadName) for r in access) == sorted([gateway_thread, calls_thread])
    # Each access line of that request, in both processes, carries it in the JSON written.
    for record in access:
        line = json.loads(JsonFormatter("test").format(record))
        assert line["request_id"] == "trace-every-process"
        assert line["path"] == "/v1/calls"
        assert line["status"] == 200


def test_the_request_id_follows_a_service_to_service_call(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    # Recording a grant makes the grants service ask the calls service about the call.
    threads = {f"uvicorn-{s.port}": name for name, s in stack.servers.items()}
    cluster = {
        "name": "C",
        "lead_hei": {"name": "KTH"},
        "participating_heis": [{"name": "UU"}],
        "technology_area": "ai",
        "international_partners": [],
        "graduate_school": None,
    }
    grant = {
        "call_id": "no-such-call",
        "registration_number": "2025-99999",
        "yearly_plan": [{"year": 2026, "amount_sek": 1, "ssh_amount_sek": 0}],
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }

    def seen() -> dict[str, str]:
        return {
            threads.get(str(r.threadName), str(r.threadName)): str(getattr(r, "path", ""))
            for r in caplog.records
            if r.name == "access" and getattr(r, "request_id", None) == "trace-s2s"
        }

    with caplog.at_level(logging.INFO), stack.client("vr") as vr:
        grant["cluster_id"] = vr.post("/v1/clusters", json=cluster).json()["id"]
        response = vr.post("/v1/grants", json=grant, headers={"x-request-id": "trace-s2s"})
        assert response.status_code == 422, response.text
        deadline = time.monotonic() + WAIT
        while len(seen()) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert seen() == {
        "gateway": "/v1/grants",
        "grants": "/v1/grants",
        "calls": "/internal/v1/calls/no-such-call",
    }


# paths the gateway does not route ------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/v1",
        "/v2/calls",
        "/v1/unknown",
        "/v1/callsx",
        "/v1/call",
        "/internal/v1/calls/1",
        "/v1/internal/calls",
        "/V1/calls",
        "/v1/auth/other",
    ],
)
def test_unknown_routes_are_404_problems(stack: Stack, echoing: Echoing, path: str) -> None:
    hits = echoing.hits
    for headers in ({}, {"authorization": f"Bearer {stack.token('office')}"}):
        response = httpx.get(f"{echoing.gateway.url}{path}", headers=headers, timeout=WAIT)
        assert_problem(response, 404)
    assert echoing.hits == hits


@pytest.mark.parametrize(
    "path",
    [
        "/v1/public/../internal/v1/calls/1",
        "/v1/public/%2e%2e/%2e%2e/internal/v1/calls/1",
        "/v1/public/%2E%2E%2F%2E%2E%2Finternal/v1/calls/1",
        "/v1/public/./x",
        "/v1/calls/%2e%2e/x",
        "/v1/public/..",
        "/v1/public/x/%2e",
    ],
)
def test_dot_segments_never_smuggle_a_request_to_another_route(
    stack: Stack, echoing: Echoing, path: str
) -> None:
    hits = echoing.hits
    for headers in ({}, {"authorization": f"Bearer {stack.token('vr')}"}):
        response = raw_request(echoing.gateway.url, f"GET {path} HTTP/1.1", headers)
        assert raw_status(response) == 404, response
        assert b"application/problem+json" in response
    assert echoing.hits == hits


def test_an_encoded_percent_is_not_decoded_twice(vr_echo: httpx.Client) -> None:
    seen = echoed(vr_echo.get("/v1/calls/%252e%252e/x"))
    assert seen.raw_path == "/v1/calls/%252e%252e/x"
