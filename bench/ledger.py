"""Issue 4: ledger writes through the gateway, and the ledger summary against raw SQL.

10,000 grants with 1,000,000 ledger entries are written straight into the grants tables
(bench/seed.py), then:

- summary: `GET /v1/ledger/summary` (the office, all four groupings) through the gateway,
  against the same GROUP BY sent to the grants database directly from this process; the two
  alternate, one warm-up each, then the median of several timed runs. Goal: the API within
  1.5x the raw query.
- writes: `POST /v1/grants/{id}/ledger` disbursements of 1 SEK, each with its own
  Idempotency-Key, by wrk (a C load generator, far cheaper on a 2-core machine than a Python
  one) running a Lua script that picks the key and the grant per request: "spread" picks one
  of the 10,000 grants at random with its agency's token, "one grant" sends everything to a
  single grant, whose row lock serialises them (the worst case). 32 connections, one wrk
  thread; the two alternate within each round. After each run the entries in the database
  are counted against the 201 answers wrk saw: never fewer, and more only by the requests
  in flight when wrk stopped (one per connection) or answered otherwise, so lost or
  doubled writes would show.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from statistics import median
from typing import Any

import httpx
from sqlalchemy import bindparam, func, select, text

from bench import seed, wrk
from kit.db import Database, UtcDateTime, utcnow
from services.grants.ledger.models import LedgerEntry
from tools.throwaway import ThrowawayStack

YEAR = 2026
GRANTS = 10_000
CONNECTIONS = 32

# The summary's default grouping written by hand, as one would type it at the database.
RAW_SUMMARY = text(
    """
    SELECT year, agency, technology_area, kind,
           count(*) AS entries,
           sum(amount_sek) AS amount_sek,
           sum(CASE WHEN counts_as = 'commitment' THEN delta_sek ELSE 0 END) AS committed_sek,
           sum(CASE WHEN counts_as = 'disbursement' THEN delta_sek ELSE 0 END) AS disbursed_sek,
           sum(CASE WHEN counts_as = 'recovery' THEN delta_sek ELSE 0 END) AS recovered_sek
    FROM ledger_entry
    WHERE recorded_at <= :as_of
    GROUP BY year, agency, technology_area, kind
    ORDER BY year, agency, technology_area, kind
    """
).bindparams(bindparam("as_of", type_=UtcDateTime()))

FIGURES = ("entries", "amount_sek", "committed_sek", "disbursed_sek", "recovered_sek")
KEYS = ("year", "agency", "technology_area", "kind")


def raw_summary(database: Database) -> list[tuple[Any, ...]]:
    with database.reader() as session:
        rows = session.execute(RAW_SUMMARY, {"as_of": utcnow()}).all()
    # PostgreSQL's SUM of a bigint is a numeric: as integers, to compare with the API's
    return [(*row[: len(KEYS)], *(int(v) for v in row[len(KEYS) :])) for row in rows]


def api_summary(client: httpx.Client) -> list[tuple[Any, ...]]:
    response = client.get("/v1/ledger/summary")
    response.raise_for_status()
    return [tuple(row[k] for k in (*KEYS, *FIGURES)) for row in response.json()["rows"]]


def measure_summary(stack: ThrowawayStack, database: Database, runs: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {"api": [], "raw": []}
    with stack.client("office") as office:
        api_rows, raw_rows = api_summary(office), raw_summary(database)  # warm-up
        if api_rows != raw_rows:
            raise SystemExit("the API's summary differs from the raw query's")
        calls: dict[str, Callable[[], object]] = {
            "api": partial(api_summary, office),
            "raw": partial(raw_summary, database),
        }
        for _ in range(runs):
            for name, call in calls.items():
                started = time.perf_counter()
                call()
                timings[name].append((time.perf_counter() - started) * 1000)
    entries = sum(row[4] for row in api_rows)
    print(
        "summary over {:,} entries: API {:.0f} ms, raw SQL {:.0f} ms (medians of {})".format(
            entries, median(timings["api"]), median(timings["raw"]), runs
        ),
        file=sys.stderr,
    )
    return {"entries": entries, "rows": len(api_rows), "runs_ms": timings}


LUA = """
local targets = {targets}
local tokens = {tokens}
local body = '{body}'
local run = "{run}"
local sent = 0
math.randomseed({seed})

request = function()
  sent = sent + 1
  local target = targets[math.random(#targets)]
  return wrk.format("POST", target[1], {{
    ["Authorization"] = tokens[target[2]],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. sent,
  }}, body)
end

-- globals, so that done() can read them from the thread: answers by status, and the
-- first few refusals' bodies
statuses = {{}}
refusals = {{}}
response = function(status, headers, answer)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and #refusals < 3 then
    table.insert(refusals, status .. " " .. answer)
  end
end

local threads = {{}}
setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write("status " .. status .. " " .. count .. "\\n")
    end
    for _, refusal in ipairs(thread:get("refusals")) do
      io.write("refusal " .. refusal .. "\\n")
    end
  end
end
"""


def lua_script(targets: list[tuple[str, str]], tokens: dict[str, str]) -> str:
    """A wrk script: each request a new Idempotency-Key, to a random one of `targets`
    (grant id, agency) with that agency's token."""
    agencies = sorted(tokens)
    return LUA.format(
        targets="{"
        + ",".join(
            f'{{"/v1/grants/{grant_id}/ledger", {agencies.index(agency) + 1}}}'
            for grant_id, agency in targets
        )
        + "}",
        tokens="{" + ",".join(f'"Bearer {tokens[a]}"' for a in agencies) + "}",
        body=json.dumps(seed.ledger_entry("disbursement", YEAR, 1)),
        run=uuid.uuid4().hex,
        seed=int(time.time()),
    )


@dataclass
class Writes:
    result: wrk.Result
    statuses: dict[int, int]
    refusals: list[str]


def wrk_writes(name: str, url: str, script: str, seconds: int) -> Writes:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "writes.lua"
        path.write_text(script)
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                # a queue of 32 writers on one row lock can take longer than wrk's 2 s default
                "--timeout",
                "30s",
                "--latency",
                "-s",
                str(path),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    statuses = {
        int(m.group(1)): int(m.group(2)) for m in re.finditer(r"^status (\d+) (\d+)$", output, re.M)
    }
    refusals = re.findall(r"^refusal (.*)$", output, re.M)
    return Writes(wrk.parse(name, output), statuses, refusals)


def cpu_seconds(stack: ThrowawayStack) -> dict[str, float]:
    """User + system CPU each service process has used so far (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for app in ("gateway", "grants"):
        fields = Path(f"/proc/{stack.processes.children[app].pid}/stat").read_text()
        utime, stime = fields.rsplit(")", 1)[1].split()[11:13]
        found[app] = (int(utime) + int(stime)) / tick
    return found


def count_entries(database: Database) -> int:
    with database.reader() as session:
        return int(session.execute(select(func.count()).select_from(LedgerEntry)).scalar_one())


def settled_count(database: Database, timeout: float = 60.0) -> int:
    """The entry count once the requests still queued when wrk stopped have finished: the
    same count twice, half a second apart."""
    deadline = time.monotonic() + timeout
    last = count_entries(database)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = count_entries(database)
        if now == last:
            return now
        last = now
    return last


def hot_grant(stack: ThrowawayStack, made: seed.Funding) -> str:
    """The single-grant target: a VR grant made through the API with a 5 MSEK commitment,
    room for millions of 1-SEK disbursements (the bulk grants' headroom is small)."""
    with stack.client("vr") as vr:
        cluster_id = made.clusters[0][0]
        grant_id = seed.grant(
            vr,
            call_id=made.calls["vr", "establishment"],
            cluster_id=cluster_id,
            number=99_999,
            agency_year=YEAR,
            yearly_sek=5_000_000,
            years=1,
        )
        seed.post_entry(
            vr, grant_id, seed.ledger_entry("commitment", YEAR, 5_000_000)
        ).raise_for_status()
    return grant_id


def measure_writes(
    stack: ThrowawayStack, database: Database, volume: seed.Volume, seconds: int, rounds: int
) -> dict[str, Any]:
    tokens = {agency: stack.token(agency) for agency in ("vr", "vinnova")}
    hot = hot_grant(stack, volume.made)
    targets = {
        "writes, spread over 10,000 grants": [(g.id, g.agency) for g in volume.grants],
        "writes, one grant": [(hot, "vr")],
    }
    url = stack.url("gateway") + "/v1/grants"  # wrk needs a URL; the script sets each path
    results: dict[str, list[wrk.Result]] = {name: [] for name in targets}
    checks: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
    for round_ in range(rounds):
        for name, chosen in targets.items():
            before, cpu_before = settled_count(database), cpu_seconds(stack)
            # a new script each run: its keys are new, so nothing is an idempotent replay
            writes = wrk_writes(name, url, lua_script(chosen, tokens), seconds)
            written = settled_count(database) - before
            cpu = {
                app: round((used - cpu_before[app]) * 1000 / max(written, 1), 2)
                for app, used in cpu_seconds(stack).items()
            }
            result = writes.result
            created = writes.statuses.get(201, 0)
            results[name].append(result)
            checks[name].append(
                {
                    "statuses": writes.statuses,
                    "written": written,
                    "cpu_ms_per_write": cpu,
                    "refusals": writes.refusals,
                }
            )
            # never fewer than acknowledged; more only by what was in flight at the stop
            # (one per connection) or answered otherwise (a 504 may still have committed)
            if not 0 <= written - created <= CONNECTIONS + result.requests - created:
                print(f"  ! {written} entries written for {created} 201s", file=sys.stderr)
            print(
                f"round {round_ + 1} {name}: {result.rps:.0f} rps, p50 {result.p50_ms:.1f} ms,"
                f" p99 {result.p99_ms:.1f} ms, statuses {writes.statuses},"
                f" {result.errors} socket errors; {written} entries written for {created} 201s;"
                f" CPU ms per write {cpu}",
                file=sys.stderr,
            )
            for refusal in writes.refusals:
                print(f"  {refusal[:300]}", file=sys.stderr)
    summary = {
        name: {
            "rps": median(r.rps for r in rs),
            "p50_ms": median(r.p50_ms for r in rs),
            "p99_ms": median(r.p99_ms for r in rs),
            "errors": sum(r.errors + r.non_2xx_3xx for r in rs),
            **{
                f"cpu_ms_{app}": median(c["cpu_ms_per_write"][app] for c in checks[name])
                for app in ("gateway", "grants")
            },
        }
        for name, rs in results.items()
    }
    return {
        "summary": summary,
        "runs": {name: [r.as_dict() for r in rs] for name, rs in results.items()},
        "checks": checks,
    }


def run(
    stack: ThrowawayStack, *, seconds: int = 10, rounds: int = 3, entries: int = 1_000_000
) -> dict[str, Any]:
    volume = seed.volume(stack, grants=GRANTS, entries=entries, year=YEAR)
    database = seed.grants_database(stack)
    try:
        summary = measure_summary(stack, database, runs=max(7, 3 * rounds + 2))
        writes = measure_writes(stack, database, volume, seconds, rounds)
    finally:
        database.dispose()
    api_ms, raw_ms = median(summary["runs_ms"]["api"]), median(summary["runs_ms"]["raw"])
    return {
        "summary": {
            f"ledger summary, gateway ({summary['entries']:,} entries)": {"median_ms": api_ms},
            "the same GROUP BY, raw SQL": {"median_ms": raw_ms},
            **writes["summary"],
        },
        "ratios": {
            "summary API / raw SQL time (goal <= 1.5)": api_ms / raw_ms,
            "one grant / spread writes rps": writes["summary"]["writes, one grant"]["rps"]
            / writes["summary"]["writes, spread over 10,000 grants"]["rps"],
        },
        "seeding_s": volume.seconds,
        "ledger_summary": summary,
        "writes": writes,
    }
