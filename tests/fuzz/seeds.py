"""Real objects of both agencies, whose ids the fuzzer puts into paths.

Random ids only ever reach the "not found" branch of a route; half of the generated
requests name one of these instead, so that generated bodies, headers and queries meet
real calls, clusters, grants, ledger entries, rounds, appropriations and report versions
(in the states their routes act on), both the caller's own and the other agency's.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.authz import objects as o

PathParameters = dict[str, Any]


def world(vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client) -> list[PathParameters]:
    """Consistent sets of path parameters; a route takes each set that names all of its own."""
    seeds: list[PathParameters] = []
    for agency, client in (("vr", vr), ("vinnova", vinnova)):
        for status in ("draft", "ready", "published", "past", "closed"):
            seeds.append({"call_id": o.call(client, status)["id"]})
        grant = o.grant(client)
        entry = o.entry(client, agency, grant["id"])
        planning = o.grant(client, planning=True)
        o.planning_report(client, planning["id"])
        seeds += [
            {"cluster_id": grant["cluster_id"]},
            {"grant_id": grant["id"], "entry_id": entry["id"]},
            {"grant_id": planning["id"]},
            {"agency": agency, "year": o.YEAR},
        ]
    seeds.append({"coordination_id": o.coordination(office, vr, vinnova)["id"]})
    version = o.report_version(office)
    o.approve(vr, version)
    seeds.append({"year": o.YEAR})
    return seeds


def for_operation(seeds: list[PathParameters], names: set[str]) -> list[PathParameters]:
    """The seeds that name every path parameter of an operation, cut to those names."""
    chosen: list[PathParameters] = []
    for seed in seeds:
        if names and names <= seed.keys():
            cut = {name: seed[name] for name in sorted(names)}
            if cut not in chosen:
                chosen.append(cut)
    return chosen
