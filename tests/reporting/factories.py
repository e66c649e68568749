"""Hand-made aggregates, shaped like the owners' answers (docs/internal-api.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.reporting import aggregates as up
from services.reporting.annual.builder import Gathered, build
from services.reporting.annual.content import ReportContent
from services.reporting.planning.parts import PlanningRecord

MSEK = 1_000_000
AS_OF = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def call(**overrides: Any) -> dict[str, Any]:
    return {
        "id": "c-1",
        "agency": "vr",
        "stage": "establishment",
        "status": "published",
        "technology_areas": ["ai"],
        "trl_min": 1,
        "trl_max": 9,
        "budget_sek": 500 * MSEK,
        "max_award_sek": 50 * MSEK,
        "opens_at": "2026-03-01T09:00:00Z",
        "closes_at": "2026-05-01T14:00:00Z",
        **overrides,
    }


def calls_aggregate(
    year: int = 2026, calls: list[dict[str, Any]] | None = None, **overrides: Any
) -> up.CallsAggregate:
    listed = [call()] if calls is None else calls
    covered = sorted({lvl for c in listed for lvl in range(c["trl_min"], c["trl_max"] + 1)})
    document = {
        "year": year,
        "as_of": AS_OF.isoformat(),
        "calls": listed,
        "by_agency_stage": [
            {"agency": c["agency"], "stage": c["stage"], "calls": 1, "budget_sek": c["budget_sek"]}
            for c in listed
        ],
        "trl_coverage": {
            "covered": covered,
            "missing": [lvl for lvl in range(1, 10) if lvl not in covered],
            "by_level": {
                str(lvl): sorted(
                    {c["agency"] for c in listed if c["trl_min"] <= lvl <= c["trl_max"]}
                )
                for lvl in covered
            },
        },
        "sources": {"by_agency_stage": "SELECT calls", "calls": "SELECT call list"},
        **overrides,
    }
    return up.CallsAggregate.model_validate(document)


def cluster(**overrides: Any) -> dict[str, Any]:
    return {
        "cluster_id": "k-1",
        "name": "Kvantkluster Uppsala",
        "technology_area": "quantum",
        "lead_hei": "Uppsala universitet",
        "heis": ["Uppsala universitet", "KTH"],
        "hei_count": 2,
        "planned_sek": 40 * MSEK,
        "ssh_sek": 2 * MSEK,
        "planned_by_agency": {"vr": 40 * MSEK},
        "grants": 1,
        "establishment_grants": 1,
        "years_without_ssh": [],
        **overrides,
    }


def appropriation(agency: str = "vr", year: int = 2026, **overrides: Any) -> dict[str, Any]:
    return {
        "agency": agency,
        "year": year,
        "code": "UO16 3:1 ap.5" if agency == "vr" else "UO24 1:5",
        "amount_sek": 265 * MSEK,
        "status": "estimate",
        "committed_sek": 40 * MSEK,
        "disbursed_sek": 10 * MSEK,
        "recovered_sek": 0,
        "net_disbursed_sek": 10 * MSEK,
        **overrides,
    }


def grants_aggregate(year: int = 2026, **overrides: Any) -> up.GrantsAggregate:
    document: dict[str, Any] = {
        "year": year,
        "as_of": AS_OF.isoformat(),
        "appropriations": [appropriation(year=year)],
        "by_technology_area": [
            {
                "technology_area": "quantum",
                "grants": 1,
                "planned_sek": 40 * MSEK,
                "committed_sek": 40 * MSEK,
                "net_disbursed_sek": 10 * MSEK,
            }
        ],
        "clusters": [cluster()],
        "graduate_schools": [],
        "partners_by_review": [],
        "partners": [],
        "planning_grants": [],
        "sources": {"appropriations": "SELECT appropriations", "clusters": "SELECT clusters"},
        **overrides,
    }
    return up.GrantsAggregate.model_validate(document)


def report(
    year: int = 2026,
    *,
    as_of: datetime = AS_OF,
    calls: up.CallsAggregate | None = None,
    grants: up.GrantsAggregate | None = None,
    planning: list[PlanningRecord] | None = None,
) -> ReportContent:
    return build(
        Gathered(
            year=year,
            as_of=as_of,
            calls=calls or calls_aggregate(year),
            grants=grants or grants_aggregate(year),
            planning=planning or [],
            provenance={
                "calls.request": f"GET calls /internal/v1/report/calls?year={year}",
                "grants.request": f"GET grants /internal/v1/report/annual?year={year}",
                "reporting.planning_reports": "SELECT planning",
            },
        )
    )


def rule(content: ReportContent, number: str) -> Any:
    return next(r for r in content.rules if r.rule == number)
