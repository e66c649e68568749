"""Reporting: the joint annual report and the planning grants' final reports."""

from fastapi import FastAPI

from kit.db import utcnow
from kit.service import create_service_app
from services.reporting.router import router
from services.reporting.settings import ReportingSettings
from services.reporting.upstream import Owners


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()

    def start(app: FastAPI) -> None:
        app.state.owners = Owners(settings)

    def stop(app: FastAPI) -> None:
        app.state.owners.close()

    app = create_service_app(
        name="reporting",
        title="Reporting",
        settings=settings,
        description="The joint annual report (R9) and planning final reports (R12).",
        routers=[router],
        on_startup=start,
        on_shutdown=stop,
    )
    app.state.clock = utcnow
    return app
