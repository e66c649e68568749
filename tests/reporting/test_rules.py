"""Each rule's status from hand-made aggregates, flipping exactly at its threshold."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.reporting.planning.parts import PARTS, PlanningRecord
from tests.reporting.factories import (
    MSEK,
    appropriation,
    call,
    calls_aggregate,
    cluster,
    grants_aggregate,
    report,
    rule,
)


def test_every_rule_r1_to_r12_has_a_status() -> None:
    content = report()
    assert [r.rule for r in content.rules] == [f"R{n}" for n in range(1, 13)]
    for status in content.rules:
        assert status.status in {"met", "not_met", "not_applicable"}
        assert status.title.sv
        assert status.title.en
        assert status.detail.sv
        assert status.detail.en


@pytest.mark.parametrize(("planned", "expected"), [(40 * MSEK, "met"), (40 * MSEK - 1, "not_met")])
def test_r1_flips_at_40_msek_per_cluster(planned: int, expected: str) -> None:
    content = report(
        grants=grants_aggregate(
            clusters=[cluster(), cluster(cluster_id="k-2", name="AI Lund", planned_sek=planned)]
        )
    )
    status = rule(content, "R1")
    assert status.status == expected
    if expected == "not_met":
        assert status.findings == [
            {
                "cluster_id": "k-2",
                "name": "AI Lund",
                "year": 2026,
                "planned_sek": planned,
                "shortfall_sek": 1,
            }
        ]


def test_r1_r3_r5_ignore_clusters_funded_only_by_planning_grants() -> None:
    planning_only = cluster(planned_sek=1_200_000, ssh_sek=0, hei_count=1, establishment_grants=0)
    content = report(grants=grants_aggregate(clusters=[planning_only]))
    for number in ("R1", "R3", "R5"):
        assert rule(content, number).status == "not_applicable"


@pytest.mark.parametrize(
    ("year", "committed", "expected"),
    [
        (2027, 0, "not_applicable"),
        (2028, 100 * MSEK, "met"),
        (2028, 100 * MSEK - 1, "not_met"),
        (2031, 150 * MSEK, "met"),
    ],
)
def test_r2_applies_from_2028_and_flips_at_100_msek(
    year: int, committed: int, expected: str
) -> None:
    areas = [
        {
            "technology_area": "ai",
            "grants": 3,
            "planned_sek": committed,
            "committed_sek": committed,
            "net_disbursed_sek": 0,
        }
    ]
    content = report(year, grants=grants_aggregate(year, by_technology_area=areas))
    status = rule(content, "R2")
    assert status.status == expected
    assert content.ai.committed_sek == committed
    if expected == "not_met":
        assert status.findings[0]["shortfall_sek"] == 1


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "met"),
        ({"ssh_sek": 0}, "not_met"),
        ({"years_without_ssh": [2026]}, "not_met"),
        # a planning year without SSH, or another year's plan, is not this report's concern
        ({"years_without_ssh": [2025, 2027]}, "met"),
    ],
)
def test_r3_needs_ssh_in_every_cluster_in_the_year(
    overrides: dict[str, object], expected: str
) -> None:
    content = report(grants=grants_aggregate(clusters=[cluster(**overrides)]))
    assert rule(content, "R3").status == expected


def school(kind: str, hei_hei: int = 1, hei_industry: int = 1) -> dict[str, object]:
    return {
        "cluster_id": "k-1",
        "name": f"Forskarskola {kind}",
        "type": kind,
        "doctoral_students": 10,
        "mobility_placements": {"hei_hei": hei_hei, "hei_industry": hei_industry},
    }


def test_r4_needs_every_school_type_and_both_kinds_of_mobility() -> None:
    all_types = [school("ai"), school("groundbreaking_technology"), school("stem")]
    assert rule(report(grants=grants_aggregate(graduate_schools=all_types)), "R4").status == "met"

    two_types = report(grants=grants_aggregate(graduate_schools=all_types[:2]))
    status = rule(two_types, "R4")
    assert status.status == "not_met"
    assert status.findings == [{"missing_types": ["stem"], "missing_mobility": []}]

    no_industry = [school(k, hei_industry=0) for k in ("ai", "groundbreaking_technology", "stem")]
    status = rule(report(grants=grants_aggregate(graduate_schools=no_industry)), "R4")
    assert status.findings == [{"missing_types": [], "missing_mobility": ["hei_industry"]}]
    content = report(grants=grants_aggregate(graduate_schools=all_types))
    assert [(t.type, t.schools, t.doctoral_students) for t in content.graduate_schools.by_type] == [
        ("ai", 1, 10),
        ("groundbreaking_technology", 1, 10),
        ("stem", 1, 10),
    ]


def test_r4_is_not_applicable_before_any_cluster_is_established() -> None:
    content = report(grants=grants_aggregate(clusters=[]))
    assert rule(content, "R4").status == "not_applicable"


@pytest.mark.parametrize(("heis", "expected"), [(2, "met"), (1, "not_met")])
def test_r5_needs_two_institutions(heis: int, expected: str) -> None:
    content = report(grants=grants_aggregate(clusters=[cluster(hei_count=heis)]))
    assert rule(content, "R5").status == expected


def test_r6_lists_partners_without_a_completed_review() -> None:
    assert rule(report(), "R6").status == "not_applicable"
    partners = [
        {
            "cluster_id": "k-1",
            "organisation": "TU Delft",
            "country": "NL",
            "security_review": "cleared",
        },
        {
            "cluster_id": "k-1",
            "organisation": "Acme",
            "country": "US",
            "security_review": "restricted",
        },
    ]
    by_review = [
        {"security_review": "cleared", "partners": 1},
        {"security_review": "restricted", "partners": 1},
    ]
    content = report(grants=grants_aggregate(partners=partners, partners_by_review=by_review))
    assert rule(content, "R6").status == "met"
    pending = {
        "cluster_id": "k-1",
        "organisation": "Fraunhofer",
        "country": "DE",
        "security_review": "pending",
    }
    content = report(grants=grants_aggregate(partners=[*partners, pending]))
    status = rule(content, "R6")
    assert status.status == "not_met"
    assert status.findings == [pending]
    assert [
        (r.security_review, r.partners)
        for r in report(
            grants=grants_aggregate(partners_by_review=by_review)
        ).international_partners.by_review
    ] == [("cleared", 1), ("pending", 0), ("restricted", 1)]


@pytest.mark.parametrize(("net", "expected"), [(125 * MSEK, "met"), (125 * MSEK - 1, "not_met")])
def test_r7_vr_uses_125_msek_in_2025(net: int, expected: str) -> None:
    row = appropriation(
        year=2025,
        amount_sek=125 * MSEK,
        status="confirmed",
        committed_sek=125 * MSEK,
        disbursed_sek=net,
        net_disbursed_sek=net,
    )
    content = report(2025, grants=grants_aggregate(2025, appropriations=[row]))
    status = rule(content, "R7")
    assert status.status == expected
    if expected == "not_met":
        assert status.findings == [
            {
                "agency": "vr",
                "year": 2025,
                "net_disbursed_sek": net,
                "required_sek": 125 * MSEK,
                "shortfall_sek": 1,
            }
        ]


def test_r7_flags_commitments_beyond_the_appropriation() -> None:
    over = appropriation(committed_sek=265 * MSEK + 1)
    status = rule(report(grants=grants_aggregate(appropriations=[over])), "R7")
    assert status.status == "not_met"
    assert status.findings[0]["excess_sek"] == 1
    assert rule(report(grants=grants_aggregate(appropriations=[])), "R7").status == "not_applicable"


def test_r8_judges_vinnova_against_its_own_appropriation() -> None:
    assert rule(report(), "R8").status == "not_applicable"
    own = appropriation("vinnova", amount_sek=200 * MSEK, committed_sek=200 * MSEK)
    assert (
        rule(report(grants=grants_aggregate(appropriations=[appropriation(), own])), "R8").status
        == "met"
    )
    over = appropriation("vinnova", amount_sek=200 * MSEK, committed_sek=200 * MSEK + 1)
    assert (
        rule(report(grants=grants_aggregate(appropriations=[appropriation(), over])), "R8").status
        == "not_met"
    )
    without = appropriation("vinnova", amount_sek=None, committed_sek=1)
    assert (
        rule(
            report(grants=grants_aggregate(appropriations=[appropriation(), without])), "R8"
        ).status
        == "not_met"
    )


def test_r9_is_late_from_the_day_after_1_february_in_sweden() -> None:
    # 1 February 2027 ends at 23:00 UTC (CET is UTC+1)
    on_time = datetime(2027, 2, 1, 22, 59, 59, tzinfo=UTC)
    late = datetime(2027, 2, 1, 23, 0, tzinfo=UTC)
    assert rule(report(as_of=on_time), "R9").status == "not_applicable"
    status = rule(report(as_of=late), "R9")
    assert status.status == "not_met"
    assert status.findings == [{"year": 2026, "due_on": "2027-02-01", "submitted": False}]
    assert report().due_on.isoformat() == "2027-02-01"


def test_r10_needs_calls_spanning_trl_1_to_9() -> None:
    assert rule(report(calls=calls_aggregate(calls=[])), "R10").status == "not_applicable"
    assert rule(report(), "R10").status == "met"
    partial = calls_aggregate(
        calls=[call(trl_min=1, trl_max=4), call(id="c-2", trl_min=6, trl_max=9)]
    )
    status = rule(report(calls=partial), "R10")
    assert status.status == "not_met"
    assert status.findings == [{"year": 2026, "missing_levels": [5]}]


def test_r11_caps_stage_one_planning_calls_and_grants() -> None:
    vr = call(stage="planning", max_award_sek=1_200_000, opens_at="2025-09-01T09:00:00Z")
    vinnova = call(id="c-2", agency="vinnova", stage="planning", max_award_sek=1_500_000)
    ok = report(
        2025, calls=calls_aggregate(2025, calls=[vr, vinnova]), grants=grants_aggregate(2025)
    )
    assert rule(ok, "R11").status == "met"
    over = call(id="c-3", stage="planning", max_award_sek=1_200_001)
    status = rule(
        report(2025, calls=calls_aggregate(2025, calls=[vr, over]), grants=grants_aggregate(2025)),
        "R11",
    )
    assert status.status == "not_met"
    assert status.findings == [
        {"call_id": "c-3", "agency": "vr", "max_award_sek": 1_200_001, "cap_sek": 1_200_000}
    ]
    big_grant = {
        "grant_id": "g-1",
        "agency": "vinnova",
        "registration_number": "2025-00001",
        "total_sek": 1_500_001,
    }
    status = rule(report(2026, grants=grants_aggregate(planning_grants=[big_grant])), "R11")
    assert status.status == "not_met"
    assert rule(report(2027), "R11").status == "not_applicable"


def test_r12_after_31_march_2026_needs_every_part_of_every_report() -> None:
    grants = grants_aggregate(
        planning_grants=[
            {"grant_id": "g-1", "agency": "vr", "registration_number": "2025-00001"},
            {"grant_id": "g-2", "agency": "vinnova", "registration_number": "2025-00002"},
        ]
    )
    submitted = datetime(2026, 3, 1, tzinfo=UTC)
    complete = PlanningRecord("g-1", submitted, [])
    partial = PlanningRecord("g-2", submitted, ["security_implications"])
    before_due = datetime(2026, 3, 31, 21, 59, tzinfo=UTC)  # CEST: 23:59 in Sweden

    early = report(as_of=before_due, grants=grants, planning=[complete])
    assert rule(early, "R12").status == "not_applicable"
    assert early.planning.late is False

    status = rule(report(grants=grants, planning=[complete, partial]), "R12")
    assert status.status == "not_met"
    assert status.findings == [
        {
            "grant_id": "g-2",
            "agency": "vinnova",
            "registration_number": "2025-00002",
            "submitted": True,
            "missing_parts": ["security_implications"],
        }
    ]
    missing = rule(report(grants=grants, planning=[complete]), "R12")
    assert missing.findings[0]["missing_parts"] == list(PARTS)
    assert missing.findings[0]["submitted"] is False

    done = report(grants=grants, planning=[complete, PlanningRecord("g-2", submitted, [])])
    assert rule(done, "R12").status == "met"
    assert (done.planning.grants, done.planning.submitted, done.planning.complete) == (2, 2, 2)
