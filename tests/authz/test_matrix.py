"""The authorisation matrix (issue 6, item 2), sent row by row through the gateway.

Each row makes the objects its route needs (owned by the row's agency), snapshots every
table of every app, sends the one request as the row's principal and checks the status.
A refusal must be problem+json and must leave every table as it was.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.problems import PROBLEM_JSON
from tests.authz.matrix import AGENCIES, ROUTES, ROWS, Row
from tests.authz.routes import BUILDERS, Makers
from tests.authz.snapshot import changed, snapshot
from tests.harness import Stack

TOKEN_ROUTE = "POST /v1/auth/token"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
REPLAYED_REFUSALS = {409, 422}


def _listed(body: Any, where: str) -> list[Any]:
    found = body if where == "." else body[where]
    assert isinstance(found, list), body
    return found


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_row(
    row: Row,
    stack: Stack,
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
) -> None:
    makers = Makers(stack, vr=vr, vinnova=vinnova, office=office, principal=row.client)
    request = BUILDERS[row.route.label](makers, row.owner)
    before = snapshot(stack)
    with stack.client(row.client if request.bearer else None) as client:
        response = client.request(
            request.method,
            request.path,
            json=request.json,
            data=request.data,
            headers=request.headers,
        )
    assert response.status_code == row.expected, f"{row}: {response.text[:500]}"
    if response.status_code >= 400:
        # a refusal by the rules is recorded under its own Idempotency-Key (snapshot.py)
        recorded = response.status_code in REPLAYED_REFUSALS
        replay_key = request.headers.get("Idempotency-Key") if recorded else None
        after = snapshot(stack, replay_key=replay_key)
        assert changed(before, after) == [], f"{row} was refused but changed rows"
        if row.route.label != TOKEN_ROUTE:  # RFC 6749 errors are plain JSON (api.md)
            assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
            assert response.json()["status"] == response.status_code
    elif request.method in WRITES and row.route.label != TOKEN_ROUTE:
        # the check above means something only if a snapshot sees a write that happens
        assert changed(before, snapshot(stack)) != [], f"{row} succeeded but changed nothing"
    elif row.route.listed and row.principal in AGENCIES:
        agencies = {item["agency"] for item in _listed(response.json(), row.route.listed)}
        assert agencies == {row.principal}, f"{row} lists {agencies}"


def test_every_route_of_the_merged_openapi_is_in_the_matrix(stack: Stack) -> None:
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    methods = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
    documented = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in methods
    }
    assert sorted(documented - ROUTES.keys()) == [], "routes missing from matrix.yaml"
    assert sorted(ROUTES.keys() - documented) == [], "matrix.yaml names routes that are gone"
    assert sorted(ROUTES.keys() - BUILDERS.keys()) == [], "routes without a request builder"


def test_no_cross_agency_read_or_write_succeeds() -> None:
    """An agency acting on the other agency's object is refused, except on a route whose
    records are shared by design (and says why in the matrix)."""
    allowed = [
        str(row) for row in ROWS if row.cross_agency and row.expected < 400 and not row.route.shared
    ]
    assert allowed == []
    owned = [route for route in ROUTES.values() if route.owned]
    assert sum(row.cross_agency for row in ROWS) == 2 * len(owned)
