"""The frame every service app shares: state, errors, request IDs, health and OpenAPI."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from kit.auth import InternalVerifier, current_principal, service_audience
from kit.db import Database
from kit.http import RequestContext
from kit.logs import configure_logging
from kit.problems import ServiceUnavailable, document_problems, install_problem_handlers
from kit.settings import ServiceSettings

Hook = Callable[[FastAPI], None]


def create_service_app(
    *,
    name: str,
    title: str,
    description: str,
    settings: ServiceSettings,
    routers: list[APIRouter],
    on_startup: Hook | None = None,
    on_shutdown: Hook | None = None,
) -> FastAPI:
    """A service app: every router given here requires a valid internal token."""
    configure_logging(name, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if on_startup:
            on_startup(app)
        try:
            yield
        finally:
            if on_shutdown:
                on_shutdown(app)
            app.state.database.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.name = name
    app.state.settings = settings
    app.state.database = Database(settings.database_url, schema=settings.database_schema)
    app.state.verifier = InternalVerifier(
        audience=service_audience(name), jwks=settings.jwks, jwks_url=settings.jwks_url
    )
    install_problem_handlers(app)
    app.add_middleware(RequestContext)

    for router in routers:
        app.include_router(router, dependencies=[Depends(current_principal)])

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> dict[str, str]:
        try:
            app.state.database.ping()
        except Exception as exc:
            raise ServiceUnavailable("The database is not answering.") from exc
        return {"status": "ready"}

    # The gateway merges this into the one public document; it needs a token like any route.
    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(current_principal)])
    def openapi() -> JSONResponse:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        schema: dict[str, Any] = app.openapi_schema
        return JSONResponse(schema)

    return app
