from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.grants.appropriations.models import Appropriation, AppropriationRevision


def get(session: Session, agency: str, year: int, *, lock: bool = False) -> Appropriation | None:
    query = select(Appropriation).where(Appropriation.agency == agency, Appropriation.year == year)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def lock_years(session: Session, agency: str, years: Iterable[int]) -> dict[int, Appropriation]:
    """The agency's appropriations for these years, row-locked in year order.

    Always ascending, like every other path that locks appropriations, so two writers can
    never wait for each other in a circle.
    """
    query = (
        select(Appropriation)
        .where(Appropriation.agency == agency, Appropriation.year.in_(sorted(set(years))))
        .order_by(Appropriation.year)
        .with_for_update()
    )
    return {row.year: row for row in session.scalars(query)}


def revision_at(
    session: Session, agency: str, year: int, as_of: datetime
) -> AppropriationRevision | None:
    latest = (
        select(func.max(AppropriationRevision.revision))
        .where(
            AppropriationRevision.agency == agency,
            AppropriationRevision.year == year,
            AppropriationRevision.recorded_at <= as_of,
        )
        .scalar_subquery()
    )
    return session.scalars(
        select(AppropriationRevision).where(
            AppropriationRevision.agency == agency,
            AppropriationRevision.year == year,
            AppropriationRevision.revision == latest,
        )
    ).one_or_none()
