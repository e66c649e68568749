"""Reading the ledger: one grant's entries, and the summary grouped in SQL.

Both take `as_of`: entries recorded after it are left out, and since entries are never
changed, reading with the same `as_of` always gives the same answer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from kit.pagination import decode_cursor, encode_cursor
from services.grants.grants.models import Grant
from services.grants.ledger import repository, schemas
from services.grants.ledger.exceptions import EntryNotFound
from services.grants.ledger.models import LedgerEntry
from services.grants.ledger.service import view

_GROUP_COLUMNS = {
    "year": LedgerEntry.year,
    "agency": LedgerEntry.agency,
    "technology_area": LedgerEntry.technology_area,
    "kind": LedgerEntry.kind,
}


def _with_reversal(as_of: datetime):  # type: ignore[no-untyped-def]  # a Select of two entities
    reversal = aliased(LedgerEntry)
    return select(LedgerEntry, reversal.id).outerjoin(
        reversal, (reversal.reverses == LedgerEntry.id) & (reversal.recorded_at <= as_of)
    )


def entries(
    session: Session, *, grant: Grant, as_of: datetime, limit: int, cursor: str | None
) -> schemas.LedgerPage:
    query = (
        _with_reversal(as_of)
        .where(LedgerEntry.grant_id == grant.id, LedgerEntry.recorded_at <= as_of)
        .order_by(LedgerEntry.id)
    )
    if cursor:
        (last_id,) = decode_cursor(cursor, 1)
        query = query.where(LedgerEntry.id > int(last_id))
    rows = session.execute(query.limit(limit + 1)).all()
    page = rows[:limit]
    next_cursor = encode_cursor([page[-1][0].id]) if len(rows) > limit else None
    totals = repository.grant_totals_by_year(session, grant.id, as_of)
    balances = []
    for year in grant.plan:
        t = totals.get(year.year, repository.Totals())
        balances.append(
            schemas.YearBalance(
                year=year.year,
                planned_sek=year.amount_sek,
                committed_sek=t.committed_sek,
                disbursed_sek=t.disbursed_sek,
                recovered_sek=t.recovered_sek,
                net_disbursed_sek=t.net_disbursed_sek,
                uncommitted_sek=year.amount_sek - t.committed_sek,
                undisbursed_sek=t.committed_sek - t.net_disbursed_sek,
            )
        )
    return schemas.LedgerPage(
        grant_id=grant.id,
        as_of=as_of,
        items=[view(entry, reversed_by) for entry, reversed_by in page],
        next_cursor=next_cursor,
        balances=balances,
    )


def entry(session: Session, *, grant: Grant, entry_id: int, as_of: datetime) -> schemas.Entry:
    row = session.execute(
        _with_reversal(as_of).where(
            LedgerEntry.id == entry_id,
            LedgerEntry.grant_id == grant.id,
            LedgerEntry.recorded_at <= as_of,
        )
    ).one_or_none()
    if row is None:
        raise EntryNotFound(f"No ledger entry {entry_id} on grant {grant.id}.")
    return view(row[0], row[1])


def summary(
    session: Session,
    *,
    as_of: datetime,
    group_by: list[schemas.GroupKey],
    agency: str | None,
    year: int | None,
    technology_area: str | None,
) -> schemas.Summary:
    keys = [_GROUP_COLUMNS[name].label(name) for name in group_by]
    query = select(
        *keys,
        func.count().label("entries"),
        repository.sum_column(LedgerEntry.amount_sek).label("amount_sek"),
        *repository.totals_columns(),
    ).where(LedgerEntry.recorded_at <= as_of)
    for column, value in (
        (LedgerEntry.agency, agency),
        (LedgerEntry.year, year),
        (LedgerEntry.technology_area, technology_area),
    ):
        if value is not None:
            query = query.where(column == value)
    if keys:
        query = query.group_by(*keys).order_by(*keys)
    rows = []
    for row in session.execute(query):
        values = row._mapping
        if not keys and values["entries"] == 0:
            continue
        rows.append(
            schemas.SummaryRow(
                **{name: values[name] for name in group_by},
                entries=int(values["entries"]),
                amount_sek=int(values["amount_sek"]),
                committed_sek=int(values["committed_sek"]),
                disbursed_sek=int(values["disbursed_sek"]),
                recovered_sek=int(values["recovered_sek"]),
                net_disbursed_sek=int(values["disbursed_sek"]) - int(values["recovered_sek"]),
            )
        )
    return schemas.Summary(as_of=as_of, group_by=group_by, rows=rows)
