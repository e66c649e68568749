"""Public answers are kept per worker, and no worker keeps one that a write made stale."""

from __future__ import annotations

import asyncio

import httpx

from kit.auth import INTERNAL_ISSUER, service_audience
from kit.principal import ANONYMOUS
from kit.tokens import issue
from services.calls.public.state import Answer, PublicCache
from tests.calls.factories import published_call, step
from tests.harness import Stack


def test_a_second_worker_sees_every_committed_write(
    stack: Stack, vr: httpx.Client, anonymous: httpx.Client
) -> None:
    first_call = published_call(vr)
    # A second worker of the calls service: its own app and cache, the same database.
    worker = stack.create_app("calls")
    token, _ = issue(
        stack.key,
        issuer=INTERNAL_ISSUER,
        audience=service_audience("calls"),
        subject="anonymous",
        ttl=300,
        **ANONYMOUS.claims(),
    )

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=worker)
        async with httpx.AsyncClient(transport=transport, base_url="http://calls") as client:
            return await client.get(path, headers={"authorization": f"Bearer {token}"})

    try:
        seen = asyncio.run(get("/v1/public/calls"))
        assert seen.json()["total"] == 1
        # The same data at the same moment has the same name in every worker.
        assert seen.headers["etag"] == anonymous.get("/v1/public/calls").headers["etag"]

        second_call = published_call(vr)
        assert asyncio.run(get("/v1/public/calls")).json()["total"] == 2
        step(vr, first_call["id"], "cancel")
        after = asyncio.run(get("/v1/public/calls")).json()
        assert [item["id"] for item in after["items"]] == [second_call["id"]]
        assert asyncio.run(get(f"/v1/public/calls/{first_call['id']}")).status_code == 404
    finally:
        worker.state.database.dispose()


def test_the_cache_keeps_to_its_byte_budget() -> None:
    cache = PublicCache(max_bytes=10)
    for name in "abc":
        cache.put(name, Answer(b"1234", "application/json"))
    assert cache.get("a") is None
    assert cache.get("b") is not None
    cache.put("d", Answer(b"1234", "application/json"))
    assert cache.get("c") is None
    assert cache.get("b") is not None
    cache.put("huge", Answer(b"x" * 11, "application/json"))
    assert cache.get("huge") is None
