"""Test data for the calls service, made through the gateway as an agency system would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

VINNOVA_AREAS = ["ai", "semiconductors", "quantum", "energy", "materials", "biotechnology"]


def iso(moment: datetime) -> str:
    return moment.isoformat()


def call_body(*, opens_in: timedelta = timedelta(days=10), **overrides: Any) -> dict[str, Any]:
    """A complete call (ready for publication) opening `opens_in` from now."""
    opens = datetime.now(UTC).replace(microsecond=0) + opens_in
    body: dict[str, Any] = {
        "stage": "establishment",
        "title": {"sv": "Excellenskluster för kvantteknik", "en": "Excellence clusters: quantum"},
        "summary": {
            "sv": "Etablering av excellenskluster inom kvantteknik.",
            "en": "Establishing excellence clusters in quantum technology.",
        },
        "technology_areas": ["quantum"],
        "trl_min": 1,
        "trl_max": 4,
        "budget_sek": 500_000_000,
        "max_award_sek": 50_000_000,
        "opens_at": iso(opens),
        "closes_at": iso(opens + timedelta(days=30)),
        "decision_at": iso(opens + timedelta(days=90)),
        "requires_ssh": True,
        "requires_multiple_heis": True,
        "requires_graduate_school": False,
        "url": "https://www.vr.se/utlysningar/excellenskluster",
    }
    body.update(overrides)
    return body


def create_call(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    response = client.post("/v1/calls", json=call_body(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def step(client: httpx.Client, call_id: str, name: str) -> dict[str, Any]:
    response = client.post(f"/v1/calls/{call_id}/{name}")
    assert response.status_code == 200, response.text
    moved: dict[str, Any] = response.json()
    return moved


def ready_call(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    return step(client, create_call(client, **overrides)["id"], "ready")


def published_call(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    return step(client, ready_call(client, **overrides)["id"], "publish")


def past_call(client: httpx.Client, *, status: str = "closed", **overrides: Any) -> dict[str, Any]:
    """A call registered after the fact: its dates have passed; published, closed, decided."""
    call = published_call(client, opens_in=timedelta(days=-60), **overrides)
    for name in ("close", "decide")[: ("published", "closed", "decided").index(status)]:
        call = step(client, call["id"], name)
    return call


def etag_of(client: httpx.Client, call_id: str) -> str:
    response = client.get(f"/v1/calls/{call_id}")
    assert response.status_code == 200, response.text
    return response.headers["etag"]


def patch(client: httpx.Client, call_id: str, body: dict[str, Any]) -> httpx.Response:
    return client.patch(
        f"/v1/calls/{call_id}", json=body, headers={"If-Match": etag_of(client, call_id)}
    )


def round_of(office: httpx.Client, call_ids: list[str], **extra: Any) -> dict[str, Any]:
    response = office.post(
        "/v1/coordinations", json={"name": "Stage 2, spring 2026", "call_ids": call_ids, **extra}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created
