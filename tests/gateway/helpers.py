"""Pieces the gateway tests share: extra servers, an echo service, forged tokens, problems.

The echo service is a real service app (`kit.service.create_service_app`) that answers with
what reached it: the principal its internal token carried, the headers, the raw path and the
body size. Pointing an extra gateway at it shows exactly what the gateway forwards.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from kit.auth import CurrentPrincipal
from kit.problems import PROBLEM_JSON
from kit.service import create_service_app
from kit.settings import ServiceSettings
from kit.tokens import SigningKey, jwks_document
from tests.harness import Server, Stack, free_socket

WAIT = 5.0  # the most any test client waits for an answer before the test fails


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def header_of(token: str) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(unb64url(token.split(".")[0]))
    return header


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = json.loads(unb64url(token.split(".")[1]))
    return claims


def compact(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    """A JWT put together by hand, for forgeries no library would sign."""
    parts = [json.dumps(header).encode(), json.dumps(claims).encode()]
    return ".".join([*(b64url(p) for p in parts), b64url(signature)])


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert body["title"]
    return body


def assert_unauthorized(response: httpx.Response) -> dict[str, Any]:
    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer ")
    return body


# servers ------------------------------------------------------------------------------------
class Servers:
    """Extra apps on their own loopback ports, all stopped when the test ends."""

    def __init__(self) -> None:
        self.started: list[Server] = []

    def start(self, app: FastAPI, sock: Any = None, *, edge: bool = False) -> Server:
        server = Server(app, sock or free_socket())
        if edge:
            # uvicorn believes X-Forwarded-For from loopback peers by default; at the edge
            # (as in production, where clients are not on loopback) there is no proxy to trust.
            server.server.config.proxy_headers = False
        server.start()
        self.started.append(server)
        return server

    def stop(self) -> None:
        # All told to exit first, so their shutdowns overlap instead of queueing.
        for server in self.started:
            server.server.should_exit = True
        for server in reversed(self.started):
            server.stop()
        self.started.clear()


def closed_port_url() -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    sock = free_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()
    return url


# the echo service ---------------------------------------------------------------------------
class EchoPrincipal(BaseModel):
    sub: str
    role: str
    agency: str | None
    scopes: list[str]
    client: str | None


class Echo(BaseModel):
    method: str
    raw_path: str
    query: str
    headers: list[tuple[str, str]]
    body_bytes: int
    principal: EchoPrincipal

    def header(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]


def echo_app(
    folder: Path,
    *,
    keys: list[SigningKey] | None = None,
    jwks_url: str | None = None,
    name: str = "calls",
) -> FastAPI:
    """A service called `name` (so the gateway's internal tokens are meant for it)."""
    router = APIRouter()

    @router.api_route(
        "/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], response_model=Echo
    )
    async def echo(request: Request, response: Response, principal: CurrentPrincipal) -> Echo:
        body = await request.body()
        response.headers["etag"] = '"echo-1"'
        response.headers["location"] = "/v1/calls/echoed"
        return Echo(
            method=request.method,
            raw_path=request.scope["raw_path"].decode("latin-1"),
            query=request.scope["query_string"].decode("latin-1"),
            headers=[
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.scope["headers"]
            ],
            body_bytes=len(body),
            principal=EchoPrincipal(
                sub=principal.sub,
                role=principal.role,
                agency=principal.agency,
                scopes=sorted(principal.scopes),
                client=principal.client,
            ),
        )

    settings = ServiceSettings(
        environment="test",
        log_level="WARNING",
        database_url=f"sqlite:///{folder / f'echo-{time.monotonic_ns()}.db'}",
        jwks=json.dumps(jwks_document(keys)) if keys else None,
        jwks_url=jwks_url,
    )
    app = create_service_app(
        name=name,
        title="Echo",
        description="What reached the service.",
        settings=settings,
        routers=[router],
    )
    app.state.hits = 0

    @app.middleware("http")
    async def count(request: Request, call_next: Any) -> Any:
        # Every request that reached the service, routed or not.
        app.state.hits += 1
        return await call_next(request)

    return app


def echoed(response: httpx.Response) -> Echo:
    assert response.status_code == 200, response.text
    return Echo.model_validate_json(response.content)


# a slow upstream ----------------------------------------------------------------------------
class SlowUpstream:
    """An app that holds every request until released (or 10 s pass), counting arrivals."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.arrived = 0
        self.answered = 0
        self.app = FastAPI()

        @self.app.api_route("/{path:path}", methods=["GET", "POST"])
        async def hold(path: str) -> dict[str, str]:
            self.arrived += 1
            deadline = time.monotonic() + 10
            while not self.release.is_set() and time.monotonic() < deadline:
                await anyio.sleep(0.01)
            self.answered += 1
            return {"path": path}


def token_for(gateway_url: str, client_id: str, secret: str, **form: str) -> httpx.Response:
    return httpx.post(
        f"{gateway_url}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            **form,
        },
        timeout=WAIT,
    )


# signing by hand ----------------------------------------------------------------------------
def sign_es256(key: SigningKey, claims: dict[str, Any], **header: Any) -> str:
    """An ES256 JWT signed with `key`, with whatever header the test wants (kid included)."""
    private = serialization.load_pem_private_key(key.private_pem, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    head = {"alg": "ES256", "typ": "JWT", "kid": key.kid, **header}
    signing_input = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(claims).encode())}"
    r, s = decode_dss_signature(private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


class RsaKey:
    """An RS256 key pair, as an agency's identity provider might use."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def public_jwk(self) -> dict[str, str]:
        numbers = self.private.public_key().public_numbers()
        n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
        e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
        return {"kty": "RSA", "kid": self.kid, "use": "sig", "n": b64url(n), "e": b64url(e)}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        head = {"alg": "RS256", "typ": "JWT", "kid": self.kid, **header}
        signing_input = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(claims).encode())}"
        signature = self.private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"


def timed_claims(**claims: Any) -> dict[str, Any]:
    """Claims valid from now for five minutes, unless the test says otherwise."""
    now = int(time.time())
    base: dict[str, Any] = {"iat": now, "nbf": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    return {**base, **claims}


class JwksServer:
    """A JWKS URL the test controls: what it serves can change, and fetches are counted."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.fetches = 0
        self.app = FastAPI()

        @self.app.get("/jwks.json")
        def jwks() -> JSONResponse:
            self.fetches += 1
            return JSONResponse(self.document)


def gateway_app(stack: Stack, **overrides: Any) -> FastAPI:
    """A second gateway like the stack's, with some settings changed (any of them)."""
    settings = stack.settings("gateway")
    changed = GatewaySettings.model_validate({**settings.model_dump(), **overrides})
    return create_gateway(changed)


def raw_request(url: str, request_line: str, headers: dict[str, str] | None = None) -> bytes:
    """One HTTP/1.1 request over a bare socket, for paths an HTTP client would clean up."""
    host, port = url.removeprefix("http://").split(":")
    lines = [request_line, f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection((host, int(port)), timeout=WAIT) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def raw_status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])
