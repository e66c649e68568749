"""The calls service's queries. Whatever an agency reads goes through `owned_by`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from kit.principal import Principal
from services.calls.models import Call, CallTechnologyArea, TechnologyArea


def owned_by(query: Select[Any], principal: Principal) -> Select[Any]:
    """An agency sees its own calls only; the office (and services) see all."""
    if principal.role == "agency":
        return query.where(Call.agency == principal.agency)
    return query


def get_call(
    session: Session, call_id: str, *, principal: Principal | None = None, lock: bool = False
) -> Call | None:
    query = select(Call).where(Call.id == call_id).options(selectinload(Call.areas))
    if principal is not None:
        query = owned_by(query, principal)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def get_calls(session: Session, call_ids: Sequence[str], *, lock: bool = False) -> list[Call]:
    query = select(Call).where(Call.id.in_(call_ids)).order_by(Call.id)
    if lock:
        # Re-read rows this session may hold already: the lock is only worth the fresh values.
        query = query.with_for_update().execution_options(populate_existing=True)
    return list(session.scalars(query.options(selectinload(Call.areas))))


def technology_areas(session: Session) -> dict[str, TechnologyArea]:
    rows = session.scalars(select(TechnologyArea).order_by(TechnologyArea.position))
    return {area.code: area for area in rows}


def areas_of(session: Session, call_ids: Sequence[str]) -> dict[str, list[str]]:
    """Technology areas of many calls in one query (for list pages)."""
    found: dict[str, list[str]] = {call_id: [] for call_id in call_ids}
    if not call_ids:
        return found
    rows = session.execute(
        select(CallTechnologyArea.call_id, CallTechnologyArea.code)
        .where(CallTechnologyArea.call_id.in_(call_ids))
        .order_by(CallTechnologyArea.call_id, CallTechnologyArea.position)
    )
    for call_id, code in rows:
        found[call_id].append(code)
    return found


def with_area(codes: Sequence[str]) -> Any:
    """Calls having any of the technology areas (an indexed semi-join)."""
    return Call.id.in_(select(CallTechnologyArea.call_id).where(CallTechnologyArea.code.in_(codes)))
