"""Engines and the one-transaction-per-request session.

SQLite runs in WAL mode with foreign keys on. pysqlite's own transaction handling is switched
off so that SQLAlchemy emits BEGIN itself: reads use a deferred BEGIN (concurrent with
writers under WAL), writes use BEGIN IMMEDIATE so two writers queue on the database lock
instead of failing with "database is locked" when a read transaction tries to upgrade.
PostgreSQL services share one database with a schema each, chosen by `search_path`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
from fastapi import Request
from sqlalchemy import (
    DateTime,
    Dialect,
    Engine,
    MetaData,
    TypeDecorator,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "%(table_name)s_%(column_0_N_name)s_idx",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, schema: str | None = None, **kwargs: Any) -> Engine:
    if is_sqlite(url):
        # As many pooled connections as request threads (anyio's default limit is 40):
        # an overflow connection is opened, configured and closed per request.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=40,
            max_overflow=10,
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    # Named connections: an operator (or a fault test) can see and end one service's.
    connect_args: dict[str, Any] = {"application_name": f"po-{schema or 'app'}"}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(
        url,
        connect_args=connect_args,
        pool_pre_ping=True,
        pool_size=20,
        max_overflow=20,
        **kwargs,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


def ensure_schema(url: str, schema: str | None) -> None:
    """PostgreSQL: the service's schema must exist before its first migration."""
    if is_sqlite(url) or not schema:
        return
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        engine.dispose()


@dataclass
class Database:
    """One service's engine and its session factories (reads and writes)."""

    url: str
    schema: str | None = None

    def __post_init__(self) -> None:
        self.engine = make_engine(self.url, schema=self.schema)
        write_bind = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self.reader = sessionmaker(self.engine, expire_on_commit=False)
        self.writer = sessionmaker(write_bind, expire_on_commit=False)
        self._write_turns: asyncio.Lock | None = None

    def write_turns(self) -> asyncio.Lock | None:
        """SQLite: write requests of this process take turns (FIFO) before they start.

        SQLite's own wait (busy_timeout) sleeps and retries with growing pauses, so under
        many writers a few lose again and again (measured: a p99 of seconds and a 504 at 32
        concurrent writers). Waiting here costs a coroutine, not a worker thread, so the
        writer holding the turn can always get a thread to commit. Other processes still
        meet busy_timeout. PostgreSQL queues fairly on its row locks: no turns there.
        """
        if not is_sqlite(self.url):
            return None
        if self._write_turns is None:
            self._write_turns = asyncio.Lock()
        return self._write_turns

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


async def request_session(request: Request) -> AsyncIterator[Session]:
    """One unit of work per request, committed before the response is sent.

    Use it as `Depends(request_session, scope="function")`: with the default scope FastAPI
    would run the commit after the response went out, so a failed commit would still
    answer 2xx.

    An async generator on purpose: making a session does no I/O, so it happens on the event
    loop, and the commit (or rollback) and close go to a worker thread together. A sync
    generator would cost two thread-pool round trips per request instead of one.
    """
    database: Database = request.app.state.database
    reading = request.method in READ_METHODS
    turns = None if reading else database.write_turns()
    async with turns or contextlib.nullcontext():
        session = (database.reader if reading else database.writer)()
        try:
            yield session
        except BaseException:
            await _in_own_thread(_abort, session)
            raise
        await _in_own_thread(_finish, session)


async def _in_own_thread(finish: Callable[[Session], None], session: Session) -> None:
    """The commit or rollback, on a thread outside the request thread pool.

    Every pool thread may be blocked in a handler waiting for a row lock that this
    session holds; if its commit queued for a pool thread too, nothing would move (the
    PostgreSQL concurrency test saw 49 of 50 answered 504). FastAPI ends sync dependencies
    the same way, with a limiter of their own.
    """
    await anyio.to_thread.run_sync(finish, session, limiter=anyio.CapacityLimiter(1))


def _finish(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _abort(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes are stored with a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
