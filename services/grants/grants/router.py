"""Grants: an agency records decisions under its own calls; it and the office read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kit.pagination import Cursor, Limit, Page, link_next
from kit.problems import problem_responses
from services.grants.calls_client import CallsLookup
from services.grants.common import Actor, DbSession, Reader, Writer, visible_agency
from services.grants.grants import rules, schemas, service
from services.grants.idempotency import service as idempotency
from services.grants.idempotency.dependencies import OptionalIdempotencyKey, scope_for
from services.grants.vocabulary import TechnologyArea

router = APIRouter(prefix="/v1/grants", tags=["grants"])


@router.post(
    "",
    status_code=201,
    response_model=schemas.Grant,
    responses=problem_responses(400, 401, 403, 409, 422, 503),
)
def create_grant(
    body: schemas.GrantCreate,
    request: Request,
    session: DbSession,
    principal: Writer,
    key: OptionalIdempotencyKey,
) -> Response:
    rules.check_request(body)
    actor = Actor.of(principal)
    scope = scope_for(request, actor.client_id, key, body)
    if scope is not None:
        # A replay needs neither the calls service nor the write lock.
        with request.app.state.database.reader() as reader:
            replay = idempotency.find(reader, scope)
        if replay is not None:
            return replay.response()
    # Asked before the write transaction starts, so that a slow calls service never holds
    # the database's write lock; if it is down this is a 503 and nothing is written.
    calls: CallsLookup = request.app.state.calls
    call = calls.call(body.call_id)

    def record() -> idempotency.Outcome:
        grant = service.record(session, data=body, call=call, actor=actor)
        return idempotency.Outcome(201, grant.model_dump_json(), location=f"/v1/grants/{grant.id}")

    return idempotency.run(session, scope, record).response()


@router.get("", responses=problem_responses(401, 403, 422))
def list_grants(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    call_id: str | None = None,
    cluster_id: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    technology_area: TechnologyArea | None = None,
    status: str | None = None,
    agency: str | None = None,
    registration_number: str | None = None,
) -> Page[schemas.Grant]:
    own = visible_agency(principal)
    if own is not None and agency not in (None, own):
        return Page(items=[])
    items, next_cursor = service.list_page(
        session,
        agency=own or agency,
        limit=limit,
        cursor=cursor,
        call_id=call_id,
        cluster_id=cluster_id,
        year=year,
        technology_area=technology_area,
        status=status,
        registration_number=registration_number,
    )
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.get("/{grant_id}", responses=problem_responses(401, 403, 404))
def get_grant(grant_id: str, session: DbSession, principal: Reader) -> schemas.Grant:
    return service.get(session, grant_id=grant_id, agency=visible_agency(principal))
