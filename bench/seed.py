"""Data for the benchmarks, made through the public API as agency systems would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

VINNOVA_AREAS = ("ai", "semiconductors", "quantum", "energy", "materials", "biotechnology")


def closed_call(
    client: httpx.Client,
    *,
    stage: str = "establishment",
    max_award_sek: int = 200_000_000,
    area: str = "ai",
) -> str:
    """A call that opened and closed in the past: created, made ready, published, closed."""
    opened = datetime(2026, 3, 1, 9, tzinfo=UTC)
    body = {
        "stage": stage,
        "title": {"sv": "Excellenskluster", "en": "Excellence clusters"},
        "summary": {"sv": "Etablering av kluster.", "en": "Establishing clusters."},
        "technology_areas": [area],
        "trl_min": 1,
        "trl_max": 9,
        "budget_sek": max_award_sek * 10,
        "max_award_sek": max_award_sek,
        "opens_at": opened.isoformat(),
        "closes_at": (opened + timedelta(days=60)).isoformat(),
        "decision_at": (opened + timedelta(days=120)).isoformat(),
        "requires_ssh": True,
        "requires_multiple_heis": True,
        "requires_graduate_school": False,
        "url": "https://example.org/call",
    }
    response = client.post("/v1/calls", json=body)
    response.raise_for_status()
    call_id = str(response.json()["id"])
    for step in ("ready", "publish", "close"):
        client.post(f"/v1/calls/{call_id}/{step}").raise_for_status()
    return call_id


def cluster(client: httpx.Client, *, name: str, area: str = "ai") -> str:
    response = client.post(
        "/v1/clusters",
        json={
            "name": name,
            "lead_hei": {"name": "KTH Royal Institute of Technology"},
            "participating_heis": [{"name": "Uppsala University"}, {"name": "Lund University"}],
            "technology_area": area,
            "international_partners": [
                {"organisation": "Fraunhofer", "country": "DE", "security_review": "cleared"}
            ],
            "graduate_school": {
                "name": f"{name} graduate school",
                "type": "ai",
                "doctoral_students": 10,
                "mobility_placements": {"hei_hei": 2, "hei_industry": 3},
            },
        },
    )
    response.raise_for_status()
    return str(response.json()["id"])


def grant(
    client: httpx.Client,
    *,
    call_id: str,
    cluster_id: str,
    number: int,
    agency_year: int = 2026,
    yearly_sek: int = 40_000_000,
    years: int = 3,
) -> str:
    plan = [
        {"year": agency_year + i, "amount_sek": yearly_sek, "ssh_amount_sek": yearly_sek // 20}
        for i in range(years)
    ]
    response = client.post(
        "/v1/grants",
        json={
            "call_id": call_id,
            "cluster_id": cluster_id,
            "registration_number": f"{agency_year}-{number:05d}",
            "yearly_plan": plan,
            "starts_on": f"{agency_year}-07-01",
            "ends_on": f"{agency_year + years - 1}-12-31",
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    response.raise_for_status()
    return str(response.json()["id"])


def ledger_entry(
    kind: str, year: int, amount_sek: int, reverses: str | None = None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "year": year,
        "amount_sek": amount_sek,
        "booked_on": f"{year}-08-01",
        "reverses": reverses,
    }


def post_entry(client: httpx.Client, grant_id: str, entry: dict[str, Any]) -> httpx.Response:
    return client.post(
        f"/v1/grants/{grant_id}/ledger", json=entry, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
