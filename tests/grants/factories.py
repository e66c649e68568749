"""Test data for the grants service, made through the public API (and the real calls API)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx

from kit.problems import PROBLEM_JSON
from tests.harness import Stack

PAST_OPEN = "2025-05-01T09:00:00+02:00"
PAST_CLOSE = "2025-09-15T14:00:00+02:00"

_numbers = itertools.count(1)


def problem(response: httpx.Response, status: int, *, rule: str | None = None) -> dict[str, Any]:
    """The response is a problem+json with this status (and rule); its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if rule is not None:
        assert body.get("rule") == rule, body
    return body


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


# calls ------------------------------------------------------------------------------------
def make_call(
    client: httpx.Client,
    *,
    stage: str = "establishment",
    max_award_sek: int = 300_000_000,
    areas: list[str] | None = None,
    until: str = "closed",
) -> dict[str, Any]:
    """A call registered after the fact, walked through its lifecycle up to `until`."""
    body = {
        "stage": stage,
        "title": {"sv": "Excellenskluster", "en": "Excellence clusters"},
        "summary": {"sv": "Sammanfattning", "en": "Summary"},
        "technology_areas": areas or ["ai"],
        "trl_min": 1,
        "trl_max": 4,
        "budget_sek": max(max_award_sek * 4, 1),
        "max_award_sek": max_award_sek,
        "opens_at": PAST_OPEN,
        "closes_at": PAST_CLOSE,
        "requires_ssh": stage == "establishment",
        "requires_multiple_heis": stage == "establishment",
        "requires_graduate_school": False,
    }
    call: dict[str, Any] = ok(client.post("/v1/calls", json=body), 201)
    for step in ("ready", "publish", "close", "decide"):
        if call["status"] == until:
            break
        call = ok(client.post(f"/v1/calls/{call['id']}/{step}"))
    assert call["status"] == until, call
    return call


# clusters ---------------------------------------------------------------------------------
def cluster_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Cluster for trustworthy AI",
        "lead_hei": {"name": "KTH", "org_number": "202100-3054", "ror": "026vcq606"},
        "participating_heis": [{"name": "Uppsala universitet", "org_number": "202100-2932"}],
        "technology_area": "ai",
        "international_partners": [
            {"organisation": "TU München", "country": "DE", "security_review": "cleared"}
        ],
        "graduate_school": {
            "name": "AI graduate school",
            "type": "ai",
            "doctoral_students": 12,
            "mobility_placements": {"hei_hei": 3, "hei_industry": 2},
        },
    }
    body.update(overrides)
    return body


def make_cluster(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    cluster: dict[str, Any] = ok(client.post("/v1/clusters", json=cluster_body(**overrides)), 201)
    return cluster


# grants -----------------------------------------------------------------------------------
def registration_number(year: int = 2025) -> str:
    return f"{year}-{next(_numbers):05d}"


def plan(*years: int, amount: int = 40_000_000, ssh: int | None = None) -> list[dict[str, int]]:
    """The same amount every year; the SSH part is 5 % unless given."""
    ssh_part = amount // 20 if ssh is None else ssh
    return [{"year": y, "amount_sek": amount, "ssh_amount_sek": ssh_part} for y in years]


def grant_body(call: dict[str, Any], cluster: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "call_id": call["id"],
        "cluster_id": cluster["id"],
        "registration_number": registration_number(),
        "yearly_plan": plan(2026, 2027),
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
    }
    body.update(overrides)
    return body


def make_grant(
    client: httpx.Client,
    call: dict[str, Any] | None = None,
    cluster: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    call = call or make_call(client)
    cluster = cluster or make_cluster(client)
    grant: dict[str, Any] = ok(
        client.post("/v1/grants", json=grant_body(call, cluster, **overrides)), 201
    )
    return grant


def entry(
    client: httpx.Client,
    grant_id: str,
    kind: str,
    amount: int,
    *,
    year: int = 2026,
    reverses: int | None = None,
    idempotency_key: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {
        "kind": kind,
        "year": year,
        "amount_sek": amount,
        "booked_on": f"{year}-03-01",
    }
    if reverses is not None:
        body["reverses"] = reverses
    headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
    return client.post(f"/v1/grants/{grant_id}/ledger", json=body, headers=headers)


def ledger(client: httpx.Client, grant_id: str, **params: Any) -> dict[str, Any]:
    page: dict[str, Any] = ok(client.get(f"/v1/grants/{grant_id}/ledger", params=params))
    return page


def balance(client: httpx.Client, grant_id: str, year: int = 2026) -> dict[str, Any]:
    page = ledger(client, grant_id)
    found: dict[str, Any] = next(b for b in page["balances"] if b["year"] == year)
    return found


# service-to-service -------------------------------------------------------------------------
def service_client(stack: Stack, service: str = "reporting") -> httpx.Client:
    """A client that talks to the grants service directly, as another service does."""
    creds = stack.credentials[f"service:{service}"]
    response = httpx.post(
        f"{stack.gateway_url}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            **creds.as_dict(),
            "resource": "urn:programme-office:grants",
        },
    )
    response.raise_for_status()
    token = response.json()["access_token"]
    return httpx.Client(
        base_url=stack.urls["grants"], headers={"authorization": f"Bearer {token}"}, timeout=30
    )


def appropriate(client: httpx.Client, agency: str, year: int, amount: int) -> dict[str, Any]:
    """Set an agency's appropriation for a year (created or replaced)."""
    response = client.put(
        f"/v1/appropriations/{agency}/{year}", json={"code": "UO24 1:5", "amount_sek": amount}
    )
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body
