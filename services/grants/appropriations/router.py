"""Appropriations per agency and year. Only the owning agency writes; it and the office read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from kit.problems import problem_responses
from services.grants.appropriations import schemas, service
from services.grants.common import Actor, AsOf, DbSession, Reader, Writer, visible_agency

router = APIRouter(prefix="/v1/appropriations", tags=["appropriations"])

Year = Annotated[int, Path(ge=2000, le=2100)]


@router.put(
    "/{agency}/{year}",
    responses={
        201: {"model": schemas.Appropriation, "description": "Created"},
        **problem_responses(401, 403, 409, 422),
    },
)
def put_appropriation(
    agency: str,
    year: Year,
    body: schemas.AppropriationPut,
    session: DbSession,
    principal: Writer,
    response: Response,
) -> schemas.Appropriation:
    view, created = service.put(
        session, agency=agency, year=year, data=body, actor=Actor.of(principal)
    )
    if created:
        response.status_code = 201
        response.headers["Location"] = f"/v1/appropriations/{agency}/{year}"
    return view


@router.get("/{agency}/{year}", responses=problem_responses(401, 403, 404, 422))
def get_appropriation(
    agency: str, year: Year, session: DbSession, principal: Reader, as_of: AsOf
) -> schemas.Appropriation:
    return service.get(
        session, agency=agency, year=year, reader_agency=visible_agency(principal), as_of=as_of
    )


@router.get("", responses=problem_responses(401, 403, 422))
def list_appropriations(
    session: DbSession,
    principal: Reader,
    agency: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[schemas.Appropriation]:
    return service.list_all(
        session, reader_agency=visible_agency(principal), agency=agency, year=year
    )
