"""The grant ledger: clusters, grants, appropriations and the append-only ledger."""

from fastapi import FastAPI

from kit.service import create_service_app
from services.grants.router import router
from services.grants.settings import GrantsSettings


def create_app(settings: GrantsSettings | None = None) -> FastAPI:
    return create_service_app(
        name="grants", title="Grants", settings=settings or GrantsSettings(),
        description="Clusters, grants, appropriations and the append-only ledger.",
        routers=[router],
    )
