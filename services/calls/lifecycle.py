"""The call's lifecycle (domain.md): draft → ready → published → closed → decided; cancelled.

The steps check their order, not the wall clock, so that past calls can be registered after
the fact; only closing looks at the clock (the deadline must have passed). Each step stores
its instant, which is what reports ask ("published as of T").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.calls.audit import Actor, record
from services.calls.etags import call_etag, check_match
from services.calls.exceptions import CallInCoordination, CallStateConflict, DeadlineNotPassed
from services.calls.models import Call
from services.calls.public import state as public_state
from services.calls.service import flush, touch
from services.calls.validation import check_publishable

# step -> (the statuses it starts from, the status it leads to, the timestamp it sets)
STEPS: dict[str, tuple[frozenset[str], str, str]] = {
    "ready": (frozenset({"draft"}), "ready", "ready_at"),
    "publish": (frozenset({"ready"}), "published", "published_at"),
    "close": (frozenset({"published"}), "closed", "closed_at"),
    "decide": (frozenset({"closed"}), "decided", "decided_at"),
    "cancel": (frozenset({"draft", "ready", "published", "closed"}), "cancelled", "cancelled_at"),
}


def _expect(call: Call, step: str) -> None:
    sources, _, _ = STEPS[step]
    if call.status not in sources:
        raise CallStateConflict(
            f"'{step}' needs a call that is {' or '.join(sorted(sources))}; "
            f"this one is {call.status}.",
            status=call.status,
            allowed_from=sorted(sources),
        )


def _advance(
    session: Session, call: Call, step: str, *, actor: Actor, now: datetime, at: datetime
) -> Call:
    _, target, timestamp = STEPS[step]
    call.status = target
    setattr(call, timestamp, at)
    touch(call, max(now, at))
    if call.published_at is not None:
        public_state.changed(session)
    record(session, actor=actor, action=f"call.{target}", at=now, call_id=call.id)
    return call


def step(
    session: Session,
    *,
    call: Call,
    name: str,
    actor: Actor,
    now: datetime,
    if_match: str | None = None,
) -> Call:
    """One lifecycle step of one call, as its owner (or the office, for `publish`) asks."""
    check_match(if_match, call_etag(call.version))
    if name == "publish" and call.coordination_id is not None:
        raise CallInCoordination(call.coordination_id)
    _expect(call, name)
    if name == "ready":
        check_publishable(call, call.technology_areas)
    if name == "close" and call.closes_at is not None and call.closes_at > now:
        raise DeadlineNotPassed(
            f"The call closes at {call.closes_at.isoformat()}; it can be closed after that.",
            closes_at=call.closes_at.isoformat(),
        )
    _advance(session, call, name, actor=actor, now=now, at=now)
    flush(session)
    return call


def publish_member(
    session: Session, *, call: Call, actor: Actor, now: datetime, at: datetime
) -> None:
    """A round member is published with the round's instant (possibly ahead of now)."""
    _expect(call, "publish")
    _advance(session, call, "publish", actor=actor, now=now, at=at)
