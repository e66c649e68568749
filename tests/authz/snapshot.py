"""Every row of every app's database, as counts and a digest per table.

Two snapshots are equal exactly when no row was added, removed or changed in any table of
the gateway or the three services, with one exception the caller names: the grants
service records a refusal by the rules (409, 422) under the request's `Idempotency-Key`,
so that a retry replays it (services/grants/idempotency). That row is the refusal's own
record, not a change of data; it is left out when its key is the request's.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select

from tests.harness import Stack
from tools.stack import APPS, metadata_of

Snapshot = dict[str, tuple[int, str]]
REPLAY_LOG = "grants.idempotency_key"


def snapshot(stack: Stack, *, replay_key: str | None = None) -> Snapshot:
    tables: Snapshot = {}
    for app in APPS:
        database = stack.servers[app].app.state.database
        with database.reader() as session:
            for table in metadata_of(app).sorted_tables:
                name = f"{app}.{table.name}"
                order = list(table.primary_key.columns) or list(table.columns)
                query = select(table).order_by(*order)
                if name == REPLAY_LOG and replay_key is not None:
                    query = query.where(table.c.key != replay_key)
                rows: list[Any] = [tuple(r) for r in session.execute(query)]
                digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                tables[name] = (len(rows), digest)
    return tables


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))
