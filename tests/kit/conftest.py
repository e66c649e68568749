from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from kit.db import Database, ensure_schema
from kit.tokens import SigningKey
from tests.gateway.helpers import Servers
from tests.harness import Server, database_url, free_socket
from tests.kit.tinyapp import create_tiny_app, internal_token, item, metadata, parent

SCHEMA = "kit_test"  # PostgreSQL only; the harness never touches it


@dataclass
class Tiny:
    server: Server
    key: SigningKey
    database: Database

    def client(self, **claims: Any) -> httpx.Client:
        token = internal_token(self.key, **claims)
        return httpx.Client(
            base_url=self.server.url, timeout=5.0, headers={"authorization": f"Bearer {token}"}
        )

    def count(self) -> int:
        with self.database.reader() as session:
            return len(session.execute(item.select()).all())

    def clear(self) -> None:
        with self.database.writer() as session, session.begin():
            session.execute(item.delete())
            session.execute(parent.delete())


def _database(folder: Path) -> tuple[str, str | None]:
    url = database_url()
    if url and not url.startswith("sqlite"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        engine.dispose()
        ensure_schema(url, SCHEMA)
        return url, SCHEMA
    return f"sqlite:///{folder / 'tiny.db'}", None


@pytest.fixture(scope="session")
def tiny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tiny]:
    url, schema = _database(tmp_path_factory.mktemp("tiny"))
    key = SigningKey.generate()
    app = create_tiny_app(url, schema, key)
    metadata.create_all(app.state.database.engine)
    server = Server(app, free_socket())
    server.start()
    try:
        yield Tiny(server, key, app.state.database)
    finally:
        server.stop()
        if schema:
            engine = create_engine(url)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
            engine.dispose()


@pytest.fixture
def tiny(tiny_server: Tiny) -> Tiny:
    tiny_server.clear()
    tiny_server.server.app.state.fail_commit = False
    return tiny_server


@pytest.fixture
def servers() -> Iterator[Servers]:
    running = Servers()
    try:
        yield running
    finally:
        running.stop()
