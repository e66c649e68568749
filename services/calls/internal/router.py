"""Routes for other services (docs/internal-api.md); hidden from the public OpenAPI document."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.calls import repository
from services.calls.dependencies import DbSession, Now, Service
from services.calls.exceptions import CallNotFound
from services.calls.internal import schemas, service

router = APIRouter(prefix="/internal/v1", include_in_schema=False)


@router.get("/calls/{call_id}")
def get_call(
    call_id: Annotated[str, Path(max_length=36)], session: DbSession, principal: Service
) -> schemas.InternalCall:
    call = repository.get_call(session, call_id)
    if call is None:
        raise CallNotFound(f"No call {call_id}.")
    return schemas.InternalCall.model_validate(call, from_attributes=True)


@router.get("/report/calls")
def calls_report(
    query: Annotated[schemas.ReportQuery, Query()], session: DbSession, principal: Service, now: Now
) -> schemas.CallsReport:
    return service.calls_report(session, year=query.year, as_of=query.as_of or now)
