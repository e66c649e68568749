"""Each defect the schema fuzzer found, as the fixed request that showed it, so it stays fixed
whatever the generator happens to draw (docs/reliability.md lists them)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.problems import PROBLEM_JSON
from tests.authz import objects as o
from tests.authz.snapshot import changed, snapshot
from tests.harness import Stack

HUGE = 2718984541710394459160576  # past BIGINT: the SQLite driver raised OverflowError
BEFORE_YEAR_ONE = "0001-01-01T00:00:00+01:00"  # well-formed, but no UTC instant exists


def refused(response: httpx.Response, status: int, where: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if where is not None:
        assert where in body.get("detail", ""), body


def _call(**changes: Any) -> dict[str, Any]:
    return {**o.call_body(), **changes}


@pytest.mark.parametrize(
    ("principal", "path", "where"),
    [
        ("anonymous", "/v1/public/calls?updated_since=14", "updated_since"),
        ("vr", "/v1/calls?closes_after=14", "closes_after"),
        ("vr", "/v1/ledger/summary?as_of=14", "as_of"),
        ("vr", "/v1/ledger/summary?as_of=-4.3e-82", "as_of"),
        ("office", "/v1/ledger/summary?as_of=0001-01-01T00:00:00%2B01:00", "as_of"),
        ("office", f"/v1/reports/annual/2026?version={HUGE}", "version"),
    ],
)
def test_a_number_or_an_instant_out_of_range_in_a_query_is_422(
    stack: Stack, principal: str, path: str, where: str
) -> None:
    with stack.client(None if principal == "anonymous" else principal) as client:
        refused(client.get(path), 422, where)


@pytest.mark.parametrize(
    "body",
    [_call(opens_at=1_700_000_000), _call(opens_at="1700000000"), _call(opens_at=BEFORE_YEAR_ONE)],
    ids=["number", "numeric-text", "before-year-one"],
)
def test_a_call_dated_by_a_number_or_before_year_one_is_refused(
    stack: Stack, vr: httpx.Client, body: dict[str, Any]
) -> None:
    before = snapshot(stack)
    refused(vr.post("/v1/calls", json=body), 422, "opens_at")
    assert changed(before, snapshot(stack)) == []


def test_grant_and_ledger_dates_are_iso_8601_only(stack: Stack, vr: httpx.Client) -> None:
    grant = o.grant(vr)
    body = o.grant_body(o.call(vr, "closed")["id"], grant["cluster_id"])
    before = snapshot(stack)
    refused(vr.post("/v1/grants", json={**body, "starts_on": 1_767_225_600}), 422, "starts_on")
    entry = {**o.entry_body(), "booked_on": 0}
    response = vr.post(f"/v1/grants/{grant['id']}/ledger", json=entry, headers=o.idempotency_key())
    refused(response, 422, "booked_on")
    assert changed(before, snapshot(stack)) == []


def test_an_entry_id_past_the_id_column_is_422(vr: httpx.Client) -> None:
    grant = o.grant(vr)
    refused(vr.get(f"/v1/grants/{grant['id']}/ledger/{HUGE}"), 422, "entry_id")
    entry = {**o.entry_body(), "kind": "reversal", "reverses": HUGE}
    response = vr.post(f"/v1/grants/{grant['id']}/ledger", json=entry, headers=o.idempotency_key())
    refused(response, 422, "reverses")


def test_a_report_as_of_a_number_is_not_built(stack: Stack, office: httpx.Client) -> None:
    before = snapshot(stack)
    refused(office.post("/v1/reports/annual/2026", json={"as_of": -86}), 422, "as_of")
    assert changed(before, snapshot(stack)) == []


def test_an_undecodable_body_is_a_documented_400(stack: Stack, vr: httpx.Client) -> None:
    response = vr.post(
        "/v1/calls", content=b"\xff\x18^\x16", headers={"content-type": "application/json"}
    )
    refused(response, 400)
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    assert "400" in document["paths"]["/v1/calls"]["post"]["responses"]


def test_a_path_parameter_holding_a_slash_is_a_documented_404(
    stack: Stack, vr: httpx.Client
) -> None:
    body = {"code": "UO16 3:1 ap.5", "amount_sek": 1}
    refused(vr.put("/v1/appropriations/v%2Fr/2030", json=body), 404)
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    assert "404" in document["paths"]["/v1/appropriations/{agency}/{year}"]["put"]["responses"]


def test_every_documented_error_is_problem_json(stack: Stack) -> None:
    """FastAPI's own 422 entry said application/json; every secured operation lists 401."""
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    wrong = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if path != "/.well-known/jwks.json" and operation.get("security"):
                assert "401" in responses, f"{method} {path}"
            for status, response in responses.items():
                oauth = path == "/v1/auth/token" and status in {"400", "401"}
                content = response.get("content", {})
                if int(status) >= 400 and not oauth and list(content) != [PROBLEM_JSON]:
                    wrong.append(f"{method} {path} {status}: {list(content)}")
    assert wrong == []
    assert "HTTPValidationError" not in document["components"]["schemas"]
