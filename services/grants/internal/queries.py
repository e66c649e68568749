"""The annual report's aggregates as SQL statements, each reading the state at `as_of`:
grants and ledger entries recorded by then, and each cluster's revision current at it.

Kept as statements (not results) so the report can show the SQL that produced each part.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.sql import Subquery

from services.grants.appropriations.models import AppropriationRevision
from services.grants.clusters.models import ClusterHei, ClusterPartner, ClusterRevision
from services.grants.clusters.repository import current_revisions_at
from services.grants.grants.models import Grant, GrantYear
from services.grants.ledger.models import LedgerEntry
from services.grants.ledger.repository import sum_column, sum_of

# Any SELECT, whatever its columns (SQLAlchemy 2.1 types a Select by its column types).
Statement = Select[*tuple[Any, ...]]


def _ledger_year(year: int, as_of: datetime, *keys: Any) -> Subquery:
    return (
        select(
            *keys,
            sum_of("commitment").label("committed_sek"),
            sum_of("disbursement").label("disbursed_sek"),
            sum_of("recovery").label("recovered_sek"),
        )
        .where(LedgerEntry.year == year, LedgerEntry.recorded_at <= as_of)
        .group_by(*keys)
        .subquery()
    )


def _current(as_of: datetime) -> Subquery:
    return current_revisions_at(as_of).subquery("current_revision")


def _revision_join(current: Subquery) -> Any:
    return and_(
        ClusterRevision.cluster_id == current.c.cluster_id,
        ClusterRevision.revision == current.c.revision,
    )


def appropriations(year: int, as_of: datetime) -> Statement:
    latest = (
        select(
            AppropriationRevision.agency,
            func.max(AppropriationRevision.revision).label("revision"),
        )
        .where(AppropriationRevision.year == year, AppropriationRevision.recorded_at <= as_of)
        .group_by(AppropriationRevision.agency)
        .subquery("latest")
    )
    ledger = _ledger_year(year, as_of, LedgerEntry.agency)
    return (
        select(
            AppropriationRevision.agency,
            AppropriationRevision.year,
            AppropriationRevision.code,
            AppropriationRevision.amount_sek,
            AppropriationRevision.status,
            func.coalesce(ledger.c.committed_sek, 0).label("committed_sek"),
            func.coalesce(ledger.c.disbursed_sek, 0).label("disbursed_sek"),
            func.coalesce(ledger.c.recovered_sek, 0).label("recovered_sek"),
        )
        .join(
            latest,
            and_(
                AppropriationRevision.agency == latest.c.agency,
                AppropriationRevision.revision == latest.c.revision,
            ),
        )
        .outerjoin(ledger, ledger.c.agency == AppropriationRevision.agency)
        .where(AppropriationRevision.year == year)
        .order_by(AppropriationRevision.agency)
    )


def by_technology_area(year: int, as_of: datetime) -> Statement:
    plans = (
        select(
            Grant.technology_area,
            func.count().label("grants"),
            sum_column(GrantYear.amount_sek).label("planned_sek"),
        )
        .join(GrantYear, and_(GrantYear.grant_id == Grant.id, GrantYear.year == year))
        .where(Grant.created_at <= as_of)
        .group_by(Grant.technology_area)
        .subquery("plans")
    )
    ledger = _ledger_year(year, as_of, LedgerEntry.technology_area)
    return (
        select(
            plans.c.technology_area,
            plans.c.grants,
            plans.c.planned_sek,
            func.coalesce(ledger.c.committed_sek, 0).label("committed_sek"),
            (
                func.coalesce(ledger.c.disbursed_sek, 0) - func.coalesce(ledger.c.recovered_sek, 0)
            ).label("net_disbursed_sek"),
        )
        .outerjoin(ledger, ledger.c.technology_area == plans.c.technology_area)
        .order_by(plans.c.technology_area)
    )


def clusters(year: int, as_of: datetime) -> Statement:
    current = _current(as_of)
    is_establishment = case((Grant.stage == "establishment", 1), else_=0)
    plans = (
        select(
            Grant.cluster_id,
            sum_column(GrantYear.amount_sek).label("planned_sek"),
            sum_column(GrantYear.ssh_amount_sek).label("ssh_sek"),
            func.count().label("grants"),
            func.sum(is_establishment).label("establishment_grants"),
        )
        .join(GrantYear, and_(GrantYear.grant_id == Grant.id, GrantYear.year == year))
        .where(Grant.created_at <= as_of)
        .group_by(Grant.cluster_id)
        .subquery("plans")
    )
    return (
        select(
            ClusterRevision.cluster_id,
            ClusterRevision.name,
            ClusterRevision.technology_area,
            ClusterRevision.hei_count,
            func.coalesce(plans.c.planned_sek, 0).label("planned_sek"),
            func.coalesce(plans.c.ssh_sek, 0).label("ssh_sek"),
            func.coalesce(plans.c.grants, 0).label("grants"),
            func.coalesce(plans.c.establishment_grants, 0).label("establishment_grants"),
        )
        .join(current, _revision_join(current))
        .outerjoin(plans, plans.c.cluster_id == ClusterRevision.cluster_id)
        .order_by(ClusterRevision.cluster_id)
    )


def cluster_plans_by_agency(year: int, as_of: datetime) -> Statement:
    return (
        select(Grant.cluster_id, Grant.agency, sum_column(GrantYear.amount_sek).label("planned"))
        .join(GrantYear, and_(GrantYear.grant_id == Grant.id, GrantYear.year == year))
        .where(Grant.created_at <= as_of)
        .group_by(Grant.cluster_id, Grant.agency)
        .order_by(Grant.cluster_id, Grant.agency)
    )


def cluster_years_without_ssh(as_of: datetime) -> Statement:
    """Every plan year (any year) in which the cluster's grants together plan no SSH (R3)."""
    return (
        select(Grant.cluster_id, GrantYear.year)
        .join(GrantYear, GrantYear.grant_id == Grant.id)
        .where(Grant.created_at <= as_of)
        .group_by(Grant.cluster_id, GrantYear.year)
        .having(func.sum(GrantYear.ssh_amount_sek) == 0)
        .order_by(Grant.cluster_id, GrantYear.year)
    )


def cluster_heis(as_of: datetime) -> Statement:
    current = _current(as_of)
    return (
        select(ClusterHei.cluster_id, ClusterHei.name, ClusterHei.is_lead)
        .join(
            current,
            and_(
                ClusterHei.cluster_id == current.c.cluster_id,
                ClusterHei.revision == current.c.revision,
            ),
        )
        .order_by(ClusterHei.cluster_id, ClusterHei.position)
    )


def graduate_schools(as_of: datetime) -> Statement:
    current = _current(as_of)
    return (
        select(
            ClusterRevision.cluster_id,
            ClusterRevision.graduate_school_name,
            ClusterRevision.graduate_school_type,
            ClusterRevision.doctoral_students,
            ClusterRevision.mobility_hei_hei,
            ClusterRevision.mobility_hei_industry,
        )
        .join(current, _revision_join(current))
        .where(ClusterRevision.graduate_school_name.is_not(None))
        .order_by(ClusterRevision.cluster_id)
    )


def graduate_schools_by_type(as_of: datetime) -> Statement:
    current = _current(as_of)
    return (
        select(
            ClusterRevision.graduate_school_type,
            func.count().label("schools"),
            func.sum(ClusterRevision.doctoral_students).label("doctoral_students"),
            func.sum(ClusterRevision.mobility_hei_hei).label("hei_hei"),
            func.sum(ClusterRevision.mobility_hei_industry).label("hei_industry"),
        )
        .join(current, _revision_join(current))
        .where(ClusterRevision.graduate_school_name.is_not(None))
        .group_by(ClusterRevision.graduate_school_type)
        .order_by(ClusterRevision.graduate_school_type)
    )


def _partners_at(as_of: datetime) -> tuple[Subquery, Any]:
    current = _current(as_of)
    return current, and_(
        ClusterPartner.cluster_id == current.c.cluster_id,
        ClusterPartner.revision == current.c.revision,
    )


def partners_by_review(as_of: datetime) -> Statement:
    current, on = _partners_at(as_of)
    return (
        select(
            ClusterPartner.security_review,
            func.count().label("partners"),
        )
        .join(current, on)
        .group_by(ClusterPartner.security_review)
        .order_by(ClusterPartner.security_review)
    )


def partners(as_of: datetime) -> Statement:
    current, on = _partners_at(as_of)
    return (
        select(
            ClusterPartner.cluster_id,
            ClusterPartner.organisation,
            ClusterPartner.country,
            ClusterPartner.security_review,
        )
        .join(current, on)
        .order_by(
            ClusterPartner.cluster_id,
            ClusterPartner.organisation,
            ClusterPartner.country,
            ClusterPartner.position,
        )
    )


def planning_grants(as_of: datetime) -> Statement:
    current = _current(as_of)
    return (
        select(
            Grant.id,
            Grant.agency,
            Grant.registration_number,
            Grant.cluster_id,
            ClusterRevision.name,
            Grant.total_sek,
        )
        .outerjoin(current, current.c.cluster_id == Grant.cluster_id)
        .outerjoin(ClusterRevision, _revision_join(current))
        .where(Grant.stage == "planning", Grant.created_at <= as_of)
        .order_by(Grant.registration_number, Grant.agency)
    )


def plan_years(grant_ids: list[str]) -> Statement:
    return (
        select(GrantYear.grant_id, GrantYear.year)
        .where(GrantYear.grant_id.in_(grant_ids))
        .order_by(GrantYear.grant_id, GrantYear.year)
    )
