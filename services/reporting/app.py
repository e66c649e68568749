"""Reporting: the joint annual report and the planning grants' final reports."""

from fastapi import FastAPI

from kit.service import create_service_app
from services.reporting.router import router
from services.reporting.settings import ReportingSettings


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    return create_service_app(
        name="reporting", title="Reporting", settings=settings or ReportingSettings(),
        description="The joint annual report (R9) and planning final reports (R12).",
        routers=[router],
    )
