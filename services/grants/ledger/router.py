"""The ledger through the public API: append (owner, Idempotency-Key required), read (owner
and office), and the summary (office: all; an agency: its own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from kit.db import utcnow
from kit.pagination import Cursor, Limit
from kit.problems import Unprocessable, problem_responses
from services.grants.common import Actor, AsOf, DbSession, Reader, Writer, visible_agency
from services.grants.grants import repository as grants
from services.grants.grants.exceptions import GrantNotFound
from services.grants.grants.models import Grant
from services.grants.idempotency import service as idempotency
from services.grants.idempotency.dependencies import RequiredIdempotencyKey, scope_for
from services.grants.ledger import reading, schemas, service

router = APIRouter(prefix="/v1", tags=["ledger"])


def _grant(session: DbSession, grant_id: str, agency: str | None, *, lock: bool = False) -> Grant:
    grant = grants.get(session, grant_id, agency=agency, lock=lock)
    if grant is None:
        raise GrantNotFound(f"No grant {grant_id}.")
    return grant


@router.post(
    "/grants/{grant_id}/ledger",
    status_code=201,
    response_model=schemas.Entry,
    responses=problem_responses(400, 401, 403, 404, 409, 422, 428),
)
def append_entry(
    grant_id: str,
    body: schemas.EntryCreate,
    request: Request,
    session: DbSession,
    principal: Writer,
    key: RequiredIdempotencyKey,
) -> Response:
    actor = Actor.of(principal)
    # The grant's row lock comes first: it serialises every write to this grant's ledger,
    # the key lookup included, so a retry waits for its first attempt and then replays it.
    grant = _grant(session, grant_id, actor.agency, lock=True)

    def append() -> idempotency.Outcome:
        entry = service.append(session, grant=grant, data=body, actor=actor)
        return idempotency.Outcome(
            201, entry.model_dump_json(), location=f"/v1/grants/{grant.id}/ledger/{entry.id}"
        )

    scope = scope_for(request, actor.client_id, key, body)
    return idempotency.run(session, scope, append).response()


@router.get("/grants/{grant_id}/ledger", responses=problem_responses(401, 403, 404, 422))
def list_entries(
    grant_id: str,
    session: DbSession,
    principal: Reader,
    as_of: AsOf,
    limit: Limit = 200,
    cursor: Cursor = None,
) -> schemas.LedgerPage:
    grant = _grant(session, grant_id, visible_agency(principal))
    return reading.entries(
        session, grant=grant, as_of=as_of or utcnow(), limit=limit, cursor=cursor
    )


@router.get("/grants/{grant_id}/ledger/{entry_id}", responses=problem_responses(401, 403, 404, 422))
def get_entry(
    grant_id: str,
    entry_id: Annotated[int, Path(ge=1, le=schemas.ENTRY_ID_MAX)],
    session: DbSession,
    principal: Reader,
    as_of: AsOf,
) -> schemas.Entry:
    grant = _grant(session, grant_id, visible_agency(principal))
    return reading.entry(session, grant=grant, entry_id=entry_id, as_of=as_of or utcnow())


@router.get("/ledger/summary", responses=problem_responses(401, 403, 422))
def ledger_summary(
    session: DbSession,
    principal: Reader,
    as_of: AsOf,
    group_by: Annotated[
        list[str] | None,
        Query(description="Any of year, agency, technology_area, kind (repeat or comma-separate)"),
    ] = None,
    agency: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    technology_area: str | None = None,
) -> schemas.Summary:
    own = visible_agency(principal)
    if own is not None and agency not in (None, own):
        # An agency's summary is its own; asking for the other's gives nothing, not an error.
        return schemas.Summary(as_of=as_of or utcnow(), group_by=_groups(group_by), rows=[])
    return reading.summary(
        session,
        as_of=as_of or utcnow(),
        group_by=_groups(group_by),
        agency=own or agency,
        year=year,
        technology_area=technology_area,
    )


def _groups(values: list[str] | None) -> list[schemas.GroupKey]:
    """The grouping asked for; none given is all four, an empty `group_by=` is one total."""
    if values is None:
        return list(schemas.GROUP_KEYS)
    chosen: list[schemas.GroupKey] = []
    for part in (p.strip() for v in values for p in v.split(",") if p.strip()):
        match = next((key for key in schemas.GROUP_KEYS if key == part), None)
        if match is None:
            raise Unprocessable(
                f"group_by takes {', '.join(schemas.GROUP_KEYS)}; not '{part}'.",
                parameter="group_by",
            )
        if match not in chosen:
            chosen.append(match)
    return chosen
