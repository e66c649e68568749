"""Agency and office routes for calls (api.md, "Calls")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from kit.pagination import link_next
from kit.problems import problem_responses
from services.calls import lifecycle, schemas, service
from services.calls.dependencies import (
    AgencyActor,
    DbSession,
    Now,
    PublishableCall,
    PublisherActor,
    ReadableCall,
    Reader,
    WritableCall,
)
from services.calls.etags import call_etag
from services.calls.models import Call

router = APIRouter(prefix="/v1", tags=["calls"])

IfMatch = Annotated[
    str | None,
    Header(description="The call's ETag; required on PATCH, honoured on lifecycle steps"),
]
ETAG_HEADER = {"ETag": {"description": "The call's version", "schema": {"type": "string"}}}


def _answer(response: Response, call: Call) -> schemas.Call:
    response.headers["ETag"] = call_etag(call.version)
    return schemas.Call.of(call)


@router.post(
    "/calls",
    status_code=201,
    summary="Create a call of one's own agency (draft)",
    responses={
        201: {"headers": {**ETAG_HEADER, "Location": {"schema": {"type": "string"}}}},
        **problem_responses(403, 422),
    },
)
def create_call(
    body: schemas.CallCreate, response: Response, session: DbSession, actor: AgencyActor, now: Now
) -> schemas.Call:
    call = service.create_call(session, actor=actor, data=body, now=now)
    response.headers["Location"] = f"/v1/calls/{call.id}"
    return _answer(response, call)


@router.get(
    "/calls",
    summary="List calls: an agency its own, the office all",
    responses=problem_responses(403, 422),
)
def list_calls(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    filters: Annotated[schemas.CallFilters, Query()],
) -> schemas.CallPage:
    calls, next_cursor = service.list_calls(session, principal=principal, filters=filters)
    link_next(request, response, next_cursor)
    return schemas.CallPage(items=[schemas.Call.of(c) for c in calls], next_cursor=next_cursor)


@router.get(
    "/calls/{call_id}",
    summary="One call (owner or office)",
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(403, 404)},
)
def get_call(call: ReadableCall, response: Response) -> schemas.Call:
    return _answer(response, call)


@router.patch(
    "/calls/{call_id}",
    summary="Edit a draft or ready call (owner; If-Match required)",
    description="Only the fields sent change; `title` and `summary` merge per language. "
    "A ready call must stay complete for publication.",
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(403, 404, 409, 412, 422, 428)},
)
def update_call(
    body: schemas.CallUpdate,
    call: WritableCall,
    response: Response,
    session: DbSession,
    actor: AgencyActor,
    now: Now,
    if_match: IfMatch = None,
) -> schemas.Call:
    service.update_call(session, call=call, actor=actor, data=body, if_match=if_match, now=now)
    return _answer(response, call)


STEP_RESPONSES = {200: {"headers": ETAG_HEADER}, **problem_responses(403, 404, 409, 412, 422)}


@router.post(
    "/calls/{call_id}/ready",
    summary="Approve a draft for publication: draft → ready (owner)",
    description="Checks that the call is complete for publication (422 naming what is missing).",
    responses=STEP_RESPONSES,
)
def mark_ready(
    call: WritableCall,
    response: Response,
    session: DbSession,
    actor: AgencyActor,
    now: Now,
    if_match: IfMatch = None,
) -> schemas.Call:
    lifecycle.step(session, call=call, name="ready", actor=actor, now=now, if_match=if_match)
    return _answer(response, call)


@router.post(
    "/calls/{call_id}/publish",
    summary="Publish a ready call: ready → published (owner or office)",
    description="A member of a coordinated round is published only through its round (409).",
    responses=STEP_RESPONSES,
)
def publish(
    call: PublishableCall,
    response: Response,
    session: DbSession,
    actor: PublisherActor,
    now: Now,
    if_match: IfMatch = None,
) -> schemas.Call:
    lifecycle.step(session, call=call, name="publish", actor=actor, now=now, if_match=if_match)
    return _answer(response, call)


@router.post(
    "/calls/{call_id}/close",
    summary="Close a published call once its deadline has passed (owner)",
    responses=STEP_RESPONSES,
)
def close(
    call: WritableCall,
    response: Response,
    session: DbSession,
    actor: AgencyActor,
    now: Now,
    if_match: IfMatch = None,
) -> schemas.Call:
    lifecycle.step(session, call=call, name="close", actor=actor, now=now, if_match=if_match)
    return _answer(response, call)


@router.post(
    "/calls/{call_id}/decide",
    summary="Record that a closed call is decided (owner)",
    responses=STEP_RESPONSES,
)
def decide(
    call: WritableCall,
    response: Response,
    session: DbSession,
    actor: AgencyActor,
    now: Now,
    if_match: IfMatch = None,
) -> schemas.Call:
    lifecycle.step(session, call=call, name="decide", actor=actor, now=now, if_match=if_match)
    return _answer(response, call)


@router.post(
    "/calls/{call_id}/cancel",
    summary="Cancel a call that is not yet decided (owner)",
    description="A cancelled call that was public stays in the public `updated_since` feed, "
    "marked `withdrawn`.",
    responses=STEP_RESPONSES,
)
def cancel(
    call: WritableCall,
    response: Response,
    session: DbSession,
    actor: AgencyActor,
    now: Now,
    if_match: IfMatch = None,
) -> schemas.Call:
    lifecycle.step(session, call=call, name="cancel", actor=actor, now=now, if_match=if_match)
    return _answer(response, call)
