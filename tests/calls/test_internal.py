"""Service-to-service routes (docs/internal-api.md, "calls service")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.calls.conftest import Clock
from tests.calls.factories import create_call, past_call, published_call, ready_call, step


def test_one_call_in_any_status(vr: httpx.Client, reporting_service: httpx.Client) -> None:
    draft = create_call(vr, technology_areas=["ai", "quantum"])
    response = reporting_service.get(f"/internal/v1/calls/{draft['id']}")
    assert response.status_code == 200
    assert response.json() == {
        "id": draft["id"],
        "agency": "vr",
        "stage": "establishment",
        "status": "draft",
        "max_award_sek": 50_000_000,
        "budget_sek": 500_000_000,
        "technology_areas": ["ai", "quantum"],
        "trl_min": 1,
        "trl_max": 4,
        "opens_at": draft["opens_at"],
        "closes_at": draft["closes_at"],
    }
    missing = reporting_service.get("/internal/v1/calls/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_report_counts_calls_published_as_of_an_instant(
    vr: httpx.Client,
    vinnova: httpx.Client,
    reporting_service: httpx.Client,
    clock: Clock,
) -> None:
    # Opens 00:30 on 1 January 2026 in Stockholm: a 2026 call although it is 2025 in UTC.
    new_year = past_call(
        vr,
        stage="planning",
        trl_min=1,
        trl_max=3,
        budget_sek=48_000_000,
        max_award_sek=1_200_000,
        opens_at="2025-12-31T23:30:00Z",
        closes_at="2026-02-01T12:00:00Z",
        decision_at="2026-03-01T12:00:00Z",
    )
    strategic = past_call(
        vinnova,
        status="decided",
        technology_areas=["ai"],
        trl_min=4,
        trl_max=7,
        opens_at="2026-03-01T08:00:00Z",
        closes_at="2026-04-15T12:00:00Z",
        decision_at="2026-06-15T12:00:00Z",
    )
    past_call(
        vr,
        opens_at="2025-12-31T22:30:00Z",
        closes_at="2026-01-15T12:00:00Z",
        decision_at="2026-02-15T12:00:00Z",
    )  # 23:30 in Stockholm: a 2025 call
    ready_call(
        vr,
        opens_at="2026-05-01T08:00:00Z",
        closes_at="2026-06-01T08:00:00Z",
        decision_at="2026-07-01T08:00:00Z",
    )
    as_of = clock.now.isoformat()

    clock.advance(timedelta(hours=1))
    later = published_call(
        vinnova,
        technology_areas=["energy"],
        trl_min=8,
        trl_max=9,
        opens_at="2026-09-01T08:00:00Z",
        closes_at="2026-10-01T08:00:00Z",
        decision_at="2026-12-01T08:00:00Z",
    )
    step(vr, new_year["id"], "cancel")

    report = reporting_service.get(
        "/internal/v1/report/calls", params={"year": 2026, "as_of": as_of}
    ).json()
    assert [c["id"] for c in report["calls"]] == sorted([new_year["id"], strategic["id"]])
    by_id = {c["id"]: c for c in report["calls"]}
    assert by_id[new_year["id"]]["status"] == "closed"
    assert by_id[strategic["id"]]["status"] == "decided"
    assert report["by_agency_stage"] == [
        {"agency": "vinnova", "stage": "establishment", "calls": 1, "budget_sek": 500_000_000},
        {"agency": "vr", "stage": "planning", "calls": 1, "budget_sek": 48_000_000},
    ]
    assert report["trl_coverage"]["covered"] == [1, 2, 3, 4, 5, 6, 7]
    assert report["trl_coverage"]["missing"] == [8, 9]
    assert report["trl_coverage"]["by_level"]["1"] == ["vr"]
    assert report["trl_coverage"]["by_level"]["5"] == ["vinnova"]
    assert set(report["sources"]) == {"by_agency_stage", "calls"}
    assert "GROUP BY" in report["sources"]["by_agency_stage"]

    again = reporting_service.get(
        "/internal/v1/report/calls", params={"year": 2026, "as_of": as_of}
    )
    assert (
        again.content
        == reporting_service.get(
            "/internal/v1/report/calls", params={"year": 2026, "as_of": as_of}
        ).content
    )
    now = reporting_service.get("/internal/v1/report/calls", params={"year": 2026}).json()
    assert {c["id"] for c in now["calls"]} == {strategic["id"], later["id"]}
    assert now["trl_coverage"]["missing"] == [1, 2, 3]


def test_report_query_is_validated(reporting_service: httpx.Client) -> None:
    refused: list[dict[str, Any]] = [
        {},
        {"year": "last"},
        {"year": 2026, "as_of": "2026-01-01T00:00:00"},
    ]
    for params in refused:
        response = reporting_service.get("/internal/v1/report/calls", params=params)
        assert response.status_code == 422, params
    as_of = datetime(2026, 6, 1, tzinfo=UTC).isoformat()
    body = reporting_service.get(
        "/internal/v1/report/calls", params={"year": 2026, "as_of": as_of}
    ).json()
    assert body["as_of"] == "2026-06-01T00:00:00Z"
    assert body["calls"] == []
