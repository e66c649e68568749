"""Public routes (anonymous and everyone): open-call data and the technology areas.

Every answer carries an ETag and Cache-Control and answers a matching If-None-Match with
304. The ETag names the answer before it is built (`state.PublicCache.moment`), so a
revalidation costs one primary-key lookup, and a repeated query is served from the
worker's cache until a write or the clock changes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.orm import Session

from kit.pagination import link_next
from kit.problems import problem_responses
from services.calls import repository
from services.calls.dependencies import DbSession, Now
from services.calls.etags import digest_etag, none_match
from services.calls.exceptions import CallNotFound
from services.calls.public import feeds, schemas, service
from services.calls.public.state import Answer, PublicCache
from services.calls.schemas import LocalizedText, TechnologyArea, TechnologyAreaList

router = APIRouter(prefix="/v1/public", tags=["public open-call data"])
areas = APIRouter(prefix="/v1", tags=["reference data"])

# Short enough that a round's scheduled instant shows within a minute in caches.
CACHE_CONTROL = "public, max-age=60"
JSON = "application/json"
# The Atom feed's `updated` when no call is public (the programme's first year).
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
CACHE_HEADERS = {
    "ETag": {"schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
}
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified (If-None-Match matched)"}
}


def _headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL}


def _conditional(request: Request, etag: str, build: Callable[[], Answer]) -> Response:
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=_headers(etag))
    answer = build()
    response = Response(answer.body, media_type=answer.media_type, headers=_headers(etag))
    link_next(request, response, answer.next_cursor)
    return response


def _public(
    request: Request, session: Session, now: datetime, build: Callable[[], Answer]
) -> Response:
    """An answer named by its path and query and by the public data's moment, kept by name."""
    cache: PublicCache = request.app.state.public_cache
    query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    etag = digest_etag(request.url.path, query, *cache.moment(session, now))

    def cached() -> Answer:
        answer = cache.get(etag)
        if answer is None:
            answer = build()
            cache.put(etag, answer)
        return answer

    return _conditional(request, etag, cached)


@router.get(
    "/calls",
    summary="Published calls with phase, filters, facets and cursor pagination",
    response_model=schemas.PublicCallPage,
    responses={
        200: {"headers": {**CACHE_HEADERS, "Link": {"schema": {"type": "string"}}}},
        **NOT_MODIFIED,
        **problem_responses(422),
    },
)
def list_calls(
    request: Request,
    session: DbSession,
    now: Now,
    filters: Annotated[schemas.PublicFilters, Query()],
) -> Response:
    def build() -> Answer:
        page = service.page(session, filters=filters, now=now)
        return Answer(page.model_dump_json().encode(), JSON, next_cursor=page.next_cursor)

    return _public(request, session, now, build)


@router.get(
    "/calls.ics",
    summary="iCalendar (RFC 5545): the opening and the deadline of each public call",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "headers": CACHE_HEADERS},
        **NOT_MODIFIED,
        **problem_responses(422),
    },
)
def calendar(
    request: Request, session: DbSession, now: Now, query: Annotated[schemas.IcsQuery, Query()]
) -> Response:
    def build() -> Answer:
        calls = service.newest(session, filters=query, now=now)
        base_url = request.app.state.settings.public_url
        content = feeds.calendar(calls, language=query.lang, base_url=base_url)
        return Answer(content, "text/calendar; charset=utf-8")

    return _public(request, session, now, build)


@router.get(
    "/calls.atom",
    summary="Atom feed (RFC 4287) of public calls, newest publication first",
    response_class=Response,
    responses={
        200: {"content": {"application/atom+xml": {}}, "headers": CACHE_HEADERS},
        **NOT_MODIFIED,
        **problem_responses(422),
    },
)
def atom_feed(
    request: Request, session: DbSession, now: Now, query: Annotated[schemas.AtomQuery, Query()]
) -> Response:
    def build() -> Answer:
        calls = service.newest(session, filters=query, now=now, limit=query.limit)
        base_url = request.app.state.settings.public_url
        query_string = f"?{request.url.query}" if request.url.query else ""
        content = feeds.atom(
            calls,
            language=query.lang,
            base_url=base_url,
            self_url=f"{base_url}{request.url.path}{query_string}",
            updated=max((call.updated_at for call in calls), default=EPOCH),
        )
        return Answer(content, "application/atom+xml; charset=utf-8")

    return _public(request, session, now, build)


@router.get(
    "/calls/{call_id}",
    summary="One public call; 404 for anything not public",
    response_model=schemas.PublicCall,
    responses={200: {"headers": CACHE_HEADERS}, **NOT_MODIFIED, **problem_responses(404)},
)
def get_call(
    call_id: Annotated[str, Path(max_length=36)], request: Request, session: DbSession, now: Now
) -> Response:
    def build() -> Answer:
        call = service.one(session, call_id, now)
        if call is None:
            raise CallNotFound(f"No public call {call_id}.", headers={"Cache-Control": "no-cache"})
        return Answer(call.model_dump_json().encode(), JSON)

    return _public(request, session, now, build)


@areas.get(
    "/technology-areas",
    summary="The technology areas (R14) with Swedish and English names; public",
    response_model=TechnologyAreaList,
    responses={200: {"headers": CACHE_HEADERS}, **NOT_MODIFIED},
)
def technology_areas(request: Request, session: DbSession) -> Response:
    body = TechnologyAreaList(
        items=[
            TechnologyArea(
                code=area.code,
                name=LocalizedText(sv=area.name_sv, en=area.name_en),
                strands=["open", "strategic"] if area.strategic else ["open"],
            )
            for area in repository.technology_areas(session).values()
        ]
    ).model_dump_json()
    return _conditional(request, digest_etag("areas", body), lambda: Answer(body.encode(), JSON))
