"""Issue 6: mixed traffic through the gateway for a fixed time, memory and cold start.

Portals read public calls, agencies write ledger entries and grants, the office builds the
annual report, all at once, from one asyncio load generator (httpx) with 32 concurrent
workers. Each process's RSS is read from /proc before, during and after; cold start is the
time from spawning a process to its first healthy answer. The single-endpoint figures of
the same run (wrk on the bare endpoint and the public list) are measured first, for scale.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from statistics import median, quantiles
from typing import Any

import httpx

from bench import seed, wrk
from tools.throwaway import ThrowawayStack


def rss_mib(pid: int) -> float:
    """The process and its children (uvicorn with workers forks), in MiB."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return round(total, 1)


def memory(stack: ThrowawayStack) -> dict[str, float]:
    return {app: rss_mib(child.pid) for app, child in stack.processes.children.items()}


def cold_starts(stack: ThrowawayStack) -> dict[str, float]:
    found = {}
    for app in ("calls", "grants", "reporting", "gateway"):
        stack.processes.stop(app)
        stack.processes.start(app)
        found[app] = round(stack.processes.wait_healthy(app), 2)
    return found


class Mix:
    def __init__(self, stack: ThrowawayStack, grants: dict[str, list[str]]) -> None:
        self.stack, self.grants = stack, grants
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.next_number = 50_000
        self.last_report = 0.0

    async def one(self, client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
        roll = random.random()
        if roll < 0.6:
            route, method, url, principal, body = (
                "GET /v1/public/calls",
                "GET",
                "/v1/public/calls?limit=50",
                None,
                None,
            )
        elif roll < 0.9:
            agency = random.choice(("vr", "vinnova"))
            grant_id = random.choice(self.grants[agency])
            route, method, url, principal, body = (
                "POST /v1/grants/{id}/ledger",
                "POST",
                f"/v1/grants/{grant_id}/ledger",
                agency,
                seed.ledger_entry("disbursement", 2026, 1),
            )
        elif roll < 0.97:
            agency = random.choice(("vr", "vinnova"))
            route, method, url, principal, body = (
                "GET /v1/ledger/summary",
                "GET",
                "/v1/ledger/summary?group_by=year",
                agency,
                None,
            )
        elif time.monotonic() - self.last_report > 5:
            self.last_report = time.monotonic()
            route, method, url, principal, body = (
                "POST /v1/reports/annual/{year}",
                "POST",
                "/v1/reports/annual/2026",
                "office",
                None,
            )
        else:
            route, method, url, principal, body = (
                "GET /v1/grants",
                "GET",
                "/v1/grants?limit=50",
                "office",
                None,
            )
        headers = {"Idempotency-Key": str(uuid.uuid4())} if method == "POST" else {}
        if principal:
            headers["Authorization"] = f"Bearer {tokens[principal]}"
        started = time.perf_counter()
        try:
            response = await client.request(method, url, json=body, headers=headers)
        except httpx.HTTPError:
            self.errors[route] += 1
            return
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        self.statuses[route][response.status_code] += 1
        if response.status_code >= 500 or (
            response.status_code >= 400 and response.status_code != 409
        ):
            self.errors[route] += 1

    async def run(self, seconds: float, workers: int = 32) -> float:
        tokens = {p: self.stack.token(p) for p in ("vr", "vinnova", "office")}
        deadline = time.monotonic() + seconds
        limits = httpx.Limits(max_connections=workers)
        async with httpx.AsyncClient(
            base_url=self.stack.url("gateway"), timeout=60, limits=limits
        ) as client:

            async def worker() -> None:
                while time.monotonic() < deadline:
                    await self.one(client, tokens)

            started = time.monotonic()
            await asyncio.gather(*(worker() for _ in range(workers)))
            return time.monotonic() - started


def prepare(stack: ThrowawayStack, grants_per_agency: int = 20) -> dict[str, list[str]]:
    made: dict[str, list[str]] = {"vr": [], "vinnova": []}
    for agency in ("vr", "vinnova"):
        with stack.client(agency) as client:
            if agency == "vinnova":  # VR's appropriations are reference data
                client.put(
                    "/v1/appropriations/vinnova/2026",
                    json={"code": "Vinnova 2026", "amount_sek": 400_000_000},
                ).raise_for_status()
            call_id = seed.closed_call(client)
            for i in range(grants_per_agency):
                cluster_id = seed.cluster(client, name=f"{agency} cluster {i}")
                grant_id = seed.grant(
                    client,
                    call_id=call_id,
                    cluster_id=cluster_id,
                    number=i + 1,
                    yearly_sek=4_000_000,
                )
                seed.post_entry(
                    client, grant_id, seed.ledger_entry("commitment", 2026, 4_000_000)
                ).raise_for_status()
                made[agency].append(grant_id)
            for i in range(50):
                seed.closed_call(client, stage="planning", max_award_sek=1_200_000 + i)
    return made


def run(stack: ThrowawayStack, *, seconds: int = 30, rounds: int = 1) -> dict[str, Any]:
    grants = prepare(stack)
    idle = memory(stack)
    single = {
        "public list, gateway (wrk)": wrk.run(
            "public list", stack.url("gateway") + "/v1/public/calls?limit=50", seconds=10
        ).as_dict(),
    }
    mix = Mix(stack, grants)
    elapsed = asyncio.run(mix.run(seconds))
    loaded = memory(stack)
    routes = {}
    for route, values in sorted(mix.latencies.items()):
        cuts = quantiles(values, n=100) if len(values) > 1 else values * 99
        routes[route] = {
            "requests": len(values),
            "rps": round(len(values) / elapsed, 1),
            "p50_ms": round(median(values), 1),
            "p99_ms": round(cuts[98], 1),
            "errors": mix.errors.get(route, 0),
            "statuses": dict(mix.statuses[route]),
        }
    total = sum(len(v) for v in mix.latencies.values())
    starts = cold_starts(stack)
    print(f"mixed: {total} requests in {elapsed:.1f} s", file=sys.stderr)
    return {
        "summary": {
            **{
                k: {"rps": v["rps"], "p50_ms": v["p50_ms"], "p99_ms": v["p99_ms"]}
                for k, v in routes.items()
            },
            "all routes": {"rps": round(total / elapsed, 1), "errors": sum(mix.errors.values())},
        },
        "routes": routes,
        "single_endpoint": single,
        "rss_mib": {"idle": idle, "end_of_load": loaded},
        "cold_start_s": starts,
    }
