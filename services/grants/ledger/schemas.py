from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kit.instants import IsoDate
from kit.money import Sek

Kind = Literal["commitment", "disbursement", "recovery", "reversal"]
GroupKey = Literal["year", "agency", "technology_area", "kind"]
GROUP_KEYS: tuple[GroupKey, ...] = ("year", "agency", "technology_area", "kind")
# An entry id fits the id column (BIGINT); a larger number was a 500 on SQLite (fuzzing).
ENTRY_ID_MAX = 2**63 - 1
EntryId = Annotated[int, Field(strict=True, ge=1, le=ENTRY_ID_MAX)]


class EntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    year: Annotated[int, Field(ge=2000, le=2100)]
    amount_sek: Annotated[Sek, Field(gt=0)]
    booked_on: IsoDate
    reverses: EntryId | None = Field(
        None, description="For a reversal: the id of the entry it reverses (same grant, once)"
    )


class Balance(BaseModel):
    committed_sek: int
    disbursed_sek: int
    recovered_sek: int
    net_disbursed_sek: int = Field(description="disbursed_sek - recovered_sek")


class Entry(BaseModel):
    id: int
    grant_id: str
    kind: Kind
    counts_as: str = Field(description="The kind whose balance the entry moves")
    year: int
    amount_sek: int
    booked_on: date
    reverses: int | None
    reversed_by: int | None = None
    balance: Balance = Field(description="The grant's balances for the year after this entry")
    recorded_at: datetime
    client_id: str
    agency: str
    request_id: str | None


class YearBalance(Balance):
    year: int
    planned_sek: int
    uncommitted_sek: int = Field(description="planned_sek - committed_sek")
    undisbursed_sek: int = Field(description="committed_sek - net_disbursed_sek")


class LedgerPage(BaseModel):
    grant_id: str
    as_of: datetime
    items: list[Entry]
    next_cursor: str | None = None
    balances: list[YearBalance] = Field(description="Per plan year, at as_of")


class SummaryRow(BaseModel):
    year: int | None = None
    agency: str | None = None
    technology_area: str | None = None
    kind: str | None = None
    entries: int
    amount_sek: int = Field(description="Sum of the entries' amounts as booked")
    committed_sek: int
    disbursed_sek: int
    recovered_sek: int
    net_disbursed_sek: int


class Summary(BaseModel):
    as_of: datetime
    group_by: list[GroupKey]
    rows: list[SummaryRow]
