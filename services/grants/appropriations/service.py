"""Appropriations: the owning agency writes the figure; reads add the ledger's sums (R7)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.db import utcnow
from kit.principal import AGENCIES
from kit.problems import RuleViolation
from services.grants.appropriations import repository, schemas
from services.grants.appropriations.exceptions import AppropriationNotFound, AppropriationNotYours
from services.grants.appropriations.models import Appropriation, AppropriationRevision
from services.grants.common import Actor
from services.grants.ledger import repository as ledger
from services.grants.ledger.models import LedgerEntry

Figure = Appropriation | AppropriationRevision


def put(
    session: Session, *, agency: str, year: int, data: schemas.AppropriationPut, actor: Actor
) -> tuple[schemas.Appropriation, bool]:
    """Create or replace the figure; True when it was created."""
    if actor.agency != agency:
        raise AppropriationNotYours(f"Only {agency} writes {agency}'s appropriations.")
    # Locked before the commitments are summed, so no commitment can slip in between (R7).
    row = repository.get(session, agency, year, lock=True)
    committed = ledger.agency_year_committed(session, agency, year)
    if data.amount_sek < committed:
        raise RuleViolation(
            "R7",
            f"{committed} SEK is already committed on {agency} {year}; "
            "the appropriation cannot be lower.",
            status=409,
            committed_sek=committed,
        )
    created = row is None
    if row is None:
        row = Appropriation(agency=agency, year=year, revision=0)
        session.add(row)
    elif (row.code, row.amount_sek, row.status) == (data.code, data.amount_sek, data.status):
        return _view(session, row, as_of=None), False
    now = utcnow()
    row.code, row.amount_sek, row.status = data.code, data.amount_sek, data.status
    row.revision += 1
    row.updated_at = now
    session.flush()
    session.add(
        AppropriationRevision(
            agency=agency,
            year=year,
            revision=row.revision,
            code=data.code,
            amount_sek=data.amount_sek,
            status=data.status,
            recorded_at=now,
            client_id=actor.client_id,
            request_id=actor.request_id,
        )
    )
    session.flush()
    return _view(session, row, as_of=None), created


def get(
    session: Session, *, agency: str, year: int, reader_agency: str | None, as_of: datetime | None
) -> schemas.Appropriation:
    missing = AppropriationNotFound(f"No appropriation for {agency} {year}.")
    # Another agency's appropriation is not there for this reader (404, like any object).
    if agency not in AGENCIES or reader_agency not in (None, agency):
        raise missing
    figure: Figure | None
    if as_of is None:
        figure = repository.get(session, agency, year)
    else:
        figure = repository.revision_at(session, agency, year, as_of)
    if figure is None:
        raise missing
    return _view(session, figure, as_of=as_of)


def list_all(
    session: Session, *, reader_agency: str | None, agency: str | None, year: int | None
) -> list[schemas.Appropriation]:
    query = select(Appropriation).order_by(Appropriation.agency, Appropriation.year)
    ledger_query = select(LedgerEntry.agency, LedgerEntry.year, *ledger.totals_columns())
    for column, value in (
        (Appropriation.agency, reader_agency),
        (Appropriation.agency, agency),
        (Appropriation.year, year),
    ):
        if value is not None:
            query = query.where(column == value)
    for ledger_column, value in (
        (LedgerEntry.agency, reader_agency),
        (LedgerEntry.agency, agency),
        (LedgerEntry.year, year),
    ):
        if value is not None:
            ledger_query = ledger_query.where(ledger_column == value)
    sums = session.execute(ledger_query.group_by(LedgerEntry.agency, LedgerEntry.year))
    totals = {
        (t.agency, t.year): ledger.Totals(
            int(t.committed_sek), int(t.disbursed_sek), int(t.recovered_sek)
        )
        for t in sums
    }
    now = utcnow()
    return [
        _build(row, totals.get((row.agency, row.year), ledger.Totals()), now)
        for row in session.scalars(query)
    ]


def _view(session: Session, figure: Figure, *, as_of: datetime | None) -> schemas.Appropriation:
    totals = ledger.agency_year_totals(session, figure.agency, figure.year, as_of)
    return _build(figure, totals, as_of or utcnow())


def _build(figure: Figure, totals: ledger.Totals, as_of: datetime) -> schemas.Appropriation:
    updated_at = (
        figure.recorded_at if isinstance(figure, AppropriationRevision) else figure.updated_at
    )
    return schemas.Appropriation.model_validate(
        {
            "agency": figure.agency,
            "year": figure.year,
            "code": figure.code,
            "amount_sek": figure.amount_sek,
            "status": figure.status,
            "revision": figure.revision,
            "committed_sek": totals.committed_sek,
            "disbursed_sek": totals.disbursed_sek,
            "recovered_sek": totals.recovered_sek,
            "net_disbursed_sek": totals.net_disbursed_sek,
            "remaining_sek": figure.amount_sek - totals.committed_sek,
            "updated_at": updated_at,
            "as_of": as_of,
        }
    )
