"""The grant ledger: clusters, grants, appropriations and the append-only ledger."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from kit.service import create_service_app
from services.grants.appropriations.router import router as appropriations
from services.grants.calls_client import CallsClient
from services.grants.clusters.router import router as clusters
from services.grants.grants.router import router as grants
from services.grants.idempotency.service import purge
from services.grants.internal.router import router as internal
from services.grants.ledger.router import router as ledger
from services.grants.settings import GrantsSettings


def _start(app: FastAPI) -> None:
    settings: GrantsSettings = app.state.settings
    app.state.calls = CallsClient.from_settings(settings)
    with app.state.database.writer() as session, session.begin():
        purge(session, timedelta(hours=settings.idempotency_retention_hours))


def _stop(app: FastAPI) -> None:
    app.state.calls.close()


def create_app(settings: GrantsSettings | None = None) -> FastAPI:
    return create_service_app(
        name="grants",
        title="Grants",
        settings=settings or GrantsSettings(),
        description="Clusters, grants, appropriations and the append-only ledger.",
        routers=[clusters, appropriations, grants, ledger, internal],
        on_startup=_start,
        on_shutdown=_stop,
    )
