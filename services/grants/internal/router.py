"""Routes for other services only (role `service`): never routed by the gateway and left out
of the public OpenAPI document (docs/internal-api.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kit.db import utcnow
from kit.problems import problem_responses
from services.grants.common import AsOf, DbSession, ServiceCaller
from services.grants.grants import schemas as grant_schemas
from services.grants.grants import service as grants
from services.grants.internal import schemas, service

router = APIRouter(prefix="/internal/v1", tags=["internal"], include_in_schema=False)


@router.get("/grants/{grant_id}", responses=problem_responses(401, 403, 404))
def internal_grant(
    grant_id: str, session: DbSession, caller: ServiceCaller
) -> grant_schemas.InternalGrant:
    return grants.internal(session, grant_id=grant_id)


@router.get("/report/annual", responses=problem_responses(401, 403, 422))
def annual_report(
    session: DbSession,
    caller: ServiceCaller,
    year: Annotated[int, Query(ge=2000, le=2100)],
    as_of: AsOf,
) -> schemas.AnnualReport:
    return service.annual(session, year=year, as_of=as_of or utcnow())
