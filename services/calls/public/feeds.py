"""The public calls as iCalendar (RFC 5545) and Atom (RFC 4287), built by their libraries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from services.calls.public.schemas import Language, PublicCall
from services.calls.schemas import LocalizedText

AGENCY_NAMES = {"vr": "Vetenskapsrådet", "vinnova": "Vinnova"}
PRODID = "-//Joint programme office VR and Vinnova//Excellence cluster calls//EN"
CAL_NAME = {
    "sv": "Utlysningar: excellenskluster för banbrytande teknik",
    "en": "Calls: excellence clusters for groundbreaking technology",
}
OPENS = {"sv": "Öppnar", "en": "Opens"}
CLOSES = {"sv": "Sista dag", "en": "Deadline"}


def _text(text: LocalizedText, language: Language) -> str:
    other = text.en if language == "sv" else text.sv
    return (getattr(text, language) or other or "").strip()


def calendar(calls: Sequence[PublicCall], *, language: Language, base_url: str) -> bytes:
    """Two events per call, its opening and its deadline, as instants in UTC."""
    import icalendar  # only when a calendar is asked for: it costs start-up time and memory

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CAL_NAME[language])
    for call in calls:
        title = _text(call.title, language)
        for kind, label, instant in (
            ("opens", OPENS[language], call.opens_at),
            ("closes", CLOSES[language], call.closes_at),
        ):
            event = icalendar.Event()
            event.add("uid", f"{call.id}-{kind}@programme-office")
            event.add("dtstamp", call.updated_at)
            event.add("last-modified", call.updated_at)
            event.add("dtstart", instant)
            event.add("summary", f"{label}: {title}")
            event.add("description", _text(call.summary, language))
            event.add("url", call.url or f"{base_url}/v1/public/calls/{call.id}")
            event.add("categories", [AGENCY_NAMES[call.agency], *call.technology_areas])
            event.add("transp", "TRANSPARENT")
            event.add("status", "CONFIRMED")
            cal.add_component(event)
    content: bytes = cal.to_ical()
    return content


def atom(
    calls: Sequence[PublicCall],
    *,
    language: Language,
    base_url: str,
    self_url: str,
    updated: datetime,
) -> bytes:
    """Newest publication first; the entry id stays the call's id for the call's lifetime."""
    # Only when a feed is asked for: feedgen brings lxml. It ships no type information.
    from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

    feed = FeedGenerator()
    feed.id(f"{base_url}/v1/public/calls.atom")
    feed.title(CAL_NAME[language])
    feed.author({"name": "Gemensamt programkontor (VR och Vinnova)"})
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=f"{base_url}/v1/public/calls", rel="alternate", type="application/json")
    feed.language(language)
    feed.updated(updated)
    for call in calls:
        entry = feed.add_entry(order="append")
        entry.id(f"urn:uuid:{call.id}")
        entry.title(_text(call.title, language))
        entry.summary(_text(call.summary, language) or None)
        entry.published(call.published_at)
        entry.updated(call.updated_at)
        entry.author({"name": AGENCY_NAMES[call.agency]})
        entry.link(
            href=f"{base_url}/v1/public/calls/{call.id}", rel="alternate", type="application/json"
        )
        if call.url:
            entry.link(href=call.url, rel="related", type="text/html")
        for code in call.technology_areas:
            entry.category(term=code)
    content: bytes = feed.atom_str(pretty=False)
    return content
