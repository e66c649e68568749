"""One report version in three representations: JSON, CSV and printable HTML.

`?format=` wins; otherwise the `Accept` header decides (RFC 9110 12.5.1, with q-values), so
a browser gets the HTML page and a client asking for `text/csv` gets the tables. The JSON
carries the stored canonical content byte for byte as `report`, so a reader can check the
checksum against exactly what was hashed.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from fastapi import Request, Response

from kit.problems import NotAcceptable
from services.reporting.annual import printable, tables
from services.reporting.annual.content import ReportContent
from services.reporting.annual.exceptions import UnknownSection
from services.reporting.annual.schemas import VersionFacts

Format = Literal["json", "csv", "html"]
MEDIA: dict[Format, str] = {"json": "application/json", "csv": "text/csv", "html": "text/html"}

# The page needs nothing but its own inline styles and SVG: no script, no fetch, no frame.
HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _quality(offer: str, accept: str) -> float:
    best, best_rank = 0.0, -1
    kind = offer.split("/")[0]
    for item in accept.split(","):
        media, *params = [p.strip() for p in item.split(";")]
        media = media.lower()
        rank = 2 if media == offer else 1 if media == f"{kind}/*" else 0 if media == "*/*" else -1
        if rank <= best_rank:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best, best_rank = q, rank
    return best


def choose(requested: Format | None, accept: str | None) -> Format:
    if requested is not None:
        return requested
    if not accept:
        return "json"
    scored = [(_quality(MEDIA[f], accept), -i, f) for i, f in enumerate(MEDIA)]
    quality, _, chosen = max(scored)
    if quality <= 0:
        raise NotAcceptable(
            "The report is available as application/json, text/csv and text/html.",
            available=list(MEDIA.values()),
        )
    return chosen


def _etag(facts: VersionFacts, fmt: Format, section: str | None) -> str:
    # the content never changes under a checksum, but the facts beside it do (approvals,
    # submission, overdue), so they are part of the tag
    seed = f"{facts.model_dump_json()}|{fmt}|{section or ''}"
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def _matches(request: Request, tag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    candidates = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tag in candidates or "*" in candidates


def json_response(
    facts: VersionFacts, stored: str, *, status_code: int = 200, headers: dict[str, str]
) -> Response:
    # the facts' JSON object with the stored canonical content spliced in as `report`
    head = facts.model_dump_json()
    body = f'{head[:-1]},"report":{stored}}}'
    return Response(body, status_code=status_code, media_type=MEDIA["json"], headers=headers)


def respond(
    request: Request,
    *,
    facts: VersionFacts,
    stored: str,
    fmt: Format,
    section: str | None,
) -> Response:
    if section is not None and (fmt != "csv" or section not in tables.SECTIONS):
        raise UnknownSection(
            "`section` picks one table of the CSV representation.",
            sections=list(tables.SECTIONS),
        )
    tag = _etag(facts, fmt, section)
    headers = {"ETag": tag, "Cache-Control": "private, no-cache", "Vary": "Accept"}
    if _matches(request, tag):
        return Response(status_code=304, headers=headers)
    if fmt == "json":
        return json_response(facts, stored, headers=headers)
    content = ReportContent.model_validate_json(stored)
    if fmt == "csv":
        all_tables = tables.tables(content, facts)
        text = (
            tables.wide_csv(next(t for t in all_tables if t.name == section))
            if section
            else tables.long_csv(all_tables)
        )
        name = f"annual-report-{facts.year}-v{facts.version}{'-' + section if section else ''}"
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
    headers["Content-Security-Policy"] = HTML_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    return Response(
        printable.render(content, facts), media_type="text/html; charset=utf-8", headers=headers
    )
