"""The annual report from the two aggregates and the planning reports: pure functions.

No I/O here, so every figure and every rule status can be tested with hand-made inputs.
The owners compute the sums in SQL; this module arranges them, fills in what is implied
(both agencies always appear; every graduate-school type and review status is listed, with
zeros) and sorts everything by a stable key so that the canonical JSON is stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.reporting import aggregates as up
from services.reporting.annual import content as c
from services.reporting.annual.rules import (
    AI_TARGET_FROM_YEAR,
    AI_TARGET_SEK,
    CLUSTER_TARGET_SEK,
    REVIEW_STATUSES,
    RULES_VERSION,
    SCHOOL_TYPES,
    evaluate,
)
from services.reporting.deadlines import PLANNING_DUE_ON, annual_due_on, is_late
from services.reporting.planning.parts import PARTS, PlanningRecord

AGENCIES = ("vr", "vinnova")


@dataclass(frozen=True)
class Gathered:
    """Everything a report is built from, read at one `as_of`."""

    year: int
    as_of: datetime
    calls: up.CallsAggregate
    grants: up.GrantsAggregate
    planning: Sequence[PlanningRecord]
    # where each input came from: the requests made and our own planning query
    provenance: Mapping[str, str]


def build(gathered: Gathered) -> c.ReportContent:
    sources = _sources(gathered)
    draft = c.ReportContent(
        year=gathered.year,
        as_of=gathered.as_of,
        rules_version=RULES_VERSION,
        due_on=annual_due_on(gathered.year),
        finances=_finances(gathered.grants, sources),
        calls=_calls(gathered.calls, sources),
        technology_areas=_technology_areas(gathered.grants, sources),
        ai=_ai(gathered.year, gathered.grants, sources),
        clusters=_clusters(gathered.grants, sources),
        graduate_schools=_graduate_schools(gathered.grants, sources),
        international_partners=_partners(gathered.grants, sources),
        planning=_planning(gathered, sources),
        rules=[],
        sources=sources,
    )
    return draft.model_copy(update={"rules": evaluate(draft)})


def _sources(gathered: Gathered) -> dict[str, str]:
    sources = dict(gathered.provenance)
    sources.update({f"calls.{k}": v for k, v in gathered.calls.sources.items()})
    sources.update({f"grants.{k}": v for k, v in gathered.grants.sources.items()})
    return sources


def _cite(sources: Mapping[str, str], *keys: str) -> list[str]:
    """The section's sources: the owner's queries where it named them, and the request."""
    service = keys[0].split(".", 1)[0]
    return [k for k in keys if k in sources] + [f"{service}.request"]


def _finances(grants: up.GrantsAggregate, sources: Mapping[str, str]) -> c.Finances:
    by_agency = {a.agency: a for a in grants.appropriations}
    agencies = []
    for agency in sorted(set(AGENCIES) | set(by_agency)):
        row = by_agency.get(agency) or up.Appropriation(agency=agency, year=grants.year)
        agencies.append(
            c.AgencyFinances(
                agency=agency,
                appropriation_code=row.code,
                appropriation_sek=row.amount_sek,
                appropriation_status=row.status,
                committed_sek=row.committed_sek,
                disbursed_sek=row.disbursed_sek,
                recovered_sek=row.recovered_sek,
                net_disbursed_sek=row.net_disbursed_sek,
                uncommitted_sek=None
                if row.amount_sek is None
                else row.amount_sek - row.committed_sek,
            )
        )
    return c.Finances(agencies=agencies, source=_cite(sources, "grants.appropriations"))


def _calls(calls: up.CallsAggregate, sources: Mapping[str, str]) -> c.Calls:
    lines = sorted(
        (
            c.CallLine(
                id=call.id,
                agency=call.agency,
                stage=call.stage,
                status=call.status,
                technology_areas=sorted(call.technology_areas),
                trl_min=call.trl_min,
                trl_max=call.trl_max,
                budget_sek=call.budget_sek,
                max_award_sek=call.max_award_sek,
            )
            for call in calls.calls
        ),
        key=lambda line: line.id,
    )
    by_level = {int(level): agencies for level, agencies in calls.trl_coverage.by_level.items()}
    return c.Calls(
        published=len(lines),
        by_agency_stage=sorted(
            (c.CallsByAgencyStage(**row.model_dump()) for row in calls.by_agency_stage),
            key=lambda row: (row.agency, row.stage),
        ),
        trl_covered=sorted(calls.trl_coverage.covered),
        trl_missing=sorted(calls.trl_coverage.missing),
        trl_by_level=[
            c.TrlLevel(level=level, agencies=sorted(by_level.get(level, [])))
            for level in range(1, 10)
        ],
        calls=lines,
        source=_cite(sources, "calls.by_agency_stage", "calls.trl_coverage", "calls.calls"),
    )


def _technology_areas(grants: up.GrantsAggregate, sources: Mapping[str, str]) -> c.TechnologyAreas:
    return c.TechnologyAreas(
        areas=sorted(
            (c.TechnologyArea(**row.model_dump()) for row in grants.by_technology_area),
            key=lambda row: row.technology_area,
        ),
        source=_cite(sources, "grants.by_technology_area"),
    )


def _ai(year: int, grants: up.GrantsAggregate, sources: Mapping[str, str]) -> c.Ai:
    ai = next(
        (row for row in grants.by_technology_area if row.technology_area == "ai"),
        up.TechnologyAreaFigures(technology_area="ai"),
    )
    return c.Ai(
        planned_sek=ai.planned_sek,
        committed_sek=ai.committed_sek,
        net_disbursed_sek=ai.net_disbursed_sek,
        target_sek=AI_TARGET_SEK,
        target_from_year=AI_TARGET_FROM_YEAR,
        target_applies=year >= AI_TARGET_FROM_YEAR,
        shortfall_sek=max(0, AI_TARGET_SEK - ai.committed_sek),
        source=_cite(sources, "grants.by_technology_area"),
    )


def _clusters(grants: up.GrantsAggregate, sources: Mapping[str, str]) -> c.Clusters:
    clusters = [
        c.Cluster(
            cluster_id=row.cluster_id,
            name=row.name,
            technology_area=row.technology_area,
            lead_hei=row.lead_hei,
            heis=sorted(row.heis),
            hei_count=row.hei_count,
            grants=row.grants,
            establishment_grants=row.establishment_grants,
            planned_sek=row.planned_sek,
            planned_by_agency=dict(sorted(row.planned_by_agency.items())),
            ssh_sek=row.ssh_sek,
            years_without_ssh=sorted(row.years_without_ssh),
            shortfall_sek=max(0, CLUSTER_TARGET_SEK - row.planned_sek),
        )
        for row in grants.clusters
    ]
    return c.Clusters(
        target_sek=CLUSTER_TARGET_SEK,
        clusters=sorted(clusters, key=lambda row: row.cluster_id),
        source=_cite(
            sources,
            "grants.clusters",
            "grants.cluster_plans_by_agency",
            "grants.cluster_years_without_ssh",
            "grants.cluster_heis",
        ),
    )


def _graduate_schools(grants: up.GrantsAggregate, sources: Mapping[str, str]) -> c.GraduateSchools:
    schools = sorted(
        (
            c.GraduateSchool(
                cluster_id=row.cluster_id,
                name=row.name,
                type=row.type,
                doctoral_students=row.doctoral_students,
                mobility_hei_hei=row.mobility_placements.hei_hei,
                mobility_hei_industry=row.mobility_placements.hei_industry,
            )
            for row in grants.graduate_schools
        ),
        key=lambda row: (row.cluster_id, row.name),
    )
    types = sorted(set(SCHOOL_TYPES) | {s.type for s in schools})
    return c.GraduateSchools(
        by_type=[_school_type(kind, [s for s in schools if s.type == kind]) for kind in types],
        schools=schools,
        source=_cite(sources, "grants.graduate_schools", "grants.graduate_schools_by_type"),
    )


def _school_type(kind: str, schools: Iterable[c.GraduateSchool]) -> c.GraduateSchoolType:
    listed = list(schools)
    return c.GraduateSchoolType(
        type=kind,
        schools=len(listed),
        doctoral_students=sum(s.doctoral_students for s in listed),
        mobility_hei_hei=sum(s.mobility_hei_hei for s in listed),
        mobility_hei_industry=sum(s.mobility_hei_industry for s in listed),
    )


def _partners(grants: up.GrantsAggregate, sources: Mapping[str, str]) -> c.InternationalPartners:
    counts = {row.security_review: row.partners for row in grants.partners_by_review}
    return c.InternationalPartners(
        by_review=[
            c.ReviewCount(security_review=status, partners=counts.get(status, 0))
            for status in sorted(set(REVIEW_STATUSES) | set(counts))
        ],
        partners=sorted(
            (c.Partner(**row.model_dump()) for row in grants.partners),
            key=lambda p: (p.cluster_id, p.organisation, p.country),
        ),
        source=_cite(sources, "grants.partners_by_review", "grants.partners"),
    )


def _planning(gathered: Gathered, sources: Mapping[str, str]) -> c.Planning:
    records = {record.grant_id: record for record in gathered.planning}
    lines = []
    for grant in sorted(
        (g for g in gathered.grants.planning_grants if _planning_in_year(g, gathered.year)),
        key=lambda g: (g.registration_number, g.grant_id),
    ):
        record = records.get(grant.grant_id)
        missing = record.missing_parts if record else list(PARTS)
        lines.append(
            c.PlanningLine(
                grant_id=grant.grant_id,
                agency=grant.agency,
                registration_number=grant.registration_number,
                cluster_name=grant.cluster_name,
                total_sek=grant.total_sek,
                submitted=record is not None,
                submitted_at=record.submitted_at if record else None,
                complete=record is not None and not record.missing_parts,
                missing_parts=missing,
            )
        )
    return c.Planning(
        due_on=PLANNING_DUE_ON,
        grants=len(lines),
        submitted=sum(line.submitted for line in lines),
        complete=sum(line.complete for line in lines),
        late=is_late(PLANNING_DUE_ON, gathered.as_of),
        reports=lines,
        source=[*_cite(sources, "grants.planning_grants"), "reporting.planning_reports"],
    )


def _planning_in_year(grant: up.PlanningGrant, year: int) -> bool:
    """A planning grant belongs to the years of its plan and to the year its report is due."""
    return grant.plan_years is None or year in grant.plan_years or year == PLANNING_DUE_ON.year
