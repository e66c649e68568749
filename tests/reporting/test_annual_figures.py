"""A year of calls and grants of both agencies, through all three services: the report's
figures equal sums computed here from what was entered, and the snapshot is reproducible."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from tests.harness import Stack
from tests.reporting.scenario import (
    MSEK,
    appropriate,
    book,
    build,
    call,
    cluster,
    grant,
    ok,
    rule,
    rules,
)


def year_2026(vr: httpx.Client, vinnova: httpx.Client) -> dict[str, Any]:
    """Two calls, two clusters, four grants, ledger entries; returns what was entered."""
    c_vr = call(vr, areas=("ai", "quantum"), trl=(1, 5), budget_sek=1000 * MSEK)
    c_vin = call(
        vinnova,
        areas=("ai", "quantum"),
        trl=(4, 9),
        budget_sek=600 * MSEK,
        max_award_sek=200 * MSEK,
        opens_at="2026-03-16T09:00:00+01:00",
    )
    k_ai = cluster(
        vr,
        "AI Stockholm",
        area="ai",
        partners=(("TU München", "DE", "cleared"), ("Acme Labs", "US", "pending")),
        school=("ai", 12, 3, 2),
    )
    k_q = cluster(
        vinnova,
        "Kvant Göteborg",
        area="quantum",
        lead="Chalmers",
        others=("Göteborgs universitet", "Lunds universitet"),
        partners=(("TU Delft", "NL", "restricted"),),
        school=("stem", 8, 1, 4),
    )
    appropriate(vinnova, "vinnova", 2026, 200 * MSEK)
    grants = {
        "g1": (
            vr,
            grant(vr, c_vr, k_ai, {2026: (30 * MSEK, 2 * MSEK), 2027: (40 * MSEK, 2 * MSEK)}),
        ),
        "g2": (vinnova, grant(vinnova, c_vin, k_ai, {2026: (15 * MSEK, 1 * MSEK)})),
        "g3": (vr, grant(vr, c_vr, k_q, {2026: (35 * MSEK, 3 * MSEK)})),
    }
    ledger = [  # (grant, kind, amount) for 2026
        ("g1", "commitment", 30 * MSEK),
        ("g1", "disbursement", 10 * MSEK),
        ("g1", "recovery", 1 * MSEK),
        ("g2", "commitment", 15 * MSEK),
        ("g2", "disbursement", 5 * MSEK),
        ("g3", "commitment", 35 * MSEK),
        ("g3", "disbursement", 20 * MSEK),
    ]
    for name, kind, amount in ledger:
        client, made = grants[name]
        book(client, made["id"], kind, amount, 2026)
    # a 2027 entry that the 2026 report must not count
    book(vr, grants["g1"][1]["id"], "commitment", 40 * MSEK, 2027)
    return {
        "calls": [c_vr, c_vin],
        "clusters": {"ai": k_ai, "q": k_q},
        "grants": {k: g for k, (_, g) in grants.items()},
        "ledger": ledger,
    }


def sums(
    entered: dict[str, Any], agency: str | None = None, area: str | None = None
) -> dict[str, int]:
    """The 2026 ledger sums, computed from the entries made, optionally for one agency/area."""
    totals = {"commitment": 0, "disbursement": 0, "recovery": 0}
    for name, kind, amount in entered["ledger"]:
        made = entered["grants"][name]
        if agency in (None, made["agency"]) and area in (None, made["technology_area"]):
            totals[kind] += amount
    return totals


def test_the_report_figures_equal_the_sums_of_what_was_entered(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    entered = year_2026(vr, vinnova)
    response = office.post("/v1/reports/annual/2026")
    built = ok(response, 201)
    assert response.headers["location"] == "/v1/reports/annual/2026?version=1"
    report = built["report"]

    finances = {a["agency"]: a for a in report["finances"]["agencies"]}
    for agency, appropriation in (("vr", 265 * MSEK), ("vinnova", 200 * MSEK)):
        expected = sums(entered, agency)
        row = finances[agency]
        assert row["appropriation_sek"] == appropriation
        assert row["committed_sek"] == expected["commitment"]
        assert row["disbursed_sek"] == expected["disbursement"]
        assert row["recovered_sek"] == expected["recovery"]
        assert row["net_disbursed_sek"] == expected["disbursement"] - expected["recovery"]
        assert row["uncommitted_sek"] == appropriation - expected["commitment"]
    assert finances["vr"]["appropriation_code"] == "UO16 3:1 ap.5"

    plans = {name: g["yearly_plan"] for name, g in entered["grants"].items()}
    planned_2026 = {
        name: next(p["amount_sek"] for p in plan if p["year"] == 2026)
        for name, plan in plans.items()
    }
    areas = {a["technology_area"]: a for a in report["technology_areas"]["areas"]}
    for area, members in (("ai", ["g1", "g2"]), ("quantum", ["g3"])):
        expected = sums(entered, area=area)
        assert areas[area]["grants"] == len(members)
        assert areas[area]["planned_sek"] == sum(planned_2026[m] for m in members)
        assert areas[area]["committed_sek"] == expected["commitment"]
        assert areas[area]["net_disbursed_sek"] == expected["disbursement"] - expected["recovery"]
    assert report["ai"]["committed_sek"] == areas["ai"]["committed_sek"]
    assert report["ai"]["target_sek"] == 100 * MSEK

    clusters = {c["name"]: c for c in report["clusters"]["clusters"]}
    ai, q = clusters["AI Stockholm"], clusters["Kvant Göteborg"]
    assert ai["planned_sek"] == planned_2026["g1"] + planned_2026["g2"]
    assert ai["planned_by_agency"] == {"vinnova": planned_2026["g2"], "vr": planned_2026["g1"]}
    assert ai["ssh_sek"] == 2 * MSEK + 1 * MSEK
    assert (ai["grants"], ai["establishment_grants"], ai["hei_count"]) == (2, 2, 2)
    assert q["planned_sek"] == planned_2026["g3"]
    assert q["hei_count"] == 3
    assert q["shortfall_sek"] == 40 * MSEK - planned_2026["g3"]

    calls = report["calls"]
    assert calls["published"] == 2
    assert sorted(
        (r["agency"], r["stage"], r["calls"], r["budget_sek"]) for r in calls["by_agency_stage"]
    ) == [("vinnova", "establishment", 1, 600 * MSEK), ("vr", "establishment", 1, 1000 * MSEK)]
    assert calls["trl_covered"] == list(range(1, 10))

    schools = {t["type"]: t for t in report["graduate_schools"]["by_type"]}
    assert (schools["ai"]["schools"], schools["ai"]["doctoral_students"]) == (1, 12)
    assert (schools["stem"]["mobility_hei_hei"], schools["stem"]["mobility_hei_industry"]) == (1, 4)
    assert schools["groundbreaking_technology"]["schools"] == 0
    reviews = {
        r["security_review"]: r["partners"] for r in report["international_partners"]["by_review"]
    }
    assert reviews == {"cleared": 1, "pending": 1, "restricted": 1}

    assert rules(built) == {
        "R1": "not_met",
        "R2": "not_applicable",
        "R3": "met",
        "R4": "not_met",
        "R5": "met",
        "R6": "not_met",
        "R7": "met",
        "R8": "met",
        "R9": "not_applicable",
        "R10": "met",
        "R11": "not_applicable",
        "R12": "not_applicable",
    }
    assert rule(built, "R1")["findings"] == [
        {
            "cluster_id": entered["clusters"]["q"]["id"],
            "name": "Kvant Göteborg",
            "year": 2026,
            "planned_sek": 35 * MSEK,
            "shortfall_sek": 5 * MSEK,
        }
    ]


def test_each_section_is_traceable_to_the_query_that_produced_it(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    year_2026(vr, vinnova)
    report = build(office, 2026)["report"]
    sources = report["sources"]
    for name in (
        "finances",
        "calls",
        "technology_areas",
        "ai",
        "clusters",
        "graduate_schools",
        "international_partners",
        "planning",
    ):
        assert report[name]["source"], name
        for key in report[name]["source"]:
            assert sources[key], key
    assert "SELECT" in sources["grants.appropriations"].upper()
    assert "SELECT" in sources["calls.by_agency_stage"].upper()
    assert "SELECT" in sources["reporting.planning_reports"].upper()
    assert sources["grants.request"].startswith("GET grants /internal/v1/report/annual?year=2026")


def canonical(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_the_checksum_hashes_the_content_and_the_same_as_of_gives_the_same_one(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    year_2026(vr, vinnova)
    first = build(office, 2026)
    assert first["checksum"] == hashlib.sha256(canonical(first["report"])).hexdigest()
    as_of = first["as_of"]

    vr_call = call(vr, trl=(1, 2))  # recorded after as_of
    again = build(office, 2026, as_of=as_of)
    assert (again["version"], again["checksum"]) == (2, first["checksum"])
    assert again["report"] == first["report"]
    assert again["built_at"] > first["built_at"]

    # the same instant written in Swedish time is the same snapshot
    instant = datetime.fromisoformat(as_of).astimezone(timezone(timedelta(hours=1)))
    assert build(office, 2026, as_of=instant.isoformat())["checksum"] == first["checksum"]

    later = build(office, 2026)
    assert later["checksum"] != first["checksum"]
    assert later["report"]["calls"]["published"] == 3
    assert vr_call["id"] in {c["id"] for c in later["report"]["calls"]["calls"]}

    versions = ok(office.get("/v1/reports/annual/2026/versions"))["items"]
    assert [(v["version"], v["checksum"]) for v in versions] == [
        (4, later["checksum"]),
        (3, first["checksum"]),
        (2, first["checksum"]),
        (1, first["checksum"]),
    ]
    old = ok(office.get("/v1/reports/annual/2026", params={"version": 1}))
    assert old["report"] == first["report"]
    assert ok(office.get("/v1/reports/annual/2026"))["version"] == 4


def test_as_of_in_the_future_or_without_zone_is_refused_and_nothing_is_stored(
    office: httpx.Client, stack: Stack
) -> None:
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = office.post("/v1/reports/annual/2026", json={"as_of": future})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    naive = office.post("/v1/reports/annual/2026", json={"as_of": "2026-01-01T00:00:00"})
    assert naive.status_code == 422
    unknown = office.post("/v1/reports/annual/2026", json={"asof": "2026-01-01T00:00:00Z"})
    assert unknown.status_code == 422
    assert office.post("/v1/reports/annual/2024").status_code == 422
    assert office.get("/v1/reports/annual/2026").status_code == 404
