"""Every Alembic environment at once: `python -m tools.migrations check|upgrade|heads`.

Each environment's database comes from its app's settings (e.g. CALLS_DATABASE_URL), so the
same command checks the SQLite default or a PostgreSQL deployment.
"""

from __future__ import annotations

import sys

from alembic import command
from alembic.script import ScriptDirectory

from gateway.settings import GatewaySettings
from kit.migrations import ENVIRONMENTS, alembic_config
from kit.settings import DATA_DIR
from services.calls.settings import CallsSettings
from services.grants.settings import GrantsSettings
from services.reporting.settings import ReportingSettings


def database(app: str) -> tuple[str, str | None]:
    settings = {
        "gateway": GatewaySettings,
        "calls": CallsSettings,
        "grants": GrantsSettings,
        "reporting": ReportingSettings,
    }[app]()
    return settings.database_url, settings.database_schema


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "check"
    if action not in {"check", "upgrade", "heads"}:
        print("usage: python -m tools.migrations check|upgrade|heads", file=sys.stderr)
        return 2
    DATA_DIR.mkdir(exist_ok=True)
    for app in ENVIRONMENTS:
        url, schema = database(app)
        config = alembic_config(app, url=url, schema=schema)
        heads = ScriptDirectory.from_config(config).get_heads()
        if len(heads) != 1:
            print(f"{app}: {len(heads)} heads ({', '.join(heads)}); expected one")
            return 1
        if action == "heads":
            print(f"{app}: {heads[0]}")
        elif action == "upgrade":
            command.upgrade(config, "head")
        else:
            command.upgrade(config, "head")
            command.check(config)
            print(f"{app}: single head {heads[0]}, models and migrations agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
