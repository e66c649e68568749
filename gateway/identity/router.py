"""OAuth 2.0 client credentials (RFC 6749 section 4.4) and the public keys."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from gateway.identity.models import Client
from gateway.identity.secrets import dummy_hash, verify_secret
from kit.auth import INTERNAL_ISSUER, service_audience
from kit.problems import problem_responses
from kit.tokens import issue, jwks_document

router = APIRouter(tags=["identity"])

SERVICE_AUDIENCES = {service_audience(name) for name in ("calls", "grants", "reporting")}

TOKEN_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string", "format": "password"},
                        "scope": {"type": "string", "description": "Space-separated scopes"},
                    },
                }
            }
        },
    },
}

OAUTH_ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
}


def oauth_error(status: int, error: str, description: str) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="programme-office"'
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers=headers
    )


def _credentials(request: Request, form: dict[str, str]) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        # RFC 6749 2.3.1: both parts are form-urlencoded ("+" is a space) before encoding.
        return (unquote_plus(client_id), unquote_plus(secret)) if sep else None
    if "client_id" in form and "client_secret" in form:
        return form["client_id"], form["client_secret"]
    return None


def _form(body: bytes) -> dict[str, str] | None:
    try:
        parsed = parse_qs(body.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return None
    if any(len(values) > 1 for values in parsed.values()):
        return None  # RFC 6749 3.2: parameters must not be repeated
    return {name: values[0] for name, values in parsed.items()}


@router.post(
    "/v1/auth/token",
    summary="Get an access token (OAuth 2.0 client credentials)",
    openapi_extra=TOKEN_FORM,
    responses={
        200: {
            "description": "An access token",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "access_token": {"type": "string"},
                            "token_type": {"type": "string"},
                            "expires_in": {"type": "integer"},
                            "scope": {"type": "string"},
                        },
                    }
                }
            },
        },
        400: {
            "description": "Bad token request (RFC 6749 5.2)",
            "content": {"application/json": {"schema": OAUTH_ERROR}},
        },
        401: {
            "description": "Unknown client or wrong secret (`invalid_client`)",
            "content": {"application/json": {"schema": OAUTH_ERROR}},
        },
        # Refused at the edge before the form is read: a body over the limit, the address's
        # rate limit (problem+json, like every error that is not RFC 6749's).
        **problem_responses(413, 429),
    },
)
async def token(request: Request) -> JSONResponse:
    # Guessing secrets is slowed by the per-address budget before any scrypt is spent.
    await request.app.state.limiter.check(
        client=None, address=request.client.host if request.client else None
    )
    raw = await request.body()
    # scrypt and the store lookup block: keep them off the event loop.
    return await run_in_threadpool(_token, request, raw)


def _token(request: Request, raw: bytes) -> JSONResponse:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return oauth_error(
            400, "invalid_request", "Send the form as application/x-www-form-urlencoded."
        )
    form = _form(raw)
    if form is None:
        return oauth_error(400, "invalid_request", "The form could not be read.")
    if not form.get("grant_type"):
        return oauth_error(400, "invalid_request", "grant_type is required.")
    if form.get("grant_type") != "client_credentials":
        return oauth_error(
            400, "unsupported_grant_type", "Only grant_type=client_credentials is supported."
        )
    if "client_secret" in form and "authorization" in request.headers:
        # RFC 6749 2.3: one authentication method per request, so none is preferred silently.
        return oauth_error(
            400, "invalid_request", "Authenticate with HTTP Basic or with the form, not both."
        )
    credentials = _credentials(request, form)
    if credentials is None:
        return oauth_error(401, "invalid_client", "Client authentication is required.")
    client_id, secret = credentials
    with request.app.state.database.reader() as session:
        client = session.get(Client, client_id) if len(client_id) <= 64 else None
    valid = verify_secret(secret, client.secret_hash if client else dummy_hash())
    if client is None or not valid or client.disabled_at is not None:
        return oauth_error(401, "invalid_client", "Unknown client or wrong secret.")

    settings = request.app.state.settings
    allowed = set(client.scopes.split())
    requested = set(form.get("scope", "").split()) or allowed
    if not requested <= allowed:
        return oauth_error(
            400, "invalid_scope", "Scopes not allowed: " + " ".join(sorted(requested - allowed))
        )
    resource = form.get("resource")
    if client.role == "service":
        if resource not in SERVICE_AUDIENCES:
            return oauth_error(400, "invalid_target", "A service token names its resource.")
        issuer, audience, ttl = INTERNAL_ISSUER, resource, settings.internal_token_ttl
    else:
        if resource is not None:
            return oauth_error(400, "invalid_target", "Only services may name a resource.")
        issuer, audience, ttl = settings.issuer, settings.audience, settings.token_ttl
    scope = " ".join(sorted(requested))
    access_token, _ = issue(
        request.app.state.keys.current,
        issuer=issuer,
        audience=audience,
        subject=client.client_id,
        ttl=ttl,
        role=client.role,
        agency=client.agency,
        scope=scope,
        client_id=client.client_id,
    )
    return JSONResponse(
        {"access_token": access_token, "token_type": "Bearer", "expires_in": ttl, "scope": scope},
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


@router.get("/.well-known/jwks.json", summary="The gateway's public signing keys")
def jwks(request: Request) -> JSONResponse:
    return JSONResponse(
        jwks_document(request.app.state.keys.keys), headers={"Cache-Control": "public, max-age=300"}
    )
