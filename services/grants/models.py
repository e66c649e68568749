"""The grants service's tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import UtcDateTime, make_metadata, utcnow


class Base(DeclarativeBase):
    metadata = make_metadata()


class Grant(Base):
    __tablename__ = "grant"

    id: Mapped[str] = mapped_column(
        String(36), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    agency: Mapped[str] = mapped_column(String(20), index=True)
    call_id: Mapped[str] = mapped_column(String(36))
    registration_number: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="awarded")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
