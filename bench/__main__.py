"""`python -m bench <scenario> [--postgres URL] [--seconds N] [--rounds N]`

Starts a throw-away stack of real processes on ports 18000-18003, measures, prints a table
and writes the figures as JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.throwaway import ThrowawayStack, throwaway_stack

RESULTS = Path(__file__).resolve().parent / "results"


def scenarios() -> dict[str, Callable[..., dict[str, Any]]]:
    from bench import public_calls

    found: dict[str, Callable[..., dict[str, Any]]] = {"public": public_calls.run}
    for name, module in (
        ("ledger", "bench.ledger"),
        ("report", "bench.report"),
        ("stack", "bench.whole_stack"),
    ):
        try:
            found[name] = __import__(module, fromlist=["run"]).run
        except ModuleNotFoundError:
            continue
    return found


def print_table(result: dict[str, Any]) -> None:
    for name, row in result.get("summary", {}).items():
        cells = "  ".join(
            f"{k} {v:,.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()
        )
        print(f"{name:40} {cells}")
    for name, value in result.get("ratios", {}).items():
        print(f"{name:52} {value:.2f}")


def main() -> None:
    available = scenarios()
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("scenario", choices=sorted(available))
    parser.add_argument("--postgres", help="a PostgreSQL URL (default: SQLite files)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--entries", type=int, help="ledger entries to seed (ledger, report)")
    args = parser.parse_args()
    stack: ThrowawayStack
    with throwaway_stack(postgres=args.postgres) as stack:
        extra = {"entries": args.entries} if args.entries else {}
        result = available[args.scenario](stack, seconds=args.seconds, rounds=args.rounds, **extra)
    result["machine"] = {
        "cpus": platform.machine(),
        "python": platform.python_version(),
        "database": "postgresql" if args.postgres else "sqlite",
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{args.scenario}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2))
    print_table(result)
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
