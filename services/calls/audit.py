"""Who did each write: the client, its role and agency, and the request ID, per event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kit.auth import describe
from kit.principal import Principal
from services.calls.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    principal: Principal
    request_id: str | None

    @property
    def agency(self) -> str | None:
        return self.principal.agency

    @property
    def role(self) -> str:
        return self.principal.role


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    at: datetime,
    call_id: str | None = None,
    coordination_id: str | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    who = describe(actor.principal)
    session.add(
        AuditEvent(
            at=at,
            action=action,
            call_id=call_id,
            coordination_id=coordination_id,
            client_id=who["client_id"],
            role=actor.role,
            agency=who["agency"],
            request_id=actor.request_id,
            changes=changes,
        )
    )
