"""No Docker engine runs here, so the compose file's structure is checked instead."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic_settings import BaseSettings

from gateway.settings import GatewaySettings
from services.calls.settings import CallsSettings
from services.grants.settings import GrantsSettings
from services.reporting.settings import ReportingSettings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS: dict[str, type[BaseSettings]] = {
    "GATEWAY_": GatewaySettings,
    "CALLS_": CallsSettings,
    "GRANTS_": GrantsSettings,
    "REPORTING_": ReportingSettings,
}


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_only_the_gateway_is_published() -> None:
    services = compose()["services"]
    assert {"postgres", "migrate", "calls", "grants", "reporting", "gateway"} <= set(services)
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"gateway"}


def test_every_command_names_something_that_exists() -> None:
    for name, service in compose()["services"].items():
        command = service.get("command")
        if command is None:
            continue
        if command[0] == "uvicorn":
            module, factory = command[command.index("--factory") + 1].split(":")
            assert callable(getattr(importlib.import_module(module), factory)), name
        else:
            assert command[:2] == ["python", "-m"]
            assert importlib.import_module(command[2]), name


def test_environment_variables_are_settings_the_apps_read() -> None:
    for name, service in compose()["services"].items():
        if name == "postgres":
            continue
        for variable in service["environment"]:
            prefix = next(p for p in SETTINGS if variable.startswith(p))
            field = variable.removeprefix(prefix).lower()
            assert field in SETTINGS[prefix].model_fields, (name, variable)


def test_dependencies_and_build() -> None:
    services = compose()["services"]
    assert (ROOT / "Dockerfile").exists()
    for name, service in services.items():
        assert "build" in service or "image" in service, name
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    copied = re.findall(r"^COPY (\S+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    for path in copied:
        assert (ROOT / path).exists(), path
