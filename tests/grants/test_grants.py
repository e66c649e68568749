"""Recording grants: every rule that refuses a decision (R3, R5, R7, R11, R14, the
registration number, the plan) and what a refusal leaves behind (nothing)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.grants.factories import (
    appropriate,
    grant_body,
    make_call,
    make_cluster,
    make_grant,
    ok,
    plan,
    problem,
)


def _grants(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = ok(client.get("/v1/grants", params=params))["items"]
    return items


@pytest.fixture
def call(vr: httpx.Client) -> dict[str, Any]:
    return make_call(vr, stage="establishment", max_award_sek=100_000_000)


@pytest.fixture
def cluster(vr: httpx.Client) -> dict[str, Any]:
    return make_cluster(vr)


def test_a_decision_is_recorded_with_what_the_call_and_cluster_say(
    vr: httpx.Client, office: httpx.Client, call: dict[str, Any], cluster: dict[str, Any]
) -> None:
    response = vr.post("/v1/grants", json=grant_body(call, cluster))
    grant = ok(response, 201)
    assert response.headers["location"] == f"/v1/grants/{grant['id']}"
    assert grant["agency"] == "vr"
    assert grant["status"] == "awarded"
    assert grant["stage"] == "establishment"
    assert grant["technology_area"] == "ai"
    assert (grant["total_sek"], grant["ssh_total_sek"]) == (80_000_000, 4_000_000)
    assert grant["warnings"] == []
    assert ok(vr.get(f"/v1/grants/{grant['id']}")) == grant
    assert ok(office.get(f"/v1/grants/{grant['id']}")) == grant


def test_a_year_below_40_msek_is_accepted_with_an_r1_warning(
    vr: httpx.Client, call: dict[str, Any], cluster: dict[str, Any]
) -> None:
    body = grant_body(
        call,
        cluster,
        yearly_plan=[
            {"year": 2026, "amount_sek": 25_000_000, "ssh_amount_sek": 1_000_000},
            {"year": 2027, "amount_sek": 40_000_000, "ssh_amount_sek": 1_000_000},
        ],
    )
    grant = ok(vr.post("/v1/grants", json=body), 201)
    assert [(w["rule"], w["year"]) for w in grant["warnings"]] == [("R1", 2026)]
    assert ok(vr.get(f"/v1/grants/{grant['id']}"))["warnings"] == grant["warnings"]


def test_r11_a_grant_never_exceeds_its_calls_maximum_award(
    vr: httpx.Client, cluster: dict[str, Any]
) -> None:
    call = make_call(vr, stage="planning", max_award_sek=1_200_000)
    over = grant_body(
        call,
        cluster,
        yearly_plan=plan(2025, amount=1_200_001, ssh=0),
        starts_on="2025-10-01",
        ends_on="2026-03-31",
    )
    body = problem(vr.post("/v1/grants", json=over), 422, rule="R11")
    assert (body["total_sek"], body["max_award_sek"]) == (1_200_001, 1_200_000)
    # The total counts, not each year.
    split = grant_body(
        call,
        cluster,
        starts_on="2025-10-01",
        ends_on="2026-03-31",
        yearly_plan=[
            {"year": 2025, "amount_sek": 700_000, "ssh_amount_sek": 0},
            {"year": 2026, "amount_sek": 600_000, "ssh_amount_sek": 0},
        ],
    )
    problem(vr.post("/v1/grants", json=split), 422, rule="R11")
    assert _grants(vr) == []
    exact = grant_body(
        call,
        cluster,
        yearly_plan=plan(2025, amount=1_200_000, ssh=0),
        starts_on="2025-10-01",
        ends_on="2026-03-31",
    )
    assert ok(vr.post("/v1/grants", json=exact), 201)["stage"] == "planning"


def test_r3_an_establishment_grant_has_ssh_every_year(
    vr: httpx.Client, call: dict[str, Any], cluster: dict[str, Any]
) -> None:
    body = grant_body(
        call,
        cluster,
        yearly_plan=[
            {"year": 2026, "amount_sek": 40_000_000, "ssh_amount_sek": 1},
            {"year": 2027, "amount_sek": 40_000_000, "ssh_amount_sek": 0},
        ],
    )
    assert problem(vr.post("/v1/grants", json=body), 422, rule="R3")["years"] == [2027]
    assert _grants(vr) == []
    planning = make_call(vr, stage="planning", max_award_sek=1_200_000)
    ok(
        vr.post(
            "/v1/grants",
            json=grant_body(planning, cluster, yearly_plan=plan(2026, amount=1_000_000, ssh=0)),
        ),
        201,
    )


def test_r5_an_establishment_grant_needs_two_institutions(
    vr: httpx.Client, call: dict[str, Any]
) -> None:
    alone = make_cluster(vr, participating_heis=[{"name": "KTH"}])
    assert alone["hei_count"] == 1
    problem(vr.post("/v1/grants", json=grant_body(call, alone)), 422, rule="R5")
    assert _grants(vr) == []
    planning = make_call(vr, stage="planning", max_award_sek=1_200_000)
    ok(
        vr.post(
            "/v1/grants",
            json=grant_body(planning, alone, yearly_plan=plan(2026, amount=1_000_000, ssh=0)),
        ),
        201,
    )


@pytest.mark.parametrize("number", ["2025-1234", "25-01234", "2025_01234", "2025-012345", ""])
def test_registration_numbers_have_the_form_yyyy_nnnnn(
    vr: httpx.Client, call: dict[str, Any], cluster: dict[str, Any], number: str
) -> None:
    body = grant_body(call, cluster, registration_number=number)
    problem(vr.post("/v1/grants", json=body), 422, rule="registration-number")
    assert _grants(vr) == []


def test_registration_numbers_are_unique_per_agency(
    vr: httpx.Client, vinnova: httpx.Client, call: dict[str, Any], cluster: dict[str, Any]
) -> None:
    ok(vr.post("/v1/grants", json=grant_body(call, cluster, registration_number="2025-00042")), 201)
    again = grant_body(call, cluster, registration_number="2025-00042")
    problem(vr.post("/v1/grants", json=again), 409, rule="registration-number")
    assert len(_grants(vr)) == 1
    # Another agency may use the same number.
    vinnova_call = make_call(vinnova, max_award_sek=100_000_000)
    vinnova_cluster = make_cluster(vinnova)
    appropriate(vinnova, "vinnova", 2026, 10**9)
    ok(
        vinnova.post(
            "/v1/grants",
            json=grant_body(vinnova_call, vinnova_cluster, registration_number="2025-00042"),
        ),
        201,
    )


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"yearly_plan": plan(2025, 2026)}, "plan-within-period"),
        ({"yearly_plan": plan(2026, 2028)}, "plan-within-period"),
        ({"yearly_plan": plan(2026, 2026)}, "plan-within-period"),
        ({"starts_on": "2027-01-01", "ends_on": "2026-12-31"}, "plan-within-period"),
        (
            {
                "yearly_plan": [
                    {"year": 2026, "amount_sek": 40_000_000, "ssh_amount_sek": 40_000_001}
                ]
            },
            "ssh-within-amount",
        ),
    ],
)
def test_the_plan_fits_the_period_and_ssh_fits_the_amount(
    vr: httpx.Client,
    call: dict[str, Any],
    cluster: dict[str, Any],
    overrides: dict[str, Any],
    rule: str,
) -> None:
    problem(vr.post("/v1/grants", json=grant_body(call, cluster, **overrides)), 422, rule=rule)
    assert _grants(vr) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"yearly_plan": [{"year": 2026, "amount_sek": 40_000_000.0, "ssh_amount_sek": 1}]},
        {"yearly_plan": [{"year": 2026, "amount_sek": 39_999_999.5, "ssh_amount_sek": 1}]},
        {"yearly_plan": [{"year": 2026, "amount_sek": "40000000", "ssh_amount_sek": 1}]},
        {"yearly_plan": [{"year": 2026, "amount_sek": 0, "ssh_amount_sek": 0}]},
        {"yearly_plan": [{"year": 2026, "amount_sek": 1, "ssh_amount_sek": -1}]},
        {"yearly_plan": []},
        {"starts_on": "not a date"},
        {"call_id": "../calls"},
        {"agency": "vinnova"},
        {"status": "active"},
    ],
)
def test_malformed_bodies_are_refused(
    vr: httpx.Client, call: dict[str, Any], cluster: dict[str, Any], overrides: dict[str, Any]
) -> None:
    problem(vr.post("/v1/grants", json=grant_body(call, cluster, **overrides)), 422)
    assert _grants(vr) == []


def test_the_call_must_be_the_agencys_own_and_closed_or_decided(
    vr: httpx.Client, vinnova: httpx.Client, cluster: dict[str, Any]
) -> None:
    published = make_call(vr, until="published")
    body = problem(vr.post("/v1/grants", json=grant_body(published, cluster)), 422)
    assert (body["type"], body["call_status"]) == ("/problems/call-not-usable", "published")
    theirs = make_call(vinnova, until="closed")
    problem(vr.post("/v1/grants", json=grant_body(theirs, cluster)), 422)
    problem(vr.post("/v1/grants", json=grant_body({"id": "no-such-call"}, cluster)), 422)
    assert _grants(vr) == []
    decided = make_call(vr, until="decided")
    assert (
        ok(vr.post("/v1/grants", json=grant_body(decided, cluster)), 201)["call_id"]
        == decided["id"]
    )


def test_the_cluster_must_exist(vr: httpx.Client, call: dict[str, Any]) -> None:
    body = problem(vr.post("/v1/grants", json=grant_body(call, {"id": "nope"})), 422)
    assert body["type"] == "/problems/cluster-unknown"
    assert _grants(vr) == []


def test_either_agency_funds_a_cluster_but_vinnova_only_in_its_areas_r14(
    vr: httpx.Client, vinnova: httpx.Client
) -> None:
    appropriate(vinnova, "vinnova", 2026, 10**9)
    vinnova_call = make_call(vinnova, max_award_sek=100_000_000)
    shared = make_cluster(vr, technology_area="quantum")
    grant = ok(vinnova.post("/v1/grants", json=grant_body(vinnova_call, shared)), 201)
    assert (grant["agency"], grant["cluster_id"]) == ("vinnova", shared["id"])
    space = make_cluster(vr, technology_area="space")
    problem(vinnova.post("/v1/grants", json=grant_body(vinnova_call, space)), 422, rule="R14")
    assert len(_grants(vinnova)) == 1


def test_r7_plans_stay_within_the_years_appropriation(
    vr: httpx.Client, vinnova: httpx.Client
) -> None:
    appropriate(vinnova, "vinnova", 2026, 60_000_000)
    call = make_call(vinnova, max_award_sek=100_000_000)
    cluster = make_cluster(vinnova)
    ok(vinnova.post("/v1/grants", json=grant_body(call, cluster)), 201)
    body = problem(vinnova.post("/v1/grants", json=grant_body(call, cluster)), 422, rule="R7")
    assert (body["appropriation_sek"], body["already_planned_sek"]) == (60_000_000, 40_000_000)
    assert len(_grants(vinnova)) == 1
    # A year without an appropriation yet is checked when money is committed, not here.
    later = grant_body(
        call, cluster, yearly_plan=plan(2027), starts_on="2027-01-01", ends_on="2027-12-31"
    )
    ok(vinnova.post("/v1/grants", json=later), 201)


def test_lists_filter_and_page_and_show_an_agency_only_its_own(
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    call: dict[str, Any],
    cluster: dict[str, Any],
) -> None:
    first = make_grant(vr, call, cluster)
    other_cluster = make_cluster(vr, technology_area="energy")
    second = make_grant(
        vr,
        call,
        other_cluster,
        yearly_plan=plan(2027),
        starts_on="2027-01-01",
        ends_on="2027-12-31",
    )
    appropriate(vinnova, "vinnova", 2026, 10**9)
    theirs = make_grant(vinnova, make_call(vinnova, max_award_sek=10**8), make_cluster(vinnova))

    def ids(client: httpx.Client, **params: Any) -> list[str]:
        return [g["id"] for g in _grants(client, **params)]

    assert ids(vr) == [first["id"], second["id"]]
    assert ids(vinnova) == [theirs["id"]]
    assert ids(office) == [first["id"], second["id"], theirs["id"]]
    assert ids(office, agency="vinnova") == [theirs["id"]]
    assert ids(vr, agency="vinnova") == []
    assert ids(vr, cluster_id=other_cluster["id"]) == [second["id"]]
    assert ids(vr, call_id=call["id"]) == [first["id"], second["id"]]
    assert ids(office, year=2026) == [first["id"], theirs["id"]]
    assert ids(vr, technology_area="energy") == [second["id"]]
    assert ids(vr, status="awarded") == [first["id"], second["id"]]
    assert ids(vr, status="terminated") == []
    assert ids(vr, registration_number=first["registration_number"]) == [first["id"]]
    page = vr.get("/v1/grants", params={"limit": 1})
    assert [g["id"] for g in ok(page)["items"]] == [first["id"]]
    assert 'rel="next"' in page.headers["link"]
    rest = ok(vr.get("/v1/grants", params={"limit": 1, "cursor": ok(page)["next_cursor"]}))
    assert [g["id"] for g in rest["items"]] == [second["id"]]
    problem(vr.get("/v1/grants", params={"cursor": "garbage!"}), 422)


def test_another_agencys_grant_is_not_there(
    vr: httpx.Client,
    vinnova: httpx.Client,
    government: httpx.Client,
    office: httpx.Client,
    call: dict[str, Any],
    cluster: dict[str, Any],
) -> None:
    grant = make_grant(vr, call, cluster)
    problem(vinnova.get(f"/v1/grants/{grant['id']}"), 404)
    problem(government.get(f"/v1/grants/{grant['id']}"), 403)
    problem(government.get("/v1/grants"), 403)
    problem(office.post("/v1/grants", json=grant_body(call, cluster)), 403)
    problem(vr.get("/v1/grants/nope"), 404)
