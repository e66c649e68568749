"""Grant queries. Every read that an agency makes carries its agency (ownership)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session, selectinload

from services.grants.grants.models import Grant, GrantYear


def get(session: Session, grant_id: str, *, agency: str | None, lock: bool = False) -> Grant | None:
    """The grant if this reader may see it: its own agency's, or any for agency=None."""
    query = select(Grant).where(Grant.id == grant_id).options(selectinload(Grant.plan))
    if agency is not None:
        query = query.where(Grant.agency == agency)
    if lock:
        # Lock the grant row only; the plan rows are read after the lock is held.
        query = query.with_for_update(of=Grant)
    return session.scalars(query).one_or_none()


def planned_by_year(session: Session, agency: str, years: Iterable[int]) -> dict[int, int]:
    rows = session.execute(
        select(GrantYear.year, cast(func.sum(GrantYear.amount_sek), BigInteger).label("planned"))
        .join(Grant, Grant.id == GrantYear.grant_id)
        .where(Grant.agency == agency, GrantYear.year.in_(set(years)))
        .group_by(GrantYear.year)
    )
    return {row.year: int(row.planned) for row in rows}


def registration_taken(session: Session, agency: str, number: str) -> bool:
    found: Any = session.scalar(
        select(Grant.id).where(Grant.agency == agency, Grant.registration_number == number)
    )
    return found is not None
