"""The call-coordination service: agency calls, coordinated rounds, public open-call data."""

from fastapi import FastAPI

from kit.service import create_service_app
from services.calls.router import public, router
from services.calls.settings import CallsSettings


def create_app(settings: CallsSettings | None = None) -> FastAPI:
    return create_service_app(
        name="calls",
        title="Calls",
        settings=settings or CallsSettings(),
        description="Agency calls, coordinated rounds and public open-call data.",
        routers=[router, public],
    )
