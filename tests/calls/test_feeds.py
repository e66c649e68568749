"""The iCalendar and Atom feeds, read back by real parsers."""

from __future__ import annotations

from datetime import datetime, timedelta

import feedparser  # type: ignore[import-untyped]  # ships no types
import httpx
import icalendar

from tests.calls.factories import create_call, past_call, published_call, step


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_calendar_has_the_opening_and_the_deadline_of_each_public_call(
    vr: httpx.Client, vinnova: httpx.Client, anonymous: httpx.Client
) -> None:
    upcoming = published_call(vr)
    closed = past_call(vinnova, technology_areas=["ai"])
    create_call(vr)
    step(vr, published_call(vr)["id"], "cancel")
    response = anonymous.get("/v1/public/calls.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"].startswith("public")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"])
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        f"{call['id']}-{kind}@programme-office"
        for call in (upcoming, closed)
        for kind in ("opens", "closes")
    }
    opening = events[f"{upcoming['id']}-opens@programme-office"]
    deadline = events[f"{upcoming['id']}-closes@programme-office"]
    assert opening.decoded("dtstart") == _instant(upcoming["opens_at"])
    assert deadline.decoded("dtstart") == _instant(upcoming["closes_at"])
    assert str(deadline["summary"]) == f"Deadline: {upcoming['title']['en']}"
    assert str(opening["url"]) == upcoming["url"]
    assert opening.decoded("dtstamp").tzinfo is not None

    swedish = icalendar.Calendar.from_ical(
        anonymous.get("/v1/public/calls.ics", params={"lang": "sv", "agency": "vinnova"}).content
    )
    summaries = {str(event["summary"]) for event in swedish.walk("VEVENT")}
    assert summaries == {
        f"Öppnar: {closed['title']['sv']}",
        f"Sista dag: {closed['title']['sv']}",
    }


def test_atom_feed_lists_public_calls_newest_first(
    vr: httpx.Client, vinnova: httpx.Client, anonymous: httpx.Client
) -> None:
    first = published_call(vr)
    second = published_call(vinnova, technology_areas=["ai", "energy"])
    create_call(vr)
    response = anonymous.get("/v1/public/calls.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")

    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title
    assert any(link.rel == "self" for link in feed.feed.links)
    assert [entry.id for entry in feed.entries] == [
        f"urn:uuid:{second['id']}",
        f"urn:uuid:{first['id']}",
    ]
    entry = feed.entries[0]
    assert entry.title == second["title"]["en"]
    assert entry.summary == second["summary"]["en"]
    assert entry.author == "Vinnova"
    assert {tag.term for tag in entry.tags} == {"ai", "energy"}
    assert any(link.href.endswith(f"/v1/public/calls/{second['id']}") for link in entry.links)
    assert (
        datetime(*entry.published_parsed[:6]).isoformat()
        == _instant(second["published_at"]).replace(tzinfo=None, microsecond=0).isoformat()
    )


def test_empty_feeds_are_still_valid(anonymous: httpx.Client) -> None:
    feed = feedparser.parse(anonymous.get("/v1/public/calls.atom").content)
    assert not feed.bozo
    assert feed.entries == []
    calendar = icalendar.Calendar.from_ical(anonymous.get("/v1/public/calls.ics").content)
    assert list(calendar.walk("VEVENT")) == []


def test_feeds_answer_if_none_match(vr: httpx.Client, anonymous: httpx.Client) -> None:
    published_call(vr, opens_in=timedelta(days=2))
    for path in ("/v1/public/calls.ics", "/v1/public/calls.atom"):
        first = anonymous.get(path)
        again = anonymous.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path
        assert again.headers["cache-control"] == first.headers["cache-control"]
    etags = {
        anonymous.get(p).headers["etag"]
        for p in ("/v1/public/calls", "/v1/public/calls.ics", "/v1/public/calls.atom")
    }
    assert len(etags) == 3
