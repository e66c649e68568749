"""What every router of the service shares: the session, who may call, `as_of`, audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy.orm import Session

from kit.auth import require
from kit.db import request_session, utcnow
from kit.instants import IsoDateTime
from kit.logs import request_id_var
from kit.principal import Principal
from kit.problems import Forbidden, Unprocessable

DbSession = Annotated[Session, Depends(request_session, scope="function")]

# Agencies write their own records; the office reads everything and writes nothing here.
Writer = Annotated[Principal, Depends(require(roles={"agency"}, scope="grants:write"))]
Reader = Annotated[Principal, Depends(require(roles={"agency", "office"}, scope="grants:read"))]
ServiceCaller = Annotated[Principal, Depends(require(roles={"service"}, scope="internal:read"))]


def _as_of(
    as_of: Annotated[
        IsoDateTime | None,
        Query(description="Read the state as it was at this instant (ISO 8601 with zone)"),
    ] = None,
) -> datetime | None:
    if as_of is not None and as_of.tzinfo is None:
        raise Unprocessable(
            "as_of needs a time zone (e.g. 2026-01-01T00:00:00Z).", parameter="as_of"
        )
    return as_of


# None means "now"; services read it as `as_of or utcnow()`.
AsOf = Annotated[datetime | None, Depends(_as_of)]


def as_of_or_now(as_of: datetime | None) -> datetime:
    return as_of or utcnow()


@dataclass(frozen=True)
class Actor:
    """Who made a write, recorded on every row that a write creates."""

    client_id: str
    agency: str | None
    request_id: str | None

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(
            client_id=principal.client or principal.sub,
            agency=principal.agency,
            request_id=request_id_var.get(),
        )


def own_agency(principal: Principal) -> str:
    """The writing agency; `Writer` guarantees the role, this narrows the type."""
    if principal.agency is None:
        raise Forbidden("This client is not bound to an agency.")
    return principal.agency


def visible_agency(principal: Principal) -> str | None:
    """The agency whose records a reader is limited to; None for the office (reads all)."""
    return principal.agency if principal.role == "agency" else None
