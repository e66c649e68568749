"""Cursor (keyset) pagination: stable under concurrent inserts, unlike offsets.

A cursor is the sort key of the last item served, opaque to clients (base64url JSON).
The next page is everything strictly after it in the same total order, so an item inserted
meanwhile is either after the cursor (served later) or before it (not repeated).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import QueryableAttribute

from kit.problems import Unprocessable

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page")]
Cursor = Annotated[
    str | None, Query(max_length=512, description="`next_cursor` of the previous page")
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise Unprocessable("The cursor is not valid.", parameter="cursor") from exc
    if not isinstance(values, list) or len(values) != size:
        raise Unprocessable("The cursor is not valid.", parameter="cursor")
    # A cursor holds sort-key values (never null, never nested): anything else is a forgery
    # that SQL could not compare, and would otherwise surface as a 500.
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
        raise Unprocessable("The cursor is not valid.", parameter="cursor")
    if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values):
        raise Unprocessable("The cursor is not valid.", parameter="cursor")
    return values


SortKey = ColumnElement[Any] | QueryableAttribute[Any]


def _fits(column: SortKey, value: Any) -> bool:
    try:
        expected = column.type.python_type
    except NotImplementedError:
        return True
    if expected is float:
        return isinstance(value, int | float)
    return isinstance(value, expected)


def after(keys: Sequence[tuple[SortKey, bool]], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys` ((column, descending) pairs).

    A value of the wrong type for its column (a forged cursor) is a 422, not a SQL error.
    """
    if len(values) != len(keys) or not all(
        _fits(column, value) for (column, _), value in zip(keys, values, strict=False)
    ):
        raise Unprocessable("The cursor is not valid.", parameter="cursor")
    clauses = []
    for i, (column, descending) in enumerate(keys):
        equal_before = [keys[j][0] == values[j] for j in range(i)]
        step = column < values[i] if descending else column > values[i]
        clauses.append(and_(*equal_before, step))
    return or_(*clauses)


def link_next(request: Request, response: Response, next_cursor: str | None) -> None:
    if next_cursor:
        url = request.url.include_query_params(cursor=next_cursor)
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
