"""Issue 5: building the 2026 annual report over 10,000 grants and 1,000,000 ledger entries.

The calls, 200 clusters and Vinnova's appropriation are made through the API; the grants and
the ledger are written straight into the grants tables (bench/seed.py). Then, through the
gateway as the office:

- one first build (`POST /v1/reports/annual/2026`, as of now), then 5 more builds (more
  with `--rounds` above 3)
  with one fixed `as_of`, whose checksums must all be equal (R15: reproducible); the
  median of those is the build time. Goal: 5 s.
- for the breakdown, the two aggregates the build reads, asked of the owning services
  directly with reporting's own internal token: the grants service's SQL over the ledger
  and the calls service's.
- reading the latest version as JSON, CSV and HTML (rendered on every request: nothing
  is cached), the median of as many requests after one warm-up each.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from statistics import median
from typing import Any

import httpx

from bench import seed
from kit.db import utcnow
from tools.throwaway import ThrowawayStack

YEAR = 2026
GRANTS = 10_000
PATH = f"/v1/reports/annual/{YEAR}"


def timed(
    send: Callable[..., httpx.Response], path: str, **options: Any
) -> tuple[float, httpx.Response]:
    """Milliseconds until the whole answer to `send(path, **options)` is in, and the
    answer (which must be 2xx)."""
    started = time.perf_counter()
    response = send(path, **options)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response


def builds(office: httpx.Client, rounds: int) -> dict[str, Any]:
    first_ms, first = timed(office.post, PATH, timeout=120)
    as_of = utcnow().isoformat()
    times, checksums = [], set()
    for _ in range(rounds):
        elapsed, response = timed(office.post, PATH, json={"as_of": as_of}, timeout=120)
        times.append(elapsed)
        checksums.add(response.json()["checksum"])
    if len(checksums) != 1:
        raise SystemExit(f"builds with one as_of gave different checksums: {checksums}")
    body = first.json()["report"]
    print(
        f"first build {first_ms:.0f} ms; {rounds} builds as of {as_of}: "
        + ", ".join(f"{t:.0f}" for t in times)
        + " ms, one checksum",
        file=sys.stderr,
    )
    return {
        "first_ms": first_ms,
        "runs_ms": times,
        "as_of": as_of,
        "checksum": checksums.pop(),
        "clusters": len(body["clusters"]["clusters"]),
        "committed_sek": {a["agency"]: a["committed_sek"] for a in body["finances"]["agencies"]},
        "rules": {r["rule"]: r["status"] for r in body["rules"]},
    }


def aggregates(stack: ThrowawayStack, as_of: str, rounds: int) -> dict[str, list[float]]:
    """The owners' internal aggregates, asked directly as the reporting service asks them."""
    found: dict[str, list[float]] = {}
    params = {"year": str(YEAR), "as_of": as_of}
    for app, path in (
        ("grants", "/internal/v1/report/annual"),
        ("calls", "/internal/v1/report/calls"),
    ):
        headers = {"Authorization": f"Bearer {stack.internal_token(app)}"}
        with httpx.Client(base_url=stack.url(app), headers=headers, timeout=120) as client:
            timed(client.get, path, params=params)  # warm-up
            found[app] = [timed(client.get, path, params=params)[0] for _ in range(rounds)]
    return found


def renders(office: httpx.Client, rounds: int) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for fmt in ("json", "csv", "html"):
        _, response = timed(office.get, PATH, params={"format": fmt})  # warm-up
        times = [timed(office.get, PATH, params={"format": fmt})[0] for _ in range(rounds)]
        found[fmt] = {"runs_ms": times, "bytes": len(response.content)}
        if fmt == "html":
            found[fmt]["svg_charts"] = response.text.count("<svg")
    return found


def run(
    stack: ThrowawayStack, *, seconds: int = 10, rounds: int = 3, entries: int = 1_000_000
) -> dict[str, Any]:
    """`seconds` is not used: every figure here is the time of one request."""
    volume = seed.volume(stack, grants=GRANTS, entries=entries, year=YEAR)
    runs = max(5, 2 * rounds - 1)
    with stack.client("office") as office:
        built = builds(office, runs)
        owners = aggregates(stack, built["as_of"], runs)
        formats = renders(office, runs)
    build_ms = median(built["runs_ms"])
    summary: dict[str, dict[str, Any]] = {
        f"build, {len(volume.grants):,} grants, {volume.entries:,} entries": {
            "median_ms": build_ms,
            "first_ms": built["first_ms"],
        },
        "  grants aggregate (direct)": {"median_ms": median(owners["grants"])},
        "  calls aggregate (direct)": {"median_ms": median(owners["calls"])},
    }
    for fmt, figures in formats.items():
        summary[f"GET {fmt}"] = {"median_ms": median(figures["runs_ms"]), "bytes": figures["bytes"]}
    return {
        "summary": summary,
        "ratios": {
            "build time / 5 s goal (goal <= 1)": build_ms / 5000,
            "grants aggregate / build time": median(owners["grants"]) / build_ms,
        },
        "seeding_s": volume.seconds,
        "builds": built,
        "aggregates_ms": owners,
        "formats": formats,
    }
