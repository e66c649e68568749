"""Planning grants' final reports (R12): written by the grant's agency, followed by the office."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response, status

from kit.auth import require
from kit.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, link_next
from kit.principal import Principal
from kit.problems import problem_responses
from services.reporting.dependencies import (
    DbSession,
    GrantOwner,
    Now,
    OfficeReader,
    OwnersDep,
    actor,
    agency_of,
)
from services.reporting.planning import schemas, service

router = APIRouter(prefix="/v1/reports/planning", tags=["planning final reports"])

GrantId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,64}$", description="The grant's id")]
OwnerOrOffice = Annotated[
    Principal, Depends(require(roles={"office", "agency"}, scope="reports:read"))
]


@router.get(
    "",
    responses=problem_responses(401, 403, 422, 502, 503),
    summary="Every planning grant's final report: due, submitted, missing parts, overdue",
)
def list_planning_reports(
    session: DbSession,
    owners: OwnersDep,
    _: OfficeReader,
    now: Now,
    request: Request,
    response: Response,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[schemas.PlanningReportStatus]:
    after = str(decode_cursor(cursor, 1)[0]) if cursor else None
    lines = [
        line
        for line in service.overview(session, owners, now=now)
        if after is None or line.grant_id > after
    ]
    next_cursor = encode_cursor([lines[limit - 1].grant_id]) if len(lines) > limit else None
    link_next(request, response, next_cursor)
    return Page(items=lines[:limit], next_cursor=next_cursor)


@router.put(
    "/{grant_id}",
    responses={
        201: {"model": schemas.PlanningReport, "description": "The first report"},
        **problem_responses(401, 403, 404, 409, 412, 422, 502, 503),
    },
    summary="The grant's agency submits or updates its planning grant's final report",
)
def put_planning_report(
    grant_id: GrantId,
    body: schemas.PlanningReportBody,
    session: DbSession,
    owners: OwnersDep,
    principal: GrantOwner,
    now: Now,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> schemas.PlanningReport:
    """Each part is text or missing (left out or null). `If-Match` with the ETag is
    optional; when sent, a report changed meanwhile answers 412."""
    head, revision, created = service.put(
        session,
        owners,
        grant_id=grant_id,
        agency=agency_of(principal),
        body=body,
        if_match=if_match,
        by=actor(principal),
        now=now,
    )
    response.headers["ETag"] = service.etag(head)
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/v1/reports/planning/{grant_id}"
    return service.view(head, revision, now=now)


@router.get(
    "/{grant_id}",
    responses=problem_responses(401, 403, 404, 422),
    summary="A planning grant's final report (the office, or the grant's agency)",
)
def read_planning_report(
    grant_id: GrantId,
    session: DbSession,
    principal: OwnerOrOffice,
    now: Now,
    response: Response,
) -> schemas.PlanningReport:
    agency = agency_of(principal) if principal.role == "agency" else None
    head, revision = service.read(session, grant_id=grant_id, agency=agency)
    response.headers["ETag"] = service.etag(head)
    return service.view(head, revision, now=now)
