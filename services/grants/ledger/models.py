"""The append-only ledger. Rows are inserted and never updated or deleted.

Each row carries what the summaries group by (agency, technology area, year) so that
`GET /v1/ledger/summary` is one GROUP BY over one table, and `counts_as` / `delta_sek` so that
a reversal nets against the kind of the entry it reverses without a join. The year's running
balances after the entry are stored with it: they are computed under the grant's lock, so
reading any past state is a plain filter on `recorded_at`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import UtcDateTime
from services.grants.base import Base, BigId


class LedgerEntry(Base):
    __tablename__ = "ledger_entry"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    grant_id: Mapped[str] = mapped_column(ForeignKey("grant.id"))
    agency: Mapped[str] = mapped_column(String(10))
    technology_area: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))
    # The kind whose balance this entry moves: its own, or for a reversal the reversed one's.
    counts_as: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    amount_sek: Mapped[int] = mapped_column(BigInteger)
    # +amount_sek, or -amount_sek for a reversal.
    delta_sek: Mapped[int] = mapped_column(BigInteger)
    booked_on: Mapped[date] = mapped_column(Date)
    # Unique: an entry is reversed at most once, even by two requests at the same instant.
    reverses: Mapped[int | None] = mapped_column(BigId, ForeignKey("ledger_entry.id"), unique=True)
    committed_sek: Mapped[int] = mapped_column(BigInteger)
    disbursed_sek: Mapped[int] = mapped_column(BigInteger)
    recovered_sek: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    client_id: Mapped[str] = mapped_column(String(100))
    writer_agency: Mapped[str] = mapped_column(String(10))
    request_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (
        Index(None, "grant_id", "year"),
        # R7's sum of an agency-year's commitments reads only this index.
        Index(None, "agency", "year", "counts_as", "delta_sek"),
        # The summary's GROUP BY (default grouping) reads only this index, already in group
        # order: no table scan and no sort (about 5x faster on SQLite at a million entries).
        Index(
            "ledger_entry_summary_idx",
            "year",
            "agency",
            "technology_area",
            "kind",
            "counts_as",
            "recorded_at",
            "delta_sek",
            "amount_sek",
        ),
        CheckConstraint(
            "kind IN ('commitment', 'disbursement', 'recovery', 'reversal')", name="kind"
        ),
        CheckConstraint(
            "counts_as IN ('commitment', 'disbursement', 'recovery')", name="counts_as"
        ),
        CheckConstraint("amount_sek > 0", name="amount_sek"),
        CheckConstraint(
            "(kind = 'reversal' AND reverses IS NOT NULL AND delta_sek = -amount_sek)"
            " OR (kind <> 'reversal' AND reverses IS NULL AND delta_sek = amount_sek"
            " AND counts_as = kind)",
            name="reversal",
        ),
        CheckConstraint(
            "committed_sek >= 0 AND recovered_sek >= 0 AND recovered_sek <= disbursed_sek"
            " AND disbursed_sek - recovered_sek <= committed_sek",
            name="balances",
        ),
    )
