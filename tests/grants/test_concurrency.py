"""Concurrent writes through the gateway: the ledger's invariants hold exactly (SQLite and
PostgreSQL; run with TEST_DATABASE_URL for the latter)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.grants.factories import (
    appropriate,
    entry,
    ledger,
    make_call,
    make_cluster,
    make_grant,
    ok,
    plan,
)
from tests.harness import Stack


def _all_at_once(
    stack: Stack, principal: str, requests: list[tuple[str, str, int]]
) -> Counter[int]:
    """Each (grant id, kind, amount) posted from its own thread, all released together."""
    clients = [stack.client(principal) for _ in requests]
    start = threading.Barrier(len(requests))

    def post(i: int) -> int:
        grant_id, kind, amount = requests[i]
        start.wait()
        return entry(clients[i], grant_id, kind, amount).status_code

    try:
        with ThreadPoolExecutor(len(requests)) as pool:
            return Counter(pool.map(post, range(len(requests))))
    finally:
        for client in clients:
            client.close()


def test_fifty_disbursements_against_two_million_exactly_twenty_pass(
    stack: Stack, vr: httpx.Client
) -> None:
    grant = make_grant(vr)
    ok(entry(vr, grant["id"], "commitment", 2_000_000), 201)
    statuses = _all_at_once(stack, "vr", [(grant["id"], "disbursement", 100_000)] * 50)
    assert statuses == {201: 20, 409: 30}
    page = ledger(vr, grant["id"])
    year = page["balances"][0]
    assert (year["committed_sek"], year["disbursed_sek"], year["undisbursed_sek"]) == (
        2_000_000,
        2_000_000,
        0,
    )
    disbursements = [e for e in page["items"] if e["kind"] == "disbursement"]
    assert len(disbursements) == 20
    # The running balances are a clean staircase: no two writers saw the same balance.
    assert [e["balance"]["disbursed_sek"] for e in disbursements] == [
        100_000 * i for i in range(1, 21)
    ]


def test_concurrent_commitments_of_two_grants_stay_within_the_appropriation(
    stack: Stack, vinnova: httpx.Client
) -> None:
    appropriate(vinnova, "vinnova", 2026, 1_200_000)
    call, cluster = make_call(vinnova, max_award_sek=10**8), make_cluster(vinnova)
    grants: list[dict[str, Any]] = [
        make_grant(vinnova, call, cluster, yearly_plan=plan(2026, 2027, amount=600_000))
        for _ in range(2)
    ]
    # The plans fit the first figure; the revised one leaves room for only 10 of the 24.
    appropriate(vinnova, "vinnova", 2026, 1_000_000)
    requests = [(g["id"], "commitment", 100_000) for g in grants for _ in range(12)]
    statuses = _all_at_once(stack, "vinnova", requests)
    assert statuses == {201: 10, 409: 14}
    appropriation = ok(vinnova.get("/v1/appropriations/vinnova/2026"))
    assert (appropriation["committed_sek"], appropriation["remaining_sek"]) == (1_000_000, 0)
    committed = [ledger(vinnova, g["id"])["balances"][0]["committed_sek"] for g in grants]
    assert sum(committed) == 1_000_000
    assert all(c <= 600_000 for c in committed)
