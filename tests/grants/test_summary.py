"""GET /v1/ledger/summary: sums grouped in SQL, reversals netted, `as_of`, own agency only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.grants.factories import (
    appropriate,
    entry,
    make_call,
    make_cluster,
    make_grant,
    ok,
    plan,
    problem,
)


@pytest.fixture
def booked(vr: httpx.Client, vinnova: httpx.Client) -> dict[str, Any]:
    """VR: an AI grant and an energy grant; Vinnova: a quantum grant; entries in 2026-2027."""
    appropriate(vinnova, "vinnova", 2026, 10**9)
    ai = make_grant(vr, yearly_plan=plan(2026, 2027, amount=10_000_000))
    energy = make_grant(
        vr,
        cluster=make_cluster(vr, technology_area="energy"),
        yearly_plan=plan(2026, 2027, amount=10_000_000),
    )
    quantum = make_grant(
        vinnova,
        make_call(vinnova, max_award_sek=10**8),
        make_cluster(vinnova, technology_area="quantum"),
        yearly_plan=plan(2026, 2027, amount=10_000_000),
    )
    ok(entry(vr, ai["id"], "commitment", 6_000_000), 201)
    paid = ok(entry(vr, ai["id"], "disbursement", 2_000_000), 201)
    ok(entry(vr, ai["id"], "reversal", 2_000_000, reverses=paid["id"]), 201)
    ok(entry(vr, ai["id"], "disbursement", 1_500_000), 201)
    ok(entry(vr, ai["id"], "commitment", 1_000_000, year=2027), 201)
    ok(entry(vr, energy["id"], "commitment", 4_000_000), 201)
    ok(entry(vr, energy["id"], "disbursement", 4_000_000), 201)
    ok(entry(vr, energy["id"], "recovery", 500_000), 201)
    ok(entry(vinnova, quantum["id"], "commitment", 9_000_000), 201)
    return {"ai": ai, "energy": energy, "quantum": quantum, "paid": paid}


def _rows(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ok(client.get("/v1/ledger/summary", params=params))["rows"]
    return rows


def _money(row: dict[str, Any]) -> tuple[int, int, int, int]:
    return (
        row["committed_sek"],
        row["disbursed_sek"],
        row["recovered_sek"],
        row["net_disbursed_sek"],
    )


def test_sums_by_year_and_agency(office: httpx.Client, booked: dict[str, Any]) -> None:
    rows = _rows(office, group_by="year,agency")
    assert [(r["year"], r["agency"], _money(r), r["entries"]) for r in rows] == [
        (2026, "vinnova", (9_000_000, 0, 0, 0), 1),
        (2026, "vr", (10_000_000, 5_500_000, 500_000, 5_000_000), 7),
        (2027, "vr", (1_000_000, 0, 0, 0), 1),
    ]
    assert all(r["technology_area"] is None and r["kind"] is None for r in rows)


def test_sums_by_technology_area_and_kind(office: httpx.Client, booked: dict[str, Any]) -> None:
    by_area = _rows(office, group_by=["technology_area"])
    assert [(r["technology_area"], _money(r)) for r in by_area] == [
        ("ai", (7_000_000, 1_500_000, 0, 1_500_000)),
        ("energy", (4_000_000, 4_000_000, 500_000, 3_500_000)),
        ("quantum", (9_000_000, 0, 0, 0)),
    ]
    by_kind = {r["kind"]: r for r in _rows(office, group_by="kind")}
    assert by_kind["disbursement"]["amount_sek"] == 7_500_000
    # A reversal is its own kind of entry and nets against what it reversed.
    assert (by_kind["reversal"]["amount_sek"], by_kind["reversal"]["disbursed_sek"]) == (
        2_000_000,
        -2_000_000,
    )
    everything = _rows(office)
    assert {
        tuple(r[k] for k in ("year", "agency", "technology_area", "kind")) for r in everything
    } >= {(2026, "vr", "ai", "reversal")}
    assert _rows(office, group_by="") == [
        {
            "year": None,
            "agency": None,
            "technology_area": None,
            "kind": None,
            "entries": 9,
            "amount_sek": 30_000_000,
            "committed_sek": 20_000_000,
            "disbursed_sek": 5_500_000,
            "recovered_sek": 500_000,
            "net_disbursed_sek": 5_000_000,
        }
    ]


def test_filters(office: httpx.Client, booked: dict[str, Any]) -> None:
    assert [r["agency"] for r in _rows(office, group_by="agency", year=2027)] == ["vr"]
    assert [r["year"] for r in _rows(office, group_by="year", technology_area="quantum")] == [2026]
    assert [r["agency"] for r in _rows(office, group_by="agency", agency="vinnova")] == ["vinnova"]


def test_an_agency_sees_only_its_own(
    vr: httpx.Client, vinnova: httpx.Client, government: httpx.Client, booked: dict[str, Any]
) -> None:
    assert {r["agency"] for r in _rows(vr, group_by="agency")} == {"vr"}
    assert {r["agency"] for r in _rows(vinnova, group_by="agency")} == {"vinnova"}
    assert _rows(vr, agency="vinnova") == []
    problem(government.get("/v1/ledger/summary"), 403)


def test_as_of_reads_an_earlier_state(
    vr: httpx.Client, office: httpx.Client, booked: dict[str, Any]
) -> None:
    then = ok(office.get("/v1/ledger/summary", params={"group_by": "agency"}))
    ok(entry(vr, booked["ai"]["id"], "commitment", 1_000_000), 201)
    again = ok(
        office.get("/v1/ledger/summary", params={"group_by": "agency", "as_of": then["as_of"]})
    )
    assert again == then
    at_payment = _rows(office, group_by="kind", as_of=booked["paid"]["recorded_at"])
    assert [(r["kind"], r["amount_sek"]) for r in at_payment] == [
        ("commitment", 6_000_000),
        ("disbursement", 2_000_000),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"group_by": "month"},
        {"group_by": "year,cluster"},
        {"as_of": "2026-01-01T00:00:00"},
        {"year": 1999},
    ],
)
def test_bad_queries_are_422(office: httpx.Client, params: dict[str, Any]) -> None:
    problem(office.get("/v1/ledger/summary", params=params), 422)
