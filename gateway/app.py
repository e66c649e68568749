"""The gateway: identity, routing to the three services, one OpenAPI document."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.responses import Response

from gateway.cache import PublicCache
from gateway.identity.authenticate import Authenticator
from gateway.identity.issuing import InternalTokens
from gateway.identity.keys import KeyStore
from gateway.identity.router import router as identity_router
from gateway.limits import BodyLimit, HeaderLimit
from gateway.openapi import merged_document
from gateway.proxy import Upstreams
from gateway.ratelimit import RateLimiter
from gateway.routes import is_public, upstream_for
from gateway.settings import GatewaySettings
from kit.auth import bearer_token, service_audience
from kit.db import Database
from kit.http import RequestContext
from kit.logs import configure_logging, request_id_var
from kit.problems import NotFound, ServiceUnavailable, Unauthorized, install_problem_handlers
from kit.tokens import TokenError

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(
    settings: GatewaySettings | None = None,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    keys = KeyStore.load(settings.key_dir, settings.signing_key)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await app.state.upstreams.close()
            await app.state.issuer_http.aclose()
            await app.state.limiter.store.close()
            app.state.database.dispose()

    app = FastAPI(
        title="Excellence clusters: joint programme office API",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.keys = keys
    app.state.database = Database(settings.database_url, schema=settings.database_schema)
    app.state.internal_tokens = InternalTokens(keys, settings.internal_token_ttl)
    app.state.upstreams = Upstreams(
        settings.upstreams(),
        timeout=settings.upstream_timeout,
        connect_timeout=settings.connect_timeout,
        transports=transports,
        client=settings.upstream_client,
    )
    app.state.issuer_http = httpx.AsyncClient(timeout=5.0)
    app.state.authenticator = Authenticator(settings, keys, app.state.issuer_http)
    app.state.limiter = RateLimiter.from_settings(settings)
    app.state.public_cache = PublicCache(settings.public_cache_seconds)
    install_problem_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeaderLimit, max_bytes=settings.max_header_bytes)
    app.add_middleware(RequestContext)
    app.include_router(identity_router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> dict[str, str]:
        try:
            app.state.database.ping()
        except Exception as exc:
            raise ServiceUnavailable("The gateway's store is not answering.") from exc
        return {"status": "ready"}

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(await merged_document(app))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=app.title)

    @app.api_route("/{path:path}", methods=METHODS, include_in_schema=False)
    async def forward(request: Request) -> Response:
        path = request.url.path
        service = upstream_for(path)
        if service is None:
            raise NotFound(f"No resource at {path}.")
        try:
            principal = await app.state.authenticator.principal(bearer_token(request))
        except TokenError as exc:
            raise Unauthorized(str(exc)) from exc
        if principal.is_anonymous and not is_public(path):
            raise Unauthorized("A bearer token is required.", error=None)
        limiter: RateLimiter = app.state.limiter
        rate_headers = await limiter.check(
            client=None if principal.is_anonymous else principal.sub,
            address=request.client.host if request.client else None,
        )
        cache: PublicCache = app.state.public_cache
        cache_key = f"{path}?{request.url.query}"
        cacheable = (
            cache.enabled and principal.is_anonymous and request.method == "GET" and is_public(path)
        )
        if cacheable:
            hit = cache.lookup(cache_key, request.headers.get("if-none-match"))
            if hit is not None:
                hit.headers.update(rate_headers)
                return hit
        token = app.state.internal_tokens.token(principal, service_audience(service))
        body = await request.body()
        request_id = request_id_var.get() or ""
        upstreams: Upstreams = app.state.upstreams
        response = await upstreams.forward(
            service, request, body, token, request_id, conditional=not cacheable
        )
        if cacheable:
            cache.store(cache_key, response)
            response = cache.lookup(cache_key, request.headers.get("if-none-match")) or response
        response.headers.update(rate_headers)
        return response

    return app
