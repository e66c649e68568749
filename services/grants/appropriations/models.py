"""Appropriations per agency and year (R7, R8), with every earlier figure kept.

`appropriation` holds the current figure and is the row that commitments lock (R7);
`appropriation_revision` keeps each figure as it was written, so a report built for an
earlier `as_of` shows the appropriation as it then stood.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKeyConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import UtcDateTime
from services.grants.base import Base

_STATUS_CHECK = "status IN ('estimate', 'confirmed')"


class Appropriation(Base):
    __tablename__ = "appropriation"

    agency: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50))
    amount_sek: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint("amount_sek >= 0", name="amount_sek"),
        CheckConstraint(_STATUS_CHECK, name="status"),
    )


class AppropriationRevision(Base):
    __tablename__ = "appropriation_revision"

    agency: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50))
    amount_sek: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    client_id: Mapped[str] = mapped_column(String(100))
    request_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (
        ForeignKeyConstraint(["agency", "year"], ["appropriation.agency", "appropriation.year"]),
        CheckConstraint("amount_sek >= 0", name="amount_sek"),
        CheckConstraint(_STATUS_CHECK, name="status"),
    )
