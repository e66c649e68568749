"""Creating, reading, listing and editing calls: fields, validation, ETags."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.calls.factories import (
    call_body,
    create_call,
    etag_of,
    patch,
    published_call,
    ready_call,
)


def test_create_answers_201_with_location_etag_and_every_field(vr: httpx.Client) -> None:
    response = vr.post("/v1/calls", json=call_body())
    assert response.status_code == 201, response.text
    call = response.json()
    assert response.headers["location"] == f"/v1/calls/{call['id']}"
    assert response.headers["etag"]
    assert call["agency"] == "vr"
    assert call["strand"] == "open"
    assert call["status"] == "draft"
    assert call["coordination_id"] is None
    assert call["title"] == call_body()["title"]
    assert call["technology_areas"] == ["quantum"]
    assert call["budget_sek"] == 500_000_000
    assert call["url"] == "https://www.vr.se/utlysningar/excellenskluster"
    for name in ("created_at", "updated_at"):
        assert call[name].endswith("Z")
    again = vr.get(response.headers["location"])
    assert again.status_code == 200
    assert again.json() == call
    assert again.headers["etag"] == response.headers["etag"]


def test_vinnova_calls_are_strategic(vinnova: httpx.Client) -> None:
    assert create_call(vinnova, technology_areas=["ai"])["strand"] == "strategic"


def test_a_draft_needs_only_stage_and_a_title(vr: httpx.Client) -> None:
    response = vr.post("/v1/calls", json={"stage": "planning", "title": {"sv": "Planering"}})
    assert response.status_code == 201, response.text
    call = response.json()
    assert call["title"] == {"sv": "Planering", "en": None}
    assert call["technology_areas"] == []
    assert call["requires_ssh"] is False


def test_other_area_with_its_label(vr: httpx.Client) -> None:
    call = create_call(
        vr, technology_areas=["other", "ai"], other_technology_area="Marine technology"
    )
    assert call["technology_areas"] == ["other", "ai"]
    assert call["other_technology_area"] == "Marine technology"


def test_times_keep_the_instant_whatever_the_zone(vr: httpx.Client) -> None:
    call = create_call(
        vr,
        opens_at="2026-03-02T09:00:00+01:00",
        closes_at="2026-04-15T14:00:00+02:00",
        decision_at="2026-06-15T12:00:00Z",
    )
    assert call["opens_at"] == "2026-03-02T08:00:00Z"
    assert call["closes_at"] == "2026-04-15T12:00:00Z"


# (body overrides, agency client, the fields the problem must name, the rule if any)
INVALID: list[tuple[str, dict[str, Any], str, set[str], str | None]] = [
    ("float money", {"budget_sek": 1.5}, "vr", {"budget_sek"}, None),
    ("whole float money", {"budget_sek": 500000000.0}, "vr", {"budget_sek"}, None),
    ("money as text", {"max_award_sek": "5000000"}, "vr", {"max_award_sek"}, None),
    ("negative money", {"max_award_sek": -1}, "vr", {"max_award_sek"}, None),
    (
        "award above budget",
        {"budget_sek": 10_000_000, "max_award_sek": 20_000_000},
        "vr",
        {"budget_sek", "max_award_sek"},
        None,
    ),
    ("TRL below 1", {"trl_min": 0}, "vr", {"trl_min"}, None),
    ("TRL above 9", {"trl_max": 10}, "vr", {"trl_max"}, None),
    ("TRL as float", {"trl_min": 2.0}, "vr", {"trl_min"}, None),
    ("TRL range inverted", {"trl_min": 7, "trl_max": 3}, "vr", {"trl_min", "trl_max"}, "R10"),
    ("naive datetime", {"opens_at": "2026-03-01T09:00:00"}, "vr", {"opens_at"}, None),
    ("date without time", {"closes_at": "2026-03-01"}, "vr", {"closes_at"}, None),
    (
        "closes before it opens",
        {"opens_at": "2026-03-01T09:00:00Z", "closes_at": "2026-03-01T09:00:00Z"},
        "vr",
        {"opens_at", "closes_at"},
        None,
    ),
    (
        "decided before it closes",
        {
            "opens_at": "2026-03-01T09:00:00Z",
            "closes_at": "2026-04-01T09:00:00Z",
            "decision_at": "2026-03-31T09:00:00Z",
        },
        "vr",
        {"closes_at", "decision_at"},
        None,
    ),
    ("unknown area", {"technology_areas": ["nanotech"]}, "vr", {"technology_areas"}, None),
    ("area twice", {"technology_areas": ["ai", "ai"]}, "vr", {"technology_areas"}, None),
    (
        "Vinnova outside its six",
        {"technology_areas": ["space"]},
        "vinnova",
        {"technology_areas"},
        "R14",
    ),
    (
        "Vinnova and other",
        {"technology_areas": ["other"], "other_technology_area": "Marine"},
        "vinnova",
        {"technology_areas"},
        "R14",
    ),
    ("other without label", {"technology_areas": ["other"]}, "vr", {"other_technology_area"}, None),
    (
        "label without other",
        {"other_technology_area": "Marine"},
        "vr",
        {"other_technology_area"},
        None,
    ),
    ("unknown stage", {"stage": "stage2"}, "vr", {"stage"}, None),
    ("title in neither language", {"title": {}}, "vr", {"body"}, None),
    ("title in a third language", {"title": {"de": "Aufruf"}}, "vr", {"title"}, None),
    ("blank title", {"title": {"sv": "  "}}, "vr", {"title"}, None),
    ("agency is not the client's to set", {"agency": "vinnova"}, "vr", {"agency"}, None),
    ("status is not the client's to set", {"status": "published"}, "vr", {"status"}, None),
    ("flag as number", {"requires_ssh": 1}, "vr", {"requires_ssh"}, None),
    ("flag as text", {"requires_ssh": "yes"}, "vr", {"requires_ssh"}, None),
    ("url that is not one", {"url": "vr.se calls"}, "vr", {"url"}, None),
]


@pytest.mark.parametrize(
    ("overrides", "agency", "fields", "rule"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_call_is_refused_with_the_fields_named_and_nothing_stored(
    request: pytest.FixtureRequest,
    office: httpx.Client,
    overrides: dict[str, Any],
    agency: str,
    fields: set[str],
    rule: str | None,
) -> None:
    client: httpx.Client = request.getfixturevalue(agency)
    body = call_body(**overrides)
    if agency == "vinnova" and "technology_areas" not in overrides:
        body["technology_areas"] = ["ai"]
    response = client.post("/v1/calls", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    named = {part for error in problem["errors"] for part in error["loc"]}
    assert fields <= named, problem
    assert problem.get("rule") == rule, problem
    assert office.get("/v1/calls").json()["items"] == []


def test_a_refusal_names_every_problem_at_once(vr: httpx.Client) -> None:
    response = vr.post(
        "/v1/calls",
        json=call_body(
            trl_min=9,
            trl_max=1,
            budget_sek=1,
            max_award_sek=2,
            opens_at="2026-05-01T00:00:00Z",
            closes_at="2026-04-01T00:00:00Z",
        ),
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["rule"] == "R10"
    named = {error["loc"][-1] for error in problem["errors"]}
    assert {"trl_min", "max_award_sek", "opens_at"} <= named


# ---------------------------------------------------------------------------------- edits


def test_patch_needs_if_match(vr: httpx.Client) -> None:
    call = create_call(vr)
    response = vr.patch(f"/v1/calls/{call['id']}", json={"trl_max": 5})
    assert response.status_code == 428
    assert response.headers["content-type"] == "application/problem+json"
    assert vr.get(f"/v1/calls/{call['id']}").json()["trl_max"] == 4


def test_patch_with_a_stale_etag_is_412_and_changes_nothing(vr: httpx.Client) -> None:
    call = create_call(vr)
    old = etag_of(vr, call["id"])
    assert patch(vr, call["id"], {"trl_max": 5}).status_code == 200
    response = vr.patch(f"/v1/calls/{call['id']}", json={"trl_max": 6}, headers={"If-Match": old})
    assert response.status_code == 412
    assert vr.get(f"/v1/calls/{call['id']}").json()["trl_max"] == 5


def test_patch_changes_only_what_is_sent_and_moves_the_etag(vr: httpx.Client) -> None:
    call = create_call(vr)
    before = etag_of(vr, call["id"])
    response = vr.patch(
        f"/v1/calls/{call['id']}",
        json={"title": {"en": "Excellence clusters in quantum technology"}, "trl_max": 6},
        headers={"If-Match": before},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["title"] == {
        "sv": call["title"]["sv"],
        "en": "Excellence clusters in quantum technology",
    }
    assert changed["trl_max"] == 6
    assert changed["budget_sek"] == call["budget_sek"]
    assert response.headers["etag"] != before
    assert response.headers["etag"] == etag_of(vr, call["id"])
    assert changed["updated_at"] >= call["updated_at"]


def test_patch_accepts_merge_patch_media_type_and_if_match_star(vr: httpx.Client) -> None:
    call = create_call(vr)
    response = vr.patch(
        f"/v1/calls/{call['id']}",
        content=b'{"url": null}',
        headers={"If-Match": "*", "Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["url"] is None


def test_patch_is_checked_against_the_stored_values(vr: httpx.Client) -> None:
    call = create_call(vr)
    response = patch(vr, call["id"], {"decision_at": call["opens_at"]})
    assert response.status_code == 422
    assert {"closes_at", "decision_at"} <= {e["loc"][-1] for e in response.json()["errors"]}
    response = patch(vr, call["id"], {"trl_min": 5})
    assert response.status_code == 422
    assert response.json()["rule"] == "R10"
    assert vr.get(f"/v1/calls/{call['id']}").json() == call


def test_patch_keeps_vinnova_in_its_areas(vinnova: httpx.Client) -> None:
    call = create_call(vinnova, technology_areas=["ai"])
    response = patch(vinnova, call["id"], {"technology_areas": ["ai", "computing"]})
    assert response.status_code == 422
    assert response.json()["rule"] == "R14"
    assert patch(vinnova, call["id"], {"technology_areas": ["energy"]}).status_code == 200


@pytest.mark.parametrize("field", ["stage", "title", "requires_ssh", "technology_areas"])
def test_patch_cannot_null_a_required_field(vr: httpx.Client, field: str) -> None:
    call = create_call(vr)
    response = patch(vr, call["id"], {field: None})
    assert response.status_code == 422


def test_patch_cannot_remove_the_last_title_language(vr: httpx.Client) -> None:
    call = create_call(vr, title={"sv": "Bara svenska"})
    response = patch(vr, call["id"], {"title": {"sv": None}})
    assert response.status_code == 422
    assert "title" in {e["loc"][-1] for e in response.json()["errors"]}


def test_a_ready_call_stays_complete(vr: httpx.Client) -> None:
    call = ready_call(vr)
    response = patch(vr, call["id"], {"summary": {"en": None}})
    assert response.status_code == 422
    assert response.json()["missing"] == ["summary.en"]
    response = patch(vr, call["id"], {"budget_sek": 600_000_000})
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_a_published_call_cannot_be_edited(vr: httpx.Client) -> None:
    call = published_call(vr)
    response = patch(vr, call["id"], {"trl_max": 5})
    assert response.status_code == 409
    assert response.json()["call_status"] == "published"


def test_an_empty_patch_changes_nothing(vr: httpx.Client) -> None:
    call = create_call(vr)
    etag = etag_of(vr, call["id"])
    response = vr.patch(f"/v1/calls/{call['id']}", json={}, headers={"If-Match": etag})
    assert response.status_code == 200
    assert response.headers["etag"] == etag


# ---------------------------------------------------------------------------------- lists


def test_list_filters(vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client) -> None:
    draft = create_call(vr, stage="planning", technology_areas=["space"])
    ready = ready_call(vr, technology_areas=["ai", "quantum"])
    strategic = published_call(vinnova, technology_areas=["ai"], opens_in=timedelta(days=40))

    def ids(client: httpx.Client, **params: Any) -> set[str]:
        response = client.get("/v1/calls", params=params)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert ids(office) == {draft["id"], ready["id"], strategic["id"]}
    assert ids(office, status="ready") == {ready["id"]}
    assert ids(office, status=["draft", "published"]) == {draft["id"], strategic["id"]}
    assert ids(office, agency="vinnova") == {strategic["id"]}
    assert ids(office, stage="planning") == {draft["id"]}
    assert ids(office, technology_area="ai") == {ready["id"], strategic["id"]}
    assert ids(office, technology_area=["space", "quantum"]) == {draft["id"], ready["id"]}
    assert ids(office, closes_after=ready["closes_at"]) == {strategic["id"]}
    assert ids(office, closes_before=strategic["closes_at"]) == {draft["id"], ready["id"]}
    assert ids(vr, agency="vinnova") == set()


def test_list_pages_with_cursor_and_link(vr: httpx.Client) -> None:
    created = [create_call(vr)["id"] for _ in range(5)]
    seen: list[str] = []
    response = vr.get("/v1/calls", params={"limit": 2})
    while True:
        assert response.status_code == 200
        page = response.json()
        seen += [item["id"] for item in page["items"]]
        if not page["next_cursor"]:
            assert "link" not in response.headers
            break
        assert response.headers["link"].endswith('rel="next"')
        link = response.headers["link"].split(";")[0].strip("<>")
        response = vr.get(link)
    assert sorted(seen) == sorted(created)
    assert len(seen) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": "WyJ4IiwieSJd"},  # ["x","y"]: the right size, not a time
        {"limit": 0},
        {"limit": 201},
        {"status": "open"},
        {"closes_after": "2026-01-01T00:00:00"},
        {"colour": "blue"},
    ],
)
def test_list_refuses_bad_queries(vr: httpx.Client, params: dict[str, Any]) -> None:
    response = vr.get("/v1/calls", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_call_is_404_problem(vr: httpx.Client) -> None:
    response = vr.get("/v1/calls/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/call-not-found"


def test_concurrent_edits_with_one_etag_let_exactly_one_through(vr: httpx.Client) -> None:
    call = create_call(vr)
    etag = etag_of(vr, call["id"])

    def edit(trl_max: int) -> int:
        response = vr.patch(
            f"/v1/calls/{call['id']}", json={"trl_max": trl_max}, headers={"If-Match": etag}
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = sorted(pool.map(edit, range(5, 10)))
    assert statuses.count(200) == 1, statuses
    # 412 when the edit read the new version, 409 when both read the old one and the
    # second write found the version moved on.
    assert set(statuses) - {200} <= {409, 412}, statuses
    assert vr.get(f"/v1/calls/{call['id']}").json()["version"] == 2
