"""Approval by both agencies, submission by the office, the lock, and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx

from tests.harness import Stack
from tests.reporting.scenario import build, ok, problem


def approve(client: httpx.Client, version: int, year: int = 2026) -> httpx.Response:
    return client.post(f"/v1/reports/annual/{year}/approve", json={"version": version})


def submit(office: httpx.Client, version: int, year: int = 2026) -> httpx.Response:
    return office.post(f"/v1/reports/annual/{year}/submit", json={"version": version})


def versions(client: httpx.Client, year: int = 2026) -> list[dict[str, object]]:
    items: list[dict[str, object]] = ok(client.get(f"/v1/reports/annual/{year}/versions"))["items"]
    return items


def test_submission_needs_both_agencies_on_the_same_version_then_locks_the_year(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    build(office, 2026)
    build(office, 2026)

    refused = problem(submit(office, 1), 409, rule="R9")
    assert refused["missing_approvals"] == ["vr", "vinnova"]
    assert [v["approved_by"] for v in versions(office)] == [[], []]

    state = ok(approve(vr, 1))
    assert [(a["agency"], a["version"]) for a in state["approvals"]] == [("vr", 1)]
    ok(approve(vinnova, 2))
    assert problem(submit(office, 1), 409, rule="R9")["missing_approvals"] == ["vinnova"]
    assert problem(submit(office, 2), 409, rule="R9")["missing_approvals"] == ["vr"]
    assert all(not v["submitted"] and not v["locked"] for v in versions(office))

    ok(approve(vinnova, 1))  # Vinnova's approval moves from version 2 to version 1
    assert [v["approved_by"] for v in versions(office)] == [[], ["vinnova", "vr"]]
    submitted = ok(submit(office, 1))
    assert (submitted["version"], submitted["on_time"], submitted["due_on"]) == (
        1,
        True,
        "2027-02-01",
    )
    assert submitted["checksum"] == versions(office)[1]["checksum"]

    # locked: no build, no approval, no other submission; the same submission is a safe retry
    problem(office.post("/v1/reports/annual/2026"), 409)
    problem(approve(vr, 2), 409)
    assert problem(submit(office, 2), 409)["type"] == "/problems/annual-report-locked"
    assert ok(submit(office, 1)) == submitted
    assert len(versions(office)) == 2

    # every version stays readable, each saying where it stands
    one = ok(office.get("/v1/reports/annual/2026", params={"version": 1}))
    two = ok(office.get("/v1/reports/annual/2026", params={"version": 2}))
    latest = ok(office.get("/v1/reports/annual/2026"))
    assert (one["submitted"], one["locked"], one["submitted_at"]) == (
        True,
        True,
        submitted["submitted_at"],
    )
    assert (two["submitted"], two["locked"]) == (False, True)
    assert latest["version"] == 2
    # other years are not locked
    build(office, 2027)


def test_approving_a_version_that_does_not_exist_is_404(
    vr: httpx.Client, office: httpx.Client
) -> None:
    problem(approve(vr, 1), 404)
    build(office, 2026)
    problem(approve(vr, 2), 404)
    problem(submit(office, 2), 404)
    assert problem(vr.post("/v1/reports/annual/2026/approve", json={"version": 1.0}), 422)
    problem(vr.post("/v1/reports/annual/2026/approve", json={"version": "1"}), 422)
    problem(vr.post("/v1/reports/annual/2026/approve", json={}), 422)
    assert versions(office)[0]["approved_by"] == []


def test_approving_the_same_version_again_changes_nothing(
    vr: httpx.Client, office: httpx.Client
) -> None:
    build(office, 2026)
    first = ok(approve(vr, 1))
    assert ok(approve(vr, 1)) == first


def test_a_late_submission_and_the_overdue_flag(
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    reporting_clock: Callable[[datetime], None],
) -> None:
    build(office, 2026)
    assert versions(office)[0]["overdue"] is False
    reporting_clock(datetime(2027, 2, 1, 22, 59, tzinfo=UTC))  # 23:59 on 1 Feb in Sweden
    assert ok(office.get("/v1/reports/annual/2026"))["overdue"] is False
    reporting_clock(datetime(2027, 2, 1, 23, 0, tzinfo=UTC))
    assert ok(office.get("/v1/reports/annual/2026"))["overdue"] is True
    ok(approve(vr, 1))
    ok(approve(vinnova, 1))
    submitted = ok(submit(office, 1))
    assert submitted["on_time"] is False
    assert ok(office.get("/v1/reports/annual/2026"))["overdue"] is True


def test_who_may_do_what(
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    government: httpx.Client,
    anonymous: httpx.Client,
) -> None:
    for client in (vr, vinnova, government):
        problem(client.post("/v1/reports/annual/2026"), 403)
    problem(anonymous.post("/v1/reports/annual/2026"), 401)
    build(office, 2026)

    for client in (vr, vinnova, office, government):
        assert ok(client.get("/v1/reports/annual/2026"))["version"] == 1
        assert len(ok(client.get("/v1/reports/annual/2026/versions"))["items"]) == 1
    problem(anonymous.get("/v1/reports/annual/2026"), 401)
    problem(anonymous.get("/v1/reports/annual/2026/versions"), 401)

    problem(approve(office, 1), 403)
    problem(approve(government, 1), 403)
    problem(approve(anonymous, 1), 401)
    problem(submit(vr, 1), 403)
    problem(submit(government, 1), 403)
    assert versions(office)[0]["approved_by"] == []

    problem(office.get("/v1/reports/annual/2027"), 404)
    problem(office.get("/v1/reports/annual/2026", params={"version": 9}), 404)
    problem(office.get("/v1/reports/annual/2026/versions", params={"cursor": "!"}), 422)


def test_concurrent_builds_of_a_new_year_each_get_their_own_version(
    stack: Stack, office: httpx.Client
) -> None:
    def one_build(_: int) -> int:
        with stack.client("office") as client:
            response = client.post("/v1/reports/annual/2026")
            assert response.status_code == 201, response.text
            version: int = response.json()["version"]
            return version

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = sorted(pool.map(one_build, range(6)))
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert [v["version"] for v in versions(office)] == [6, 5, 4, 3, 2, 1]
