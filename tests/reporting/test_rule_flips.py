"""Each reported rule's status flips when real data crosses its threshold (all services)."""

from __future__ import annotations

import httpx

from tests.reporting.scenario import (
    MSEK,
    appropriate,
    book,
    build,
    call,
    cluster,
    grant,
    ok,
    patch_cluster,
    planning_call,
    rule,
)


def status(office: httpx.Client, year: int, number: str) -> str:
    found: str = rule(build(office, year), number)["status"]
    return found


def test_r1_flips_when_a_second_agency_tops_a_cluster_up_to_40_msek(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    k = cluster(vr, "Kvant Uppsala", area="quantum")
    grant(vr, call(vr, areas=("quantum",)), k, {2026: (40 * MSEK - 1, 1 * MSEK)})
    report = build(office, 2026)
    assert rule(report, "R1")["findings"][0]["shortfall_sek"] == 1
    grant(vinnova, call(vinnova, areas=("quantum",)), k, {2026: (1, 1)})
    assert status(office, 2026, "R1") == "met"


def test_r2_flips_when_2028_ai_commitments_reach_100_msek(
    vr: httpx.Client, office: httpx.Client
) -> None:
    assert status(office, 2027, "R2") == "not_applicable"
    g = grant(vr, call(vr), cluster(vr, "AI Linköping"), {2028: (100 * MSEK, 5 * MSEK)})
    book(vr, g["id"], "commitment", 100 * MSEK - 1, 2028)
    report = build(office, 2028)
    assert rule(report, "R2")["status"] == "not_met"
    assert report["report"]["ai"]["shortfall_sek"] == 1
    book(vr, g["id"], "commitment", 1, 2028)
    assert status(office, 2028, "R2") == "met"


def test_r4_flips_when_the_last_school_type_appears(vr: httpx.Client, office: httpx.Client) -> None:
    k = cluster(vr, "AI Umeå", school=("ai", 10, 2, 1))
    grant(vr, call(vr), k, {2026: (40 * MSEK, 2 * MSEK)})
    cluster(vr, "STEM Luleå", school=("stem", 5, 1, 1))
    findings = rule(build(office, 2026), "R4")["findings"]
    assert findings == [{"missing_types": ["groundbreaking_technology"], "missing_mobility": []}]
    cluster(vr, "Banbrytande Lund", area="materials", school=("groundbreaking_technology", 4, 1, 0))
    assert status(office, 2026, "R4") == "met"


def test_r5_flips_when_a_funded_cluster_is_left_with_one_institution(
    vr: httpx.Client, office: httpx.Client
) -> None:
    k = cluster(vr, "AI Örebro")
    grant(vr, call(vr), k, {2026: (40 * MSEK, 2 * MSEK)})
    assert status(office, 2026, "R5") == "met"
    patch_cluster(vr, k["id"], participating_heis=[])
    report = build(office, 2026)
    assert rule(report, "R5")["findings"] == [
        {"cluster_id": k["id"], "name": "AI Örebro", "hei_count": 1}
    ]


def test_r6_flips_when_the_pending_security_review_is_completed(
    vr: httpx.Client, office: httpx.Client
) -> None:
    assert status(office, 2026, "R6") == "not_applicable"
    k = cluster(vr, "AI Malmö", partners=(("Fraunhofer", "DE", "pending"),))
    report = build(office, 2026)
    assert rule(report, "R6")["findings"] == [
        {
            "cluster_id": k["id"],
            "organisation": "Fraunhofer",
            "country": "DE",
            "security_review": "pending",
        }
    ]
    patch_cluster(
        vr,
        k["id"],
        international_partners=[
            {"organisation": "Fraunhofer", "country": "DE", "security_review": "cleared"}
        ],
    )
    assert status(office, 2026, "R6") == "met"


def test_r7_flips_when_vr_has_used_125_msek_in_2025(vr: httpx.Client, office: httpx.Client) -> None:
    g = grant(vr, call(vr), cluster(vr, "AI Karlstad"), {2025: (125 * MSEK, 5 * MSEK)})
    book(vr, g["id"], "commitment", 125 * MSEK, 2025)
    book(vr, g["id"], "disbursement", 125 * MSEK - 1, 2025)
    findings = rule(build(office, 2025), "R7")["findings"]
    assert findings == [
        {
            "agency": "vr",
            "year": 2025,
            "net_disbursed_sek": 125 * MSEK - 1,
            "required_sek": 125 * MSEK,
            "shortfall_sek": 1,
        }
    ]
    book(vr, g["id"], "disbursement", 1, 2025)
    assert status(office, 2025, "R7") == "met"


def test_r8_applies_once_vinnova_enters_its_appropriation(
    vinnova: httpx.Client, office: httpx.Client
) -> None:
    assert status(office, 2027, "R8") == "not_applicable"
    appropriate(vinnova, "vinnova", 2027, 300 * MSEK)
    report = build(office, 2027)
    assert rule(report, "R8")["status"] == "met"
    vinnova_row = next(
        a for a in report["report"]["finances"]["agencies"] if a["agency"] == "vinnova"
    )
    assert (vinnova_row["appropriation_sek"], vinnova_row["appropriation_status"]) == (
        300 * MSEK,
        "confirmed",
    )


def test_r9_a_report_built_after_its_due_date_was_late(office: httpx.Client) -> None:
    # the 2025 report was due on 1 February 2026; every build since then is late
    late = rule(build(office, 2025), "R9")
    assert late["status"] == "not_met"
    assert late["findings"] == [{"year": 2025, "due_on": "2026-02-01", "submitted": False}]


def test_r10_flips_when_a_call_covers_the_missing_levels(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    assert status(office, 2026, "R10") == "not_applicable"
    call(vr, trl=(1, 4))
    call(vinnova, trl=(6, 9), until="ready")  # not published: does not count
    assert rule(build(office, 2026), "R10")["findings"] == [
        {"year": 2026, "missing_levels": [5, 6, 7, 8, 9]}
    ]
    call(vinnova, trl=(5, 9))
    assert status(office, 2026, "R10") == "met"


def test_r11_flips_when_a_2025_planning_call_allows_more_than_the_cap(
    vr: httpx.Client, office: httpx.Client
) -> None:
    planning_call(vr, 1_200_000)
    assert status(office, 2025, "R11") == "met"
    over = planning_call(vr, 1_200_001)
    assert rule(build(office, 2025), "R11")["findings"] == [
        {"call_id": over["id"], "agency": "vr", "max_award_sek": 1_200_001, "cap_sek": 1_200_000}
    ]


def test_r12_flips_when_every_planning_report_is_complete(
    vr: httpx.Client, office: httpx.Client
) -> None:
    k = cluster(vr, "Spatial omik", others=("Karolinska Institutet",))
    g = grant(vr, planning_call(vr, 1_200_000), k, {2025: (1_200_000, 0)})
    report = build(office, 2026)
    assert rule(report, "R12")["findings"] == [
        {
            "grant_id": g["id"],
            "agency": "vr",
            "registration_number": g["registration_number"],
            "submitted": False,
            "missing_parts": [
                "field_analysis",
                "collaboration_strategy",
                "societal_impact",
                "security_implications",
            ],
        }
    ]
    assert report["report"]["planning"]["late"] is True
    parts = {
        "field_analysis": "Fältet.",
        "collaboration_strategy": "Samverkan.",
        "societal_impact": {"assessment": "Påverkan."},
    }
    ok(vr.put(f"/v1/reports/planning/{g['id']}", json=parts), 201)
    assert rule(build(office, 2026), "R12")["findings"][0]["missing_parts"] == [
        "security_implications"
    ]
    parts["societal_impact"] = {"assessment": "Påverkan.", "security_implications": "Risker."}
    ok(vr.put(f"/v1/reports/planning/{g['id']}", json=parts))
    report = build(office, 2026)
    assert rule(report, "R12")["status"] == "met"
    assert rule(report, "R11")["status"] == "met"
    planning = report["report"]["planning"]
    assert (planning["grants"], planning["submitted"], planning["complete"]) == (1, 1, 1)
    # the 2025 report lists the grant too (its plan year), the 2027 report does not
    assert build(office, 2025)["report"]["planning"]["grants"] == 1
    assert rule(build(office, 2027), "R12")["status"] == "not_applicable"
