"""Recording and reading grants."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from kit.db import utcnow
from kit.pagination import after, decode_cursor, encode_cursor
from services.grants.appropriations import repository as appropriations
from services.grants.calls_client import CallFacts
from services.grants.clusters import repository as clusters
from services.grants.common import Actor
from services.grants.grants import repository, rules, schemas
from services.grants.grants.exceptions import (
    CallNotUsable,
    GrantNotFound,
    RegistrationNumberTaken,
    UnknownCluster,
)
from services.grants.grants.models import Grant, GrantYear

DECIDABLE_CALL_STATUSES = ("closed", "decided")


def record(
    session: Session, *, data: schemas.GrantCreate, call: CallFacts | None, actor: Actor
) -> schemas.Grant:
    """Check every rule, then store the decision. `call` is what the calls service said."""
    agency = actor.agency or ""
    if call is None or call.agency != agency:
        raise CallNotUsable(f"There is no call {data.call_id} of {agency}.", call_id=data.call_id)
    if call.status not in DECIDABLE_CALL_STATUSES:
        raise CallNotUsable(
            f"Call {call.id} is {call.status}; grants are recorded under closed or decided calls.",
            call_id=call.id,
            call_status=call.status,
        )
    cluster = clusters.get(session, data.cluster_id)
    if cluster is None:
        raise UnknownCluster(f"There is no cluster {data.cluster_id}.", cluster_id=data.cluster_id)
    current = clusters.views(session, [(cluster, cluster.revision)])[0]
    rules.check_area(agency, current.technology_area)
    total = sum(p.amount_sek for p in data.yearly_plan)
    rules.check_max_award(total, call.max_award_sek)
    rules.check_establishment(call.stage, data.yearly_plan, current.hei_count)
    years = [p.year for p in data.yearly_plan]
    # Locked (PostgreSQL) so two decisions cannot both fit into the same remainder (R7).
    available = {
        year: row.amount_sek
        for year, row in appropriations.lock_years(session, agency, years).items()
    }
    planned = repository.planned_by_year(session, agency, years)
    rules.check_appropriations(agency, data.yearly_plan, planned, available)
    if repository.registration_taken(session, agency, data.registration_number):
        raise _taken(agency, data.registration_number)
    grant = Grant(
        id=str(uuid.uuid4()),
        agency=agency,
        call_id=call.id,
        stage=call.stage,
        cluster_id=cluster.id,
        registration_number=data.registration_number,
        status="awarded",
        technology_area=current.technology_area,
        technology_area_label=current.technology_area_label,
        total_sek=total,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_at=utcnow(),
        client_id=actor.client_id,
        request_id=actor.request_id,
    )
    grant.plan = [
        GrantYear(year=p.year, amount_sek=p.amount_sek, ssh_amount_sek=p.ssh_amount_sek)
        for p in sorted(data.yearly_plan, key=lambda p: p.year)
    ]
    session.add(grant)
    try:
        session.flush()
    except IntegrityError as exc:
        # The same number recorded by a concurrent request after our check above.
        raise _taken(agency, data.registration_number) from exc
    return view(grant)


def get(session: Session, *, grant_id: str, agency: str | None) -> schemas.Grant:
    grant = repository.get(session, grant_id, agency=agency)
    if grant is None:
        raise GrantNotFound(f"No grant {grant_id}.")
    return view(grant)


def list_page(
    session: Session,
    *,
    agency: str | None,
    limit: int,
    cursor: str | None,
    call_id: str | None = None,
    cluster_id: str | None = None,
    year: int | None = None,
    technology_area: str | None = None,
    status: str | None = None,
    registration_number: str | None = None,
) -> tuple[list[schemas.Grant], str | None]:
    query = select(Grant).options(selectinload(Grant.plan)).order_by(Grant.created_at, Grant.id)
    for column, value in (
        (Grant.agency, agency),
        (Grant.call_id, call_id),
        (Grant.cluster_id, cluster_id),
        (Grant.technology_area, technology_area),
        (Grant.status, status),
        (Grant.registration_number, registration_number),
    ):
        if value is not None:
            query = query.where(column == value)
    if year is not None:
        in_year = select(GrantYear.grant_id).where(
            GrantYear.grant_id == Grant.id, GrantYear.year == year
        )
        query = query.where(in_year.exists())
    if cursor:
        created_at, grant_id = decode_cursor(cursor, 2)
        keys = [(Grant.created_at, False), (Grant.id, False)]
        query = query.where(after(keys, [datetime.fromisoformat(created_at), grant_id]))
    rows = list(session.scalars(query.limit(limit + 1)))
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor([page[-1].created_at.isoformat(), page[-1].id])
    return [view(g) for g in page], next_cursor


def internal(session: Session, *, grant_id: str) -> schemas.InternalGrant:
    grant = repository.get(session, grant_id, agency=None)
    if grant is None:
        raise GrantNotFound(f"No grant {grant_id}.")
    return schemas.InternalGrant.model_validate(grant, from_attributes=True)


def view(grant: Grant) -> schemas.Grant:
    plan = [
        schemas.PlanYear(year=y.year, amount_sek=y.amount_sek, ssh_amount_sek=y.ssh_amount_sek)
        for y in grant.plan
    ]
    return schemas.Grant(
        id=grant.id,
        agency=grant.agency,
        call_id=grant.call_id,
        cluster_id=grant.cluster_id,
        stage=grant.stage,
        registration_number=grant.registration_number,
        status=grant.status,
        technology_area=grant.technology_area,
        technology_area_label=grant.technology_area_label,
        yearly_plan=plan,
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
        total_sek=grant.total_sek,
        ssh_total_sek=sum(y.ssh_amount_sek for y in grant.plan),
        warnings=rules.warnings(grant.stage, plan),
        created_at=grant.created_at,
    )


def _taken(agency: str, number: str) -> RegistrationNumberTaken:
    return RegistrationNumberTaken(
        f"{agency} already has a grant with registration number {number}.",
        rule="registration-number",
        registration_number=number,
    )
