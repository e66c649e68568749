"""What reaches the gateway's socket: oversized headers, malformed and slow requests."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import httpx

from tests.harness import Stack


def raw_exchange(stack: Stack, data: bytes, timeout: float = 5.0) -> bytes:
    url = urlsplit(stack.gateway_url)
    with socket.create_connection((url.hostname or "", url.port or 80), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_oversized_headers_get_431_problem(stack: Stack) -> None:
    response = httpx.get(
        f"{stack.gateway_url}/v1/public/calls", headers={"X-Padding": "a" * 20_000}
    )
    assert response.status_code == 431
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/header-fields-too-large"


def test_an_oversized_query_string_gets_431(stack: Stack) -> None:
    response = httpx.get(f"{stack.gateway_url}/v1/public/calls?q={'x' * 20_000}")
    assert response.status_code == 431


def test_headers_within_the_limit_pass(anonymous: httpx.Client) -> None:
    assert anonymous.get("/v1/public/calls", headers={"X-Padding": "a" * 8_000}).status_code == 200


def test_a_malformed_request_line_is_refused_and_the_server_keeps_serving(
    stack: Stack, anonymous: httpx.Client
) -> None:
    answer = raw_exchange(stack, b"GARBAGE\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    assert anonymous.get("/v1/public/calls").status_code == 200


def test_a_body_shorter_than_announced_does_not_hang_the_gateway(
    stack: Stack, anonymous: httpx.Client
) -> None:
    body = json.dumps({"grant_type": "client_credentials"}).encode()
    request = (
        b"POST /v1/auth/token HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000\r\n\r\n" + body
    )
    # The client stops sending; the server waits for the rest on that connection only.
    raw_exchange(stack, request, timeout=0.5)
    assert anonymous.get("/v1/public/calls").status_code == 200
