"""Creating and editing calls. Flushes, never commits: the request commits (kit.db)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from kit.pagination import after, decode_cursor, encode_cursor
from kit.principal import Principal
from kit.problems import Unprocessable
from services.calls import repository
from services.calls.audit import Actor, record
from services.calls.etags import call_etag, require_match
from services.calls.exceptions import CallStateConflict, ConcurrentUpdate
from services.calls.models import Call, CallTechnologyArea, new_id
from services.calls.schemas import STRAND_OF, CallCreate, CallFilters, CallUpdate
from services.calls.validation import check_areas, check_consistency, check_publishable

EDITABLE = frozenset({"draft", "ready"})
# Body fields stored as they come, column by column.
PLAIN_FIELDS = (
    "stage",
    "other_technology_area",
    "trl_min",
    "trl_max",
    "budget_sek",
    "max_award_sek",
    "opens_at",
    "closes_at",
    "decision_at",
)
FLAGS = ("requires_ssh", "requires_multiple_heis", "requires_graduate_school")


def cursor_time(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Unprocessable("The cursor is not valid.", parameter="cursor")
    return moment


def flush(session: Session) -> None:
    """Flush; a concurrent write of the same call (version moved on) is a 409, not a 500."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentUpdate() from exc


def touch(call: Call, now: datetime) -> None:
    # Never backwards: a call scheduled to become public later already carries that instant.
    call.updated_at = max(now, call.updated_at) if call.updated_at else now


def search_text(call: Call) -> str:
    texts = (call.title_sv, call.title_en, call.summary_sv, call.summary_en)
    return " ".join(t for t in texts if t).casefold()


def _apply(call: Call, data: CallCreate | CallUpdate) -> None:
    fields = data.model_fields_set
    for name in PLAIN_FIELDS:
        if name in fields:
            setattr(call, name, getattr(data, name))
    for name in FLAGS:
        if name in fields:
            setattr(call, name, bool(getattr(data, name)))
    if "url" in fields:
        call.url = str(data.url) if data.url is not None else None
    for name in ("title", "summary"):
        if name in fields and (text := getattr(data, name)) is not None:
            for language in text.model_fields_set:
                setattr(call, f"{name}_{language}", getattr(text, language))
    call.search_text = search_text(call)


def _set_areas(call: Call, codes: list[str]) -> None:
    existing = {area.code: area for area in call.areas}
    areas = []
    for position, code in enumerate(codes):
        area = existing.get(code) or CallTechnologyArea(code=code)
        area.position = position
        areas.append(area)
    call.areas = areas


def create_call(session: Session, *, actor: Actor, data: CallCreate, now: datetime) -> Call:
    agency = actor.agency
    assert agency is not None, "only agency principals create calls"
    codes = data.technology_areas or []
    check_areas(codes, agency=agency, reference=repository.technology_areas(session))
    call = Call(
        id=new_id(),
        agency=agency,
        strand=STRAND_OF[agency],
        status="draft",
        requires_ssh=False,
        requires_multiple_heis=False,
        requires_graduate_school=False,
        created_at=now,
        updated_at=now,
        areas=[],
    )
    _apply(call, data)
    _set_areas(call, codes)
    check_consistency(call, codes)
    session.add(call)
    flush(session)
    record(session, actor=actor, action="call.created", at=now, call_id=call.id)
    flush(session)
    return call


def update_call(
    session: Session,
    *,
    call: Call,
    actor: Actor,
    data: CallUpdate,
    if_match: str | None,
    now: datetime,
) -> Call:
    require_match(if_match, call_etag(call.version))
    if call.status not in EDITABLE:
        raise CallStateConflict(
            f"A {call.status} call cannot be edited; only draft and ready calls can.",
            status=call.status,
        )
    fields = data.model_fields_set
    if not fields:
        return call
    codes = call.technology_areas
    if "technology_areas" in fields:
        codes = data.technology_areas or []
        check_areas(codes, agency=call.agency, reference=repository.technology_areas(session))
    with session.no_autoflush:
        _apply(call, data)
        _set_areas(call, codes)
    check_consistency(call, codes)
    if call.status == "ready":
        check_publishable(call, codes)
    touch(call, now)
    changes: dict[str, Any] = {"fields": sorted(fields)}
    record(session, actor=actor, action="call.updated", at=now, call_id=call.id, changes=changes)
    flush(session)
    return call


def list_calls(
    session: Session, *, principal: Principal, filters: CallFilters
) -> tuple[list[Call], str | None]:
    query: Select[Any] = repository.owned_by(select(Call), principal)
    if filters.status:
        query = query.where(Call.status.in_(filters.status))
    if filters.agency:
        query = query.where(Call.agency.in_(filters.agency))
    if filters.stage:
        query = query.where(Call.stage.in_(filters.stage))
    if filters.technology_area:
        query = query.where(repository.with_area(filters.technology_area))
    if filters.closes_after:
        query = query.where(Call.closes_at > filters.closes_after)
    if filters.closes_before:
        query = query.where(Call.closes_at < filters.closes_before)
    keys = [(Call.created_at, False), (Call.id, False)]
    if filters.cursor:
        created_at, call_id = decode_cursor(filters.cursor, 2)
        query = query.where(after(keys, [cursor_time(created_at), str(call_id)]))
    query = query.order_by(Call.created_at, Call.id).limit(filters.limit + 1)
    rows = list(session.scalars(query.options(selectinload(Call.areas))))
    if len(rows) <= filters.limit:
        return rows, None
    last = rows[filters.limit - 1]
    return rows[: filters.limit], encode_cursor([last.created_at.isoformat(), last.id])
