"""The `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from pydantic import BaseModel

from kit.problems import BadRequest
from services.grants.idempotency.exceptions import IdempotencyKeyRequired
from services.grants.idempotency.service import Scope, fingerprint

_VALID = re.compile(r"^[\x21-\x7e]{1,255}$")

_HEADER = Header(
    alias="Idempotency-Key",
    description="A unique key per request (e.g. a UUID); a retry with it replays the answer",
)


def _checked(value: str | None) -> str | None:
    if value is None:
        return None
    # The draft's header is a structured-field string; accept it quoted or bare.
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not _VALID.match(value):
        raise BadRequest("Idempotency-Key must be 1-255 visible ASCII characters.")
    return value


def optional_key(key: Annotated[str | None, _HEADER] = None) -> str | None:
    return _checked(key)


def required_key(key: Annotated[str | None, _HEADER] = None) -> str:
    checked = _checked(key)
    if checked is None:
        raise IdempotencyKeyRequired("Money movements need an Idempotency-Key header.")
    return checked


OptionalIdempotencyKey = Annotated[str | None, Depends(optional_key)]
RequiredIdempotencyKey = Annotated[str, Depends(required_key)]


def scope_for(request: Request, client_id: str, key: str | None, body: BaseModel) -> Scope | None:
    """The key's scope for this request, or None when the client sent no key."""
    if key is None:
        return None
    path = request.url.path
    hours = request.app.state.settings.idempotency_retention_hours
    return Scope(
        client_id=client_id,
        key=key,
        fingerprint=fingerprint(request.method, path, body.model_dump(mode="json")),
        path=path,
        retention=timedelta(hours=hours),
    )
