"""The lifecycle: each step from the right status only, its instant stored, who did it."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from services.calls.models import AuditEvent
from tests.calls.factories import (
    call_body,
    create_call,
    etag_of,
    past_call,
    published_call,
    ready_call,
    step,
)
from tests.harness import Stack


def test_the_whole_way_with_each_instant_stored(vr: httpx.Client) -> None:
    call = create_call(vr, opens_in=timedelta(days=-60))
    assert call["ready_at"] is None
    call = step(vr, call["id"], "ready")
    assert call["status"] == "ready"
    assert call["ready_at"]
    call = step(vr, call["id"], "publish")
    assert call["status"] == "published"
    assert call["published_at"] >= call["ready_at"]
    call = step(vr, call["id"], "close")
    assert call["status"] == "closed"
    assert call["closed_at"] >= call["published_at"]
    call = step(vr, call["id"], "decide")
    assert call["status"] == "decided"
    assert call["decided_at"] >= call["closed_at"]
    assert call["cancelled_at"] is None


def test_ready_needs_a_call_complete_for_publication(vr: httpx.Client) -> None:
    response = vr.post("/v1/calls", json={"stage": "planning", "title": {"sv": "Planering"}})
    call = response.json()
    refused = vr.post(f"/v1/calls/{call['id']}/ready")
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == "/problems/call-incomplete"
    assert problem["missing"] == [
        "title.en",
        "summary.sv",
        "summary.en",
        "technology_areas",
        "trl_min",
        "trl_max",
        "budget_sek",
        "max_award_sek",
        "opens_at",
        "closes_at",
    ]
    assert vr.get(f"/v1/calls/{call['id']}").json()["status"] == "draft"


@pytest.mark.parametrize(
    ("status", "refused"),
    [
        ("draft", ["publish", "close", "decide"]),
        ("ready", ["ready", "close", "decide"]),
        ("published", ["ready", "publish", "decide"]),
        ("closed", ["ready", "publish", "close"]),
        ("decided", ["ready", "publish", "close", "decide", "cancel"]),
        ("cancelled", ["ready", "publish", "close", "decide", "cancel"]),
    ],
)
def test_a_step_from_the_wrong_status_is_409(
    vr: httpx.Client, status: str, refused: list[str]
) -> None:
    if status in {"draft", "ready"}:
        call = create_call(vr) if status == "draft" else ready_call(vr)
    elif status == "cancelled":
        call = step(vr, create_call(vr)["id"], "cancel")
    else:
        call = past_call(vr, status=status)
    for name in refused:
        response = vr.post(f"/v1/calls/{call['id']}/{name}")
        assert response.status_code == 409, (name, response.text)
        problem = response.json()
        assert problem["type"] == "/problems/call-state-conflict"
        assert problem["call_status"] == status
    assert vr.get(f"/v1/calls/{call['id']}").json() == call


def test_closing_needs_the_deadline_to_have_passed(vr: httpx.Client) -> None:
    call = published_call(vr)
    response = vr.post(f"/v1/calls/{call['id']}/close")
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/deadline-not-passed"
    assert vr.get(f"/v1/calls/{call['id']}").json()["status"] == "published"


def test_past_calls_can_be_registered_after_the_fact(vr: httpx.Client) -> None:
    call = past_call(
        vr,
        status="decided",
        opens_at="2025-09-01T08:00:00Z",
        closes_at="2025-10-15T13:00:00Z",
        decision_at="2025-12-01T08:00:00Z",
    )
    assert call["status"] == "decided"
    assert call["closes_at"] == "2025-10-15T13:00:00Z"


@pytest.mark.parametrize("status", ["draft", "ready", "published", "closed"])
def test_cancel_from_any_status_before_decided(vr: httpx.Client, status: str) -> None:
    if status in {"draft", "ready"}:
        call = create_call(vr) if status == "draft" else ready_call(vr)
    else:
        call = past_call(vr, status=status)
    cancelled = step(vr, call["id"], "cancel")
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelled_at"]


def test_office_publishes_a_ready_call(vr: httpx.Client, office: httpx.Client) -> None:
    call = ready_call(vr)
    response = office.post(f"/v1/calls/{call['id']}/publish")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"


def test_a_step_honours_if_match_when_sent(vr: httpx.Client) -> None:
    call = create_call(vr)
    stale = etag_of(vr, call["id"])
    vr.patch(f"/v1/calls/{call['id']}", json={"trl_max": 5}, headers={"If-Match": stale})
    response = vr.post(f"/v1/calls/{call['id']}/ready", headers={"If-Match": stale})
    assert response.status_code == 412
    fresh = etag_of(vr, call["id"])
    response = vr.post(f"/v1/calls/{call['id']}/ready", headers={"If-Match": fresh})
    assert response.status_code == 200
    assert response.headers["etag"] != fresh


def test_every_write_records_who_did_it_and_the_request_id(
    stack: Stack, vr: httpx.Client, office: httpx.Client
) -> None:
    created = vr.post(
        "/v1/calls", json=call_body(), headers={"X-Request-ID": "req-create-1"}
    ).json()
    vr.post(f"/v1/calls/{created['id']}/ready", headers={"X-Request-ID": "req-ready-1"})
    office.post(f"/v1/calls/{created['id']}/publish", headers={"X-Request-ID": "req-pub-1"})
    database = stack.servers["calls"].app.state.database
    with database.reader() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.call_id == created["id"]).order_by(AuditEvent.id)
        ).all()
    assert [(e.action, e.client_id, e.role, e.agency, e.request_id) for e in events] == [
        ("call.created", stack.credentials["vr"].client_id, "agency", "vr", "req-create-1"),
        ("call.ready", stack.credentials["vr"].client_id, "agency", "vr", "req-ready-1"),
        ("call.published", stack.credentials["office"].client_id, "office", None, "req-pub-1"),
    ]


class FailingCommit(Session):
    def commit(self) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))


def test_a_failing_commit_is_not_reported_as_success(
    stack: Stack, vr: httpx.Client, office: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = stack.servers["calls"].app.state.database
    failing = sessionmaker(
        database.engine.execution_options(sqlite_begin="IMMEDIATE"),
        class_=FailingCommit,
        expire_on_commit=False,
    )
    monkeypatch.setattr(database, "writer", failing)
    response = vr.post("/v1/calls", json={"stage": "planning", "title": {"sv": "Planering"}})
    assert response.status_code == 503
    monkeypatch.undo()
    assert office.get("/v1/calls").json()["items"] == []
