"""Grants: one agency's funding decision under one of its calls, with a yearly plan."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.db import UtcDateTime
from services.grants.base import Base

GRANT_STATUSES = ("awarded", "active", "completed", "terminated")


class Grant(Base):
    __tablename__ = "grant"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agency: Mapped[str] = mapped_column(String(10))
    # Another service's id: a value, never a foreign key.
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    # The call's stage when the grant was recorded (R3 and R5 apply to establishment).
    stage: Mapped[str] = mapped_column(String(30))
    cluster_id: Mapped[str] = mapped_column(ForeignKey("cluster.id"), index=True)
    registration_number: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    # The cluster's area when the decision was recorded; the ledger copies it for grouping.
    technology_area: Mapped[str] = mapped_column(String(20))
    technology_area_label: Mapped[str | None] = mapped_column(String(200))
    total_sek: Mapped[int] = mapped_column(BigInteger)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    client_id: Mapped[str] = mapped_column(String(100))
    request_id: Mapped[str | None] = mapped_column(String(128))

    plan: Mapped[list[GrantYear]] = relationship(
        lazy="raise", order_by="GrantYear.year", back_populates="grant"
    )

    __table_args__ = (
        # Registration numbers are unique per agency, not across agencies (domain.md).
        UniqueConstraint("agency", "registration_number"),
        Index(None, "agency", "created_at", "id"),
        CheckConstraint("ends_on >= starts_on", name="period"),
        CheckConstraint(
            "status IN ('awarded', 'active', 'completed', 'terminated')", name="status"
        ),
    )


class GrantYear(Base):
    """One year of a grant's plan: the amount and the SSH part of it (R3)."""

    __tablename__ = "grant_year"

    grant_id: Mapped[str] = mapped_column(ForeignKey("grant.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_sek: Mapped[int] = mapped_column(BigInteger)
    ssh_amount_sek: Mapped[int] = mapped_column(BigInteger)

    grant: Mapped[Grant] = relationship(lazy="raise", back_populates="plan")

    __table_args__ = (
        Index(None, "year"),
        CheckConstraint("amount_sek > 0", name="amount_sek"),
        CheckConstraint("ssh_amount_sek >= 0 AND ssh_amount_sek <= amount_sek", name="ssh"),
    )
