"""Service-to-service HTTP: one pooled client, an internal token, timeouts, clear 503s.

A service gets its token from the gateway's token endpoint with its own client credentials
and an RFC 8707 `resource` naming the target service; the token is reused until shortly
before it expires. Calls run from sync route handlers (the services' database work is sync),
so this is the sync httpx client.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import httpx

from kit.auth import service_audience
from kit.logs import request_id_var
from kit.problems import ServiceUnavailable

log = logging.getLogger("kit.upstream")


class TokenSource:
    def __init__(
        self, *, gateway_url: str, client_id: str, client_secret: str, timeout: float = 5.0
    ) -> None:
        self._http = httpx.Client(base_url=gateway_url, timeout=timeout)
        self._credentials = (client_id, client_secret)
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def token(self, audience: str) -> str:
        with self._lock:
            cached = self._tokens.get(audience)
            if cached and cached[1] - time.monotonic() > 30:
                return cached[0]
            try:
                response = self._http.post(
                    "/v1/auth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": self._credentials[0],
                        "client_secret": self._credentials[1],
                        "resource": audience,
                    },
                )
            except httpx.HTTPError as exc:
                raise ServiceUnavailable("The gateway cannot issue a service token.") from exc
            if response.status_code != 200:
                log.error("service token refused: %s %s", response.status_code, response.text)
                raise ServiceUnavailable("This service is not allowed a service token.")
            body = response.json()
            token = str(body["access_token"])
            self._tokens[audience] = (token, time.monotonic() + float(body["expires_in"]))
            return token

    def close(self) -> None:
        self._http.close()


class ServiceClient:
    """Reads another service's API; any failure to get an answer is a 503 for our caller."""

    def __init__(
        self, *, name: str, base_url: str, tokens: TokenSource, timeout: float = 5.0
    ) -> None:
        self.name = name
        self.audience = service_audience(name)
        self._tokens = tokens
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"authorization": f"Bearer {self._tokens.token(self.audience)}"}
        request_id = request_id_var.get()
        if request_id:
            headers["x-request-id"] = request_id
        try:
            response = self._http.get(path, params=params, headers=headers)
        except httpx.HTTPError as exc:
            log.error("%s did not answer %s: %r", self.name, path, exc)
            raise ServiceUnavailable(f"The {self.name} service is not answering.") from exc
        if response.status_code >= 500:
            log.error("%s answered %s to %s", self.name, response.status_code, path)
            raise ServiceUnavailable(f"The {self.name} service failed.")
        return response

    def close(self) -> None:
        self._http.close()
