"""Reading the calls and grants services (docs/internal-api.md) with reporting's own token.

Any failure to get an answer is a 503 (kit.upstream); an answer that is not what the
contract says is a 502. Both happen before anything is stored.
"""

from __future__ import annotations

import contextvars
import logging
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ValidationError

from kit.problems import BadGateway, ServiceUnavailable
from kit.upstream import ServiceClient, TokenSource
from services.reporting.aggregates import (
    CallsAggregate,
    GrantsAggregate,
    GrantSummary,
    PlanningGrant,
)
from services.reporting.deadlines import PLANNING_DUE_ON
from services.reporting.settings import ReportingSettings

log = logging.getLogger("reporting.upstream")

CALLS_REPORT = "/internal/v1/report/calls"
GRANTS_REPORT = "/internal/v1/report/annual"

Model = TypeVar("Model", bound=BaseModel)


def iso(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")


class Owners:
    """The two services reporting reads, each through one pooled client."""

    def __init__(self, settings: ReportingSettings) -> None:
        secret = settings.client_secret.get_secret_value() if settings.client_secret else None
        self._tokens = (
            TokenSource(
                gateway_url=settings.gateway_url,
                client_id=settings.client_id,
                client_secret=secret,
                timeout=settings.upstream_timeout,
            )
            if settings.client_id and secret
            else None
        )
        self._clients: dict[str, ServiceClient] = {}
        if self._tokens is not None:
            for name, url in (("calls", settings.calls_url), ("grants", settings.grants_url)):
                self._clients[name] = ServiceClient(
                    name=name,
                    base_url=url,
                    tokens=self._tokens,
                    timeout=settings.aggregate_timeout,
                )
        # the two aggregates are read side by side: a build waits for the slower, not both
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="reporting-owners")

    def _client(self, name: str) -> ServiceClient:
        client = self._clients.get(name)
        if client is None:
            raise ServiceUnavailable(
                "The reporting service has no service credentials to read the other services."
            )
        return client

    def _get(self, name: str, path: str, params: dict[str, str], model: type[Model]) -> Model:
        response = self._client(name).get(path, params=params)
        if response.status_code != 200:
            log.error(
                "%s answered %s to %s: %s", name, response.status_code, path, response.text[:500]
            )
            raise BadGateway(
                f"The {name} service refused the report query ({response.status_code})."
            )
        return _parse(name, response, model)

    def _submit(
        self, name: str, path: str, params: dict[str, str], model: type[Model]
    ) -> Future[Model]:
        # each task runs in a copy of this context, so it sends this request's X-Request-ID
        return self._pool.submit(
            contextvars.copy_context().run, self._get, name, path, params, model
        )

    def annual(
        self, year: int, as_of: datetime
    ) -> tuple[CallsAggregate, GrantsAggregate, dict[str, str]]:
        params = {"year": str(year), "as_of": iso(as_of)}
        calls = self._submit("calls", CALLS_REPORT, params, CallsAggregate)
        grants = self._submit("grants", GRANTS_REPORT, params, GrantsAggregate)
        # neither is left running when the other fails
        futures: list[Future[Any]] = [calls, grants]
        wait(futures)
        query = urlencode(params)
        provenance = {
            "calls.request": f"GET calls {CALLS_REPORT}?{query}",
            "grants.request": f"GET grants {GRANTS_REPORT}?{query}",
        }
        return calls.result(), grants.result(), provenance

    def planning_grants(self, as_of: datetime) -> list[PlanningGrant]:
        """Every planning grant, from the one document of the contract that names them.

        The grants service lists planning grants of any year in its annual aggregate; the
        year asked for is the one the final reports are due in.
        """
        params = {"year": str(PLANNING_DUE_ON.year), "as_of": iso(as_of)}
        aggregate = self._get("grants", GRANTS_REPORT, params, GrantsAggregate)
        return sorted(aggregate.planning_grants, key=lambda g: g.grant_id)

    def grant(self, grant_id: str) -> GrantSummary | None:
        response = self._client("grants").get(f"/internal/v1/grants/{grant_id}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise BadGateway(
                f"The grants service refused the grant query ({response.status_code})."
            )
        return _parse("grants", response, GrantSummary)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for client in self._clients.values():
            client.close()
        if self._tokens is not None:
            self._tokens.close()


def _parse(name: str, response: httpx.Response, model: type[Model]) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        log.error("%s answered a %s that does not parse: %s", name, model.__name__, exc)
        raise BadGateway(f"The {name} service answered something reporting cannot read.") from exc
