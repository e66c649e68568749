"""A small shared cache for anonymous public reads, as a CDN in front of the API would be.

The calls service marks public answers `Cache-Control: public, max-age=N`. The gateway keeps
such a 200 answer for min(N, GATEWAY_PUBLIC_CACHE_SECONDS) and serves it, or a 304 when the
client's If-None-Match names its ETag, without a hop to the service. Only anonymous GETs of
public paths are cached, keyed by path and query, so no answer given to one principal is
ever served to another. With the default of a few seconds a portal sees a change at most that
much later than it would straight from the service.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.responses import Response

_MAX_AGE = re.compile(r"max-age=(\d+)")
# Headers that belong to one request, never to a stored answer.
_PER_REQUEST = frozenset({b"age", b"x-request-id", b"ratelimit-limit", b"ratelimit-remaining"})


@dataclass(frozen=True)
class Entry:
    expires_at: float
    stored_at: float
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: str | None
    cache_control: str


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


class PublicCache:
    def __init__(
        self, seconds: float, max_entries: int = 512, max_bytes: int = 8 * 1024 * 1024
    ) -> None:
        self.seconds, self.max_entries, self.max_bytes = seconds, max_entries, max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def lookup(self, key: str, if_none_match: str | None) -> Response | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        now = time.monotonic()
        if entry.expires_at <= now:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        age = str(int(now - entry.stored_at))
        if (
            if_none_match
            and entry.etag
            and (if_none_match.strip() == "*" or entry.etag in _etags(if_none_match))
        ):
            return Response(
                status_code=304,
                headers={"ETag": entry.etag, "Cache-Control": entry.cache_control, "Age": age},
            )
        response = Response(entry.body, status_code=entry.status)
        response.raw_headers = [*entry.headers, (b"age", age.encode())]
        return response

    def store(self, key: str, response: Response) -> None:
        cache_control = response.headers.get("cache-control", "")
        match = _MAX_AGE.search(cache_control)
        if (
            response.status_code != 200
            or "public" not in cache_control
            or match is None
            or "no-store" in cache_control
            or "set-cookie" in response.headers
        ):
            return
        seconds = min(float(match.group(1)), self.seconds)
        body = bytes(response.body)
        if seconds <= 0 or len(body) > self.max_bytes // 8:
            return
        now = time.monotonic()
        self._drop(key)
        self._entries[key] = Entry(
            expires_at=now + seconds,
            stored_at=now,
            status=200,
            headers=tuple((k, v) for k, v in response.raw_headers if k not in _PER_REQUEST),
            body=body,
            etag=response.headers.get("etag"),
            cache_control=cache_control,
        )
        self._bytes += len(body)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            oldest = next(iter(self._entries))
            self._drop(oldest)

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.body)
