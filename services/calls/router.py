from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.auth import CurrentPrincipal, require
from kit.db import request_session
from kit.pagination import Cursor, Limit, Page, after, decode_cursor, encode_cursor, link_next
from services.calls import models, schemas

router = APIRouter(prefix="/v1", tags=["calls"])
public = APIRouter(prefix="/v1/public", tags=["public"])

DbSession = Annotated[Session, Depends(request_session, scope="function")]


@router.get("/calls", dependencies=[Depends(require(roles={"agency", "office"}))])
def list_calls(
    request: Request,
    response: Response,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[schemas.Call]:
    query = select(models.Call).order_by(models.Call.created_at, models.Call.id)
    if principal.role == "agency":
        query = query.where(models.Call.agency == principal.agency)
    if cursor:
        created_at, call_id = decode_cursor(cursor, 2)
        query = query.where(
            after(
                [(models.Call.created_at, False), (models.Call.id, False)],
                [datetime.fromisoformat(created_at), call_id],
            )
        )
    rows = session.scalars(query.limit(limit + 1)).all()
    items = [schemas.Call.model_validate(row, from_attributes=True) for row in rows[:limit]]
    next_cursor = (
        encode_cursor([rows[limit - 1].created_at.isoformat(), rows[limit - 1].id])
        if len(rows) > limit
        else None
    )
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@public.get("/calls")
def list_public_calls(session: DbSession, limit: Limit = 50) -> Page[schemas.Call]:
    query = select(models.Call).where(models.Call.status == "published")
    rows = session.scalars(query.order_by(models.Call.id).limit(limit)).all()
    return Page(items=[schemas.Call.model_validate(r, from_attributes=True) for r in rows])
