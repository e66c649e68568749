"""Appending to the ledger and reading it back.

`append` runs with the grant's row locked (the caller locks it), so per grant the entries
are written one at a time and the sums read here are the sums the new entry lands on. A
commitment also locks the agency-year's appropriation row (always after the grant: one
order everywhere, so no deadlock) before summing the agency's commitments (R7). On SQLite
every write transaction is BEGIN IMMEDIATE, which serialises the same steps.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.db import utcnow
from services.grants.appropriations import repository as appropriations
from services.grants.common import Actor
from services.grants.grants.models import Grant
from services.grants.ledger import repository, schemas
from services.grants.ledger.exceptions import (
    AppropriationExceeded,
    BalanceRuleBroken,
    InvalidEntry,
)
from services.grants.ledger.models import LedgerEntry
from services.grants.ledger.repository import Totals

_FIELD = {
    "commitment": "committed_sek",
    "disbursement": "disbursed_sek",
    "recovery": "recovered_sek",
}


def append(
    session: Session, *, grant: Grant, data: schemas.EntryCreate, actor: Actor
) -> schemas.Entry:
    plan = {y.year: y.amount_sek for y in grant.plan}
    counts_as, delta = _effect(session, grant, data)
    if data.year not in plan:
        raise InvalidEntry(
            f"{data.year} is not a year of the grant's plan ({sorted(plan)}).",
            rule="year-in-plan",
        )
    before = repository.grant_year_totals(session, grant.id, data.year)
    after = replace(before, **{_FIELD[counts_as]: getattr(before, _FIELD[counts_as]) + delta})
    _check_balances(after, planned=plan[data.year], year=data.year, attempted=data)
    if counts_as == "commitment" and delta > 0:
        _check_appropriation(session, grant.agency, data.year, delta)
    entry = LedgerEntry(
        grant_id=grant.id,
        agency=grant.agency,
        technology_area=grant.technology_area,
        kind=data.kind,
        counts_as=counts_as,
        year=data.year,
        amount_sek=data.amount_sek,
        delta_sek=delta,
        booked_on=data.booked_on,
        reverses=data.reverses,
        committed_sek=after.committed_sek,
        disbursed_sek=after.disbursed_sek,
        recovered_sek=after.recovered_sek,
        recorded_at=utcnow(),
        client_id=actor.client_id,
        writer_agency=actor.agency or grant.agency,
        request_id=actor.request_id,
    )
    session.add(entry)
    try:
        session.flush()
    except IntegrityError as exc:
        # Only the unique `reverses` can fail here: a second reversal of the same entry.
        raise _reversed_twice(data.reverses) from exc
    return view(entry)


def _effect(session: Session, grant: Grant, data: schemas.EntryCreate) -> tuple[str, int]:
    """Which balance the entry moves, and by how much (negative for a reversal)."""
    if data.kind != "reversal":
        if data.reverses is not None:
            raise InvalidEntry("Only a reversal names an entry in `reverses`.", rule="reversal")
        return data.kind, data.amount_sek
    if data.reverses is None:
        raise InvalidEntry("A reversal names the entry it reverses in `reverses`.", rule="reversal")
    target = session.get(LedgerEntry, data.reverses)
    if target is None or target.grant_id != grant.id:
        raise InvalidEntry(f"Entry {data.reverses} is not an entry of this grant.", rule="reversal")
    if target.kind == "reversal":
        raise InvalidEntry("A reversal cannot itself be reversed.", rule="reversal")
    if (target.year, target.amount_sek) != (data.year, data.amount_sek):
        raise InvalidEntry(
            f"A reversal undoes the whole entry: year {target.year}, "
            f"amount_sek {target.amount_sek}.",
            rule="reversal",
        )
    already = session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses == target.id))
    if already is not None:
        raise _reversed_twice(target.id, by=already)
    return target.kind, -data.amount_sek


def _check_balances(
    after: Totals, *, planned: int, year: int, attempted: schemas.EntryCreate
) -> None:
    figures: dict[str, Any] = {
        "year": year,
        "planned_sek": planned,
        "committed_sek": after.committed_sek,
        "disbursed_sek": after.disbursed_sek,
        "recovered_sek": after.recovered_sek,
        "kind": attempted.kind,
        "amount_sek": attempted.amount_sek,
    }
    if after.committed_sek > planned:
        raise BalanceRuleBroken(
            "committed-within-plan",
            f"Commitments for {year} would reach {after.committed_sek} SEK, above the "
            f"grant's plan of {planned} SEK.",
            **figures,
        )
    if after.recovered_sek > after.disbursed_sek:
        raise BalanceRuleBroken(
            "recovered-within-disbursed",
            f"Recoveries for {year} would exceed what was disbursed "
            f"({after.recovered_sek} > {after.disbursed_sek} SEK).",
            **figures,
        )
    if after.net_disbursed_sek > after.committed_sek:
        raise BalanceRuleBroken(
            "disbursed-within-committed",
            f"Net disbursements for {year} would reach {after.net_disbursed_sek} SEK, above "
            f"the {after.committed_sek} SEK committed.",
            **figures,
        )


def _check_appropriation(session: Session, agency: str, year: int, delta: int) -> None:
    appropriation = appropriations.get(session, agency, year, lock=True)
    if appropriation is None:
        raise AppropriationExceeded(
            "R7",
            f"{agency} has no appropriation for {year}; nothing can be committed on it.",
            year=year,
        )
    committed = repository.agency_year_committed(session, agency, year)
    if committed + delta > appropriation.amount_sek:
        raise AppropriationExceeded(
            "R7",
            f"{agency}'s commitments for {year} would reach {committed + delta} SEK, above "
            f"its appropriation of {appropriation.amount_sek} SEK.",
            year=year,
            appropriation_sek=appropriation.amount_sek,
            committed_sek=committed,
            amount_sek=delta,
        )


def _reversed_twice(entry_id: int | None, by: int | None = None) -> BalanceRuleBroken:
    return BalanceRuleBroken(
        "reversal-once",
        f"Entry {entry_id} has already been reversed" + (f" by entry {by}." if by else "."),
        reverses=entry_id,
    )


def view(entry: LedgerEntry, reversed_by: int | None = None) -> schemas.Entry:
    return schemas.Entry(
        id=entry.id,
        grant_id=entry.grant_id,
        kind=cast(schemas.Kind, entry.kind),  # the table's CHECK keeps it to these four
        counts_as=entry.counts_as,
        year=entry.year,
        amount_sek=entry.amount_sek,
        booked_on=entry.booked_on,
        reverses=entry.reverses,
        reversed_by=reversed_by,
        balance=schemas.Balance(
            committed_sek=entry.committed_sek,
            disbursed_sek=entry.disbursed_sek,
            recovered_sek=entry.recovered_sek,
            net_disbursed_sek=entry.disbursed_sek - entry.recovered_sek,
        ),
        recorded_at=entry.recorded_at,
        client_id=entry.client_id,
        agency=entry.writer_agency,
        request_id=entry.request_id,
    )
