"""When a service is down, slow or silent, the gateway answers a problem in time, never hangs.

No assertion measures time: each client waits at most WAIT seconds, the gateway's upstream
timeout is set far below that, and the slow service is still holding the request when the
gateway's 504 arrives, which shows the gateway did not wait for it.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.gateway.helpers import (
    WAIT,
    Servers,
    SlowUpstream,
    assert_problem,
    closed_port_url,
    gateway_app,
)
from tests.harness import Stack, free_socket

TIMEOUT = 0.3  # the failing gateways' upstream timeout, seconds


@dataclass
class Failing:
    down: str  # every upstream refuses connections
    slow: str  # calls holds each request until released
    silent: str  # calls accepts the connection and never reads or answers
    slow_upstream: SlowUpstream


@pytest.fixture(scope="module")
def failing(stack: Stack, module_servers: Servers) -> Iterator[Failing]:
    timeouts = {"upstream_timeout": TIMEOUT, "connect_timeout": TIMEOUT}
    down = module_servers.start(
        gateway_app(
            stack,
            calls_url=closed_port_url(),
            grants_url=closed_port_url(),
            reporting_url=closed_port_url(),
            **timeouts,
        )
    )
    slow_upstream = SlowUpstream()
    slow_service = module_servers.start(slow_upstream.app)
    slow = module_servers.start(gateway_app(stack, calls_url=slow_service.url, **timeouts))
    listener = free_socket()  # listens, so connections complete in the kernel; never accepts
    silent = module_servers.start(
        gateway_app(stack, calls_url=f"http://127.0.0.1:{listener.getsockname()[1]}", **timeouts)
    )
    try:
        yield Failing(down.url, slow.url, silent.url, slow_upstream)
    finally:
        slow_upstream.release.set()
        listener.close()


def call(
    stack: Stack,
    base: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    headers = {"authorization": f"Bearer {stack.token('office')}", **(headers or {})}
    return httpx.request(method, f"{base}{path}", headers=headers, timeout=WAIT, **kwargs)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/calls"),
        ("POST", "/v1/calls"),
        ("GET", "/v1/grants"),
        ("GET", "/v1/reports/planning"),
        ("GET", "/v1/public/calls"),
    ],
)
def test_a_service_that_is_down_answers_503(
    stack: Stack, failing: Failing, method: str, path: str
) -> None:
    response = call(stack, failing.down, method, path, json={})
    body = assert_problem(response, 503)
    assert body["detail"]
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["x-request-id"]


def test_the_token_endpoint_works_while_the_services_are_down(
    stack: Stack, failing: Failing
) -> None:
    creds = stack.credentials["vr"]
    response = httpx.post(
        f"{failing.down}/v1/auth/token",
        timeout=WAIT,
        data={"grant_type": "client_credentials", **creds.as_dict()},
    )
    assert response.status_code == 200


def test_a_failed_upstream_is_logged_with_the_request_id(
    stack: Stack, failing: Failing, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = call(stack, failing.down, "GET", "/v1/calls", headers={"x-request-id": "down-1"})
    assert response.status_code == 503
    errors = [r for r in caplog.records if r.name == "gateway.proxy" and r.levelname == "ERROR"]
    assert any(getattr(r, "request_id", None) == "down-1" for r in errors)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_slow_service_answers_504_while_it_is_still_working(
    stack: Stack, failing: Failing, method: str
) -> None:
    slow = failing.slow_upstream
    arrived, answered = slow.arrived, slow.answered
    response = call(stack, failing.slow, method, "/v1/calls", json={})
    body = assert_problem(response, 504)
    assert body["detail"]
    # The service has not answered yet: the gateway gave up on its own clock.
    assert slow.answered == answered
    # A POST is never retried (it might have done its work); a GET may be, once.
    assert slow.arrived - arrived == 1 if method == "POST" else 1 <= slow.arrived - arrived <= 2


def test_a_service_that_never_answers_gives_504(stack: Stack, failing: Failing) -> None:
    assert_problem(call(stack, failing.silent, "GET", "/v1/calls"), 504)


def test_the_other_services_answer_while_one_is_slow(stack: Stack, failing: Failing) -> None:
    # The slow gateway forwards only the calls prefix to the slow app.
    assert call(stack, failing.slow, "GET", "/v1/grants").status_code == 200


# body limits --------------------------------------------------------------------------------
LIMIT = 1024 * 1024  # the default


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


@pytest.mark.parametrize("path", ["/v1/calls", "/v1/auth/token", "/v1/public/calls", "/nowhere"])
def test_a_body_over_the_limit_with_content_length_is_413(stack: Stack, path: str) -> None:
    response = call(stack, stack.gateway_url, "POST", path, content=b"x" * (LIMIT + 1))
    body = assert_problem(response, 413)
    assert str(LIMIT) in body["detail"]


@pytest.mark.parametrize("path", ["/v1/calls", "/v1/auth/token"])
def test_a_chunked_body_over_the_limit_is_413(stack: Stack, path: str) -> None:
    response = call(stack, stack.gateway_url, "POST", path, content=chunks(LIMIT + 1))
    assert_problem(response, 413)


def test_a_lying_content_length_cannot_smuggle_a_bigger_body(stack: Stack) -> None:
    port = int(stack.gateway_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(
            b"POST /v1/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(b"0\r\n\r\n")
        reply = sock.recv(65536)
    # h11 refuses a request that names both; nothing is forwarded either way.
    assert reply.split(b" ", 2)[1] in {b"400", b"401", b"413"}


def test_a_body_at_the_limit_is_forwarded(stack: Stack) -> None:
    # calls has no POST /v1/calls yet or validates the body: any answer but 413 shows it passed.
    response = call(
        stack,
        stack.gateway_url,
        "POST",
        "/v1/calls",
        content=b"x" * LIMIT,
        headers={"content-type": "application/json"},
    )
    assert response.status_code != 413


def test_a_refused_body_leaves_the_connection_usable(stack: Stack) -> None:
    # The 413 comes after the rest of the body was read and dropped, so the client gets it
    # (not a reset) and its next request on the same keep-alive connection is answered.
    with stack.client("vr") as vr:
        for _ in range(5):
            assert_problem(vr.post("/v1/calls", content=chunks(2 * LIMIT, 8192)), 413)
            assert_problem(vr.post("/v1/calls", content=b"x" * (LIMIT + 1)), 413)
            assert vr.get("/v1/calls").status_code == 200
