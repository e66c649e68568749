from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import UtcDateTime, utcnow
from services.grants.base import Base


class IdempotencyKey(Base):
    """The first answer to a request sent with an `Idempotency-Key`, replayed on a retry.

    Keys are scoped per client: two clients may use the same key for different requests.
    """

    __tablename__ = "idempotency_key"

    client_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # sha256 of method, path and the canonical body: "the same request" means the same hash.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
