from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.auth import require
from kit.db import request_session
from kit.pagination import Page
from services.reporting import models, schemas

router = APIRouter(prefix="/v1/reports", tags=["reports"])

DbSession = Annotated[Session, Depends(request_session, scope="function")]


@router.get("/planning", dependencies=[Depends(require(roles={"office"}))])
def list_planning_reports(session: DbSession) -> Page[schemas.PlanningReport]:
    rows = session.scalars(select(models.PlanningReport).order_by(models.PlanningReport.grant_id))
    return Page(items=[schemas.PlanningReport.model_validate(r, from_attributes=True)
                       for r in rows])
