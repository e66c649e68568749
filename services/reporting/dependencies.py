"""What every reporting route may ask for: the clock, the owners' clients, the principals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from kit.auth import require
from kit.db import request_session
from kit.principal import Principal
from kit.problems import Forbidden
from services.reporting.upstream import Owners

DbSession = Annotated[Session, Depends(request_session, scope="function")]


def now(request: Request) -> datetime:
    # app.state.clock is kit.db.utcnow; a test may point it elsewhere to cross a due date
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def owners(request: Request) -> Owners:
    found: Owners = request.app.state.owners
    return found


Now = Annotated[datetime, Depends(now)]
OwnersDep = Annotated[Owners, Depends(owners)]

Reader = Annotated[
    Principal, Depends(require(roles={"office", "government", "agency"}, scope="reports:read"))
]
Office = Annotated[Principal, Depends(require(roles={"office"}, scope="reports:write"))]
Approver = Annotated[Principal, Depends(require(roles={"agency"}, scope="reports:approve"))]
# A planning report is the agency's account of its own grant: written with its grants scope.
GrantOwner = Annotated[Principal, Depends(require(roles={"agency"}, scope="grants:write"))]
OfficeReader = Annotated[Principal, Depends(require(roles={"office"}, scope="reports:read"))]


def actor(principal: Principal) -> str:
    """Who did a write, for the audit columns."""
    return principal.client or principal.sub


def agency_of(principal: Principal) -> str:
    if principal.agency is None:
        raise Forbidden("This principal speaks for no agency.")
    return principal.agency
