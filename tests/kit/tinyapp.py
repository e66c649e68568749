"""A tiny service built only from the kit, served by uvicorn, with a database of its own.

Its tables exist only for these tests. `item.parent_id` is a foreign key checked at COMMIT
(DEFERRABLE INITIALLY DEFERRED) on both SQLite and PostgreSQL, so a write that breaks it
fails exactly where the request's transaction is committed and nowhere earlier.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from pydantic import BaseModel
from sqlalchemy import Column, ForeignKey, Integer, String, Table, event, insert, select
from sqlalchemy.orm import Session

from kit.auth import CurrentPrincipal, require
from kit.db import make_metadata, request_session
from kit.money import Sek
from kit.pagination import Cursor, Limit, Page, after, decode_cursor, encode_cursor, link_next
from kit.problems import RuleViolation, problem_responses
from kit.service import create_service_app
from kit.settings import ServiceSettings
from kit.tokens import SigningKey, issue, jwks_document

NAME = "kittest"

metadata = make_metadata()
parent = Table("kit_parent", metadata, Column("id", Integer, primary_key=True))
item = Table(
    "kit_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rank", Integer, nullable=False),
    Column(
        "parent_id",
        Integer,
        ForeignKey("kit_parent.id", deferrable=True, initially="DEFERRED"),
        nullable=True,
    ),
    Column("name", String(50), nullable=False),
)

DbSession = Annotated[Session, Depends(request_session, scope="function")]


class ItemIn(BaseModel):
    id: int
    rank: int = 0
    parent_id: int | None = None
    name: str = "item"


class ItemOut(BaseModel):
    id: int
    rank: int
    name: str


class Payment(BaseModel):
    amount_sek: Sek


class Who(BaseModel):
    sub: str
    role: str
    agency: str | None


router = APIRouter(prefix="/v1")


@router.post("/items", status_code=201, responses=problem_responses(409, 422, 500))
def create_item(body: ItemIn, session: DbSession, request: Request) -> ItemOut:
    session.execute(insert(item).values(**body.model_dump()))
    request.app.state.handled += 1
    return ItemOut(id=body.id, rank=body.rank, name=body.name)


@router.get("/items", responses=problem_responses(422))
def list_items(
    request: Request,
    response: Response,
    session: DbSession,
    limit: Limit = 50,
    cursor: Cursor = None,
    descending: bool = False,
) -> Page[ItemOut]:
    keys = [(item.c.rank, descending), (item.c.id, descending)]
    order = [k.desc() if descending else k.asc() for k, _ in keys]
    query = select(item).order_by(*order).limit(limit + 1)
    if cursor:
        query = query.where(after(keys, decode_cursor(cursor, 2)))
    rows = session.execute(query).all()
    items = [ItemOut(id=r.id, rank=r.rank, name=r.name) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor([last.rank, last.id]) if last else None
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.post("/payments", status_code=201, responses=problem_responses(422))
def pay(body: Payment) -> Payment:
    return body


@router.post("/rules/{rule}", responses=problem_responses(409, 422))
def break_rule(rule: str, status: int | None = None) -> None:
    raise RuleViolation(rule, f"{rule} refuses this.", status=status)


@router.get("/boom")
def boom() -> None:
    raise RuntimeError("secret internals")


@router.get("/who")
def who(principal: CurrentPrincipal) -> Who:
    return Who(sub=principal.sub, role=principal.role, agency=principal.agency)


@router.get("/office-only", dependencies=[Depends(require(roles={"office"}))])
def office_only() -> dict[str, str]:
    return {"ok": "yes"}


@router.get("/needs-scope", dependencies=[Depends(require(scope="calls:write"))])
def needs_scope() -> dict[str, str]:
    return {"ok": "yes"}


def create_tiny_app(url: str, schema: str | None, key: SigningKey) -> FastAPI:
    settings = ServiceSettings(
        environment="test",
        log_level="WARNING",
        database_url=url,
        database_schema=schema,
        jwks=json.dumps(jwks_document([key])),
        jwks_url=None,
    )
    app = create_service_app(
        name=NAME, title="Tiny", description="Kit tests.", settings=settings, routers=[router]
    )
    app.state.handled = 0
    app.state.fail_commit = False

    @event.listens_for(app.state.database.writer, "before_commit")
    def _maybe_fail(session: Session) -> None:
        if app.state.fail_commit:
            raise RuntimeError("the commit failed")

    return app


def internal_token(
    key: SigningKey,
    *,
    role: str = "agency",
    agency: str | None = "vr",
    scope: str = "calls:read calls:write",
    **claims: Any,
) -> str:
    token, _ = issue(
        key,
        issuer="urn:programme-office:gateway",
        audience=f"urn:programme-office:{NAME}",
        subject=f"dev-{agency or role}",
        ttl=120,
        role=role,
        agency=agency,
        scope=scope,
        **claims,
    )
    return token
