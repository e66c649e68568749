"""Making and publishing a coordinated round, all or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kit.principal import AGENCIES, Principal
from kit.problems import RuleViolation
from services.calls import repository
from services.calls.audit import Actor, record
from services.calls.coordinations import schemas
from services.calls.exceptions import (
    CoordinationConflict,
    CoordinationInvalid,
    CoordinationNotFound,
    CoordinationNotReady,
    field_error,
)
from services.calls.lifecycle import publish_member
from services.calls.models import Call, Coordination, new_id
from services.calls.service import flush, touch

COORDINABLE = frozenset({"draft", "ready"})


def _brief(call: Call, reason: str) -> dict[str, Any]:
    return {"id": call.id, "agency": call.agency, "status": call.status, "reason": reason}


def create_coordination(
    session: Session, *, actor: Actor, data: schemas.CoordinationCreate, now: datetime
) -> Coordination:
    ids = data.call_ids
    if len(set(ids)) != len(ids):
        raise CoordinationInvalid(
            "A call is listed twice.", errors=[field_error("call_ids", "a call is listed twice")]
        )
    if data.publish_at is not None and data.publish_at <= now:
        raise CoordinationInvalid(
            "publish_at must lie ahead; leave it out to publish when the round is published.",
            errors=[field_error("publish_at", "must lie ahead")],
        )
    calls = repository.get_calls(session, ids, lock=True)
    unknown = sorted(set(ids) - {call.id for call in calls})
    if unknown:
        raise CoordinationInvalid(
            f"No such calls: {', '.join(unknown)}.",
            unknown_call_ids=unknown,
            errors=[field_error("call_ids", "unknown calls")],
        )
    missing = [agency for agency in AGENCIES if agency not in {call.agency for call in calls}]
    if missing:
        raise RuleViolation(
            "R13",
            "A coordinated round links calls of both agencies; "
            f"none of {', '.join(missing)} is among them.",
            errors=[field_error("call_ids", "calls of both agencies are needed")],
        )
    conflicts = [_brief(call, "already in a round") for call in calls if call.coordination_id]
    conflicts += [
        _brief(call, f"is {call.status}")
        for call in calls
        if not call.coordination_id and call.status not in COORDINABLE
    ]
    if conflicts:
        raise CoordinationConflict(
            "Only draft or ready calls outside any round can be coordinated: "
            + ", ".join(f"{c['id']} ({c['reason']})" for c in conflicts),
            calls=conflicts,
        )
    coordination = Coordination(
        id=new_id(),
        name=data.name,
        publish_at=data.publish_at,
        created_at=now,
        updated_at=now,
        calls=calls,
    )
    session.add(coordination)
    for call in calls:
        touch(call, now)
    flush(session)
    record(
        session,
        actor=actor,
        action="coordination.created",
        at=now,
        coordination_id=coordination.id,
        changes={"call_ids": sorted(ids)},
    )
    flush(session)
    return coordination


def publish_coordination(
    session: Session, *, coordination: Coordination, actor: Actor, now: datetime
) -> Coordination:
    if coordination.published_at is not None:
        raise CoordinationConflict("The round is already published.")
    members = repository.get_calls(session, [call.id for call in coordination.calls], lock=True)
    not_ready = [_brief(call, f"is {call.status}") for call in members if call.status != "ready"]
    if not_ready:
        raise CoordinationNotReady(
            "Every call of the round must be ready; not ready: "
            + ", ".join(f"{c['id']} ({c['agency']}, {c['status']})" for c in not_ready),
            not_ready=not_ready,
        )
    at = max(now, coordination.publish_at) if coordination.publish_at else now
    too_late = [
        _brief(call, "closes before the round is public")
        for call in members
        if call.closes_at is not None and call.closes_at <= at
    ]
    if too_late:
        raise CoordinationConflict(
            "These calls would close before the round becomes public: "
            + ", ".join(c["id"] for c in too_late),
            calls=too_late,
        )
    for call in members:
        publish_member(session, call=call, actor=actor, now=now, at=at)
    coordination.published_at = at
    coordination.updated_at = now
    record(
        session,
        actor=actor,
        action="coordination.published",
        at=now,
        coordination_id=coordination.id,
        changes={"published_at": at.isoformat()},
    )
    flush(session)
    return coordination


def get_coordination(
    session: Session, coordination_id: str, *, principal: Principal, lock: bool = False
) -> Coordination:
    """The round for the office or an agency with a call in it; for anyone else a 404."""
    query = select(Coordination).where(Coordination.id == coordination_id)
    if lock:
        query = query.with_for_update()
    coordination = session.scalars(query.options(selectinload(Coordination.calls))).first()
    visible = coordination is not None and (
        principal.role != "agency"
        or any(call.agency == principal.agency for call in coordination.calls)
    )
    if coordination is None or not visible:
        raise CoordinationNotFound(f"No coordinated round {coordination_id} that you may see.")
    return coordination


def view(coordination: Coordination, *, now: datetime) -> schemas.Coordination:
    published_at = coordination.published_at
    status = "draft" if published_at is None else "scheduled" if published_at > now else "published"
    members = sorted(coordination.calls, key=lambda call: (call.agency, call.id))
    return schemas.Coordination(
        id=coordination.id,
        name=coordination.name,
        status=status,
        publish_at=coordination.publish_at,
        published_at=published_at,
        call_ids=[call.id for call in members],
        members=[schemas.Member.model_validate(call, from_attributes=True) for call in members],
        created_at=coordination.created_at,
        updated_at=coordination.updated_at,
    )
