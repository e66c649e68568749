"""Who may call a route, the loaders every route shares, the session and the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from kit.auth import require
from kit.db import request_session
from kit.principal import Principal
from kit.problems import Forbidden
from services.calls import models, repository
from services.calls.audit import Actor
from services.calls.exceptions import CallNotFound

DbSession = Annotated[Session, Depends(request_session, scope="function")]


# The cheap dependencies are async: a sync one costs a worker-thread hop per request.


async def current_time(request: Request) -> datetime:
    """The app's clock (tests move it; everything time-dependent reads it from here)."""
    now: datetime = request.app.state.clock()
    return now


Now = Annotated[datetime, Depends(current_time)]

Reader = Annotated[Principal, Depends(require(roles={"agency", "office"}, scope="calls:read"))]
AgencyWriter = Annotated[Principal, Depends(require(roles={"agency"}, scope="calls:write"))]
Coordinator = Annotated[Principal, Depends(require(roles={"office"}, scope="calls:coordinate"))]
Service = Annotated[Principal, Depends(require(roles={"service"}, scope="internal:read"))]


async def publisher(principal: Reader) -> Principal:
    """The owning agency (calls:write) or the office (calls:coordinate)."""
    needed = "calls:write" if principal.role == "agency" else "calls:coordinate"
    if needed not in principal.scopes:
        raise Forbidden(f"The scope '{needed}' is needed.", required_scope=needed)
    return principal


Publisher = Annotated[Principal, Depends(publisher)]

CallId = Annotated[str, Path(max_length=36, description="The call's id")]


def _actor(request: Request, principal: Principal) -> Actor:
    return Actor(principal=principal, request_id=getattr(request.state, "request_id", None))


def _load(session: Session, call_id: str, principal: Principal) -> models.Call:
    call = repository.get_call(session, call_id, principal=principal)
    if call is None:
        raise CallNotFound(f"No call {call_id} that you may see.")
    return call


def readable_call(call_id: CallId, session: DbSession, principal: Reader) -> models.Call:
    """The call if the caller may read it; another agency's call is a 404, as if absent."""
    return _load(session, call_id, principal)


def writable_call(call_id: CallId, session: DbSession, principal: AgencyWriter) -> models.Call:
    return _load(session, call_id, principal)


def publishable_call(call_id: CallId, session: DbSession, principal: Publisher) -> models.Call:
    return _load(session, call_id, principal)


async def agency_actor(request: Request, principal: AgencyWriter) -> Actor:
    return _actor(request, principal)


async def publisher_actor(request: Request, principal: Publisher) -> Actor:
    return _actor(request, principal)


async def coordinator_actor(request: Request, principal: Coordinator) -> Actor:
    return _actor(request, principal)


ReadableCall = Annotated[models.Call, Depends(readable_call)]
WritableCall = Annotated[models.Call, Depends(writable_call)]
PublishableCall = Annotated[models.Call, Depends(publishable_call)]
AgencyActor = Annotated[Actor, Depends(agency_actor)]
PublisherActor = Annotated[Actor, Depends(publisher_actor)]
CoordinatorActor = Annotated[Actor, Depends(coordinator_actor)]
