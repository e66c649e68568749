"""Who may do what, on every route, across both agencies.

An agency sees and changes only its own calls (another agency's call answers 404, as if it
did not exist); the office reads all, publishes and coordinates; government and anonymous
write nothing (403 from the service, 401 at the gateway without a token).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kit.principal import Principal
from tests.calls.factories import call_body, create_call, past_call, ready_call, round_of
from tests.harness import Stack

AGENCIES = ("vr", "vinnova")
OTHER = {"vr": "vinnova", "vinnova": "vr"}
STEPS = ("ready", "publish", "close", "decide", "cancel")


def _client(request: pytest.FixtureRequest, name: str) -> httpx.Client:
    client: httpx.Client = request.getfixturevalue(name)
    return client


def _body(agency: str) -> dict[str, Any]:
    return call_body(technology_areas=["ai"]) if agency == "vinnova" else call_body()


def _call_routes(call_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("GET", f"/v1/calls/{call_id}", None),
        ("PATCH", f"/v1/calls/{call_id}", {"trl_max": 5}),
        *[("POST", f"/v1/calls/{call_id}/{name}", None) for name in STEPS],
    ]


@pytest.mark.parametrize("owner", AGENCIES)
def test_another_agencys_call_is_404_on_every_route(
    request: pytest.FixtureRequest, owner: str
) -> None:
    mine, theirs = _client(request, owner), _client(request, OTHER[owner])
    call = mine.post("/v1/calls", json=_body(owner)).json()
    before = mine.get(f"/v1/calls/{call['id']}")
    for method, path, body in _call_routes(call["id"]):
        response = theirs.request(method, path, json=body, headers={"If-Match": "*"})
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["type"] == "/problems/call-not-found"
    assert call["id"] not in {c["id"] for c in theirs.get("/v1/calls").json()["items"]}
    after = mine.get(f"/v1/calls/{call['id']}")
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


@pytest.mark.parametrize("owner", AGENCIES)
def test_each_agency_lists_only_its_own_and_the_office_all(
    request: pytest.FixtureRequest, office: httpx.Client, owner: str
) -> None:
    mine, theirs = _client(request, owner), _client(request, OTHER[owner])
    own = {mine.post("/v1/calls", json=_body(owner)).json()["id"] for _ in range(2)}
    other = {theirs.post("/v1/calls", json=_body(OTHER[owner])).json()["id"]}
    assert {c["id"] for c in mine.get("/v1/calls").json()["items"]} == own
    assert {c["id"] for c in office.get("/v1/calls").json()["items"]} == own | other
    assert {
        c["id"] for c in mine.get("/v1/calls", params={"agency": OTHER[owner]}).json()["items"]
    } == set()


@pytest.mark.parametrize("owner", AGENCIES)
def test_the_office_reads_and_publishes_but_writes_no_call(
    request: pytest.FixtureRequest, office: httpx.Client, owner: str
) -> None:
    agency = _client(request, owner)
    call = ready_call(agency, **({"technology_areas": ["ai"]} if owner == "vinnova" else {}))
    assert office.get(f"/v1/calls/{call['id']}").status_code == 200
    assert office.post("/v1/calls", json=_body(owner)).status_code == 403
    agency_only = [
        ("PATCH", f"/v1/calls/{call['id']}", {"trl_max": 5}),
        *[("POST", f"/v1/calls/{call['id']}/{name}", None) for name in STEPS if name != "publish"],
    ]
    for method, path, body in agency_only:
        response = office.request(method, path, json=body, headers={"If-Match": "*"})
        assert response.status_code == 403, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert agency.get(f"/v1/calls/{call['id']}").json()["status"] == "ready"
    assert office.post(f"/v1/calls/{call['id']}/publish").status_code == 200


def test_government_may_not_touch_calls(vr: httpx.Client, government: httpx.Client) -> None:
    call = ready_call(vr)
    assert government.get("/v1/calls").status_code == 403
    assert government.post("/v1/calls", json=call_body()).status_code == 403
    for method, path, body in _call_routes(call["id"]):
        response = government.request(method, path, json=body, headers={"If-Match": "*"})
        assert response.status_code == 403, (method, path)
    assert (
        government.post(
            "/v1/coordinations", json={"name": "x", "call_ids": [call["id"], call["id"]]}
        ).status_code
        == 403
    )
    assert vr.get(f"/v1/calls/{call['id']}").json()["status"] == "ready"


def test_anonymous_is_stopped_at_the_gateway(vr: httpx.Client, anonymous: httpx.Client) -> None:
    call = ready_call(vr)
    routes = [
        ("GET", "/v1/calls", None),
        ("POST", "/v1/calls", call_body()),
        *_call_routes(call["id"]),
        ("POST", "/v1/coordinations", {"name": "x", "call_ids": [call["id"]]}),
        ("GET", "/v1/coordinations/00000000-0000-0000-0000-000000000000", None),
        ("POST", "/v1/coordinations/00000000-0000-0000-0000-000000000000/publish", None),
    ]
    for method, path, body in routes:
        response = anonymous.request(method, path, json=body)
        assert response.status_code == 401, (method, path)
    assert vr.get(f"/v1/calls/{call['id']}").json()["status"] == "ready"


def test_only_the_office_coordinates(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    ids = [ready_call(vr)["id"], ready_call(vinnova, technology_areas=["ai"])["id"]]
    for agency in (vr, vinnova):
        assert (
            agency.post("/v1/coordinations", json={"name": "Spring", "call_ids": ids}).status_code
            == 403
        )
    created = round_of(office, ids)
    for agency in (vr, vinnova):
        assert agency.post(f"/v1/coordinations/{created['id']}/publish").status_code == 403
        assert agency.get(f"/v1/coordinations/{created['id']}").status_code == 200
    assert office.get(f"/v1/coordinations/{created['id']}").json()["status"] == "draft"


def test_a_round_is_read_by_its_members_and_the_office_only(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client, government: httpx.Client
) -> None:
    ids = [create_call(vr)["id"], create_call(vinnova, technology_areas=["ai"])["id"]]
    created = round_of(office, ids)
    path = f"/v1/coordinations/{created['id']}"
    for member in (vr, vinnova, office):
        assert member.get(path).status_code == 200
    assert government.get(path).status_code == 403
    missing = vr.get("/v1/coordinations/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/coordination-not-found"


def test_internal_routes_answer_services_only(
    stack: Stack,
    vr: httpx.Client,
    calls_direct: Callable[[Principal], httpx.Client],
    reporting_service: httpx.Client,
) -> None:
    call = past_call(vr)
    paths = [f"/internal/v1/calls/{call['id']}", "/internal/v1/report/calls?year=2026"]
    principals = [
        Principal(
            sub="dev-vr",
            role="agency",
            agency="vr",
            scopes=frozenset({"calls:read", "calls:write"}),
        ),
        Principal(sub="dev-office", role="office", scopes=frozenset({"calls:read"})),
        Principal(sub="dev-government", role="government", scopes=frozenset({"reports:read"})),
    ]
    for principal in principals:
        client = calls_direct(principal)
        for path in paths:
            assert client.get(path).status_code == 403, (principal.role, path)
    for path in paths:
        assert reporting_service.get(path).status_code == 200
        assert httpx.get(stack.urls["calls"] + path).status_code == 401
    assert httpx.get(stack.gateway_url + paths[0]).status_code == 404


def test_scopes_narrow_what_a_role_may_do(
    vr: httpx.Client, calls_direct: Callable[[Principal], httpx.Client]
) -> None:
    call = ready_call(vr)
    read_only = calls_direct(
        Principal(sub="dev-vr", role="agency", agency="vr", scopes=frozenset({"calls:read"}))
    )
    assert read_only.get(f"/v1/calls/{call['id']}").status_code == 200
    assert read_only.post("/v1/calls", json=call_body()).status_code == 403
    assert read_only.post(f"/v1/calls/{call['id']}/publish").status_code == 403
