"""The calls service's tables: calls and their areas, coordinated rounds, the audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kit.db import UtcDateTime, make_metadata, utcnow


class Base(DeclarativeBase):
    metadata = make_metadata()


def new_id() -> str:
    return str(uuid.uuid4())


class TechnologyArea(Base):
    """Reference data (domain.md R14), loaded by `services.calls.reference`."""

    __tablename__ = "technology_area"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # Vinnova's strategic strand may use only some areas; VR's open strand any.
    strategic: Mapped[bool] = mapped_column(Boolean, server_default=false())
    position: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class Coordination(Base):
    """A coordinated round (R13): calls of both agencies published at one instant."""

    __tablename__ = "coordination"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    publish_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    calls: Mapped[list[Call]] = relationship(back_populates="coordination", lazy="raise")


class Call(Base):
    __tablename__ = "call"
    __table_args__ = (
        Index("call_created_at_id_idx", "created_at", "id"),
        Index("call_closes_at_id_idx", "closes_at", "id"),
        Index("call_updated_at_id_idx", "updated_at", "id"),
        Index("call_published_at_idx", "published_at"),
        Index("call_coordination_id_idx", "coordination_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    agency: Mapped[str] = mapped_column(String(20), index=True)
    strand: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    title_sv: Mapped[str | None] = mapped_column(String(500))
    title_en: Mapped[str | None] = mapped_column(String(500))
    summary_sv: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    # Case-folded titles and summaries of both languages, for `q` on either database.
    search_text: Mapped[str] = mapped_column(Text, server_default="")
    other_technology_area: Mapped[str | None] = mapped_column(String(200))
    trl_min: Mapped[int | None] = mapped_column(Integer)
    trl_max: Mapped[int | None] = mapped_column(Integer)
    budget_sek: Mapped[int | None] = mapped_column(BigInteger)
    max_award_sek: Mapped[int | None] = mapped_column(BigInteger)
    opens_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    requires_ssh: Mapped[bool] = mapped_column(Boolean, server_default=false())
    requires_multiple_heis: Mapped[bool] = mapped_column(Boolean, server_default=false())
    requires_graduate_school: Mapped[bool] = mapped_column(Boolean, server_default=false())
    url: Mapped[str | None] = mapped_column(String(2000))
    coordination_id: Mapped[str | None] = mapped_column(ForeignKey("coordination.id"))
    # Counts every write; the ETag, and the optimistic lock of concurrent writes.
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Each lifecycle step's instant; reports ask what was published as of a time.
    # `published_at` may lie ahead (a round's `publish_at`): the call is public from then.
    ready_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    areas: Mapped[list[CallTechnologyArea]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="CallTechnologyArea.position",
    )
    coordination: Mapped[Coordination | None] = relationship(back_populates="calls", lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared form)

    @property
    def technology_areas(self) -> list[str]:
        return [area.code for area in self.areas]


class CallTechnologyArea(Base):
    """One of a call's technology areas; a table (not a list column) so filters use an index."""

    __tablename__ = "call_technology_area"
    __table_args__ = (Index("call_technology_area_code_call_id_idx", "code", "call_id"),)

    call_id: Mapped[str] = mapped_column(
        ForeignKey("call.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(ForeignKey("technology_area.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class PublicState(Base):
    """One row whose token changes in every transaction that changes public data.

    Public answers are cached per worker under (query, token, passed instants); reading the
    token is one primary-key lookup, and the row lock orders the writers, so no worker can
    keep serving an answer that a committed write has made stale.
    """

    __tablename__ = "public_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))


class AuditEvent(Base):
    """Who did each write, when, and under which request ID. Append-only."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    call_id: Mapped[str | None] = mapped_column(ForeignKey("call.id"), index=True)
    coordination_id: Mapped[str | None] = mapped_column(ForeignKey("coordination.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    agency: Mapped[str | None] = mapped_column(String(20))
    request_id: Mapped[str | None] = mapped_column(String(128))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
