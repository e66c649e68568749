"""The call-coordination service: agency calls, coordinated rounds, public open-call data."""

from fastapi import FastAPI

from kit.db import utcnow
from kit.service import create_service_app
from services.calls import router as calls
from services.calls.coordinations import router as coordinations
from services.calls.internal import router as internal
from services.calls.public import router as public
from services.calls.public.state import PublicCache
from services.calls.settings import CallsSettings


def create_app(settings: CallsSettings | None = None) -> FastAPI:
    app = create_service_app(
        name="calls",
        title="Calls",
        settings=settings or CallsSettings(),
        description="Agency calls, coordinated rounds and public open-call data.",
        routers=[
            calls.router,
            coordinations.router,
            public.router,
            public.areas,
            internal.router,
        ],
    )
    # Everything that depends on the time reads this clock (tests set it).
    app.state.clock = utcnow
    app.state.public_cache = PublicCache(app.state.settings.public_cache_bytes)
    return app
