"""Appropriations (R7, R8): reference data, owner-only writes, sums from the ledger."""

from __future__ import annotations

import httpx
import pytest

from services.grants import reference
from services.grants.appropriations.models import Appropriation, AppropriationRevision
from tests.grants.factories import entry, make_grant, ok, problem
from tests.harness import Stack


@pytest.mark.parametrize(
    ("year", "amount", "status"),
    [
        (2025, 125_000_000, "confirmed"),
        (2026, 265_000_000, "estimate"),
        (2027, 420_000_000, "estimate"),
        (2028, 710_000_000, "estimate"),
    ],
)
def test_vr_figures_are_reference_data(
    vr: httpx.Client, office: httpx.Client, year: int, amount: int, status: str
) -> None:
    for reader in (vr, office):
        body = ok(reader.get(f"/v1/appropriations/vr/{year}"))
        assert body["code"] == "UO16 3:1 ap.5"
        assert (body["amount_sek"], body["status"]) == (amount, status)
        assert (body["committed_sek"], body["disbursed_sek"], body["remaining_sek"]) == (
            0,
            0,
            amount,
        )


def test_loading_the_reference_data_again_changes_nothing(stack: Stack, vr: httpx.Client) -> None:
    ok(
        vr.put(
            "/v1/appropriations/vr/2026", json={"code": "UO16 3:1 ap.5", "amount_sek": 270_000_000}
        )
    )
    database = stack.servers["grants"].app.state.database
    for _ in range(2):
        with database.writer() as session, session.begin():
            reference.load(session)
    with database.reader() as session:
        assert session.query(Appropriation).count() == 4
        assert session.query(AppropriationRevision).count() == 5
    assert ok(vr.get("/v1/appropriations/vr/2026"))["amount_sek"] == 270_000_000


def test_an_agency_writes_only_its_own_appropriations(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client, government: httpx.Client
) -> None:
    body = {"code": "UO24 1:5", "amount_sek": 400_000_000, "status": "estimate"}
    response = vinnova.put("/v1/appropriations/vinnova/2026", json=body)
    created = ok(response, 201)
    assert response.headers["location"] == "/v1/appropriations/vinnova/2026"
    assert (created["amount_sek"], created["status"], created["revision"]) == (
        400_000_000,
        "estimate",
        1,
    )
    confirmed = ok(
        vinnova.put(
            "/v1/appropriations/vinnova/2026", json={"code": "UO24 1:5", "amount_sek": 410_000_000}
        )
    )
    assert (confirmed["status"], confirmed["revision"]) == ("confirmed", 2)
    # Writing the same figure again is not a new revision.
    again = ok(
        vinnova.put(
            "/v1/appropriations/vinnova/2026", json={"code": "UO24 1:5", "amount_sek": 410_000_000}
        )
    )
    assert again["revision"] == 2

    problem(vr.put("/v1/appropriations/vinnova/2026", json=body), 403)
    problem(vinnova.put("/v1/appropriations/vr/2025", json=body), 403)
    problem(office.put("/v1/appropriations/vr/2025", json=body), 403)
    problem(government.get("/v1/appropriations/vr/2025"), 403)
    # Reads: the owner and the office; the other agency sees nothing there.
    problem(vr.get("/v1/appropriations/vinnova/2026"), 404)
    problem(vinnova.get("/v1/appropriations/vr/2025"), 404)
    assert ok(office.get("/v1/appropriations/vinnova/2026"))["amount_sek"] == 410_000_000
    assert ok(vr.get("/v1/appropriations/vr/2025"))["amount_sek"] == 125_000_000
    assert [a["agency"] for a in ok(vinnova.get("/v1/appropriations"))] == ["vinnova"]
    assert len(ok(office.get("/v1/appropriations"))) == 5
    assert [a["year"] for a in ok(office.get("/v1/appropriations", params={"year": 2026}))] == [
        2026,
        2026,
    ]
    problem(vr.get("/v1/appropriations/vr/1999"), 422)
    problem(vr.get("/v1/appropriations/sida/2025"), 404)
    problem(vr.get("/v1/appropriations/vr/2031"), 404)


@pytest.mark.parametrize(
    "body",
    [
        {"code": "UO16", "amount_sek": 1.5},
        {"code": "UO16", "amount_sek": 100.0},
        {"code": "UO16", "amount_sek": "100"},
        {"code": "UO16", "amount_sek": -1},
        {"code": "", "amount_sek": 1},
        {"code": "UO16", "amount_sek": 1, "status": "maybe"},
        {"amount_sek": 1},
    ],
)
def test_invalid_figures_are_refused(vinnova: httpx.Client, body: dict[str, object]) -> None:
    problem(vinnova.put("/v1/appropriations/vinnova/2027", json=body), 422)
    problem(vinnova.get("/v1/appropriations/vinnova/2027"), 404)


def test_reads_show_the_ledger_and_refuse_a_figure_below_commitments(vr: httpx.Client) -> None:
    grant = make_grant(vr)
    ok(entry(vr, grant["id"], "commitment", 30_000_000), 201)
    ok(entry(vr, grant["id"], "disbursement", 10_000_000), 201)
    ok(entry(vr, grant["id"], "recovery", 1_000_000), 201)
    body = ok(vr.get("/v1/appropriations/vr/2026"))
    assert body["committed_sek"] == 30_000_000
    assert (body["disbursed_sek"], body["recovered_sek"], body["net_disbursed_sek"]) == (
        10_000_000,
        1_000_000,
        9_000_000,
    )
    assert body["remaining_sek"] == 235_000_000

    refused = problem(
        vr.put(
            "/v1/appropriations/vr/2026", json={"code": "UO16 3:1 ap.5", "amount_sek": 29_999_999}
        ),
        409,
        rule="R7",
    )
    assert refused["committed_sek"] == 30_000_000
    assert ok(vr.get("/v1/appropriations/vr/2026"))["amount_sek"] == 265_000_000
    ok(
        vr.put(
            "/v1/appropriations/vr/2026", json={"code": "UO16 3:1 ap.5", "amount_sek": 30_000_000}
        )
    )


def test_an_earlier_figure_can_be_read_as_of_its_time(vr: httpx.Client) -> None:
    before = ok(vr.get("/v1/appropriations/vr/2027"))
    ok(
        vr.put(
            "/v1/appropriations/vr/2027", json={"code": "UO16 3:1 ap.5", "amount_sek": 400_000_000}
        )
    )
    assert ok(vr.get("/v1/appropriations/vr/2027"))["amount_sek"] == 400_000_000
    old = ok(vr.get("/v1/appropriations/vr/2027", params={"as_of": before["updated_at"]}))
    assert (old["amount_sek"], old["status"], old["revision"]) == (420_000_000, "estimate", 1)
    problem(vr.get("/v1/appropriations/vr/2027", params={"as_of": "2020-01-01T00:00:00Z"}), 404)
