"""Property: any sequence of ledger operations gives the balances of a plain model.

The model is the rules written the simplest way (a dict of balances per grant-year and an
appropriation per year). For random sequences of commitments, disbursements, recoveries and
reversals over two grants that share one appropriation, each operation must be accepted
exactly when the model accepts it, the balances must equal the model's and never be
negative, and a refused operation must leave the ledger as it was.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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

YEARS = (2026, 2027)
PLAN_SEK = 2_000_000
APPROPRIATION_SEK = {2026: 3_000_000, 2027: 2_500_000}
FIELD = {"commitment": 0, "disbursement": 1, "recovery": 2}

book = st.tuples(
    st.just("book"),
    st.integers(0, 1),
    st.sampled_from(sorted(FIELD)),
    st.sampled_from(YEARS),
    st.sampled_from([250_000, 500_000, 1_000_000, 1_500_000]),
)
reverse = st.tuples(st.just("reverse"), st.integers(0, 40))
operations = st.lists(st.one_of(book, book, reverse), min_size=1, max_size=18)


@dataclass
class Booked:
    id: int
    grant: int
    kind: str
    year: int
    amount: int
    reversed: bool = False


@dataclass
class Model:
    balances: dict[tuple[int, int], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    entries: list[Booked] = field(default_factory=list)

    def committed(self, year: int) -> int:
        return sum(b[0] for (_, y), b in self.balances.items() if y == year)

    def outcome(self, grant: int, counts_as: str, year: int, delta: int) -> int:
        """The status the service must answer (201, or 409 for a broken balance or R7)."""
        after = list(self.balances[grant, year])
        after[FIELD[counts_as]] += delta
        committed, disbursed, recovered = after
        if committed > PLAN_SEK or recovered > disbursed or disbursed - recovered > committed:
            return 409
        if counts_as == "commitment" and delta > 0:
            if self.committed(year) + delta > APPROPRIATION_SEK[year]:
                return 409
        return 201

    def apply(self, grant: int, counts_as: str, year: int, delta: int) -> None:
        self.balances[grant, year][FIELD[counts_as]] += delta


def _setup(stack: Stack, vinnova: httpx.Client) -> list[dict[str, Any]]:
    stack.reset()
    appropriate(vinnova, "vinnova", 2026, 10**9)
    call, cluster = make_call(vinnova, max_award_sek=10**8), make_cluster(vinnova)
    grants = [
        make_grant(vinnova, call, cluster, yearly_plan=plan(*YEARS, amount=PLAN_SEK))
        for _ in range(2)
    ]
    for year, amount in APPROPRIATION_SEK.items():
        appropriate(vinnova, "vinnova", year, amount)
    return grants


def _check(client: httpx.Client, grants: list[dict[str, Any]], model: Model) -> None:
    for index, grant in enumerate(grants):
        page = ledger(client, grant["id"])
        assert len(page["items"]) == sum(1 for e in model.entries if e.grant == index)
        for year in page["balances"]:
            expected = model.balances[index, year["year"]]
            actual = [year["committed_sek"], year["disbursed_sek"], year["recovered_sek"]]
            assert actual == expected, (index, year)
            assert min(actual) >= 0
            assert year["net_disbursed_sek"] >= 0
            assert year["undisbursed_sek"] >= 0
            assert year["uncommitted_sek"] >= 0
    for year, amount in APPROPRIATION_SEK.items():
        appropriation = ok(client.get(f"/v1/appropriations/vinnova/{year}"))
        assert appropriation["committed_sek"] == model.committed(year)
        assert 0 <= appropriation["remaining_sek"] <= amount


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    # Each example starts from an empty stack by itself (stack.reset in _setup).
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations)
def test_random_ledger_sequences_follow_the_model(
    stack: Stack, steps: list[tuple[Any, ...]]
) -> None:
    with stack.client("vinnova") as vinnova:
        grants = _setup(stack, vinnova)
        model = Model()
        for step in steps:
            if step[0] == "book":
                _, grant, kind, year, amount = step
                expected = model.outcome(grant, kind, year, amount)
                response = entry(vinnova, grants[grant]["id"], kind, amount, year=year)
                assert response.status_code == expected, (step, response.text)
                if expected == 201:
                    model.apply(grant, kind, year, amount)
                    model.entries.append(Booked(response.json()["id"], grant, kind, year, amount))
            elif model.entries:
                target = model.entries[step[1] % len(model.entries)]
                if target.kind == "reversal":
                    expected = 422
                elif target.reversed:
                    expected = 409
                else:
                    expected = model.outcome(target.grant, target.kind, target.year, -target.amount)
                response = entry(
                    vinnova,
                    grants[target.grant]["id"],
                    "reversal",
                    target.amount,
                    year=target.year,
                    reverses=target.id,
                )
                assert response.status_code == expected, (step, target, response.text)
                if expected == 201:
                    model.apply(target.grant, target.kind, target.year, -target.amount)
                    target.reversed = True
                    model.entries.append(
                        Booked(
                            response.json()["id"],
                            target.grant,
                            "reversal",
                            target.year,
                            target.amount,
                        )
                    )
            _check(vinnova, grants, model)
