"""Forwarding a verified request to its service.

The client's identity headers never pass: the service learns who is calling only from the
internal token minted here. Retries happen only for idempotent methods and only when the
connection could not be made (nothing reached the service).
"""

from __future__ import annotations

import logging

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from starlette.requests import Request
from starlette.responses import Response

from kit.problems import BadGateway, GatewayTimeout, ServiceUnavailable

log = logging.getLogger("gateway.proxy")

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

# Hop-by-hop headers (RFC 9110 7.6.1) and anything that could claim an identity.
DROP_REQUEST = frozenset(
    {
        "host",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "authorization",
        "proxy-authorization",
        "cookie",
        "forwarded",
        "x-real-ip",
        "accept-encoding",
        # Replaced by the gateway's own (the checked or newly made one), never sent twice.
        "x-request-id",
    }
)
DROP_REQUEST_PREFIXES = (
    "x-forwarded-",
    "x-principal",
    "x-agency",
    "x-role",
    "x-scope",
    "x-client",
    "x-user",
    "x-auth",
    "x-internal",
    "x-remote-",
)
# httpx hands over the body decoded, so its encoding and length headers would be wrong.
DROP_RESPONSE = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "content-encoding",
        "server",
        "date",
    }
)


def forward_headers(request: Request, token: str, request_id: str) -> list[tuple[str, str]]:
    headers = [
        (name, value)
        for name, value in request.headers.items()
        if name not in DROP_REQUEST and not name.startswith(DROP_REQUEST_PREFIXES)
    ]
    headers.append(("authorization", f"Bearer {token}"))
    headers.append(("x-request-id", request_id))
    if request.client:
        headers.append(("x-forwarded-for", request.client.host))
    return headers


def classify(exc: httpx.HTTPError) -> str:
    """`unreachable` (nothing reached the service), `timeout`, or `invalid`.

    httpx-aiohttp maps every aiohttp connection error to ConnectTimeout, a refused
    connection and a dropped one alike, so aiohttp's own exception decides where there is one.
    """
    cause = exc.__cause__
    if isinstance(exc, httpx.ConnectError) or isinstance(cause, aiohttp.ClientConnectorError):
        return "unreachable"
    if isinstance(cause, aiohttp.ClientError):
        return "timeout" if isinstance(cause, TimeoutError) else "invalid"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    return "invalid"


class Upstreams:
    def __init__(
        self,
        urls: dict[str, str],
        *,
        timeout: float,
        connect_timeout: float,
        transports: dict[str, httpx.AsyncBaseTransport] | None = None,
        client: str = "aiohttp",
    ) -> None:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
        timeouts = httpx.Timeout(timeout, connect=connect_timeout, pool=connect_timeout)

        def transport(name: str) -> httpx.AsyncBaseTransport | None:
            given = (transports or {}).get(name)
            if given is not None or client != "aiohttp":
                return given
            # httpx's API over aiohttp's connection pool: a third of the CPU per forwarded
            # request on this machine (docs/performance.md).
            return AiohttpTransport(limits=limits)

        self.clients = {
            name: httpx.AsyncClient(
                base_url=url,
                timeout=timeouts,
                limits=limits,
                transport=transport(name),
                # Bodies pass through untouched: ask services for them unencoded.
                headers={"accept-encoding": "identity"},
            )
            for name, url in urls.items()
        }

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def forward(
        self,
        service: str,
        request: Request,
        body: bytes,
        token: str,
        request_id: str,
        *,
        conditional: bool = True,
    ) -> Response:
        """`conditional=False` asks for the full answer even if the client sent
        If-None-Match (to fill the public cache, which then answers the condition)."""
        client = self.clients[service]
        # The path as the client sent it: decoding here and again at the service would turn
        # %252e into "." there, and %2F would split a segment the gateway routed as one.
        raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
        outgoing = client.build_request(
            request.method,
            raw_path.decode("latin-1"),
            params=request.url.query.encode(),
            headers=[
                (name, value)
                for name, value in forward_headers(request, token, request_id)
                if conditional or name not in ("if-none-match", "if-modified-since")
            ],
            content=body,
        )
        attempts = 2 if request.method in IDEMPOTENT else 1
        for attempt in range(attempts):
            try:
                upstream = await client.send(outgoing)
                break
            except httpx.HTTPError as exc:
                failure = classify(exc)
                if failure == "unreachable" and attempt + 1 < attempts:
                    continue
                log.error("%s %s: %r", service, failure, exc, extra={"upstream": service})
                if failure == "unreachable":
                    raise ServiceUnavailable(
                        f"The {service} service is not reachable.", headers={"Retry-After": "5"}
                    ) from exc
                if failure == "timeout":
                    raise GatewayTimeout(f"The {service} service did not answer in time.") from exc
                raise BadGateway(f"The {service} service gave no valid answer.") from exc
        response = Response(upstream.content, status_code=upstream.status_code)
        response.raw_headers.extend(
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in upstream.headers.multi_items()
            if name not in DROP_RESPONSE and name != "content-type"
        )
        if "content-type" in upstream.headers:
            response.raw_headers.append(
                (b"content-type", upstream.headers["content-type"].encode("latin-1"))
            )
        return response
