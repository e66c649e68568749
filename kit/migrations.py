"""One Alembic environment per service, each `env.py` a call to `run_environment`.

The URL and schema come from the service's settings, or from `config.attributes` when a test
or the runner migrates a database of its choosing. Each service's version table lives in its
own schema (PostgreSQL) or file (SQLite), and autogenerate only sees the service's own tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData

from kit.db import ensure_schema, is_sqlite, make_engine

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("gateway", "calls", "grants", "reporting")


def alembic_config(name: str, *, url: str | None = None, schema: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"), ini_section=name)
    config.set_main_option("script_location", str(ROOT / "migrations" / name))
    if url is not None:
        config.attributes["url"] = url
        config.attributes["schema"] = schema
    return config


def upgrade(name: str, *, url: str, schema: str | None, revision: str = "head") -> None:
    command.upgrade(alembic_config(name, url=url, schema=schema), revision)


def downgrade(name: str, *, url: str, schema: str | None, revision: str = "base") -> None:
    command.downgrade(alembic_config(name, url=url, schema=schema), revision)


def run_environment(metadata: MetaData, *, url: str, schema: str | None) -> None:
    config = context.config
    url = config.attributes.get("url", url)
    schema = config.attributes.get("schema", schema)
    ensure_schema(url, schema)
    own_tables = set(metadata.tables)

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        if type_ == "table":
            return name in own_tables
        return True

    engine = make_engine(url, schema=None if is_sqlite(url) else schema)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                include_object=include_object,
                compare_type=True,
                render_as_batch=is_sqlite(url),
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
