"""When a public answer can change, and the per-worker cache of public answers.

A public answer is a function of the stored public data and of which instants (a call's
publication, opening and closing) have passed. The first changes only in transactions that
call `changed`, which gives `public_state` a new random token; the second is the position
of now among those instants. Together they name an answer exactly, so they make its ETag,
and the answer can be kept until either moves. A random token rather than a counter: a
database that is reset or restored cannot bring back a value whose answers a worker kept.
"""

from __future__ import annotations

import threading
import uuid
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.calls.models import Call, PublicState

ROW = 1


def changed(session: Session) -> None:
    """Call in any transaction that changes what the public sees (publish, close, cancel…)."""
    token = uuid.uuid4().hex
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = dialect.insert(PublicState).values(id=ROW, token=token)
    session.execute(
        statement.on_conflict_do_update(index_elements=[PublicState.id], set_={"token": token})
    )


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    next_cursor: str | None = None


class PublicCache:
    """Answers by ETag, least recently used out first, within a byte budget; a new token
    empties it (answers under an older token can no longer be asked for)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._size = 0
        self._token: str | None = None
        self._instants: list[datetime] = []
        self._lock = threading.Lock()

    def moment(self, session: Session, now: datetime) -> tuple[str, int]:
        """The data's token and how many of its instants have passed: what names an answer.

        Read before the answer's own queries, so an answer is never older than its name.
        """
        token = session.scalar(select(PublicState.token).where(PublicState.id == ROW)) or ""
        with self._lock:
            known = self._token == token
            instants = self._instants
        if not known:
            rows = session.execute(
                select(Call.published_at, Call.opens_at, Call.closes_at).where(
                    Call.published_at.is_not(None)
                )
            )
            instants = sorted(moment for row in rows for moment in row if moment is not None)
            with self._lock:
                self._token, self._instants = token, instants
                self._answers.clear()
                self._size = 0
        return token, bisect_right(instants, now)

    def get(self, etag: str) -> Answer | None:
        with self._lock:
            answer = self._answers.get(etag)
            if answer is not None:
                self._answers.move_to_end(etag)
            return answer

    def put(self, etag: str, answer: Answer) -> None:
        if len(answer.body) > self.max_bytes:
            return
        with self._lock:
            if etag in self._answers:
                return
            self._answers[etag] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)
