"""One OpenAPI document for the whole API: the gateway's own routes and every service's.

Each service's document is fetched (with an internal token) when first asked for and kept
until it has been fetched successfully from all services; a service that is down is left
out and named in `info.x-missing-services` rather than failing the whole document.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gateway.routes import PUBLIC_PREFIXES
from kit.principal import ANONYMOUS
from kit.problems import problem_responses

log = logging.getLogger("gateway.openapi")

DESCRIPTION = """\
The joint programme office API for *Excellence clusters for groundbreaking technology*
(excellenskluster för banbrytande teknik), run by Vetenskapsrådet (VR) and Vinnova.

Get a token with `POST /v1/auth/token` (OAuth 2.0 client credentials), then send it as
`Authorization: Bearer …`. Public open-call data under `/v1/public` needs no token.
Every error is `application/problem+json` (RFC 9457); a broken programme rule names itself
in `rule` (R1-R15). Money is whole kronor (integer SEK).
"""


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                renames.get(v, v)
                if k == "$ref" and isinstance(v, str)
                else _rename_refs(v, renames)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(v, renames) for v in node]
    return node


def merge(base: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    paths = merged.setdefault("paths", {})
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    for service, document in services.items():
        renames: dict[str, str] = {}
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            if name in schemas and json.dumps(schemas[name], sort_keys=True) != json.dumps(
                schema, sort_keys=True
            ):
                new = f"{service.capitalize()}{name}"
                renames[f"#/components/schemas/{name}"] = f"#/components/schemas/{new}"
        document = _rename_refs(document, renames)
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            target = renames.get(f"#/components/schemas/{name}", name).rsplit("/", 1)[-1]
            schemas[target] = schema
        for path, item in document.get("paths", {}).items():
            public = path.startswith(PUBLIC_PREFIXES)
            for operation in item.values():
                if isinstance(operation, dict):
                    operation["security"] = [] if public else [{"oauth2": []}]
                    _gateway_answers(path, operation)
            paths[path] = item
    return merged


def _gateway_answers(path: str, operation: dict[str, Any]) -> None:
    """What the gateway itself may answer for any forwarded operation, before or instead of
    the service: 401 (a token that is not valid, also on public paths), 413 (a body over the
    limit), 429 (rate limits), 431 (headers over the limit) and 502/503/504 (the service
    failed, is down or too slow); and 404 where a path parameter holds "/" or is "." or "..",
    so that the path names no route (found by schema fuzzing)."""
    statuses = [401, 429, 431, 502, 503, 504]
    if "requestBody" in operation:
        statuses.append(413)
    if "{" in path:
        statuses.append(404)
    responses = operation.setdefault("responses", {})
    for status, entry in problem_responses(*statuses).items():
        responses.setdefault(str(status), entry)


def base_document(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title="Excellence clusters: joint programme office API",
        version="1.0.0",
        description=DESCRIPTION,
        routes=app.routes,
    )
    document.setdefault("components", {})["securitySchemes"] = {
        "oauth2": {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/v1/auth/token",
                    "scopes": {
                        "calls:read": "Read calls",
                        "calls:write": "Write own agency's calls",
                        "calls:coordinate": "Coordinate rounds (office)",
                        "grants:read": "Read grants and ledger",
                        "grants:write": "Write own agency's grants and ledger",
                        "reports:read": "Read reports",
                        "reports:write": "Build and submit reports",
                        "reports:approve": "Approve a report version (agency)",
                    },
                }
            },
        },
    }
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation["security"] = []
    return document


async def merged_document(app: FastAPI) -> dict[str, Any]:
    cached: dict[str, Any] | None = getattr(app.state, "openapi_merged", None)
    if cached is not None:
        return cached
    upstreams = app.state.upstreams
    documents: dict[str, dict[str, Any]] = {}
    missing = []
    for service, client in upstreams.clients.items():
        token = app.state.internal_tokens.token(ANONYMOUS, f"urn:programme-office:{service}")
        try:
            response = await client.get(
                "/openapi.json", headers={"authorization": f"Bearer {token}"}
            )
            response.raise_for_status()
            documents[service] = response.json()
        except Exception as exc:  # any failure leaves that service out, logged
            log.warning("OpenAPI of %s not available: %r", service, exc)
            missing.append(service)
    document = merge(base_document(app), documents)
    if missing:
        document["info"]["x-missing-services"] = missing
    else:
        app.state.openapi_merged = document
    return document
