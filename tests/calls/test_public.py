"""Public open-call data: what is public, phase, filters, facets, pages, conditional GET."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.calls.conftest import Clock
from tests.calls.factories import (
    create_call,
    past_call,
    published_call,
    ready_call,
    step,
)


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_only_published_calls_are_public(
    vr: httpx.Client, vinnova: httpx.Client, anonymous: httpx.Client
) -> None:
    draft = create_call(vr)
    ready = ready_call(vinnova, technology_areas=["ai"])
    published = published_call(vr)
    closed = past_call(vinnova, technology_areas=["ai"])
    decided = past_call(vr, status="decided")
    cancelled = step(vr, published_call(vr)["id"], "cancel")
    listed = _ids(anonymous.get("/v1/public/calls"))
    assert set(listed) == {published["id"], closed["id"], decided["id"]}
    for call in (draft, ready, cancelled):
        response = anonymous.get(f"/v1/public/calls/{call['id']}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
    one = anonymous.get(f"/v1/public/calls/{published['id']}")
    assert one.status_code == 200
    body = one.json()
    assert body["title"] == published["title"]
    assert body["phase"] == "upcoming"
    assert body["withdrawn"] is False
    assert "version" not in body
    assert "search_text" not in body


def test_everyone_reads_the_same_public_data(
    request: pytest.FixtureRequest, vr: httpx.Client
) -> None:
    published_call(vr)
    answers = [
        request.getfixturevalue(name).get("/v1/public/calls").json()
        for name in ("anonymous", "vr", "vinnova", "office", "government")
    ]
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["total"] == 1


def test_phase_follows_the_dates(vr: httpx.Client, anonymous: httpx.Client, clock: Clock) -> None:
    call = published_call(vr, opens_in=timedelta(days=1))
    path = f"/v1/public/calls/{call['id']}"
    assert anonymous.get(path).json()["phase"] == "upcoming"
    clock.advance(timedelta(days=1, seconds=1))
    assert anonymous.get(path).json()["phase"] == "open"
    assert _ids(anonymous.get("/v1/public/calls", params={"phase": "open"})) == [call["id"]]
    assert _ids(anonymous.get("/v1/public/calls", params={"phase": "upcoming"})) == []
    clock.advance(timedelta(days=30))
    assert anonymous.get(path).json()["phase"] == "closed"
    assert _ids(anonymous.get("/v1/public/calls", params={"phase": "closed"})) == [call["id"]]


def test_filters(vr: httpx.Client, vinnova: httpx.Client, anonymous: httpx.Client) -> None:
    quantum = published_call(vr, stage="planning", technology_areas=["quantum", "computing"])
    ai = published_call(
        vinnova,
        technology_areas=["ai"],
        title={"sv": "Autonoma system för industrin", "en": "Autonomous systems for industry"},
        summary={"sv": "Säkerhet och öppenhet.", "en": "Security and openness."},
    )
    closed = past_call(vr, stage="graduate_school", technology_areas=["space"])

    def ids(**params: Any) -> set[str]:
        return set(_ids(anonymous.get("/v1/public/calls", params=params)))

    assert ids(agency="vinnova") == {ai["id"]}
    assert ids(agency=["vr", "vinnova"]) == {quantum["id"], ai["id"], closed["id"]}
    assert ids(technology_area="computing") == {quantum["id"]}
    assert ids(technology_area=["space", "ai"]) == {ai["id"], closed["id"]}
    assert ids(stage="graduate_school") == {closed["id"]}
    assert ids(phase="closed") == {closed["id"]}
    assert ids(phase=["upcoming", "closed"]) == {quantum["id"], ai["id"], closed["id"]}
    assert ids(q="autonomous") == {ai["id"]}
    assert ids(q="AUTONOMA industrin") == {ai["id"]}
    assert ids(q="SÄKERHET") == {ai["id"]}
    assert ids(q="kvantteknik") == {quantum["id"], closed["id"]}
    assert ids(q="autonomous quantum") == set()
    assert ids(q="100%") == set()
    assert ids(agency="vr", stage="planning", technology_area="quantum") == {quantum["id"]}


@pytest.mark.parametrize(
    "params",
    [
        {"phase": "running"},
        {"agency": "formas"},
        {"stage": "stage2"},
        {"sort": "title"},
        {"limit": 0},
        {"limit": 201},
        {"updated_since": "2026-01-01T00:00:00"},
        {"cursor": "garbage"},
        {"page": 2},
        {"q": "x" * 201},
    ],
)
def test_bad_queries_are_422(anonymous: httpx.Client, params: dict[str, Any]) -> None:
    response = anonymous.get("/v1/public/calls", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_facet_counts_cover_the_whole_result(
    vr: httpx.Client, vinnova: httpx.Client, anonymous: httpx.Client
) -> None:
    published_call(vr, technology_areas=["ai", "quantum"])
    published_call(vr, technology_areas=["quantum"])
    past_call(vinnova, technology_areas=["ai"])
    create_call(vinnova, technology_areas=["energy"])
    body = anonymous.get("/v1/public/calls", params={"limit": 1}).json()
    assert len(body["items"]) == 1
    assert body["total"] == 3
    assert body["facet_counts"] == {
        "agency": {"vinnova": 1, "vr": 2},
        "technology_area": {"ai": 2, "quantum": 2},
        "phase": {"closed": 1, "upcoming": 2},
    }
    filtered = anonymous.get("/v1/public/calls", params={"agency": "vr"}).json()
    assert filtered["facet_counts"]["agency"] == {"vr": 2}
    assert filtered["facet_counts"]["technology_area"] == {"ai": 1, "quantum": 2}


@pytest.mark.parametrize("sort", ["closes_at", "-closes_at", "updated_at", "-updated_at"])
def test_sorted_pages_with_cursor_and_link(
    vr: httpx.Client, anonymous: httpx.Client, sort: str
) -> None:
    # Three calls share a deadline, so the id breaks the tie.
    same = [published_call(vr, opens_in=timedelta(days=5))["closes_at"] for _ in range(3)]
    assert len(set(same)) <= 3
    for days in (20, 1, 12, 7):
        published_call(vr, opens_in=timedelta(days=days))
    field = sort.lstrip("-")
    seen: list[dict[str, Any]] = []
    response = anonymous.get("/v1/public/calls", params={"sort": sort, "limit": 2})
    pages = 0
    while True:
        pages += 1
        page = response.json()
        seen += page["items"]
        if page["next_cursor"] is None:
            assert "link" not in response.headers
            break
        link = response.headers["link"]
        assert link.endswith('; rel="next"')
        response = anonymous.get(link.split(";")[0].strip("<>"))
        assert response.status_code == 200
    assert pages == 4
    keys = [(item[field], item["id"]) for item in seen]
    assert keys == sorted(keys, reverse=sort.startswith("-"))
    assert len({item["id"] for item in seen}) == 7


def test_a_cursor_belongs_to_its_sort(vr: httpx.Client, anonymous: httpx.Client) -> None:
    for _ in range(3):
        published_call(vr)
    cursor = anonymous.get("/v1/public/calls", params={"limit": 1}).json()["next_cursor"]
    response = anonymous.get(
        "/v1/public/calls", params={"limit": 1, "cursor": cursor, "sort": "updated_at"}
    )
    assert response.status_code == 422


def test_pagination_never_skips_or_repeats_while_calls_are_added(
    vr: httpx.Client, vinnova: httpx.Client, anonymous: httpx.Client
) -> None:
    """Every call public before the walk is served exactly once, whatever is added meanwhile."""
    before = {published_call(vr, opens_in=timedelta(days=d % 9))["id"] for d in range(24)}
    stop = threading.Event()
    added: list[str] = []

    def publish_more() -> None:
        days = 0
        while not stop.is_set():
            days = (days + 4) % 9
            added.append(
                published_call(vinnova, technology_areas=["ai"], opens_in=timedelta(days=days))[
                    "id"
                ]
            )

    writer = threading.Thread(target=publish_more)
    writer.start()
    try:
        for sort in ("closes_at", "-updated_at"):
            served: list[str] = []
            params: dict[str, Any] = {"limit": 5, "sort": sort}
            while True:
                page = anonymous.get("/v1/public/calls", params=params).json()
                served += [item["id"] for item in page["items"]]
                if page["next_cursor"] is None:
                    break
                params["cursor"] = page["next_cursor"]
            assert len(served) == len(set(served)), "an item was served twice"
            assert before <= set(served), "an item was skipped"
    finally:
        stop.set()
        writer.join()
    assert added, "nothing was inserted during the walk"


def test_conditional_get_on_the_list(
    vr: httpx.Client, anonymous: httpx.Client, clock: Clock
) -> None:
    published_call(vr, opens_in=timedelta(days=1))
    first = anonymous.get("/v1/public/calls")
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = anonymous.get("/v1/public/calls", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == first.headers["cache-control"]
    assert (
        anonymous.get("/v1/public/calls", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    )

    # Another query is another representation.
    other = anonymous.get("/v1/public/calls", params={"limit": 5})
    assert other.headers["etag"] != etag

    # A draft changes nothing public; a publication does.
    create_call(vr)
    assert anonymous.get("/v1/public/calls", headers={"If-None-Match": etag}).status_code == 304
    published_call(vr, opens_in=timedelta(days=3))
    changed = anonymous.get("/v1/public/calls", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    etag = changed.headers["etag"]

    # So does the passing of time when a call opens (its phase changes).
    clock.advance(timedelta(days=1, seconds=1))
    moved = anonymous.get("/v1/public/calls", headers={"If-None-Match": etag})
    assert moved.status_code == 200
    assert moved.headers["etag"] != etag
    assert {item["phase"] for item in moved.json()["items"]} == {"open", "upcoming"}


def test_conditional_get_on_one_call(
    vr: httpx.Client, anonymous: httpx.Client, clock: Clock
) -> None:
    call = published_call(vr, opens_in=timedelta(days=1))
    path = f"/v1/public/calls/{call['id']}"
    first = anonymous.get(path)
    assert first.headers["cache-control"].startswith("public")
    assert anonymous.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    clock.advance(timedelta(days=2))
    assert anonymous.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 200


def test_a_withdrawn_call_stays_in_the_updated_since_feed(
    vr: httpx.Client, anonymous: httpx.Client
) -> None:
    kept = published_call(vr)
    gone = published_call(vr)
    synced = anonymous.get("/v1/public/calls", params={"sort": "updated_at"}).json()
    since = max(item["updated_at"] for item in synced["items"])
    step(vr, gone["id"], "cancel")
    assert _ids(anonymous.get("/v1/public/calls")) == [kept["id"]]
    assert anonymous.get(f"/v1/public/calls/{gone['id']}").status_code == 404
    feed = anonymous.get("/v1/public/calls", params={"updated_since": since}).json()
    withdrawn = [item for item in feed["items"] if item["id"] == gone["id"]]
    assert len(withdrawn) == 1
    assert withdrawn[0]["withdrawn"] is True
    assert withdrawn[0]["status"] == "cancelled"
    everything = anonymous.get(
        "/v1/public/calls", params={"updated_since": "2000-01-01T00:00:00Z"}
    ).json()
    assert {(item["id"], item["withdrawn"]) for item in everything["items"]} == {
        (kept["id"], False),
        (gone["id"], True),
    }


def test_a_call_cancelled_before_it_was_public_is_never_in_the_feed(
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    anonymous: httpx.Client,
    clock: Clock,
) -> None:
    calls = [ready_call(vr), ready_call(vinnova, technology_areas=["ai"])]
    publish_at = clock.now + timedelta(hours=1)
    created = office.post(
        "/v1/coordinations",
        json={
            "name": "x",
            "call_ids": [c["id"] for c in calls],
            "publish_at": publish_at.isoformat(),
        },
    ).json()
    office.post(f"/v1/coordinations/{created['id']}/publish").raise_for_status()
    step(vr, calls[0]["id"], "cancel")
    clock.advance(timedelta(hours=2))
    feed = anonymous.get("/v1/public/calls", params={"updated_since": "2000-01-01T00:00:00Z"})
    assert _ids(feed) == [calls[1]["id"]]


def test_technology_areas_are_public_reference_data(anonymous: httpx.Client) -> None:
    response = anonymous.get("/v1/technology-areas")
    assert response.status_code == 200
    assert response.headers["cache-control"].startswith("public")
    areas = {area["code"]: area for area in response.json()["items"]}
    assert list(areas) == [
        "ai",
        "quantum",
        "semiconductors",
        "computing",
        "connectivity",
        "energy",
        "materials",
        "biotechnology",
        "space",
        "other",
    ]
    assert areas["ai"]["name"] == {
        "sv": "AI och autonoma system",
        "en": "AI and autonomous systems",
    }
    strategic = {code for code, area in areas.items() if "strategic" in area["strands"]}
    assert strategic == {"ai", "semiconductors", "quantum", "energy", "materials", "biotechnology"}
    assert all("open" in area["strands"] for area in areas.values())
    etag = response.headers["etag"]
    assert anonymous.get("/v1/technology-areas", headers={"If-None-Match": etag}).status_code == 304
