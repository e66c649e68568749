"""The public queries: visibility and phase computed from stored instants at read time.

A call is public while `published_at <= now` and it is not cancelled. A round published with
a future `publish_at` therefore becomes public at that instant with no job that could be
lost on a restart. Reads select only the columns they show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from kit.pagination import after, decode_cursor, encode_cursor
from kit.problems import Unprocessable
from services.calls import repository
from services.calls.models import Call, CallTechnologyArea
from services.calls.public import schemas
from services.calls.schemas import LocalizedText
from services.calls.service import cursor_time

COLUMNS = (
    Call.id,
    Call.agency,
    Call.strand,
    Call.stage,
    Call.title_sv,
    Call.title_en,
    Call.summary_sv,
    Call.summary_en,
    Call.other_technology_area,
    Call.trl_min,
    Call.trl_max,
    Call.budget_sek,
    Call.max_award_sek,
    Call.opens_at,
    Call.closes_at,
    Call.decision_at,
    Call.requires_ssh,
    Call.requires_multiple_heis,
    Call.requires_graduate_school,
    Call.url,
    Call.status,
    Call.coordination_id,
    Call.published_at,
    Call.updated_at,
    Call.cancelled_at,
)

# A row of COLUMNS, typed loosely (SQLAlchemy would spell out every column's type).
PublicRow = Row[*tuple[Any, ...]]

SORT_COLUMNS = {"closes_at": Call.closes_at, "updated_at": Call.updated_at}


def public(now: datetime) -> ColumnElement[bool]:
    return and_(Call.published_at <= now, Call.cancelled_at.is_(None))


def public_or_withdrawn(now: datetime) -> ColumnElement[bool]:
    """Public now, or cancelled after it had been public (mirrors must learn to delete it)."""
    return and_(
        Call.published_at <= now,
        or_(Call.cancelled_at.is_(None), Call.published_at <= Call.cancelled_at),
    )


def phase_of(opens_at: datetime, closes_at: datetime, now: datetime) -> schemas.Phase:
    if now < opens_at:
        return "upcoming"
    return "open" if now < closes_at else "closed"


def phase_column(now: datetime) -> ColumnElement[str]:
    return case((Call.opens_at > now, "upcoming"), (Call.closes_at > now, "open"), else_="closed")


PHASES: dict[str, Any] = {
    "upcoming": lambda now: Call.opens_at > now,
    "open": lambda now: and_(Call.opens_at <= now, Call.closes_at > now),
    "closed": lambda now: Call.closes_at <= now,
}


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(
    filters: schemas.FeedFilters, now: datetime, *, updated_since: datetime | None = None
) -> list[ColumnElement[bool]]:
    where = [public(now) if updated_since is None else public_or_withdrawn(now)]
    if updated_since is not None:
        where.append(Call.updated_at >= updated_since)
    if filters.phase:
        where.append(or_(*(PHASES[phase](now) for phase in filters.phase)))
    if filters.agency:
        where.append(Call.agency.in_(filters.agency))
    if filters.stage:
        where.append(Call.stage.in_(filters.stage))
    if filters.technology_area:
        where.append(repository.with_area(filters.technology_area))
    for word in (filters.q or "").casefold().split()[:10]:
        where.append(Call.search_text.like(_like(word), escape="\\"))
    return where


def _item(row: PublicRow, areas: list[str], now: datetime) -> schemas.PublicCall:
    return schemas.PublicCall(
        id=row.id,
        agency=row.agency,
        strand=row.strand,
        stage=row.stage,
        title=LocalizedText(sv=row.title_sv, en=row.title_en),
        summary=LocalizedText(sv=row.summary_sv, en=row.summary_en),
        technology_areas=areas,
        other_technology_area=row.other_technology_area,
        trl_min=row.trl_min,
        trl_max=row.trl_max,
        budget_sek=row.budget_sek,
        max_award_sek=row.max_award_sek,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        decision_at=row.decision_at,
        requires_ssh=row.requires_ssh,
        requires_multiple_heis=row.requires_multiple_heis,
        requires_graduate_school=row.requires_graduate_school,
        url=row.url,
        status=row.status,
        phase=phase_of(row.opens_at, row.closes_at, now),
        coordination_id=row.coordination_id,
        published_at=row.published_at,
        updated_at=row.updated_at,
        withdrawn=row.cancelled_at is not None,
    )


def items(session: Session, rows: Sequence[PublicRow], now: datetime) -> list[schemas.PublicCall]:
    areas = repository.areas_of(session, [row.id for row in rows])
    return [_item(row, areas[row.id], now) for row in rows]


def _keys(sort: schemas.Sort) -> list[tuple[Any, bool]]:
    descending = sort.startswith("-")
    return [(SORT_COLUMNS[sort.lstrip("-")], descending), (Call.id, descending)]


def _order(keys: list[tuple[Any, bool]]) -> list[Any]:
    return [column.desc() if descending else column.asc() for column, descending in keys]


def _facets(
    session: Session, where: list[ColumnElement[bool]], now: datetime
) -> tuple[int, schemas.FacetCounts]:
    phase = phase_column(now)
    agency: dict[str, int] = {}
    phases: dict[str, int] = {}
    total = 0
    for agency_code, phase_name, count in session.execute(
        select(Call.agency, phase, func.count()).where(*where).group_by(Call.agency, phase)
    ):
        agency[agency_code] = agency.get(agency_code, 0) + count
        phases[phase_name] = phases.get(phase_name, 0) + count
        total += count
    by_area = (
        select(CallTechnologyArea.code, func.count())
        .join(Call, Call.id == CallTechnologyArea.call_id)
        .where(*where)
        .group_by(CallTechnologyArea.code)
        .order_by(CallTechnologyArea.code)
    )
    areas: dict[str, int] = dict(session.execute(by_area).all())
    return total, schemas.FacetCounts(
        agency=dict(sorted(agency.items())),
        technology_area=areas,
        phase=dict(sorted(phases.items())),
    )


def page(
    session: Session, *, filters: schemas.PublicFilters, now: datetime
) -> schemas.PublicCallPage:
    where = conditions(filters, now, updated_since=filters.updated_since)
    keys = _keys(filters.sort)
    query = select(*COLUMNS).where(*where)
    if filters.cursor:
        sort, value, call_id = decode_cursor(filters.cursor, 3)
        if sort != filters.sort:
            raise Unprocessable("The cursor belongs to another sort order.", parameter="cursor")
        query = query.where(after(keys, [cursor_time(value), str(call_id)]))
    rows = session.execute(query.order_by(*_order(keys)).limit(filters.limit + 1)).all()
    next_cursor = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        last = rows[-1]
        sort_value = getattr(last, filters.sort.lstrip("-"))
        next_cursor = encode_cursor([filters.sort, sort_value.isoformat(), last.id])
    total, facets = _facets(session, where, now)
    return schemas.PublicCallPage(
        items=items(session, rows, now), next_cursor=next_cursor, total=total, facet_counts=facets
    )


def one(session: Session, call_id: str, now: datetime) -> schemas.PublicCall | None:
    row = session.execute(select(*COLUMNS).where(Call.id == call_id, public(now))).first()
    return items(session, [row], now)[0] if row else None


def newest(
    session: Session, *, filters: schemas.FeedFilters, now: datetime, limit: int | None = None
) -> list[schemas.PublicCall]:
    """Public calls, most recently published first (the feeds)."""
    query = (
        select(*COLUMNS)
        .where(*conditions(filters, now))
        .order_by(Call.published_at.desc(), Call.id.desc())
        .limit(limit)
    )
    return items(session, session.execute(query).all(), now)
