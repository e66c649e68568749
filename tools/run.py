"""`make run`: migrate, load reference data, register the development clients, start all four.

Data, keys and credentials stay in ./var between runs. Ctrl-C stops every process.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from gateway.settings import GatewaySettings
from kit.db import Database
from kit.settings import DATA_DIR
from services.calls.settings import CallsSettings
from services.grants.settings import GrantsSettings
from services.reporting.settings import ReportingSettings
from tools.processes import Processes
from tools.stack import Credentials, prepare_database, register_clients, write_credentials

DEV_CLIENTS_FILE = DATA_DIR / "dev-clients.json"
SERVICE_CLIENTS_FILE = DATA_DIR / "service-clients.json"


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def prepare() -> dict[str, Credentials]:
    DATA_DIR.mkdir(exist_ok=True)
    gateway = GatewaySettings()
    databases = {
        "gateway": (gateway.database_url, gateway.database_schema),
        "calls": (CallsSettings().database_url, CallsSettings().database_schema),
        "grants": (GrantsSettings().database_url, GrantsSettings().database_schema),
        "reporting": (ReportingSettings().database_url, ReportingSettings().database_schema),
    }
    for app, (url, schema) in databases.items():
        print(f"  migrating {app} …", flush=True)
        prepare_database(app, url, schema)
    known = _read(DEV_CLIENTS_FILE)
    known.update({f"service:{k}": v for k, v in _read(SERVICE_CLIENTS_FILE).items()})
    for name in ("grants", "reporting"):
        # A deployment gives the service secrets (docker-compose.yml); keep them.
        secret = os.environ.get(f"{name.upper()}_CLIENT_SECRET")
        if secret:
            known[f"service:{name}"] = {"client_id": f"service-{name}", "client_secret": secret}
    store = Database(gateway.database_url, schema=gateway.database_schema)
    try:
        with store.writer() as session, session.begin():
            credentials = register_clients(session, known)
    finally:
        store.dispose()
    write_credentials(
        DEV_CLIENTS_FILE, {k: v for k, v in credentials.items() if not k.startswith("service:")}
    )
    write_credentials(
        SERVICE_CLIENTS_FILE,
        {k.removeprefix("service:"): v for k, v in credentials.items() if k.startswith("service:")},
    )
    return credentials


def banner(credentials: dict[str, Credentials]) -> str:
    vr = credentials["vr"]
    return f"""
The programme-office API is running.

  API and interactive docs   http://127.0.0.1:8000/docs
  Development credentials    {DEV_CLIENTS_FILE} (vr, vinnova, office, government)

  Get a token and call the API:
    TOKEN=$(curl -s -X POST http://127.0.0.1:8000/v1/auth/token \\
      -d grant_type=client_credentials -d client_id={vr.client_id} \\
      -d client_secret={vr.client_secret} \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/v1/calls

  Public open-call data needs no token:
    curl -s http://127.0.0.1:8000/v1/public/calls

Ctrl-C stops all four processes.
"""


def main(argv: list[str]) -> int:
    print("Preparing the databases …", flush=True)
    credentials = prepare()
    if "--prepare-only" in argv:
        return 0
    env = {
        "GRANTS_CLIENT_ID": credentials["service:grants"].client_id,
        "GRANTS_CLIENT_SECRET": credentials["service:grants"].client_secret,
        "REPORTING_CLIENT_ID": credentials["service:reporting"].client_id,
        "REPORTING_CLIENT_SECRET": credentials["service:reporting"].client_secret,
    }
    processes = Processes(env=env)
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        processes.start_all()
        print(banner(credentials), flush=True)
        while not stopping:
            exited = processes.first_exited()
            if exited:
                print(f"{exited} stopped unexpectedly; stopping the others.", file=sys.stderr)
                return 1
            time.sleep(0.2)
        print("\nStopping …", flush=True)
        return 0
    finally:
        processes.stop_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
