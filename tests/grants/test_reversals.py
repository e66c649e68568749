"""Reversals: one earlier entry of the same grant, whole, once; never a reversal; and the
balances after it must still hold."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.grants.factories import entry, ledger, make_grant, ok, plan, problem
from tests.harness import Stack


@pytest.fixture
def grant(vr: httpx.Client) -> dict[str, Any]:
    return make_grant(vr, yearly_plan=plan(2026, 2027, amount=5_000_000))


def test_a_reversal_undoes_one_entry_and_shows_on_it(
    vr: httpx.Client, grant: dict[str, Any]
) -> None:
    gid = grant["id"]
    ok(entry(vr, gid, "commitment", 3_000_000), 201)
    paid = ok(entry(vr, gid, "disbursement", 1_000_000), 201)
    reversal = ok(entry(vr, gid, "reversal", 1_000_000, reverses=paid["id"]), 201)
    assert (reversal["kind"], reversal["counts_as"], reversal["reverses"]) == (
        "reversal",
        "disbursement",
        paid["id"],
    )
    assert reversal["balance"]["disbursed_sek"] == 0
    items = ledger(vr, gid)["items"]
    assert items[1]["reversed_by"] == reversal["id"]
    # Nothing was edited: the reversed entry still says what it said.
    assert {**items[1], "reversed_by": None} == paid
    # Before the reversal was written, the entry was not reversed.
    assert ledger(vr, gid, as_of=paid["recorded_at"])["items"][1]["reversed_by"] is None


def test_an_entry_is_reversed_at_most_once(vr: httpx.Client, grant: dict[str, Any]) -> None:
    gid = grant["id"]
    committed = ok(entry(vr, gid, "commitment", 3_000_000), 201)
    ok(entry(vr, gid, "reversal", 3_000_000, reverses=committed["id"]), 201)
    before = ledger(vr, gid)["items"]
    body = problem(
        entry(vr, gid, "reversal", 3_000_000, reverses=committed["id"]), 409, rule="reversal-once"
    )
    assert body["reverses"] == committed["id"]
    assert ledger(vr, gid)["items"] == before


def test_two_reversals_of_one_entry_at_the_same_moment_book_once(
    stack: Stack, vr: httpx.Client, grant: dict[str, Any]
) -> None:
    gid = grant["id"]
    committed = ok(entry(vr, gid, "commitment", 3_000_000), 201)

    def reverse(_: int) -> int:
        with stack.client("vr") as client:
            return entry(client, gid, "reversal", 3_000_000, reverses=committed["id"]).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(reverse, range(8)))
    assert statuses == [201] + [409] * 7
    assert ledger(vr, gid)["balances"][0]["committed_sek"] == 0


@pytest.mark.parametrize(
    ("make_body", "why"),
    [
        (lambda e: {"year": 2026, "amount_sek": 999_999, "reverses": e["id"]}, "amount"),
        (lambda e: {"year": 2027, "amount_sek": 1_000_000, "reverses": e["id"]}, "year"),
        (lambda e: {"year": 2026, "amount_sek": 1_000_000, "reverses": 10**9}, "unknown"),
    ],
)
def test_a_reversal_names_a_whole_entry_of_this_grant(
    vr: httpx.Client, grant: dict[str, Any], make_body: Any, why: str
) -> None:
    gid = grant["id"]
    committed = ok(entry(vr, gid, "commitment", 1_000_000), 201)
    before = ledger(vr, gid)["items"]
    spec = make_body(committed)
    response = entry(
        vr, gid, "reversal", spec["amount_sek"], year=spec["year"], reverses=spec["reverses"]
    )
    problem(response, 422, rule="reversal")
    assert ledger(vr, gid)["items"] == before


def test_an_entry_of_another_grant_cannot_be_reversed(
    vr: httpx.Client, grant: dict[str, Any]
) -> None:
    other = make_grant(vr, yearly_plan=plan(2026, 2027, amount=5_000_000))
    theirs = ok(entry(vr, other["id"], "commitment", 1_000_000), 201)
    problem(
        entry(vr, grant["id"], "reversal", 1_000_000, reverses=theirs["id"]), 422, rule="reversal"
    )
    assert ledger(vr, grant["id"])["items"] == []
    assert ledger(vr, other["id"])["items"] == [theirs]


def test_a_reversal_cannot_be_reversed(vr: httpx.Client, grant: dict[str, Any]) -> None:
    gid = grant["id"]
    committed = ok(entry(vr, gid, "commitment", 1_000_000), 201)
    reversal = ok(entry(vr, gid, "reversal", 1_000_000, reverses=committed["id"]), 201)
    problem(entry(vr, gid, "reversal", 1_000_000, reverses=reversal["id"]), 422, rule="reversal")
    assert len(ledger(vr, gid)["items"]) == 2


def test_a_reversal_that_would_break_a_balance_is_refused(
    vr: httpx.Client, grant: dict[str, Any]
) -> None:
    gid = grant["id"]
    committed = ok(entry(vr, gid, "commitment", 2_000_000), 201)
    paid = ok(entry(vr, gid, "disbursement", 1_500_000), 201)
    recovered = ok(entry(vr, gid, "recovery", 1_000_000), 201)
    before = ledger(vr, gid)["items"]
    # Undoing the commitment would leave money paid out that nothing committed.
    problem(
        entry(vr, gid, "reversal", 2_000_000, reverses=committed["id"]),
        409,
        rule="disbursed-within-committed",
    )
    # Undoing the payment would leave a recovery of money never paid.
    problem(
        entry(vr, gid, "reversal", 1_500_000, reverses=paid["id"]),
        409,
        rule="recovered-within-disbursed",
    )
    assert ledger(vr, gid)["items"] == before
    # Undoing the recovery puts the money back as paid out, within the commitment.
    ok(entry(vr, gid, "reversal", 1_000_000, reverses=recovered["id"]), 201)
    assert ledger(vr, gid)["balances"][0]["net_disbursed_sek"] == 1_500_000
