"""The whole stack in one description, shared by `make run`, the tests and the benchmarks.

It says which apps there are, how each one's database is prepared (migrations, then
reference data) and which clients the gateway knows. Starting processes is the caller's job.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import Session

from gateway.identity.clients import register
from gateway.identity.roles import DEV_CLIENTS, SERVICE_CLIENTS
from kit.db import Database, ensure_schema
from kit.migrations import upgrade

SERVICES = ("calls", "grants", "reporting")
APPS = ("gateway", *SERVICES)


def metadata_of(app: str) -> MetaData:
    module = "gateway.identity.models" if app == "gateway" else f"services.{app}.models"
    metadata: MetaData = importlib.import_module(module).Base.metadata
    return metadata


def reference_loader(app: str) -> Callable[[Session], None] | None:
    """A service's reference data (technology areas, VR's appropriations, …), if it has any.

    By convention `services/<name>/reference.py` defines `load(session)`, idempotent.
    """
    if app not in SERVICES:
        return None
    try:
        module = importlib.import_module(f"services.{app}.reference")
    except ModuleNotFoundError as exc:
        if exc.name != f"services.{app}.reference":
            raise
        return None
    loader: Callable[[Session], None] = module.load
    return loader


def prepare_database(app: str, url: str, schema: str | None) -> None:
    """Migrations to head, then the reference data."""
    ensure_schema(url, schema)
    upgrade(app, url=url, schema=schema)
    load_reference(app, url, schema)


def load_reference(app: str, url: str, schema: str | None) -> None:
    loader = reference_loader(app)
    if loader is None:
        return
    database = Database(url, schema=schema)
    try:
        with database.writer() as session, session.begin():
            loader(session)
    finally:
        database.dispose()


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str

    def as_dict(self) -> dict[str, str]:
        return {"client_id": self.client_id, "client_secret": self.client_secret}


def register_clients(
    session: Session, existing: dict[str, Any] | None = None
) -> dict[str, Credentials]:
    """The four development clients and the two service clients.

    Known secrets (from an earlier run) are kept, so a second start changes nothing.
    """
    existing = existing or {}
    found: dict[str, Credentials] = {}
    for name, (role, agency) in DEV_CLIENTS.items():
        old = existing.get(name) or {}
        client_id = old.get("client_id", f"dev-{name}")
        secret = register(
            session,
            client_id=client_id,
            name=f"Development client {name}",
            role=role,
            agency=agency,
            secret=old.get("client_secret"),
        )
        found[name] = Credentials(client_id, secret)
    for name in SERVICE_CLIENTS:
        old = existing.get(f"service:{name}") or {}
        secret = register(
            session,
            client_id=f"service-{name}",
            name=f"The {name} service",
            role="service",
            secret=old.get("client_secret"),
        )
        found[f"service:{name}"] = Credentials(f"service-{name}", secret)
    return found


def write_credentials(path: Path, credentials: dict[str, Credentials]) -> None:
    data = {name: c.as_dict() for name, c in credentials.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    path.chmod(0o600)
