"""Issue 3: the public call list, direct and through the gateway, against the bare ceiling.

1,000 published calls; wrk with one thread and 32 connections, 10 s a measurement; the four
targets alternate within each of three rounds so that drift on the machine hits them alike.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

import httpx

from bench import wrk
from tools.processes import Processes
from tools.throwaway import ThrowawayStack

AREAS_VR = [
    "ai",
    "quantum",
    "semiconductors",
    "computing",
    "connectivity",
    "energy",
    "materials",
    "biotechnology",
    "space",
]
AREAS_VINNOVA = ["ai", "semiconductors", "quantum", "energy", "materials", "biotechnology"]


def call_body(i: int, agency: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    opens = now + timedelta(days=(i % 60) - 30)
    areas = AREAS_VR if agency == "vr" else AREAS_VINNOVA
    return {
        "stage": ["planning", "establishment", "graduate_school", "other"][i % 4],
        "title": {
            "sv": f"Utlysning {i} om banbrytande teknik",
            "en": f"Call {i} on groundbreaking technology",
        },
        "summary": {
            "sv": "Excellenskluster för banbrytande teknik.",
            "en": "Excellence clusters for groundbreaking technology.",
        },
        "technology_areas": [areas[i % len(areas)]],
        "trl_min": 1 + i % 4,
        "trl_max": 5 + i % 5,
        "budget_sek": 100_000_000,
        "max_award_sek": 10_000_000,
        "opens_at": opens.isoformat(),
        "closes_at": (opens + timedelta(days=45)).isoformat(),
        "decision_at": (opens + timedelta(days=120)).isoformat(),
        "requires_ssh": True,
        "requires_multiple_heis": True,
        "requires_graduate_school": False,
        "url": f"https://example.org/calls/{i}",
    }


def load_calls(stack: ThrowawayStack, count: int) -> None:
    started = time.perf_counter()
    clients = {"vr": stack.client("vr"), "vinnova": stack.client("vinnova")}
    for i in range(count):
        agency = "vr" if i % 2 == 0 else "vinnova"
        client = clients[agency]
        created = client.post("/v1/calls", json=call_body(i, agency))
        created.raise_for_status()
        call_id = created.json()["id"]
        client.post(f"/v1/calls/{call_id}/ready").raise_for_status()
        client.post(f"/v1/calls/{call_id}/publish").raise_for_status()
    print(
        f"loaded {count} published calls in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )


def run(
    stack: ThrowawayStack, *, calls: int = 1000, rounds: int = 3, seconds: int = 10
) -> dict[str, Any]:
    load_calls(stack, calls)
    bare = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "bench.bare:create_app",
            "--port",
            "18009",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    )
    try:
        for _ in range(100):
            try:
                httpx.get("http://127.0.0.1:18009/ping")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        uncached = Processes(
            env={**stack.processes.env, "GATEWAY_PUBLIC_CACHE_SECONDS": "0"},
            ports={"gateway": stack.processes.ports["gateway"] + 10},
        )
        uncached.start("gateway")
        uncached.wait_healthy("gateway")
        path = "/v1/public/calls?limit=50"
        internal = {"Authorization": f"Bearer {stack.internal_token('calls')}"}
        etag = httpx.get(stack.url("gateway") + path).headers["etag"]
        targets = [
            ("bare", "http://127.0.0.1:18009/ping", {}),
            ("public list, direct", stack.url("calls") + path, internal),
            ("304, direct", stack.url("calls") + path, {**internal, "If-None-Match": etag}),
            ("public list, gateway", stack.url("gateway") + path, {}),
            ("public list, gateway, cache off", uncached.url("gateway") + path, {}),
            ("304, gateway", stack.url("gateway") + path, {"If-None-Match": etag}),
        ]
        results: dict[str, list[wrk.Result]] = {name: [] for name, _, _ in targets}
        for round_ in range(rounds):
            for name, url, headers in targets:
                result = wrk.run(name, url, headers=headers, seconds=seconds)
                results[name].append(result)
                print(
                    f"round {round_ + 1} {name}: {result.rps:.0f} rps, p99 {result.p99_ms:.1f} ms",
                    file=sys.stderr,
                )
    finally:
        uncached.stop_all()
        bare.terminate()
        bare.wait()
    summary = {
        name: {
            "rps": median(r.rps for r in rs),
            "p50_ms": median(r.p50_ms for r in rs),
            "p99_ms": median(r.p99_ms for r in rs),
            "errors": sum(r.errors + r.non_2xx_3xx for r in rs),
        }
        for name, rs in results.items()
    }
    direct, gateway = summary["public list, direct"], summary["public list, gateway"]
    hop = summary["public list, gateway, cache off"]
    ratios = {
        "direct / bare rps (goal >= 0.15)": direct["rps"] / summary["bare"]["rps"],
        "gateway / direct rps (goal >= 0.8)": gateway["rps"] / direct["rps"],
        "gateway / direct p99 (goal <= 1.5)": gateway["p99_ms"] / direct["p99_ms"],
        "gateway without its cache / direct rps": hop["rps"] / direct["rps"],
        "gateway without its cache / direct p99": hop["p99_ms"] / direct["p99_ms"],
        "304 / full list rps, direct": summary["304, direct"]["rps"] / direct["rps"],
        "304 / full list rps via gateway (goal >= 2)": summary["304, gateway"]["rps"]
        / gateway["rps"],
    }
    return {
        "summary": summary,
        "ratios": ratios,
        "runs": {name: [r.as_dict() for r in rs] for name, rs in results.items()},
    }
