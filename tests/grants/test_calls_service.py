"""The grants service asks the calls service over HTTP; when it cannot, nothing is stored."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from services.grants.calls_client import CallsClient
from tests.grants.factories import grant_body, key, make_call, make_cluster, ok, problem
from tests.harness import Stack


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def calls_down(stack: Stack) -> Iterator[Callable[[], None]]:
    """The grants app's calls client pointed at a port where nothing listens; the fixture's
    value brings the real one back."""
    app = stack.servers["grants"].app
    settings = app.state.settings.model_copy(
        update={"calls_url": f"http://127.0.0.1:{_closed_port()}", "upstream_timeout": 2.0}
    )
    working, broken = app.state.calls, CallsClient.from_settings(settings)
    app.state.calls = broken

    def restore() -> None:
        app.state.calls = working

    try:
        yield restore
    finally:
        restore()
        broken.close()


def test_calls_service_down_is_503_and_nothing_is_stored(
    vr: httpx.Client, request: pytest.FixtureRequest
) -> None:
    call, cluster = make_call(vr), make_cluster(vr)
    body: dict[str, Any] = grant_body(call, cluster)
    headers = key()
    request.getfixturevalue("calls_down")
    refused = problem(vr.post("/v1/grants", json=body, headers=headers), 503)
    assert "calls" in refused["detail"]
    assert ok(vr.get("/v1/grants"))["items"] == []


def test_a_503_is_not_stored_under_the_idempotency_key(
    vr: httpx.Client, calls_down: Callable[[], None]
) -> None:
    call, cluster = make_call(vr), make_cluster(vr)
    body, headers = grant_body(call, cluster), key()
    problem(vr.post("/v1/grants", json=body, headers=headers), 503)
    # The calls service is back: the same request with the same key now runs.
    calls_down()
    grant = ok(vr.post("/v1/grants", json=body, headers=headers), 201)
    assert [g["id"] for g in ok(vr.get("/v1/grants"))["items"]] == [grant["id"]]
