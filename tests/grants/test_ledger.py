"""The ledger's invariants, each broken once and refused with nothing changed, and reading
any past state again with `as_of`."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.grants.factories import (
    appropriate,
    balance,
    entry,
    ledger,
    make_call,
    make_cluster,
    make_grant,
    ok,
    plan,
    problem,
)


@pytest.fixture
def grant(vr: httpx.Client) -> dict[str, Any]:
    return make_grant(vr, yearly_plan=plan(2026, 2027, amount=5_000_000))


def _refused_without_change(
    client: httpx.Client, grant_id: str, response: httpx.Response, status: int, rule: str | None
) -> dict[str, Any]:
    before = ledger(client, grant_id)
    body = problem(response, status, rule=rule)
    after = ledger(client, grant_id)
    assert after["items"] == before["items"]
    assert after["balances"] == before["balances"]
    return body


def test_entries_move_the_years_balances(vr: httpx.Client, grant: dict[str, Any]) -> None:
    gid = grant["id"]
    response = entry(vr, gid, "commitment", 3_000_000)
    committed = ok(response, 201)
    assert response.headers["location"] == f"/v1/grants/{gid}/ledger/{committed['id']}"
    ok(entry(vr, gid, "disbursement", 2_000_000), 201)
    recovered = ok(entry(vr, gid, "recovery", 500_000), 201)
    assert recovered["balance"] == {
        "committed_sek": 3_000_000,
        "disbursed_sek": 2_000_000,
        "recovered_sek": 500_000,
        "net_disbursed_sek": 1_500_000,
    }
    ok(entry(vr, gid, "commitment", 1_000_000, year=2027), 201)
    page = ledger(vr, gid)
    assert [(e["kind"], e["year"]) for e in page["items"]] == [
        ("commitment", 2026),
        ("disbursement", 2026),
        ("recovery", 2026),
        ("commitment", 2027),
    ]
    assert [e["balance"]["net_disbursed_sek"] for e in page["items"]] == [
        0,
        2_000_000,
        1_500_000,
        0,
    ]
    assert page["balances"] == [
        {
            "year": 2026,
            "planned_sek": 5_000_000,
            "committed_sek": 3_000_000,
            "disbursed_sek": 2_000_000,
            "recovered_sek": 500_000,
            "net_disbursed_sek": 1_500_000,
            "uncommitted_sek": 2_000_000,
            "undisbursed_sek": 1_500_000,
        },
        {
            "year": 2027,
            "planned_sek": 5_000_000,
            "committed_sek": 1_000_000,
            "disbursed_sek": 0,
            "recovered_sek": 0,
            "net_disbursed_sek": 0,
            "uncommitted_sek": 4_000_000,
            "undisbursed_sek": 1_000_000,
        },
    ]
    assert ok(vr.get(f"/v1/grants/{gid}/ledger/{committed['id']}")) == page["items"][0]


def test_any_past_state_reads_the_same_again(
    vr: httpx.Client, office: httpx.Client, grant: dict[str, Any]
) -> None:
    gid = grant["id"]
    first = ok(entry(vr, gid, "commitment", 3_000_000), 201)
    then = ledger(vr, gid)
    ok(entry(vr, gid, "disbursement", 1_000_000), 201)
    past = ledger(office, gid, as_of=then["as_of"])
    assert past["items"] == then["items"]
    assert past["balances"] == then["balances"]
    assert ledger(office, gid, as_of=first["recorded_at"])["items"] == [first]
    assert ledger(office, gid, as_of="2020-01-01T00:00:00Z")["items"] == []
    problem(vr.get(f"/v1/grants/{gid}/ledger", params={"as_of": "2026-01-01T00:00:00"}), 422)
    problem(vr.get(f"/v1/grants/{gid}/ledger", params={"as_of": "yesterday"}), 422)


def test_disbursed_never_exceeds_committed(vr: httpx.Client, grant: dict[str, Any]) -> None:
    gid = grant["id"]
    ok(entry(vr, gid, "commitment", 1_000_000), 201)
    body = _refused_without_change(
        vr, gid, entry(vr, gid, "disbursement", 1_000_001), 409, "disbursed-within-committed"
    )
    assert (body["committed_sek"], body["type"]) == (1_000_000, "/problems/ledger-invariant")
    ok(entry(vr, gid, "disbursement", 1_000_000), 201)
    # Per year: 2027 has no commitment of its own.
    _refused_without_change(
        vr, gid, entry(vr, gid, "disbursement", 1, year=2027), 409, "disbursed-within-committed"
    )


def test_committed_never_exceeds_the_plan(vr: httpx.Client, grant: dict[str, Any]) -> None:
    gid = grant["id"]
    ok(entry(vr, gid, "commitment", 4_000_000), 201)
    _refused_without_change(
        vr, gid, entry(vr, gid, "commitment", 1_000_001), 409, "committed-within-plan"
    )
    ok(entry(vr, gid, "commitment", 1_000_000), 201)
    assert balance(vr, gid)["uncommitted_sek"] == 0


def test_recoveries_never_exceed_disbursements(vr: httpx.Client, grant: dict[str, Any]) -> None:
    gid = grant["id"]
    ok(entry(vr, gid, "commitment", 2_000_000), 201)
    _refused_without_change(
        vr, gid, entry(vr, gid, "recovery", 1), 409, "recovered-within-disbursed"
    )
    ok(entry(vr, gid, "disbursement", 2_000_000), 201)
    ok(entry(vr, gid, "recovery", 2_000_000), 201)
    _refused_without_change(
        vr, gid, entry(vr, gid, "recovery", 1), 409, "recovered-within-disbursed"
    )
    # Recovered money may be disbursed again within the commitment.
    ok(entry(vr, gid, "disbursement", 2_000_000), 201)
    assert balance(vr, gid)["net_disbursed_sek"] == 2_000_000


def test_r7_commitments_of_an_agency_year_stay_within_its_appropriation(
    vinnova: httpx.Client,
) -> None:
    appropriate(vinnova, "vinnova", 2026, 7_000_000)
    call, cluster = make_call(vinnova, max_award_sek=10**8), make_cluster(vinnova)
    one = make_grant(vinnova, call, cluster, yearly_plan=plan(2026, 2027, amount=5_000_000))
    two = make_grant(vinnova, call, cluster, yearly_plan=plan(2026, 2027, amount=1_000_000))
    ok(entry(vinnova, one["id"], "commitment", 5_000_000), 201)
    ok(entry(vinnova, two["id"], "commitment", 1_000_000), 201)
    assert ok(vinnova.get("/v1/appropriations/vinnova/2026"))["remaining_sek"] == 1_000_000
    appropriate(vinnova, "vinnova", 2026, 6_000_000)
    reversal = ok(
        entry(
            vinnova,
            two["id"],
            "reversal",
            1_000_000,
            reverses=None or ledger(vinnova, two["id"])["items"][0]["id"],
        ),
        201,
    )
    assert reversal["balance"]["committed_sek"] == 0
    ok(entry(vinnova, two["id"], "commitment", 1_000_000), 201)
    body = _refused_without_change(
        vinnova,
        two["id"],
        entry(vinnova, two["id"], "reversal", 1_000_000, reverses=reversal["id"]),
        422,
        "reversal",
    )
    assert "reversal" in body["detail"]
    # 2027 has no appropriation at all: nothing can be committed on it.
    refused = _refused_without_change(
        vinnova, one["id"], entry(vinnova, one["id"], "commitment", 1, year=2027), 409, "R7"
    )
    assert refused["type"] == "/problems/appropriation-exceeded"
    appropriate(vinnova, "vinnova", 2027, 1_000_000)
    ok(entry(vinnova, one["id"], "commitment", 1_000_000, year=2027), 201)
    _refused_without_change(
        vinnova, two["id"], entry(vinnova, two["id"], "commitment", 1, year=2027), 409, "R7"
    )
    assert ok(vinnova.get("/v1/appropriations/vinnova/2027"))["remaining_sek"] == 0


def test_r7_counts_vr_against_its_reference_appropriation(vr: httpx.Client) -> None:
    call, cluster = make_call(vr, stage="planning", max_award_sek=10**9), make_cluster(vr)
    period = {"starts_on": "2025-01-01", "ends_on": "2025-12-31"}
    big = make_grant(vr, call, cluster, yearly_plan=plan(2025, amount=100_000_000), **period)
    small = make_grant(vr, call, cluster, yearly_plan=plan(2025, amount=25_000_000), **period)
    ok(entry(vr, big["id"], "commitment", 100_000_000, year=2025), 201)
    # The figure may drop to what is committed, and then the plans no longer fit in it.
    appropriate(vr, "vr", 2025, 110_000_000)
    _refused_without_change(
        vr, small["id"], entry(vr, small["id"], "commitment", 10_000_001, year=2025), 409, "R7"
    )
    ok(entry(vr, small["id"], "commitment", 10_000_000, year=2025), 201)
    assert ok(vr.get("/v1/appropriations/vr/2025"))["remaining_sek"] == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"year": 2028},
        {"amount_sek": 0},
        {"amount_sek": -5},
        {"amount_sek": 100.0},
        {"amount_sek": 99.5},
        {"amount_sek": "100"},
        {"kind": "grant"},
        {"booked_on": "soon"},
        {"reverses": 1},
        {"kind": "reversal"},
        {"id": 7},
    ],
)
def test_malformed_entries_are_refused(
    vr: httpx.Client, grant: dict[str, Any], changes: dict[str, Any]
) -> None:
    gid = grant["id"]
    ok(entry(vr, gid, "commitment", 1_000_000), 201)
    body = {
        "kind": "commitment",
        "year": 2026,
        "amount_sek": 100,
        "booked_on": "2026-01-02",
        **changes,
    }
    response = vr.post(
        f"/v1/grants/{gid}/ledger",
        json=body,
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    _refused_without_change(vr, gid, response, 422, None)


def test_every_write_records_who_when_and_the_request_id(
    vr: httpx.Client, grant: dict[str, Any]
) -> None:
    response = vr.post(
        f"/v1/grants/{grant['id']}/ledger",
        json={"kind": "commitment", "year": 2026, "amount_sek": 10, "booked_on": "2026-01-05"},
        headers={"Idempotency-Key": "audit-1", "X-Request-ID": "audit-request-1"},
    )
    written = ok(response, 201)
    assert (written["client_id"], written["agency"]) == ("dev-vr", "vr")
    assert written["request_id"] == "audit-request-1"
    assert written["recorded_at"].endswith("Z")


def test_the_ledger_pages_oldest_first(vr: httpx.Client, grant: dict[str, Any]) -> None:
    gid = grant["id"]
    ids = [ok(entry(vr, gid, "commitment", 100), 201)["id"] for _ in range(5)]
    first = ledger(vr, gid, limit=2)
    second = ledger(vr, gid, limit=2, cursor=first["next_cursor"])
    third = ledger(vr, gid, limit=2, cursor=second["next_cursor"])
    assert [e["id"] for e in first["items"] + second["items"] + third["items"]] == ids
    assert third["next_cursor"] is None
    assert [e["balance"]["committed_sek"] for e in first["items"]] == [100, 200]


def test_only_the_owner_writes_and_the_office_reads(
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    government: httpx.Client,
    grant: dict[str, Any],
) -> None:
    gid = grant["id"]
    first = ok(entry(vr, gid, "commitment", 1_000), 201)
    _refused_without_change(vr, gid, entry(vinnova, gid, "commitment", 1_000), 404, None)
    _refused_without_change(vr, gid, entry(office, gid, "commitment", 1_000), 403, None)
    _refused_without_change(vr, gid, entry(government, gid, "commitment", 1_000), 403, None)
    problem(vinnova.get(f"/v1/grants/{gid}/ledger"), 404)
    problem(vinnova.get(f"/v1/grants/{gid}/ledger/{first['id']}"), 404)
    problem(government.get(f"/v1/grants/{gid}/ledger"), 403)
    assert ledger(office, gid)["items"] == [first]
    problem(entry(vr, "no-such-grant", "commitment", 1), 404)
    problem(vr.get(f"/v1/grants/{gid}/ledger/999999"), 404)
