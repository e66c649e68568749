"""Ledger sums, always in SQL. Reversals carry a negative `delta_sek` on the kind they reverse,
so a plain SUM per `counts_as` is the net balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, cast, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from services.grants.ledger.models import LedgerEntry


@dataclass(frozen=True)
class Totals:
    committed_sek: int = 0
    disbursed_sek: int = 0
    recovered_sek: int = 0

    @property
    def net_disbursed_sek(self) -> int:
        return self.disbursed_sek - self.recovered_sek


def sum_column(expression: ColumnElement[int] | QueryableAttribute[int]) -> ColumnElement[int]:
    """SUM as a bigint, 0 when there are no rows (PostgreSQL's SUM of bigint is numeric)."""
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)


def sum_of(kind: str) -> ColumnElement[int]:
    """The net amount that counts as `kind`: reversals carry a negative delta."""
    return sum_column(case((LedgerEntry.counts_as == kind, LedgerEntry.delta_sek), else_=0))


def totals_columns() -> list[ColumnElement[int]]:
    return [
        sum_of("commitment").label("committed_sek"),
        sum_of("disbursement").label("disbursed_sek"),
        sum_of("recovery").label("recovered_sek"),
    ]


def _totals(session: Session, *where: ColumnElement[bool]) -> Totals:
    row = session.execute(select(*totals_columns()).where(*where)).one()
    return Totals(int(row.committed_sek), int(row.disbursed_sek), int(row.recovered_sek))


def grant_year_totals(session: Session, grant_id: str, year: int) -> Totals:
    return _totals(session, LedgerEntry.grant_id == grant_id, LedgerEntry.year == year)


def grant_totals_by_year(session: Session, grant_id: str, as_of: datetime) -> dict[int, Totals]:
    rows = session.execute(
        select(LedgerEntry.year, *totals_columns())
        .where(LedgerEntry.grant_id == grant_id, LedgerEntry.recorded_at <= as_of)
        .group_by(LedgerEntry.year)
    )
    return {
        row.year: Totals(int(row.committed_sek), int(row.disbursed_sek), int(row.recovered_sek))
        for row in rows
    }


def agency_year_totals(
    session: Session, agency: str, year: int, as_of: datetime | None = None
) -> Totals:
    where: list[ColumnElement[bool]] = [LedgerEntry.agency == agency, LedgerEntry.year == year]
    if as_of is not None:
        where.append(LedgerEntry.recorded_at <= as_of)
    return _totals(session, *where)


def agency_year_committed(session: Session, agency: str, year: int) -> int:
    committed: Any = session.scalar(
        select(sum_of("commitment")).where(
            LedgerEntry.agency == agency,
            LedgerEntry.year == year,
            LedgerEntry.counts_as == "commitment",
        )
    )
    return int(committed)
