"""Data for the end-to-end report tests, made through the gateway as the agencies would."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx

from kit.problems import PROBLEM_JSON

MSEK = 1_000_000
_numbers = itertools.count(1)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int, *, rule: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if rule is not None:
        assert body.get("rule") == rule, body
    return body


def call(
    client: httpx.Client,
    *,
    stage: str = "establishment",
    areas: tuple[str, ...] = ("ai",),
    trl: tuple[int, int] = (1, 4),
    budget_sek: int = 1000 * MSEK,
    max_award_sek: int = 300 * MSEK,
    opens_at: str = "2026-03-02T09:00:00+01:00",
    closes_at: str = "2026-05-04T14:00:00+02:00",
    until: str = "closed",
) -> dict[str, Any]:
    """A call registered after the fact (its dates have passed), walked up to `until`."""
    body = {
        "stage": stage,
        "title": {"sv": "Excellenskluster", "en": "Excellence clusters"},
        "summary": {"sv": "Sammanfattning", "en": "Summary"},
        "technology_areas": list(areas),
        "trl_min": trl[0],
        "trl_max": trl[1],
        "budget_sek": budget_sek,
        "max_award_sek": max_award_sek,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "requires_ssh": stage == "establishment",
        "requires_multiple_heis": stage == "establishment",
        "requires_graduate_school": False,
    }
    created: dict[str, Any] = ok(client.post("/v1/calls", json=body), 201)
    for step in ("ready", "publish", "close"):
        if created["status"] == until:
            break
        created = ok(client.post(f"/v1/calls/{created['id']}/{step}"))
    assert created["status"] == until, created
    return created


def planning_call(
    client: httpx.Client, max_award_sek: int, *, areas: tuple[str, ...] = ("ai",)
) -> dict[str, Any]:
    """A stage-1 planning call of autumn 2025 (R11)."""
    return call(
        client,
        stage="planning",
        areas=areas,
        max_award_sek=max_award_sek,
        budget_sek=40 * max_award_sek,
        opens_at="2025-09-01T09:00:00+02:00",
        closes_at="2025-10-01T14:00:00+02:00",
    )


def cluster(
    client: httpx.Client,
    name: str,
    *,
    area: str = "ai",
    lead: str = "KTH",
    others: tuple[str, ...] = ("Uppsala universitet",),
    partners: tuple[tuple[str, str, str], ...] = (),
    school: tuple[str, int, int, int] | None = None,
) -> dict[str, Any]:
    """`partners` are (organisation, country, review); `school` is (type, students,
    placements HEI-HEI, placements HEI-industry)."""
    body: dict[str, Any] = {
        "name": name,
        "lead_hei": {"name": lead},
        "participating_heis": [{"name": other} for other in others],
        "technology_area": area,
        "international_partners": [
            {"organisation": o, "country": c, "security_review": r} for o, c, r in partners
        ],
        "graduate_school": None
        if school is None
        else {
            "name": f"Forskarskola {name}",
            "type": school[0],
            "doctoral_students": school[1],
            "mobility_placements": {"hei_hei": school[2], "hei_industry": school[3]},
        },
    }
    created: dict[str, Any] = ok(client.post("/v1/clusters", json=body), 201)
    return created


def patch_cluster(client: httpx.Client, cluster_id: str, **changes: Any) -> dict[str, Any]:
    etag = client.get(f"/v1/clusters/{cluster_id}").headers["etag"]
    changed: dict[str, Any] = ok(
        client.patch(f"/v1/clusters/{cluster_id}", json=changes, headers={"If-Match": etag})
    )
    return changed


def grant(
    client: httpx.Client,
    call_: dict[str, Any],
    cluster_: dict[str, Any],
    plan: dict[int, tuple[int, int]],
) -> dict[str, Any]:
    """`plan` is year -> (amount, SSH part)."""
    years = sorted(plan)
    body = {
        "call_id": call_["id"],
        "cluster_id": cluster_["id"],
        "registration_number": f"{years[0]}-{next(_numbers):05d}",
        "yearly_plan": [
            {"year": y, "amount_sek": plan[y][0], "ssh_amount_sek": plan[y][1]} for y in years
        ],
        "starts_on": f"{years[0]}-01-01",
        "ends_on": f"{years[-1]}-12-31",
    }
    created: dict[str, Any] = ok(client.post("/v1/grants", json=body), 201)
    return created


def book(client: httpx.Client, grant_id: str, kind: str, amount: int, year: int) -> None:
    body = {"kind": kind, "year": year, "amount_sek": amount, "booked_on": f"{year}-06-01"}
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    ok(client.post(f"/v1/grants/{grant_id}/ledger", json=body, headers=headers), 201)


def appropriate(client: httpx.Client, agency: str, year: int, amount: int) -> None:
    response = client.put(
        f"/v1/appropriations/{agency}/{year}", json={"code": "UO24 1:5", "amount_sek": amount}
    )
    assert response.status_code in (200, 201), response.text


def build(office: httpx.Client, year: int, **body: Any) -> dict[str, Any]:
    built: dict[str, Any] = ok(office.post(f"/v1/reports/annual/{year}", json=body or None), 201)
    return built


def rules(report: dict[str, Any]) -> dict[str, str]:
    return {r["rule"]: r["status"] for r in report["report"]["rules"]}


def rule(report: dict[str, Any], number: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in report["report"]["rules"] if r["rule"] == number)
    return found
