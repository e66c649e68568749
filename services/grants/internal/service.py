"""The annual report's data from this service: every figure summed by the database."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.orm import Session

from services.grants.internal import queries, schemas
from services.grants.internal.queries import Statement


def annual(session: Session, *, year: int, as_of: datetime) -> schemas.AnnualReport:
    statements: dict[str, Statement] = {
        "appropriations": queries.appropriations(year, as_of),
        "by_technology_area": queries.by_technology_area(year, as_of),
        "clusters": queries.clusters(year, as_of),
        "cluster_plans_by_agency": queries.cluster_plans_by_agency(year, as_of),
        "cluster_years_without_ssh": queries.cluster_years_without_ssh(as_of),
        "cluster_heis": queries.cluster_heis(as_of),
        "graduate_schools": queries.graduate_schools(as_of),
        "graduate_schools_by_type": queries.graduate_schools_by_type(as_of),
        "partners_by_review": queries.partners_by_review(as_of),
        "partners": queries.partners(as_of),
        "planning_grants": queries.planning_grants(as_of),
    }
    rows = {name: session.execute(statement).all() for name, statement in statements.items()}

    by_agency: dict[str, dict[str, int]] = defaultdict(dict)
    for cluster_id, agency, planned in rows["cluster_plans_by_agency"]:
        by_agency[cluster_id][agency] = int(planned)
    without_ssh: dict[str, list[int]] = defaultdict(list)
    for cluster_id, plan_year in rows["cluster_years_without_ssh"]:
        without_ssh[cluster_id].append(plan_year)
    heis: dict[str, list[str]] = defaultdict(list)
    leads: dict[str, str] = {}
    for cluster_id, name, is_lead in rows["cluster_heis"]:
        heis[cluster_id].append(name)
        if is_lead:
            leads[cluster_id] = name
    planning = rows["planning_grants"]
    years: dict[str, list[int]] = defaultdict(list)
    if planning:
        for grant_id, plan_year in session.execute(
            queries.plan_years([row.id for row in planning])
        ):
            years[grant_id].append(plan_year)

    return schemas.AnnualReport(
        year=year,
        as_of=as_of,
        appropriations=[
            schemas.AppropriationYear(
                agency=r.agency,
                year=r.year,
                code=r.code,
                amount_sek=r.amount_sek,
                status=r.status,
                committed_sek=int(r.committed_sek),
                disbursed_sek=int(r.disbursed_sek),
                recovered_sek=int(r.recovered_sek),
                net_disbursed_sek=int(r.disbursed_sek) - int(r.recovered_sek),
            )
            for r in rows["appropriations"]
        ],
        by_technology_area=[
            schemas.TechnologyAreaYear(
                technology_area=r.technology_area,
                grants=int(r.grants),
                planned_sek=int(r.planned_sek),
                committed_sek=int(r.committed_sek),
                net_disbursed_sek=int(r.net_disbursed_sek),
            )
            for r in rows["by_technology_area"]
        ],
        clusters=[
            schemas.ClusterYear(
                cluster_id=r.cluster_id,
                name=r.name,
                technology_area=r.technology_area,
                lead_hei=leads.get(r.cluster_id, ""),
                heis=heis[r.cluster_id],
                hei_count=r.hei_count,
                planned_sek=int(r.planned_sek),
                ssh_sek=int(r.ssh_sek),
                planned_by_agency=by_agency[r.cluster_id],
                grants=int(r.grants),
                establishment_grants=int(r.establishment_grants),
                years_without_ssh=without_ssh[r.cluster_id],
            )
            for r in rows["clusters"]
        ],
        graduate_schools=[
            schemas.GraduateSchool(
                cluster_id=r.cluster_id,
                name=r.graduate_school_name,
                type=r.graduate_school_type,
                doctoral_students=r.doctoral_students or 0,
                mobility_placements=schemas.MobilityPlacements(
                    hei_hei=r.mobility_hei_hei or 0, hei_industry=r.mobility_hei_industry or 0
                ),
            )
            for r in rows["graduate_schools"]
        ],
        graduate_schools_by_type=[
            schemas.GraduateSchoolsByType(
                type=r.graduate_school_type,
                schools=int(r.schools),
                doctoral_students=int(r.doctoral_students or 0),
                mobility_placements=schemas.MobilityPlacements(
                    hei_hei=int(r.hei_hei or 0), hei_industry=int(r.hei_industry or 0)
                ),
            )
            for r in rows["graduate_schools_by_type"]
        ],
        partners_by_review=[
            schemas.PartnersByReview(security_review=r.security_review, partners=int(r.partners))
            for r in rows["partners_by_review"]
        ],
        partners=[
            schemas.Partner(
                cluster_id=r.cluster_id,
                organisation=r.organisation,
                country=r.country,
                security_review=r.security_review,
            )
            for r in rows["partners"]
        ],
        planning_grants=[
            schemas.PlanningGrant(
                grant_id=r.id,
                agency=r.agency,
                registration_number=r.registration_number,
                cluster_id=r.cluster_id,
                cluster_name=r.name,
                total_sek=r.total_sek,
                plan_years=years[r.id],
            )
            for r in planning
        ],
        sources={name: _sql(session, statement) for name, statement in statements.items()},
    )


def _sql(session: Session, statement: Statement) -> str:
    return str(statement.compile(dialect=session.get_bind().dialect))
