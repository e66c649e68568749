"""The calls service as the grants service sees it: one call's owner, status, stage and cap.

Asked over HTTP on the calls service's own port with an internal token (docs/internal-api.md),
never through the gateway and never by reading its tables. Any failure to get an answer is a
503 for our caller, raised before anything is written.
"""

from __future__ import annotations

import logging
from typing import Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from kit.problems import ServiceUnavailable
from kit.upstream import ServiceClient, TokenSource
from services.grants.settings import GrantsSettings

log = logging.getLogger("grants.calls")


class CallFacts(BaseModel):
    """What a grant needs to know about its call (a subset of the internal call document)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    agency: str
    stage: str
    status: str
    max_award_sek: int | None = None
    technology_areas: list[str] = []


class CallsLookup(Protocol):
    def call(self, call_id: str) -> CallFacts | None: ...

    def close(self) -> None: ...


class CallsClient:
    def __init__(self, client: ServiceClient, tokens: TokenSource | None = None) -> None:
        self._client, self._tokens = client, tokens

    @classmethod
    def from_settings(cls, settings: GrantsSettings) -> CallsClient:
        secret = settings.client_secret.get_secret_value() if settings.client_secret else ""
        tokens = TokenSource(
            gateway_url=settings.gateway_url,
            client_id=settings.client_id or "",
            client_secret=secret,
            timeout=settings.upstream_timeout,
        )
        client = ServiceClient(
            name="calls",
            base_url=settings.calls_url,
            tokens=tokens,
            timeout=settings.upstream_timeout,
        )
        return cls(client, tokens)

    def call(self, call_id: str) -> CallFacts | None:
        """The call, or None when the calls service says it does not exist."""
        response = self._client.get(f"/internal/v1/calls/{call_id}")
        # 422: the calls service could not even read the id as one of its ids.
        if response.status_code in (404, 422):
            return None
        if response.status_code != 200:
            log.error("calls answered %s for call %s", response.status_code, call_id)
            raise ServiceUnavailable("The calls service refused to describe the call.")
        try:
            return CallFacts.model_validate_json(response.content)
        except ValidationError as exc:
            log.error("calls sent an unreadable call %s: %s", call_id, exc)
            raise ServiceUnavailable("The calls service sent an unreadable call.") from exc

    def close(self) -> None:
        self._client.close()
        if self._tokens is not None:
            self._tokens.close()
