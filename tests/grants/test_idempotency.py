"""Idempotency-Key: required on ledger writes, honoured on POST /v1/grants; a retry replays
the first answer, the key with another body is a 422, keys are per client and kept a day."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update

from kit.db import utcnow
from services.grants.idempotency.models import IdempotencyKey
from tests.grants.factories import (
    appropriate,
    grant_body,
    ledger,
    make_call,
    make_cluster,
    make_grant,
    ok,
    problem,
)
from tests.harness import Stack

ENTRY = {"kind": "commitment", "year": 2026, "amount_sek": 1_000_000, "booked_on": "2026-02-01"}


def _post(
    client: httpx.Client, grant: dict[str, Any], body: dict[str, Any], key: str | None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(f"/v1/grants/{grant['id']}/ledger", json=body, headers=headers)


def test_a_ledger_write_without_a_key_is_refused(vr: httpx.Client) -> None:
    grant = make_grant(vr)
    body = problem(_post(vr, grant, ENTRY, None), 428)
    assert body["type"] == "/problems/idempotency-key-required"
    problem(_post(vr, grant, ENTRY, ""), 400)
    problem(_post(vr, grant, ENTRY, "x" * 256), 400)
    problem(_post(vr, grant, ENTRY, "bad key"), 400)
    assert ledger(vr, grant["id"])["items"] == []


def test_a_retry_replays_the_first_answer_and_books_once(vr: httpx.Client) -> None:
    grant = make_grant(vr)
    key = uuid.uuid4().hex
    first = _post(vr, grant, ENTRY, key)
    ok(first, 201)
    # Same body with other spacing and key order is the same request.
    again = vr.post(
        f"/v1/grants/{grant['id']}/ledger",
        content='{"year":2026, "kind":"commitment","amount_sek":1000000,'
        '"booked_on":"2026-02-01","reverses":null}',
        headers={"Idempotency-Key": key, "content-type": "application/json"},
    )
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    page = ledger(vr, grant["id"])
    assert len(page["items"]) == 1
    assert page["balances"][0]["committed_sek"] == 1_000_000


def test_the_same_key_with_another_body_is_refused(vr: httpx.Client) -> None:
    grant = make_grant(vr)
    key = uuid.uuid4().hex
    ok(_post(vr, grant, ENTRY, key), 201)
    body = problem(_post(vr, grant, {**ENTRY, "amount_sek": 2_000_000}, key), 422)
    assert body["type"] == "/problems/idempotency-key-reused"
    other_grant = make_grant(vr, registration_number="2025-99999")
    problem(_post(vr, other_grant, ENTRY, key), 422)
    assert len(ledger(vr, grant["id"])["items"]) == 1
    assert ledger(vr, other_grant["id"])["items"] == []


def test_keys_belong_to_one_client(vr: httpx.Client, vinnova: httpx.Client) -> None:
    appropriate(vinnova, "vinnova", 2026, 10**9)
    ours = make_grant(vr)
    theirs = make_grant(vinnova, make_call(vinnova, max_award_sek=10**8), make_cluster(vinnova))
    key = "shared-key-1"
    mine = ok(_post(vr, ours, ENTRY, key), 201)
    other = ok(_post(vinnova, theirs, ENTRY, key), 201)
    assert mine["id"] != other["id"]


def test_a_refusal_is_replayed_too_until_a_new_key_is_used(vr: httpx.Client) -> None:
    grant = make_grant(vr)
    overdraw = {**ENTRY, "kind": "disbursement"}
    key = uuid.uuid4().hex
    problem(_post(vr, grant, overdraw, key), 409, rule="disbursed-within-committed")
    ok(_post(vr, grant, ENTRY, uuid.uuid4().hex), 201)
    replay = _post(vr, grant, overdraw, key)
    problem(replay, 409, rule="disbursed-within-committed")
    assert replay.headers["idempotent-replayed"] == "true"
    assert ok(_post(vr, grant, overdraw, uuid.uuid4().hex), 201)["kind"] == "disbursement"
    assert [e["kind"] for e in ledger(vr, grant["id"])["items"]] == ["commitment", "disbursement"]


def test_grants_honour_the_key(vr: httpx.Client) -> None:
    call, cluster = make_call(vr), make_cluster(vr)
    body = grant_body(call, cluster)
    key = uuid.uuid4().hex
    first = ok(vr.post("/v1/grants", json=body, headers={"Idempotency-Key": key}), 201)
    replay = vr.post("/v1/grants", json=body, headers={"Idempotency-Key": key})
    assert (replay.status_code, replay.json()) == (201, first)
    assert replay.headers["location"] == f"/v1/grants/{first['id']}"
    problem(
        vr.post(
            "/v1/grants",
            json={**body, "registration_number": "2025-77777"},
            headers={"Idempotency-Key": key},
        ),
        422,
    )
    assert [g["id"] for g in ok(vr.get("/v1/grants"))["items"]] == [first["id"]]
    # A rule refusal under a key is an answer like any other.
    bad_key = uuid.uuid4().hex
    duplicate = grant_body(call, cluster, registration_number=body["registration_number"])
    problem(vr.post("/v1/grants", json=duplicate, headers={"Idempotency-Key": bad_key}), 409)
    replayed = vr.post("/v1/grants", json=duplicate, headers={"Idempotency-Key": bad_key})
    problem(replayed, 409, rule="registration-number")
    assert replayed.headers["idempotent-replayed"] == "true"


def test_keys_are_kept_at_least_a_day(stack: Stack, vr: httpx.Client) -> None:
    grant = make_grant(vr)
    key = uuid.uuid4().hex
    first = ok(_post(vr, grant, ENTRY, key), 201)
    database = stack.servers["grants"].app.state.database

    def age(hours: int) -> None:
        with database.writer() as session, session.begin():
            session.execute(
                update(IdempotencyKey)
                .where(IdempotencyKey.key == key)
                .values(created_at=utcnow() - timedelta(hours=hours))
            )

    age(25)
    assert ok(_post(vr, grant, ENTRY, key), 201) == first
    assert len(ledger(vr, grant["id"])["items"]) == 1
    # Past the retention (48 h by default) the key is forgotten: the request runs again.
    age(49)
    second = ok(_post(vr, grant, ENTRY, key), 201)
    assert second["id"] != first["id"]
    assert len(ledger(vr, grant["id"])["items"]) == 2


def test_an_entry_for_a_grant_not_yours_is_404_before_the_key_is_looked_at(
    vr: httpx.Client, vinnova: httpx.Client
) -> None:
    grant = make_grant(vr)
    problem(_post(vinnova, grant, ENTRY, "k-1"), 404)
    assert ok(_post(vr, grant, ENTRY, "k-1"), 201)
