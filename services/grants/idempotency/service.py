"""Replaying the first answer to a request retried with the same `Idempotency-Key`.

The key row is written in the same transaction as the work it guards, so either both are
stored or neither is. A refusal decided by the rules (409, 422) is an answer too and is
replayed like a success: the work runs inside a savepoint that is rolled back, and the key
row that records the refusal is committed. Failures that say nothing about the request
(5xx, the calls service down) are never stored, so a retry runs again.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Response
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.db import utcnow
from kit.problems import PROBLEM_JSON, ProblemError
from services.grants.idempotency.exceptions import IdempotencyKeyInFlight, IdempotencyKeyReused
from services.grants.idempotency.models import IdempotencyKey

REPLAYED_HEADER = "Idempotent-Replayed"
_STORED_REFUSALS = frozenset({409, 422})
_PURGE_EVERY_SECONDS = 3600.0


@dataclass(frozen=True)
class Outcome:
    """An answer as it is stored and replayed: status, JSON text and where it lives."""

    status_code: int
    body: str
    media_type: str = "application/json"
    location: str | None = None
    replayed: bool = False

    @classmethod
    def of_problem(cls, problem: ProblemError, instance: str) -> Outcome:
        body = json.dumps(problem.body(instance), separators=(",", ":"))
        return cls(problem.status, body, PROBLEM_JSON)

    def response(self) -> Response:
        headers = {"Location": self.location} if self.location else {}
        if self.replayed:
            headers[REPLAYED_HEADER] = "true"
        return Response(self.body, self.status_code, headers=headers, media_type=self.media_type)


def fingerprint(method: str, path: str, body: Any) -> str:
    """The same request: same method, path and body (key order and spacing do not matter)."""
    canonical = json.dumps(
        {"method": method, "path": path, "body": body}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Scope:
    """One request's key: whose, which, and what the request was."""

    client_id: str
    key: str
    fingerprint: str
    path: str
    retention: timedelta


def find(session: Session, scope: Scope) -> Outcome | None:
    """The stored answer, or None; the key used for a different request is a 422."""
    row = session.get(IdempotencyKey, (scope.client_id, scope.key))
    if row is None or _expired(row, scope):
        return None
    return _replay(row, scope)


def run(session: Session, scope: Scope | None, action: Callable[[], Outcome]) -> Outcome:
    """`action` once per key: its answer is stored, and a retry gets the stored one."""
    if scope is None:
        return action()
    row = session.get(IdempotencyKey, (scope.client_id, scope.key))
    if row is not None:
        if not _expired(row, scope):
            return _replay(row, scope)
        session.delete(row)
        session.flush()
    try:
        with session.begin_nested():
            outcome = action()
    except ProblemError as problem:
        if problem.status not in _STORED_REFUSALS:
            raise
        outcome = Outcome.of_problem(problem, scope.path)
    session.add(
        IdempotencyKey(
            client_id=scope.client_id,
            key=scope.key,
            fingerprint=scope.fingerprint,
            status_code=outcome.status_code,
            media_type=outcome.media_type,
            body=outcome.body,
            location=outcome.location,
        )
    )
    try:
        session.flush()
    except IntegrityError as exc:
        # Only a request running at the same moment with the same key gets here (PostgreSQL
        # lets both look before either commits); its answer will be there on a retry.
        raise IdempotencyKeyInFlight(
            "Another request with this Idempotency-Key is being handled; retry shortly."
        ) from exc
    _maybe_purge(session, scope.retention)
    return outcome


def _expired(row: IdempotencyKey, scope: Scope) -> bool:
    return row.created_at < utcnow() - scope.retention


def _replay(row: IdempotencyKey, scope: Scope) -> Outcome:
    if row.fingerprint != scope.fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was first used with a different request; use a new key.",
            first_status=row.status_code,
        )
    return Outcome(row.status_code, row.body, row.media_type, row.location, replayed=True)


_purge_lock = threading.Lock()
_last_purge = 0.0


def _maybe_purge(session: Session, retention: timedelta) -> None:
    """Drop expired keys now and then, within a write that is already running."""
    global _last_purge
    with _purge_lock:
        if time.monotonic() - _last_purge < _PURGE_EVERY_SECONDS:
            return
        _last_purge = time.monotonic()
    purge(session, retention)


def purge(session: Session, retention: timedelta) -> None:
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - retention))
