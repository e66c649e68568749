"""The joint annual report (R9): build, read in three formats, list versions, approve, submit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Request, Response, status

from kit.pagination import Cursor, Limit, Page, decode_cursor, link_next
from kit.problems import Unprocessable, problem_responses
from services.reporting.annual import formats, schemas, service
from services.reporting.annual.dependencies import Year, YearOpen
from services.reporting.annual.tables import SECTIONS
from services.reporting.dependencies import (
    Approver,
    DbSession,
    Now,
    Office,
    OwnersDep,
    Reader,
    actor,
    agency_of,
)

router = APIRouter(prefix="/v1/reports/annual", tags=["annual report"])

REPRESENTATIONS = {
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    }
}


@router.post(
    "/{year}",
    status_code=status.HTTP_201_CREATED,
    dependencies=[YearOpen],
    response_model=schemas.AnnualReportVersion,
    responses=problem_responses(401, 403, 409, 422, 502, 503),
    summary="Build a new version of the year's report",
)
def build_report(
    year: Year,
    session: DbSession,
    principal: Office,
    owners: OwnersDep,
    now: Now,
    body: Annotated[schemas.BuildRequest | None, Body()] = None,
) -> Response:
    """Reads both services' aggregates as of `as_of` (default now) and stores an immutable
    version; the same `as_of` gives the same checksum. 409 once the year is submitted."""
    as_of = service.resolve_as_of(body.as_of if body else None, now)
    row = service.build_version(
        session, owners, year=year, as_of=as_of, built_by=actor(principal), now=now
    )
    return formats.json_response(
        service.facts(session, row, now=now),
        row.content,
        status_code=status.HTTP_201_CREATED,
        headers={"Location": f"/v1/reports/annual/{year}?version={row.version}"},
    )


@router.get(
    "/{year}",
    response_model=schemas.AnnualReportVersion,
    responses={
        200: REPRESENTATIONS,
        304: {"description": "Not modified (If-None-Match)"},
        **problem_responses(401, 403, 404, 406, 422),
    },
    summary="The year's report: latest version, or ?version=N; JSON, CSV or HTML",
)
def read_report(
    year: Year,
    session: DbSession,
    _: Reader,
    now: Now,
    request: Request,
    # bounded like a body's version: a number past the column's range was a 500 (fuzzing)
    version: Annotated[
        int | None,
        Query(ge=1, le=schemas.VERSION_MAX, description="A version (default latest)"),
    ] = None,
    format: Annotated[
        formats.Format | None, Query(description="Overrides the Accept header")
    ] = None,
    section: Annotated[
        str | None,
        Query(description=f"With format=csv: one table, wide. One of {', '.join(SECTIONS)}"),
    ] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    fmt = formats.choose(format, accept)
    row = service.find_version(session, year, version)
    facts = service.facts(session, row, now=now)
    return formats.respond(request, facts=facts, stored=row.content, fmt=fmt, section=section)


@router.get(
    "/{year}/versions",
    responses=problem_responses(401, 403, 404, 422),
    summary="The year's versions, newest first, with build times and checksums",
)
def list_versions(
    year: Year,
    session: DbSession,
    _: Reader,
    now: Now,
    request: Request,
    response: Response,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[schemas.VersionFacts]:
    after = _version_cursor(cursor)
    items, next_cursor = service.list_versions(session, year, after=after, limit=limit, now=now)
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/{year}/approve",
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="The calling agency approves one version (approving another moves its approval)",
)
def approve_report(
    year: Year, body: schemas.VersionRequest, session: DbSession, principal: Approver, now: Now
) -> schemas.ApprovalState:
    return service.approve(
        session,
        year=year,
        version=body.version,
        agency=agency_of(principal),
        by=actor(principal),
        now=now,
    )


@router.post(
    "/{year}/submit",
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Submit a version both agencies approved; locks the year (R9)",
)
def submit_report(
    year: Year, body: schemas.VersionRequest, session: DbSession, principal: Office, now: Now
) -> schemas.Submission:
    return service.submit(session, year=year, version=body.version, by=actor(principal), now=now)


def _version_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    value = decode_cursor(cursor, 1)[0]
    if not isinstance(value, int) or isinstance(value, bool):
        raise Unprocessable("The cursor is not valid.", parameter="cursor")
    return value
