"""Rate limits per client and per anonymous address: 429 with Retry-After, in memory per
process by default, one shared budget across gateway processes through Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.ratelimit import MemoryStore, Rate, RedisStore
from tests.harness import Server, Stack, free_socket

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def gateways(stack: Stack) -> Iterator[Any]:
    """Starts extra gateway processes (threads) on the running stack's services."""
    started: list[Server] = []

    def start(**overrides: Any) -> str:
        server = Server(stack.create_app("gateway", **overrides), free_socket())
        server.start()
        started.append(server)
        return server.url

    yield start
    for server in started:
        server.stop()


def small_budget(**extra: Any) -> dict[str, Any]:
    return {
        "anonymous_rate_limit_per_minute": 1,
        "anonymous_rate_limit_burst": 5,
        "rate_limit_per_minute": 1,
        "rate_limit_burst": 3,
        **extra,
    }


def test_anonymous_readers_get_429_with_retry_after(gateways: Any) -> None:
    url = gateways(**small_budget())
    statuses = [httpx.get(f"{url}/v1/public/calls").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    refused = httpx.get(f"{url}/v1/public/calls")
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/rate-limited"
    assert int(refused.headers["retry-after"]) >= 1


def test_each_client_has_its_own_budget(gateways: Any, stack: Stack) -> None:
    url = gateways(**small_budget())
    vr = {"authorization": f"Bearer {stack.token('vr')}"}
    vinnova = {"authorization": f"Bearer {stack.token('vinnova')}"}
    assert [httpx.get(f"{url}/v1/calls", headers=vr).status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    ok = httpx.get(f"{url}/v1/calls", headers=vinnova)
    assert ok.status_code == 200
    assert ok.headers["ratelimit-limit"] == "1"
    assert ok.headers["ratelimit-remaining"] == "2"


def test_token_requests_spend_the_address_budget(gateways: Any) -> None:
    url = gateways(**small_budget())
    form = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}
    statuses = [httpx.post(f"{url}/v1/auth/token", data=form).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_in_memory_budgets_are_per_process(gateways: Any) -> None:
    first, second = gateways(**small_budget()), gateways(**small_budget())
    statuses = [
        httpx.get(f"{url}/v1/public/calls").status_code for _ in range(5) for url in (first, second)
    ]
    assert statuses.count(200) == 10


def test_two_gateways_share_one_budget_through_redis(gateways: Any) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    settings = small_budget(redis_url=REDIS, rate_limit_prefix=prefix)
    first, second = gateways(**settings), gateways(**settings)
    statuses = [
        httpx.get(f"{url}/v1/public/calls").status_code for _ in range(4) for url in (first, second)
    ]
    assert statuses.count(200) == 5
    assert statuses.count(429) == 3


def test_redis_down_lets_requests_through(gateways: Any) -> None:
    closed = free_socket()
    port = closed.getsockname()[1]
    closed.close()
    url = gateways(**small_budget(redis_url=f"redis://127.0.0.1:{port}/0"))
    assert httpx.get(f"{url}/v1/public/calls").status_code == 200


def test_gcra_allows_the_burst_then_spreads_the_rate() -> None:
    async def scenario() -> list[bool]:
        store = MemoryStore()
        rate = Rate(per_minute=60, burst=3)
        return [(await store.acquire("k", rate)).allowed for _ in range(5)]

    assert asyncio.run(scenario()) == [True, True, True, False, False]


def test_redis_store_counts_exactly_under_concurrency() -> None:
    async def scenario() -> int:
        store = RedisStore(REDIS, prefix=f"test:{uuid.uuid4().hex}:")
        try:
            rate = Rate(per_minute=1, burst=20)
            decisions = await asyncio.gather(*(store.acquire("k", rate) for _ in range(50)))
        finally:
            await store.close()
        return sum(d.allowed for d in decisions)

    assert asyncio.run(scenario()) == 20
