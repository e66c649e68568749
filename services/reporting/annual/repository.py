"""The annual report's queries; the year row is the lock every write of a year takes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from services.reporting.models import AnnualReport, AnnualReportApproval, AnnualReportVersion


def year(session: Session, year: int, *, lock: bool = False) -> AnnualReport | None:
    return session.get(AnnualReport, year, with_for_update=lock)


def lock_or_create_year(session: Session, year_: int, *, now: datetime) -> AnnualReport:
    """The year's row, locked (SELECT … FOR UPDATE on PostgreSQL; SQLite writes serialise)."""
    record = year(session, year_, lock=True)
    if record is not None:
        return record
    try:
        # a concurrent first build of the same year inserts too: the loser re-reads and waits
        with session.begin_nested():
            record = AnnualReport(year=year_, latest_version=0, created_at=now)
            session.add(record)
    except IntegrityError:
        record = year(session, year_, lock=True)
        assert record is not None
    return record


def version(session: Session, year_: int, number: int) -> AnnualReportVersion | None:
    return session.get(AnnualReportVersion, (year_, number))


def versions(
    session: Session, year_: int, *, before: int | None, limit: int
) -> Sequence[AnnualReportVersion]:
    """Newest first; `before` is the keyset cursor (the last version number served)."""
    query = (
        select(AnnualReportVersion)
        .where(AnnualReportVersion.year == year_)
        .options(defer(AnnualReportVersion.content, raiseload=True))
    )
    if before is not None:
        query = query.where(AnnualReportVersion.version < before)
    return session.scalars(query.order_by(AnnualReportVersion.version.desc()).limit(limit)).all()


def approvals(session: Session, year_: int) -> Sequence[AnnualReportApproval]:
    return session.scalars(
        select(AnnualReportApproval)
        .where(AnnualReportApproval.year == year_)
        .order_by(AnnualReportApproval.agency)
    ).all()
