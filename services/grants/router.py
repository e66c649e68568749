from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.auth import CurrentPrincipal, require
from kit.db import request_session
from kit.pagination import Cursor, Limit, Page, after, decode_cursor, encode_cursor, link_next
from services.grants import models, schemas

router = APIRouter(prefix="/v1", tags=["grants"])

DbSession = Annotated[Session, Depends(request_session, scope="function")]


@router.get("/grants", dependencies=[Depends(require(roles={"agency", "office"}))])
def list_grants(
    request: Request, response: Response, session: DbSession, principal: CurrentPrincipal,
    limit: Limit = 50, cursor: Cursor = None,
) -> Page[schemas.Grant]:
    query = select(models.Grant).order_by(models.Grant.created_at, models.Grant.id)
    if principal.role == "agency":
        query = query.where(models.Grant.agency == principal.agency)
    if cursor:
        created_at, grant_id = decode_cursor(cursor, 2)
        keys = [(models.Grant.created_at, False), (models.Grant.id, False)]
        query = query.where(after(keys, [datetime.fromisoformat(created_at), grant_id]))
    rows = session.scalars(query.limit(limit + 1)).all()
    items = [schemas.Grant.model_validate(r, from_attributes=True) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor([last.created_at.isoformat(), last.id]) if last else None
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)
