"""Aggregates for the reporting service, reproducible for any `as_of`.

A call counts as published at T when it was published at or before T and not cancelled at
or before T. Its status at T follows from the stored step instants, and its fields cannot
change once published (edits stop at `ready`), so the same `as_of` gives the same answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ClauseElement, ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from services.calls import repository
from services.calls.internal import schemas
from services.calls.models import Call

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LEVELS = range(1, 10)


def published_at(as_of: datetime) -> ColumnElement[bool]:
    return and_(
        Call.published_at <= as_of,
        or_(Call.cancelled_at.is_(None), Call.cancelled_at > as_of),
    )


def opening_in(year: int) -> ColumnElement[bool]:
    start = datetime(year, 1, 1, tzinfo=STOCKHOLM)
    end = datetime(year + 1, 1, 1, tzinfo=STOCKHOLM)
    return and_(Call.opens_at >= start, Call.opens_at < end)


def status_at(call: Call, as_of: datetime) -> str:
    if call.decided_at is not None and call.decided_at <= as_of:
        return "decided"
    if call.closed_at is not None and call.closed_at <= as_of:
        return "closed"
    return "published"


def _sql(session: Session, query: ClauseElement) -> str:
    return str(query.compile(dialect=session.get_bind().dialect))


def calls_report(session: Session, *, year: int, as_of: datetime) -> schemas.CallsReport:
    as_of = as_of.astimezone(UTC)
    where = (published_at(as_of), opening_in(year))
    calls_query = select(Call).where(*where).order_by(Call.id)
    calls = list(session.scalars(calls_query))
    areas = repository.areas_of(session, [call.id for call in calls])
    by_agency_stage_query = (
        select(
            Call.agency,
            Call.stage,
            func.count().label("calls"),
            func.coalesce(func.sum(Call.budget_sek), 0).label("budget_sek"),
        )
        .where(*where)
        .group_by(Call.agency, Call.stage)
        .order_by(Call.agency, Call.stage)
    )
    by_agency_stage = [
        schemas.AgencyStage(agency=a, stage=s, calls=n, budget_sek=b)
        for a, s, n, b in session.execute(by_agency_stage_query)
    ]
    by_level: dict[str, list[str]] = {}
    for level in LEVELS:
        agencies = {
            call.agency
            for call in calls
            if call.trl_min is not None
            and call.trl_max is not None
            and call.trl_min <= level <= call.trl_max
        }
        by_level[str(level)] = sorted(agencies)
    return schemas.CallsReport(
        year=year,
        as_of=as_of,
        calls=[
            schemas.ReportCall.model_validate(
                {
                    **{
                        name: getattr(call, name)
                        for name in schemas.ReportCall.model_fields
                        if name not in {"status", "technology_areas"}
                    },
                    "status": status_at(call, as_of),
                    "technology_areas": areas[call.id],
                }
            )
            for call in calls
        ],
        by_agency_stage=by_agency_stage,
        trl_coverage=schemas.TrlCoverage(
            covered=[level for level in LEVELS if by_level[str(level)]],
            missing=[level for level in LEVELS if not by_level[str(level)]],
            by_level=by_level,
        ),
        sources={
            "by_agency_stage": _sql(session, by_agency_stage_query),
            "calls": _sql(session, calls_query),
        },
    )
