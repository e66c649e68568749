"""The objects the authorisation matrix and the fuzzer act on, made through the gateway.

Each maker gets the owning agency's client and answers the created object as the API gave
it. The states are the ones a route needs for its owner to succeed (a `ready` call to
publish, a call past its deadline to close, a planning grant for a final report), so that
the matrix's expected statuses say who may act, not whether the object happened to be in
the right state.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

_numbers = itertools.count(1)

YEAR = 2026
# Both agencies may use these areas (R14: Vinnova funds only its six).
AREA = "quantum"
MSEK = 1_000_000


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def etag(client: httpx.Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.headers["etag"]


def idempotency_key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


# calls ------------------------------------------------------------------------------------
def call_body(*, past: bool = False, stage: str = "establishment") -> dict[str, Any]:
    """A call complete for publication; `past` puts its dates behind us (it can be closed)."""
    now = datetime.now(UTC).replace(microsecond=0)
    opens = now - timedelta(days=60) if past else now + timedelta(days=10)
    planning = stage == "planning"
    return {
        "stage": stage,
        "title": {"sv": "Excellenskluster för kvantteknik", "en": "Excellence clusters: quantum"},
        "summary": {"sv": "Etablering av kluster.", "en": "Establishing clusters."},
        "technology_areas": [AREA],
        "trl_min": 1,
        "trl_max": 4,
        "budget_sek": 60 * MSEK if planning else 1000 * MSEK,
        "max_award_sek": 1_200_000 if planning else 300 * MSEK,
        "opens_at": opens.isoformat(),
        "closes_at": (opens + timedelta(days=30)).isoformat(),
        "decision_at": (opens + timedelta(days=45)).isoformat(),
        "requires_ssh": not planning,
        "requires_multiple_heis": not planning,
        "requires_graduate_school": False,
        "url": "https://example.org/utlysning",
    }


STEPS = ("ready", "publish", "close", "decide")


def call(client: httpx.Client, status: str = "draft", *, stage: str = "establishment") -> Any:
    """A call walked from draft up to `status` (closed and decided ones lie in the past)."""
    past = status in {"closed", "decided", "past"}
    created = ok(client.post("/v1/calls", json=call_body(past=past, stage=stage)), 201)
    target = "published" if status == "past" else status
    for step in STEPS:
        if created["status"] == target:
            break
        created = ok(client.post(f"/v1/calls/{created['id']}/{step}"))
    assert created["status"] == target, created
    return created


def coordination(office: httpx.Client, vr: httpx.Client, vinnova: httpx.Client) -> Any:
    """A coordinated round of one ready call of each agency (R13)."""
    members = [call(vr, "ready")["id"], call(vinnova, "ready")["id"]]
    body = {"name": f"Round {next(_numbers)}", "call_ids": members}
    return ok(office.post("/v1/coordinations", json=body), 201)


# clusters, appropriations, grants and the ledger --------------------------------------------
def cluster_body() -> dict[str, Any]:
    return {
        "name": f"Quantum cluster {next(_numbers)}",
        "lead_hei": {"name": "KTH", "org_number": "202100-3054"},
        "participating_heis": [{"name": "Uppsala universitet", "org_number": "202100-2932"}],
        "technology_area": AREA,
        "international_partners": [
            {"organisation": "TU Delft", "country": "NL", "security_review": "cleared"}
        ],
        "graduate_school": None,
    }


def cluster(client: httpx.Client) -> Any:
    return ok(client.post("/v1/clusters", json=cluster_body()), 201)


def appropriation(client: httpx.Client, agency: str, year: int = YEAR) -> Any:
    body = {"code": "UO16 3:1 ap.5", "amount_sek": 500 * MSEK}
    response = client.put(f"/v1/appropriations/{agency}/{year}", json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def grant_body(call_id: str, cluster_id: str, *, planning: bool = False) -> dict[str, Any]:
    if planning:
        plan = [{"year": 2025, "amount_sek": 1_200_000, "ssh_amount_sek": 0}]
        period = ("2025-10-01", "2026-03-31")
    else:
        plan = [
            {"year": y, "amount_sek": 40 * MSEK, "ssh_amount_sek": 2 * MSEK} for y in (YEAR, 2027)
        ]
        period = (f"{YEAR}-01-01", "2027-12-31")
    return {
        "call_id": call_id,
        "cluster_id": cluster_id,
        "registration_number": f"{YEAR}-{next(_numbers):05d}",
        "yearly_plan": plan,
        "starts_on": period[0],
        "ends_on": period[1],
    }


def grant(client: httpx.Client, *, planning: bool = False) -> Any:
    """A grant under a closed call of the client's agency, funding a new cluster."""
    stage = "planning" if planning else "establishment"
    decided = call(client, "closed", stage=stage)
    body = grant_body(decided["id"], cluster(client)["id"], planning=planning)
    return ok(client.post("/v1/grants", json=body), 201)


def entry_body(year: int = YEAR) -> dict[str, Any]:
    return {"kind": "commitment", "year": year, "amount_sek": MSEK, "booked_on": f"{year}-03-01"}


def entry(client: httpx.Client, agency: str, grant_id: str) -> Any:
    """A commitment in YEAR, within the agency's appropriation for it (R7)."""
    appropriation(client, agency)
    response = client.post(
        f"/v1/grants/{grant_id}/ledger", json=entry_body(), headers=idempotency_key()
    )
    return ok(response, 201)


# reports ----------------------------------------------------------------------------------
def report_version(office: httpx.Client, year: int = YEAR) -> int:
    version: int = ok(office.post(f"/v1/reports/annual/{year}"), 201)["version"]
    return version


def approve(client: httpx.Client, version: int, year: int = YEAR) -> None:
    ok(client.post(f"/v1/reports/annual/{year}/approve", json={"version": version}))


PLANNING_REPORT = {
    "field_analysis": "The field of quantum sensing in Sweden.",
    "collaboration_strategy": "Shared laboratories and a doctoral exchange.",
    "societal_impact": {
        "assessment": "Better medical imaging.",
        "security_implications": "Export control on components.",
    },
}


def planning_report(client: httpx.Client, grant_id: str) -> Any:
    response = client.put(f"/v1/reports/planning/{grant_id}", json=PLANNING_REPORT)
    assert response.status_code in (200, 201), response.text
    return response.json()
