"""The whole stack in the test process: four real uvicorn servers on loopback ports.

Tests talk HTTP to the gateway, which talks HTTP to the services, which talk HTTP to each
other, exactly as in production; only the processes are threads. Databases are built by
running the migrations: SQLite files in a temporary folder, or, when TEST_DATABASE_URL names
a PostgreSQL database, one schema per app in it (dropped and rebuilt at the start).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from kit.db import Database, is_sqlite
from kit.tokens import SigningKey, jwks_document
from services.calls.app import create_app as create_calls
from services.calls.settings import CallsSettings
from services.grants.app import create_app as create_grants
from services.grants.settings import GrantsSettings
from services.reporting.app import create_app as create_reporting
from services.reporting.settings import ReportingSettings
from tools.stack import (
    APPS,
    Credentials,
    metadata_of,
    prepare_database,
    reference_loader,
    register_clients,
)

PRINCIPALS = ("vr", "vinnova", "office", "government")


def database_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def free_socket() -> socket.socket:
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
    # without it every response waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class Server:
    """One app served by uvicorn in a thread, on a socket bound before the app exists."""

    def __init__(self, app: FastAPI, sock: socket.socket) -> None:
        self.app, self.sock = app, sock
        config = uvicorn.Config(
            app, log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=2
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [sock]},
            daemon=True,
            name=f"uvicorn-{self.port}",
        )

    @property
    def port(self) -> int:
        port: int = self.sock.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"server on {self.url} did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


class Stack:
    def __init__(self, folder: Path, postgres_url: str | None = None) -> None:
        self.folder = folder
        self.postgres_url = postgres_url
        self.key = SigningKey.generate()
        self.sockets = {name: free_socket() for name in APPS}
        self.urls = {
            name: f"http://127.0.0.1:{s.getsockname()[1]}" for name, s in self.sockets.items()
        }
        self.servers: dict[str, Server] = {}
        self.credentials: dict[str, Credentials] = {}
        self._tokens: dict[str, tuple[str, float]] = {}

    # databases ------------------------------------------------------------------------
    def database(self, app: str) -> tuple[str, str | None]:
        if self.postgres_url:
            return self.postgres_url, app
        return f"sqlite:///{self.folder / app}.db", None

    def _drop_postgres_schemas(self) -> None:
        assert self.postgres_url
        engine = create_engine(self.postgres_url)
        with engine.begin() as conn:
            for app in APPS:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{app}" CASCADE'))
        engine.dispose()

    def prepare(self) -> None:
        if self.postgres_url:
            self._drop_postgres_schemas()
        for app in APPS:
            prepare_database(app, *self.database(app))
        gateway_db = Database(*self.database("gateway"))
        with gateway_db.writer() as session, session.begin():
            self.credentials = register_clients(session)
        gateway_db.dispose()

    def reset(self) -> None:
        """Every row of the services' tables goes; reference data comes back."""
        for app in APPS[1:]:
            database: Database = self.servers[app].app.state.database
            loader = reference_loader(app)
            with database.writer() as session, session.begin():
                for table in reversed(metadata_of(app).sorted_tables):
                    session.execute(table.delete())
                if loader is not None:
                    loader(session)

    # apps -----------------------------------------------------------------------------
    def settings(self, app: str, **overrides: Any) -> Any:
        url, schema = self.database(app)
        common: dict[str, Any] = {
            "environment": "test",
            "database_url": url,
            "database_schema": schema,
            "log_level": "WARNING",
        }
        if app == "gateway":
            gateway: dict[str, Any] = {
                **common,
                "signing_key": self.key.private_pem.decode(),
                "key_dir": str(self.folder / "keys"),
                "calls_url": self.urls["calls"],
                "grants_url": self.urls["grants"],
                "reporting_url": self.urls["reporting"],
                "upstream_timeout": 5.0,
                # Tests send thousands of requests from one address and client; the rate
                # limit tests set their own small budgets.
                "rate_limit_per_minute": 1_000_000,
                "rate_limit_burst": 1_000_000,
                "anonymous_rate_limit_per_minute": 1_000_000,
                "anonymous_rate_limit_burst": 1_000_000,
                # Tests read their own writes at once; the cache has its own tests.
                "public_cache_seconds": 0,
            }
            return GatewaySettings(**{**gateway, **overrides})
        service: dict[str, Any] = {
            **common,
            "jwks": json.dumps(jwks_document([self.key])),
            "jwks_url": None,
            "gateway_url": self.urls["gateway"],
            "calls_url": self.urls["calls"],
            "grants_url": self.urls["grants"],
        }
        if f"service:{app}" in self.credentials:
            creds = self.credentials[f"service:{app}"]
            service.update(client_id=creds.client_id, client_secret=creds.client_secret)
        service.update(overrides)
        classes = {"calls": CallsSettings, "grants": GrantsSettings, "reporting": ReportingSettings}
        return classes[app](**service)

    def create_app(self, app: str, **overrides: Any) -> FastAPI:
        factories: dict[str, Callable[[Any], FastAPI]] = {
            "gateway": create_gateway,
            "calls": create_calls,
            "grants": create_grants,
            "reporting": create_reporting,
        }
        created: FastAPI = factories[app](self.settings(app, **overrides))
        return created

    def start(self) -> None:
        self.prepare()
        for app in APPS:
            self.servers[app] = Server(self.create_app(app), self.sockets[app])
            self.servers[app].start()

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        for sock in self.sockets.values():
            sock.close()

    # clients --------------------------------------------------------------------------
    @property
    def gateway_url(self) -> str:
        return self.urls["gateway"]

    def token(self, principal: str) -> str:
        cached = self._tokens.get(principal)
        if cached and cached[1] > time.monotonic() + 60:
            return cached[0]
        creds = self.credentials[principal]
        response = httpx.post(
            f"{self.gateway_url}/v1/auth/token",
            data={"grant_type": "client_credentials", **creds.as_dict()},
        )
        response.raise_for_status()
        body = response.json()
        self._tokens[principal] = (body["access_token"], time.monotonic() + body["expires_in"])
        return str(body["access_token"])

    def client(self, principal: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"authorization": f"Bearer {self.token(principal)}"} if principal else {}
        return httpx.Client(base_url=self.gateway_url, headers=headers, timeout=30, **kwargs)


@contextlib.contextmanager
def running_stack(folder: Path) -> Iterator[Stack]:
    url = database_url()
    if url and is_sqlite(url):
        url = None
    stack = Stack(folder, url)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
