"""Date-times and dates in requests: ISO 8601 text, never a number, and real in UTC.

Pydantic's lax mode reads a number, or numeric text (every query value is text), as Unix
time: `updated_since=14` would mean 1970-01-01T00:00:14Z and `"booked_on": 0` 1970-01-01.
api.md documents ISO 8601, so a number is refused (422) rather than guessed at. An instant
must also exist in UTC: `0001-01-01T00:00:00+01:00` is well-formed, but its UTC instant lies
before year 1, and converting it deep in a service was a 500. (Found by schema fuzzing.)
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _text_not_number(value: Any) -> Any:
    if isinstance(value, int | float) or (
        isinstance(value, str) and _NUMBER.fullmatch(value.strip())
    ):
        raise ValueError("expected ISO 8601 text, not a number")
    return value


def _exists_in_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("the instant lies outside the years 1-9999 in UTC") from exc
    return value


# Naive values pass, for callers that explain a missing zone in their own words.
IsoDateTime = Annotated[datetime, BeforeValidator(_text_not_number), AfterValidator(_exists_in_utc)]
AwareIsoDateTime = Annotated[
    AwareDatetime, BeforeValidator(_text_not_number), AfterValidator(_exists_in_utc)
]
IsoDate = Annotated[date, BeforeValidator(_text_not_number)]
