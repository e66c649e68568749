"""Coordinated rounds (R13): made by the office, published all at once or not at all."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.calls.conftest import Clock
from tests.calls.factories import create_call, past_call, ready_call, round_of, step


def _pair(vr: httpx.Client, vinnova: httpx.Client, **overrides: Any) -> list[dict[str, Any]]:
    return [ready_call(vr, **overrides), ready_call(vinnova, technology_areas=["ai"], **overrides)]


def test_a_round_links_calls_of_both_agencies(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    calls = _pair(vr, vinnova)
    response = office.post(
        "/v1/coordinations", json={"name": "Stage 2", "call_ids": [c["id"] for c in calls]}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/coordinations/{created['id']}"
    assert created["status"] == "draft"
    assert created["publish_at"] is None
    assert sorted(created["call_ids"]) == sorted(c["id"] for c in calls)
    assert {(m["agency"], m["status"]) for m in created["members"]} == {
        ("vr", "ready"),
        ("vinnova", "ready"),
    }
    for client, call in zip((vr, vinnova), calls, strict=True):
        assert client.get(f"/v1/calls/{call['id']}").json()["coordination_id"] == created["id"]


def test_a_round_needs_calls_of_both_agencies(vr: httpx.Client, office: httpx.Client) -> None:
    ids = [ready_call(vr)["id"], ready_call(vr)["id"]]
    response = office.post("/v1/coordinations", json={"name": "VR only", "call_ids": ids})
    assert response.status_code == 422
    assert response.json()["rule"] == "R13"
    assert vr.get(f"/v1/calls/{ids[0]}").json()["coordination_id"] is None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "x", "call_ids": []}, 422),
        ({"name": "", "call_ids": ["a", "b"]}, 422),
        ({"call_ids": ["a", "b"]}, 422),
        ({"name": "x", "call_ids": ["a", "b"], "publish_at": "2030-01-01T00:00:00"}, 422),
        ({"name": "x", "call_ids": ["a", "b"], "status": "published"}, 422),
    ],
)
def test_round_body_is_validated(office: httpx.Client, body: dict[str, Any], status: int) -> None:
    assert office.post("/v1/coordinations", json=body).status_code == status


def test_unknown_and_repeated_calls_are_refused(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    calls = _pair(vr, vinnova)
    ids = [c["id"] for c in calls]
    unknown = "00000000-0000-0000-0000-000000000000"
    response = office.post("/v1/coordinations", json={"name": "x", "call_ids": [*ids, unknown]})
    assert response.status_code == 422
    assert response.json()["unknown_call_ids"] == [unknown]
    response = office.post("/v1/coordinations", json={"name": "x", "call_ids": [*ids, ids[0]]})
    assert response.status_code == 422


def test_publish_at_must_lie_ahead(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    ids = [c["id"] for c in _pair(vr, vinnova)]
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    response = office.post(
        "/v1/coordinations", json={"name": "x", "call_ids": ids, "publish_at": past}
    )
    assert response.status_code == 422
    assert "publish_at" in response.json()["errors"][0]["loc"]


def test_a_call_belongs_to_one_round_and_must_be_draft_or_ready(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    calls = _pair(vr, vinnova)
    ids = [c["id"] for c in calls]
    round_of(office, ids)
    spare = ready_call(vinnova, technology_areas=["ai"])
    response = office.post(
        "/v1/coordinations", json={"name": "again", "call_ids": [ids[0], spare["id"]]}
    )
    assert response.status_code == 409
    assert response.json()["calls"][0]["id"] == ids[0]
    published = past_call(vr)
    cancelled = step(vr, create_call(vr)["id"], "cancel")
    response = office.post(
        "/v1/coordinations",
        json={"name": "x", "call_ids": [published["id"], cancelled["id"], spare["id"]]},
    )
    assert response.status_code == 409
    assert {c["id"] for c in response.json()["calls"]} == {published["id"], cancelled["id"]}
    assert vinnova.get(f"/v1/calls/{spare['id']}").json()["coordination_id"] is None


def test_a_member_is_published_only_through_its_round(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    calls = _pair(vr, vinnova)
    round_of(office, [c["id"] for c in calls])
    for client in (vr, office):
        response = client.post(f"/v1/calls/{calls[0]['id']}/publish")
        assert response.status_code == 409
        assert response.json()["type"] == "/problems/call-in-coordination"
    assert vr.get(f"/v1/calls/{calls[0]['id']}").json()["status"] == "ready"


def test_publish_is_all_or_nothing(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client, anonymous: httpx.Client
) -> None:
    ready = ready_call(vr)
    draft = create_call(vinnova, technology_areas=["ai"])
    also_ready = ready_call(vinnova, technology_areas=["energy"])
    created = round_of(office, [ready["id"], draft["id"], also_ready["id"]])
    response = office.post(f"/v1/coordinations/{created['id']}/publish")
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/coordination-not-ready"
    assert [(c["id"], c["status"]) for c in problem["not_ready"]] == [(draft["id"], "draft")]
    assert draft["id"] in problem["detail"]
    for client, call in ((vr, ready), (vinnova, also_ready)):
        unchanged = client.get(f"/v1/calls/{call['id']}").json()
        assert (unchanged["status"], unchanged["published_at"]) == ("ready", None)
    assert office.get(f"/v1/coordinations/{created['id']}").json()["status"] == "draft"
    assert anonymous.get("/v1/public/calls").json()["items"] == []

    step(vinnova, draft["id"], "ready")
    response = office.post(f"/v1/coordinations/{created['id']}/publish")
    assert response.status_code == 200, response.text
    published = response.json()
    assert published["status"] == "published"
    assert {m["status"] for m in published["members"]} == {"published"}
    instants = {m["published_at"] for m in published["members"]}
    assert instants == {published["published_at"]}
    public = anonymous.get("/v1/public/calls").json()
    assert {c["id"] for c in public["items"]} == {ready["id"], draft["id"], also_ready["id"]}
    assert office.post(f"/v1/coordinations/{created['id']}/publish").status_code == 409


def test_a_cancelled_member_blocks_the_round(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    calls = _pair(vr, vinnova)
    created = round_of(office, [c["id"] for c in calls])
    step(vr, calls[0]["id"], "cancel")
    response = office.post(f"/v1/coordinations/{created['id']}/publish")
    assert response.status_code == 409
    assert response.json()["not_ready"][0]["status"] == "cancelled"
    assert vinnova.get(f"/v1/calls/{calls[1]['id']}").json()["status"] == "ready"


def test_scheduled_round_becomes_public_at_its_instant(
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    anonymous: httpx.Client,
    clock: Clock,
) -> None:
    calls = _pair(vr, vinnova)
    ids = {c["id"] for c in calls}
    publish_at = (clock.now + timedelta(days=2)).replace(microsecond=0)
    created = round_of(office, sorted(ids), publish_at=publish_at.isoformat())
    assert created["publish_at"] == publish_at.isoformat().replace("+00:00", "Z")
    published = office.post(f"/v1/coordinations/{created['id']}/publish").json()
    assert published["status"] == "scheduled"
    assert published["published_at"] == created["publish_at"]
    member = vr.get(f"/v1/calls/{calls[0]['id']}").json()
    assert member["status"] == "published"
    assert member["published_at"] == created["publish_at"]

    assert anonymous.get("/v1/public/calls").json()["items"] == []
    for call_id in ids:
        assert anonymous.get(f"/v1/public/calls/{call_id}").status_code == 404
    clock.advance(timedelta(days=2) - timedelta(seconds=1))
    assert anonymous.get("/v1/public/calls").json()["items"] == []

    clock.advance(timedelta(seconds=1))
    listed = anonymous.get("/v1/public/calls").json()["items"]
    assert {c["id"] for c in listed} == ids
    for call_id in ids:
        assert anonymous.get(f"/v1/public/calls/{call_id}").status_code == 200
    assert office.get(f"/v1/coordinations/{created['id']}").json()["status"] == "published"


def test_scheduled_visibility_needs_no_job(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client, anonymous: httpx.Client
) -> None:
    """On the real clock: nothing runs at `publish_at`; the read decides."""
    calls = _pair(vr, vinnova)
    publish_at = datetime.now(UTC) + timedelta(seconds=1.5)
    created = round_of(office, [c["id"] for c in calls], publish_at=publish_at.isoformat())
    office.post(f"/v1/coordinations/{created['id']}/publish").raise_for_status()
    assert anonymous.get("/v1/public/calls").json()["total"] == 0
    time.sleep(max(0.0, (publish_at - datetime.now(UTC)).total_seconds()) + 0.1)
    assert anonymous.get("/v1/public/calls").json()["total"] == 2


def test_a_round_cannot_open_after_its_calls_close(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client, clock: Clock
) -> None:
    calls = _pair(vr, vinnova, opens_in=timedelta(days=1))
    publish_at = clock.now + timedelta(days=60)
    created = round_of(office, [c["id"] for c in calls], publish_at=publish_at.isoformat())
    response = office.post(f"/v1/coordinations/{created['id']}/publish")
    assert response.status_code == 409
    assert {c["id"] for c in response.json()["calls"]} == {c["id"] for c in calls}
    assert vr.get(f"/v1/calls/{calls[0]['id']}").json()["status"] == "ready"
