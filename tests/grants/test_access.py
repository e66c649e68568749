"""Who may do what, route by route: another agency's objects are not there (404) or not
theirs to change (403), the government and anonymous callers get nothing, and a refused
request changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.grants.factories import (
    cluster_body,
    entry,
    grant_body,
    make_call,
    make_cluster,
    make_grant,
    ok,
    problem,
)
from tests.harness import Stack

PRINCIPALS = ("vinnova", "office", "government", None)


@pytest.fixture
def world(vr: httpx.Client) -> dict[str, Any]:
    """VR's call, cluster, grant and one ledger entry: everything the routes point at."""
    call, cluster = make_call(vr), make_cluster(vr)
    grant = make_grant(vr, call, cluster)
    first = ok(entry(vr, grant["id"], "commitment", 1_000_000), 201)
    return {"call": call, "cluster": cluster, "grant": grant, "entry": first}


def _snapshot(vr: httpx.Client, world: dict[str, Any]) -> list[Any]:
    gid, cid = world["grant"]["id"], world["cluster"]["id"]
    return [
        ok(vr.get("/v1/clusters")),
        ok(vr.get(f"/v1/clusters/{cid}")),
        ok(vr.get("/v1/grants")),
        ok(vr.get(f"/v1/grants/{gid}/ledger"))["items"],
        {k: v for k, v in ok(vr.get("/v1/appropriations/vr/2026")).items() if k != "as_of"},
    ]


# (method, path, body, expected status for vinnova, office, government, anonymous)
WRITES: list[tuple[str, str, Any, tuple[int, int, int, int]]] = [
    ("POST", "/v1/clusters", lambda w: cluster_body(), (201, 403, 403, 401)),
    ("PATCH", "/v1/clusters/{cluster}", lambda w: {"name": "Taken"}, (403, 403, 403, 401)),
    (
        "PUT",
        "/v1/appropriations/vr/2026",
        lambda w: {"code": "X", "amount_sek": 1},
        (403, 403, 403, 401),
    ),
    ("POST", "/v1/grants", lambda w: grant_body(w["call"], w["cluster"]), (422, 403, 403, 401)),
    (
        "POST",
        "/v1/grants/{grant}/ledger",
        lambda w: {
            "kind": "disbursement",
            "year": 2026,
            "amount_sek": 1,
            "booked_on": "2026-05-01",
        },
        (404, 403, 403, 401),
    ),
]

READS: list[tuple[str, tuple[int, int, int, int]]] = [
    ("/v1/clusters", (200, 200, 403, 401)),
    ("/v1/clusters/{cluster}", (200, 200, 403, 401)),
    ("/v1/appropriations", (200, 200, 403, 401)),
    ("/v1/appropriations/vr/2026", (404, 200, 403, 401)),
    ("/v1/grants", (200, 200, 403, 401)),
    ("/v1/grants/{grant}", (404, 200, 403, 401)),
    ("/v1/grants/{grant}/ledger", (404, 200, 403, 401)),
    ("/v1/grants/{grant}/ledger/{entry}", (404, 200, 403, 401)),
    ("/v1/ledger/summary", (200, 200, 403, 401)),
]


def _path(template: str, world: dict[str, Any]) -> str:
    return template.format(
        cluster=world["cluster"]["id"], grant=world["grant"]["id"], entry=world["entry"]["id"]
    )


@pytest.mark.parametrize(("method", "template", "make_body", "expected"), WRITES)
def test_writes_by_anyone_but_the_owner(
    stack: Stack,
    vr: httpx.Client,
    world: dict[str, Any],
    method: str,
    template: str,
    make_body: Any,
    expected: tuple[int, int, int, int],
) -> None:
    before = _snapshot(vr, world)
    for principal, status in zip(PRINCIPALS, expected, strict=True):
        with stack.client(principal) as client:
            response = client.request(
                method,
                _path(template, world),
                json=make_body(world),
                headers={"If-Match": "*", "Idempotency-Key": "k-1"},
            )
        if status >= 400:
            problem(response, status)
        else:
            assert response.status_code == status, (principal, response.text)
    if expected[0] >= 400:
        assert _snapshot(vr, world) == before


@pytest.mark.parametrize(("template", "expected"), READS)
def test_reads_by_everyone_else(
    stack: Stack, world: dict[str, Any], template: str, expected: tuple[int, int, int, int]
) -> None:
    for principal, status in zip(PRINCIPALS, expected, strict=True):
        with stack.client(principal) as client:
            response = client.get(_path(template, world))
        if status >= 400:
            problem(response, status)
        else:
            assert response.status_code == status, (principal, response.text)


def test_lists_and_sums_show_vinnova_nothing_of_vrs(
    vinnova: httpx.Client, world: dict[str, Any]
) -> None:
    assert ok(vinnova.get("/v1/grants"))["items"] == []
    assert ok(vinnova.get("/v1/grants", params={"agency": "vr"}))["items"] == []
    assert ok(vinnova.get("/v1/ledger/summary"))["rows"] == []
    assert ok(vinnova.get("/v1/appropriations")) == []
