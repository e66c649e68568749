"""Every environment: one head, models equal migrations, upgrade -> downgrade -> upgrade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text

from kit.db import Database
from kit.migrations import ENVIRONMENTS, alembic_config
from tests.harness import database_url
from tools.stack import load_reference, metadata_of, register_clients


@pytest.fixture
def target(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, str | None]]:
    app: str = request.param
    url = database_url()
    if url is None or url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / app}.db", None
        return
    schema = f"migration_test_{app}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    try:
        yield url, schema
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _seed(app: str, url: str, schema: str | None) -> None:
    """Rows in the tables before going down and up again."""
    if app == "gateway":
        database = Database(url, schema=schema)
        with database.writer() as session, session.begin():
            register_clients(session)
        database.dispose()
    else:
        load_reference(app, url, schema)


def _row_count(app: str, url: str, schema: str | None) -> int:
    database = Database(url, schema=schema)
    with database.reader() as session:
        total = sum(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in metadata_of(app).sorted_tables
        )
    database.dispose()
    return total


@pytest.mark.parametrize("target", ENVIRONMENTS, indirect=True)
def test_single_head_check_and_round_trip(
    target: tuple[str, str | None], request: pytest.FixtureRequest
) -> None:
    app = request.node.callspec.params["target"]
    url, schema = target
    config = alembic_config(app, url=url, schema=schema)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1

    command.upgrade(config, "head")
    command.check(config)  # raises if the models and the migrations differ
    _seed(app, url, schema)
    if app == "gateway":
        assert _row_count(app, url, schema) > 0

    command.downgrade(config, "base")
    database = Database(url, schema=schema)
    with database.engine.connect() as conn:
        left = set(inspect(conn).get_table_names()) & set(metadata_of(app).tables)
    database.dispose()
    assert left == set()

    command.upgrade(config, "head")
    command.check(config)
    _seed(app, url, schema)
