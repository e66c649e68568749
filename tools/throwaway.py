"""A throw-away stack of real processes: its own ports, data folder and database schemas.

For the benchmarks and for the tests that need real processes (stopping a service mid-way,
two gateways sharing a rate limit). PostgreSQL schemas get a prefix so a throw-away stack
never touches the test harness's schemas in the same database.
"""

from __future__ import annotations

import json
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from kit.db import Database
from tools.processes import Processes
from tools.stack import APPS, Credentials, prepare_database, register_clients


@dataclass
class ThrowawayStack:
    processes: Processes
    credentials: dict[str, Credentials]
    folder: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def url(self, app: str) -> str:
        return self.processes.url(app)

    def token(self, principal: str) -> str:
        if principal not in self.tokens:
            creds = self.credentials[principal]
            response = httpx.post(
                f"{self.url('gateway')}/v1/auth/token",
                data={"grant_type": "client_credentials", **creds.as_dict()},
            )
            response.raise_for_status()
            self.tokens[principal] = response.json()["access_token"]
        return self.tokens[principal]

    def client(self, principal: str | None, app: str = "gateway") -> httpx.Client:
        headers = {"authorization": f"Bearer {self.token(principal)}"} if principal else {}
        return httpx.Client(base_url=self.url(app), headers=headers, timeout=60)

    def internal_token(self, audience_app: str, principal: str = "service:reporting") -> str:
        """A service's internal token, to measure a service directly without the gateway."""
        creds = self.credentials[principal]
        response = httpx.post(
            f"{self.url('gateway')}/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                **creds.as_dict(),
                "resource": f"urn:programme-office:{audience_app}",
            },
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


def free_port() -> int:
    """A port nothing listens on now (for tests, where fixed ports could collide)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def throwaway_stack(
    *,
    postgres: str | None = None,
    schema_prefix: str = "bench_",
    base_port: int | None = 18000,
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Iterator[ThrowawayStack]:
    ports = (
        {app: base_port + i for i, app in enumerate(APPS)}
        if base_port is not None
        else {app: free_port() for app in APPS}
    )

    def database(app: str) -> tuple[str, str | None]:
        if postgres:
            return postgres, schema_prefix + app
        return f"sqlite:///{folder / app}.db", None

    with tempfile.TemporaryDirectory(prefix="stack-") as name:
        folder = Path(name)
        if postgres:
            engine = create_engine(postgres)
            with engine.begin() as conn:
                for app in APPS:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema_prefix}{app}" CASCADE'))
            engine.dispose()
        for app in APPS:
            prepare_database(app, *database(app))
        store = Database(*database("gateway"))
        with store.writer() as session, session.begin():
            credentials = register_clients(session)
        store.dispose()
        env: dict[str, str] = {
            "GATEWAY_KEY_DIR": str(folder / "keys"),
            # Benchmarks load from one address and client; budgets are tested elsewhere.
            "GATEWAY_RATE_LIMIT_PER_MINUTE": "100000000",
            "GATEWAY_RATE_LIMIT_BURST": "100000000",
            "GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "100000000",
            "GATEWAY_ANONYMOUS_RATE_LIMIT_BURST": "100000000",
        }
        for app in APPS:
            url, schema = database(app)
            env[f"{app.upper()}_DATABASE_URL"] = url
            env[f"{app.upper()}_DATABASE_SCHEMA"] = schema or ""
            env[f"{app.upper()}_LOG_LEVEL"] = "WARNING"
        for app in ("calls", "grants", "reporting"):
            env[f"GATEWAY_{app.upper()}_URL"] = f"http://127.0.0.1:{ports[app]}"
            env[f"{app.upper()}_JWKS_URL"] = (
                f"http://127.0.0.1:{ports['gateway']}/.well-known/jwks.json"
            )
            env[f"{app.upper()}_GATEWAY_URL"] = f"http://127.0.0.1:{ports['gateway']}"
            env[f"{app.upper()}_CALLS_URL"] = f"http://127.0.0.1:{ports['calls']}"
            env[f"{app.upper()}_GRANTS_URL"] = f"http://127.0.0.1:{ports['grants']}"
        for app in ("grants", "reporting"):
            creds = credentials[f"service:{app}"]
            env[f"{app.upper()}_CLIENT_ID"] = creds.client_id
            env[f"{app.upper()}_CLIENT_SECRET"] = creds.client_secret
        env.update(extra_env or {})
        processes = Processes(env=env, ports=ports, workers=dict.fromkeys(APPS, workers))
        try:
            processes.start_all()
            (folder / "credentials.json").write_text(
                json.dumps({k: v.as_dict() for k, v in credentials.items()})
            )
            yield ThrowawayStack(processes, credentials, folder)
        finally:
            processes.stop_all()
