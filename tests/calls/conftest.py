from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from kit.auth import INTERNAL_ISSUER, service_audience
from kit.db import utcnow
from kit.principal import Principal
from kit.tokens import issue
from tests.harness import Stack


class Clock:
    """The calls service's clock, moved by a test (the service reads `app.state.clock`)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(stack: Stack) -> Iterator[Clock]:
    app = stack.servers["calls"].app
    app.state.clock = fake = Clock()
    try:
        yield fake
    finally:
        app.state.clock = utcnow


@pytest.fixture
def calls_direct(stack: Stack) -> Iterator[Callable[[Principal], httpx.Client]]:
    """A client straight to the calls service with an internal token for any principal."""
    opened: list[httpx.Client] = []

    def make(principal: Principal) -> httpx.Client:
        token, _ = issue(
            stack.key,
            issuer=INTERNAL_ISSUER,
            audience=service_audience("calls"),
            subject=principal.sub,
            ttl=300,
            **principal.claims(),
        )
        client = httpx.Client(
            base_url=stack.urls["calls"], headers={"authorization": f"Bearer {token}"}, timeout=30
        )
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()


@pytest.fixture
def reporting_service(stack: Stack) -> Iterator[httpx.Client]:
    """The reporting service as it reads calls: its own credentials, a token for calls."""
    creds = stack.credentials["service:reporting"]
    token = httpx.post(
        f"{stack.gateway_url}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            **creds.as_dict(),
            "resource": service_audience("calls"),
        },
    ).json()["access_token"]
    with httpx.Client(
        base_url=stack.urls["calls"], headers={"authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        yield client
