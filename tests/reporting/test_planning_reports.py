"""Planning grants' final reports (R12) through the gateway, checked against the grants
service's own record of each grant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.reporting.scenario import MSEK, call, cluster, grant, ok, planning_call, problem

ALL_PARTS = ["field_analysis", "collaboration_strategy", "societal_impact", "security_implications"]
COMPLETE = {
    "field_analysis": "Analys av forskningsfältet.",
    "collaboration_strategy": "Strategi för samverkan.",
    "societal_impact": {
        "assessment": "Långsiktig påverkan.",
        "security_implications": "Säkerhetsaspekter.",
    },
}


def planning_grant(client: httpx.Client, agency: str, name: str) -> dict[str, Any]:
    cap = 1_200_000 if agency == "vr" else 1_500_000
    k = cluster(client, name, area="biotechnology")
    return grant(client, planning_call(client, cap, areas=("biotechnology",)), k, {2025: (cap, 0)})


def put(
    client: httpx.Client, grant_id: str, body: dict[str, Any], **headers: str
) -> httpx.Response:
    return client.put(f"/v1/reports/planning/{grant_id}", json=body, headers=headers)


def listing(office: httpx.Client) -> dict[str, dict[str, Any]]:
    return {item["grant_id"]: item for item in ok(office.get("/v1/reports/planning"))["items"]}


def test_an_agency_writes_its_report_in_revisions_and_the_office_follows_it(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    g_vr = planning_grant(vr, "vr", "Spatial omik")
    g_vin = planning_grant(vinnova, "vinnova", "Molekylär precisionsmedicin")

    before = listing(office)
    assert set(before) == {g_vr["id"], g_vin["id"]}
    assert before[g_vin["id"]] | {"grant_id": None} == {
        "grant_id": None,
        "agency": "vinnova",
        "registration_number": g_vin["registration_number"],
        "cluster_name": "Molekylär precisionsmedicin",
        "due_on": "2026-03-31",
        "submitted": False,
        "submitted_at": None,
        "updated_at": None,
        "revision": None,
        "complete": False,
        "missing_parts": ALL_PARTS,
        "overdue": True,
    }

    response = put(vr, g_vr["id"], {"field_analysis": "Analys."})
    first = ok(response, 201)
    assert response.headers["location"] == f"/v1/reports/planning/{g_vr['id']}"
    assert response.headers["etag"] == f'"{g_vr["id"]}.1"'
    assert first["missing_parts"] == ALL_PARTS[1:]
    assert first["societal_impact"] == {"assessment": None, "security_implications": None}
    assert (first["submitted"], first["complete"], first["overdue"]) == (True, False, True)

    response = put(vr, g_vr["id"], COMPLETE, **{"If-Match": response.headers["etag"]})
    second = ok(response)
    assert response.headers["etag"] == f'"{g_vr["id"]}.2"'
    assert (second["revision"], second["complete"], second["overdue"]) == (2, True, False)
    assert second["submitted_at"] == first["submitted_at"]
    assert second["societal_impact"] == COMPLETE["societal_impact"]

    # the same report again is no new revision
    assert ok(put(vr, g_vr["id"], COMPLETE))["revision"] == 2

    after = listing(office)
    assert (after[g_vr["id"]]["complete"], after[g_vr["id"]]["missing_parts"]) == (True, [])
    assert after[g_vin["id"]]["submitted"] is False
    assert ok(office.get(f"/v1/reports/planning/{g_vr['id']}")) == ok(
        vr.get(f"/v1/reports/planning/{g_vr['id']}")
    )


def test_a_stale_if_match_is_412_and_nothing_changes(vr: httpx.Client) -> None:
    g = planning_grant(vr, "vr", "RNA-terapier")
    etag = put(vr, g["id"], {"field_analysis": "Analys."}).headers["etag"]
    ok(put(vr, g["id"], {"field_analysis": "Ny analys."}))
    problem(put(vr, g["id"], COMPLETE, **{"If-Match": etag}), 412)
    current = ok(vr.get(f"/v1/reports/planning/{g['id']}"))
    assert (current["revision"], current["field_analysis"]) == (2, "Ny analys.")
    fresh = planning_grant(vr, "vr", "Vaccinutveckling")
    problem(put(vr, fresh["id"], COMPLETE, **{"If-Match": '"x.1"'}), 412)
    problem(vr.get(f"/v1/reports/planning/{fresh['id']}"), 404)


def test_only_the_grants_agency_may_write_and_only_for_a_planning_grant(
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    government: httpx.Client,
    anonymous: httpx.Client,
) -> None:
    g = planning_grant(vr, "vr", "AI-guidade modellsystem")
    problem(put(vinnova, g["id"], COMPLETE), 404)
    problem(put(vr, "no-such-grant", COMPLETE), 404)
    problem(put(office, g["id"], COMPLETE), 403)
    problem(put(government, g["id"], COMPLETE), 403)
    problem(put(anonymous, g["id"], COMPLETE), 401)

    establishment = grant(vr, call(vr), cluster(vr, "AI Kista"), {2026: (40 * MSEK, 1 * MSEK)})
    refused = problem(put(vr, establishment["id"], COMPLETE), 409, rule="R12")
    assert refused["stage"] == "establishment"
    problem(vr.get(f"/v1/reports/planning/{establishment['id']}"), 404)

    ok(put(vr, g["id"], COMPLETE), 201)
    problem(vinnova.get(f"/v1/reports/planning/{g['id']}"), 404)
    problem(government.get(f"/v1/reports/planning/{g['id']}"), 403)
    problem(anonymous.get(f"/v1/reports/planning/{g['id']}"), 401)
    for client in (vr, vinnova, government):
        problem(client.get("/v1/reports/planning"), 403)
    problem(anonymous.get("/v1/reports/planning"), 401)


def test_bad_parts_are_refused_and_nothing_is_stored(vr: httpx.Client) -> None:
    g = planning_grant(vr, "vr", "Banbrytande molekylär teknik")
    for body in (
        {"field_analysis": "   "},
        {"field_analysis": 5},
        {"field_analysis": "Analys.", "summary": "okänt fält"},
        {"societal_impact": {"assessment": "x", "security": "okänt fält"}},
        {"field_analysis": "x" * 100_001},
    ):
        problem(put(vr, g["id"], body), 422)
    problem(vr.get(f"/v1/reports/planning/{g['id']}"), 404)
    problem(vr.put("/v1/reports/planning/bad%20id", json=COMPLETE), 422)


def test_overdue_follows_31_march_2026_in_sweden(
    vr: httpx.Client, office: httpx.Client, reporting_clock: Callable[[datetime], None]
) -> None:
    g = planning_grant(vr, "vr", "Kvantsensorer")
    ok(put(vr, g["id"], {"field_analysis": "Analys."}), 201)
    reporting_clock(datetime(2026, 3, 31, 21, 59, tzinfo=UTC))  # 23:59 CEST
    assert listing(office)[g["id"]]["overdue"] is False
    assert ok(vr.get(f"/v1/reports/planning/{g['id']}"))["overdue"] is False
    reporting_clock(datetime(2026, 3, 31, 22, 0, tzinfo=UTC))
    assert listing(office)[g["id"]]["overdue"] is True


def test_the_list_pages_by_grant_id(vr: httpx.Client, office: httpx.Client) -> None:
    made = sorted(planning_grant(vr, "vr", f"Projekt {n}")["id"] for n in range(3))
    first = ok(office.get("/v1/reports/planning", params={"limit": 2}))
    assert [i["grant_id"] for i in first["items"]] == made[:2]
    second = ok(
        office.get("/v1/reports/planning", params={"limit": 2, "cursor": first["next_cursor"]})
    )
    assert [i["grant_id"] for i in second["items"]] == made[2:]
    assert second["next_cursor"] is None


def test_a_report_read_as_of_an_earlier_instant_ignores_later_revisions(
    vr: httpx.Client, office: httpx.Client
) -> None:
    g = planning_grant(vr, "vr", "Generativ vaccinutveckling")
    ok(put(vr, g["id"], {"field_analysis": "Analys."}), 201)
    first = ok(office.post("/v1/reports/annual/2026"), 201)
    ok(put(vr, g["id"], COMPLETE))
    again = ok(office.post("/v1/reports/annual/2026", json={"as_of": first["as_of"]}), 201)
    assert again["checksum"] == first["checksum"]
    line = again["report"]["planning"]["reports"][0]
    assert line["missing_parts"] == ALL_PARTS[1:]
    now = ok(office.post("/v1/reports/annual/2026"), 201)
    assert now["report"]["planning"]["reports"][0]["complete"] is True
