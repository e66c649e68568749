"""Internal routes for the reporting service: role `service` only, aggregates summed in SQL,
and a report built twice with the same `as_of` is byte-for-byte the same."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kit.auth import INTERNAL_ISSUER, service_audience
from kit.principal import Principal
from kit.tokens import issue
from tests.grants.factories import (
    appropriate,
    entry,
    make_call,
    make_cluster,
    make_grant,
    ok,
    plan,
    problem,
    service_client,
)
from tests.harness import Stack


@pytest.fixture
def reporting(stack: Stack) -> Iterator[httpx.Client]:
    with service_client(stack) as client:
        yield client


def _as(stack: Stack, principal: Principal) -> httpx.Client:
    token, _ = issue(
        stack.key,
        issuer=INTERNAL_ISSUER,
        audience=service_audience("grants"),
        subject=principal.sub,
        ttl=60,
        **principal.claims(),
    )
    return httpx.Client(base_url=stack.urls["grants"], headers={"authorization": f"Bearer {token}"})


def test_one_grant_for_another_service(
    stack: Stack, vr: httpx.Client, reporting: httpx.Client
) -> None:
    grant = make_grant(vr)
    body = ok(reporting.get(f"/internal/v1/grants/{grant['id']}"))
    assert body == {
        key: grant[key]
        for key in (
            "id",
            "agency",
            "call_id",
            "cluster_id",
            "stage",
            "status",
            "registration_number",
            "technology_area",
            "total_sek",
            "starts_on",
            "ends_on",
        )
    }
    problem(reporting.get("/internal/v1/grants/nope"), 404)


def test_only_services_may_call_internal_routes(
    stack: Stack, vr: httpx.Client, reporting: httpx.Client
) -> None:
    grant = make_grant(vr)
    agency = Principal(
        sub="dev-vr",
        role="agency",
        agency="vr",
        scopes=frozenset({"grants:read", "grants:write"}),
        client="dev-vr",
    )
    office = Principal(sub="dev-office", role="office", scopes=frozenset({"grants:read"}))
    for principal in (agency, office):
        with _as(stack, principal) as client:
            problem(client.get(f"/internal/v1/grants/{grant['id']}"), 403)
            problem(client.get("/internal/v1/report/annual", params={"year": 2026}), 403)
    with httpx.Client(base_url=stack.urls["grants"]) as nobody:
        problem(nobody.get("/internal/v1/report/annual", params={"year": 2026}), 401)
    # The gateway never routes internal paths.
    problem(vr.get(f"/internal/v1/grants/{grant['id']}"), 404)


@pytest.fixture
def programme(vr: httpx.Client, vinnova: httpx.Client) -> dict[str, Any]:
    appropriate(vinnova, "vinnova", 2026, 100_000_000)
    ai = make_cluster(
        vr,
        international_partners=[
            {"organisation": "TU München", "country": "DE", "security_review": "cleared"},
            {"organisation": "MIT", "country": "US", "security_review": "pending"},
        ],
    )
    quantum = make_cluster(
        vinnova,
        name="Quantum cluster",
        technology_area="quantum",
        lead_hei={"name": "Chalmers"},
        participating_heis=[],
        graduate_school=None,
        international_partners=[
            {"organisation": "Tsinghua", "country": "CN", "security_review": "restricted"}
        ],
    )
    established = make_grant(
        vr,
        make_call(vr, max_award_sek=10**8),
        ai,
        yearly_plan=plan(2026, 2027, amount=40_000_000, ssh=2_000_000),
    )
    joint = make_grant(
        vinnova,
        make_call(vinnova, max_award_sek=10**8),
        ai,
        yearly_plan=plan(2026, amount=10_000_000, ssh=1_000_000),
        starts_on="2026-01-01",
        ends_on="2026-12-31",
    )
    planning = make_grant(
        vr,
        make_call(vr, stage="planning", max_award_sek=1_200_000),
        quantum,
        yearly_plan=plan(2025, amount=1_200_000, ssh=0),
        starts_on="2025-10-01",
        ends_on="2025-12-31",
    )
    ok(entry(vr, established["id"], "commitment", 30_000_000), 201)
    ok(entry(vr, established["id"], "disbursement", 10_000_000), 201)
    ok(entry(vr, established["id"], "recovery", 1_000_000), 201)
    ok(entry(vinnova, joint["id"], "commitment", 5_000_000), 201)
    return {
        "ai": ai,
        "quantum": quantum,
        "established": established,
        "joint": joint,
        "planning": planning,
    }


def test_the_annual_aggregates(reporting: httpx.Client, programme: dict[str, Any]) -> None:
    report = ok(reporting.get("/internal/v1/report/annual", params={"year": 2026}))
    ai, quantum = programme["ai"], programme["quantum"]
    assert report["year"] == 2026
    assert report["appropriations"] == [
        {
            "agency": "vinnova",
            "year": 2026,
            "code": "UO24 1:5",
            "amount_sek": 100_000_000,
            "status": "confirmed",
            "committed_sek": 5_000_000,
            "disbursed_sek": 0,
            "recovered_sek": 0,
            "net_disbursed_sek": 0,
        },
        {
            "agency": "vr",
            "year": 2026,
            "code": "UO16 3:1 ap.5",
            "amount_sek": 265_000_000,
            "status": "estimate",
            "committed_sek": 30_000_000,
            "disbursed_sek": 10_000_000,
            "recovered_sek": 1_000_000,
            "net_disbursed_sek": 9_000_000,
        },
    ]
    assert report["by_technology_area"] == [
        {
            "technology_area": "ai",
            "grants": 2,
            "planned_sek": 50_000_000,
            "committed_sek": 35_000_000,
            "net_disbursed_sek": 9_000_000,
        }
    ]
    clusters = {c["cluster_id"]: c for c in report["clusters"]}
    assert [c["cluster_id"] for c in report["clusters"]] == sorted(clusters)
    assert clusters[ai["id"]] == {
        "cluster_id": ai["id"],
        "name": ai["name"],
        "technology_area": "ai",
        "lead_hei": "KTH",
        "heis": ["KTH", "Uppsala universitet"],
        "hei_count": 2,
        "planned_sek": 50_000_000,
        "ssh_sek": 3_000_000,
        "planned_by_agency": {"vinnova": 10_000_000, "vr": 40_000_000},
        "grants": 2,
        "establishment_grants": 2,
        "years_without_ssh": [],
    }
    assert clusters[quantum["id"]]["planned_sek"] == 0
    assert clusters[quantum["id"]]["years_without_ssh"] == [2025]
    assert clusters[quantum["id"]]["hei_count"] == 1
    assert report["graduate_schools"] == [
        {
            "cluster_id": ai["id"],
            "name": "AI graduate school",
            "type": "ai",
            "doctoral_students": 12,
            "mobility_placements": {"hei_hei": 3, "hei_industry": 2},
        }
    ]
    assert report["graduate_schools_by_type"] == [
        {
            "type": "ai",
            "schools": 1,
            "doctoral_students": 12,
            "mobility_placements": {"hei_hei": 3, "hei_industry": 2},
        }
    ]
    assert report["partners_by_review"] == [
        {"security_review": "cleared", "partners": 1},
        {"security_review": "pending", "partners": 1},
        {"security_review": "restricted", "partners": 1},
    ]
    assert [(p["cluster_id"], p["organisation"]) for p in report["partners"]] == sorted(
        [(ai["id"], "MIT"), (ai["id"], "TU München"), (quantum["id"], "Tsinghua")]
    )
    assert report["planning_grants"] == [
        {
            "grant_id": programme["planning"]["id"],
            "agency": "vr",
            "registration_number": programme["planning"]["registration_number"],
            "cluster_id": quantum["id"],
            "cluster_name": "Quantum cluster",
            "total_sek": 1_200_000,
            "plan_years": [2025],
        }
    ]
    assert set(report["sources"]) >= {
        "appropriations",
        "by_technology_area",
        "clusters",
        "graduate_schools",
        "partners_by_review",
    }
    assert "GROUP BY" in report["sources"]["by_technology_area"]


def test_a_report_as_of_an_instant_never_changes(
    vr: httpx.Client, reporting: httpx.Client, programme: dict[str, Any]
) -> None:
    then = ok(reporting.get("/internal/v1/report/annual", params={"year": 2026}))["as_of"]
    params = {"year": 2026, "as_of": then}
    first = reporting.get("/internal/v1/report/annual", params=params)
    ai = programme["ai"]
    ok(
        vr.patch(
            f"/v1/clusters/{ai['id']}",
            headers={"If-Match": "*"},
            json={"name": "Renamed", "international_partners": [], "graduate_school": None},
        )
    )
    ok(entry(vr, programme["established"]["id"], "commitment", 1_000_000), 201)
    make_cluster(vr, name="New")
    again = reporting.get("/internal/v1/report/annual", params=params)
    assert again.content == first.content
    now = ok(reporting.get("/internal/v1/report/annual", params={"year": 2026}))
    renamed = next(c for c in now["clusters"] if c["cluster_id"] == ai["id"])
    assert renamed["name"] == "Renamed"
    assert len(now["clusters"]) == 3
    assert now["appropriations"][1]["committed_sek"] == 31_000_000
    assert not any(p["cluster_id"] == ai["id"] for p in now["partners"])


def test_report_parameters_are_checked(reporting: httpx.Client) -> None:
    problem(reporting.get("/internal/v1/report/annual"), 422)
    problem(
        reporting.get(
            "/internal/v1/report/annual", params={"year": 2026, "as_of": "2026-01-01T00:00"}
        ),
        422,
    )
    empty = ok(reporting.get("/internal/v1/report/annual", params={"year": 2030}))
    assert (empty["appropriations"], empty["clusters"]) == ([], [])
