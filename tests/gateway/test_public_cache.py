"""The gateway's shared cache of anonymous public reads (GATEWAY_PUBLIC_CACHE_SECONDS)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.calls.factories import published_call
from tests.harness import Server, Stack, free_socket


@pytest.fixture
def cached_gateway(stack: Stack) -> Iterator[str]:
    server = Server(stack.create_app("gateway", public_cache_seconds=60), free_socket())
    server.start()
    yield server.url
    server.stop()


def test_anonymous_public_reads_are_served_from_the_cache(
    cached_gateway: str, vr: httpx.Client
) -> None:
    published_call(vr)
    first = httpx.get(f"{cached_gateway}/v1/public/calls")
    assert first.status_code == 200
    published_call(vr)  # the service has changed, the cached answer is still fresh
    second = httpx.get(f"{cached_gateway}/v1/public/calls")
    assert second.headers["age"] == "0"
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["x-request-id"] != first.headers["x-request-id"]
    assert len(httpx.get(f"{cached_gateway}/v1/public/calls?limit=10").json()["items"]) == 2


def test_if_none_match_is_answered_by_the_cache(cached_gateway: str, vr: httpx.Client) -> None:
    published_call(vr)
    etag = httpx.get(f"{cached_gateway}/v1/public/calls").headers["etag"]
    response = httpx.get(f"{cached_gateway}/v1/public/calls", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.headers["etag"] == etag
    assert "age" in response.headers
    other = httpx.get(f"{cached_gateway}/v1/public/calls", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


def test_token_holders_and_errors_are_never_cached(
    cached_gateway: str, stack: Stack, vr: httpx.Client
) -> None:
    published_call(vr)
    auth = {"authorization": f"Bearer {stack.token('vinnova')}"}
    for _ in range(2):
        assert "age" not in httpx.get(f"{cached_gateway}/v1/public/calls", headers=auth).headers
    for _ in range(2):
        bad = httpx.get(f"{cached_gateway}/v1/public/calls?limit=0")
        assert bad.status_code == 422
        assert "age" not in bad.headers


def test_the_default_test_gateway_does_not_cache(anonymous: httpx.Client, vr: httpx.Client) -> None:
    published_call(vr)
    anonymous.get("/v1/public/calls")
    assert "age" not in anonymous.get("/v1/public/calls").headers


def test_a_conditional_request_fills_the_cache_and_is_answered_from_it(
    cached_gateway: str, vr: httpx.Client, stack: Stack
) -> None:
    published_call(vr)
    auth = {"authorization": f"Bearer {stack.token('vr')}"}
    etag = httpx.get(f"{cached_gateway}/v1/public/calls", headers=auth).headers["etag"]
    first = httpx.get(f"{cached_gateway}/v1/public/calls", headers={"If-None-Match": etag})
    assert first.status_code == 304
    second = httpx.get(f"{cached_gateway}/v1/public/calls", headers={"If-None-Match": etag})
    assert second.status_code == 304
    assert "age" in second.headers
    assert httpx.get(f"{cached_gateway}/v1/public/calls").headers["age"] == "0"
