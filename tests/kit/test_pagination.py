"""kit.pagination: opaque cursors, keyset pages that cover every row once, clear 422s."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert

from kit.pagination import decode_cursor, encode_cursor
from kit.problems import Unprocessable
from tests.gateway.helpers import assert_problem
from tests.kit.conftest import Tiny
from tests.kit.tinyapp import item

KEY_VALUES = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.text(max_size=40),
    st.floats(allow_nan=False, allow_infinity=False),
)


@given(st.lists(KEY_VALUES, min_size=1, max_size=4))
def test_a_cursor_gives_back_the_values_it_was_made_from(values: list[Any]) -> None:
    cursor = encode_cursor(values)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_cursor(cursor, len(values)) == values


@given(st.text(max_size=80))
def test_any_string_is_either_a_cursor_or_a_422(text: str) -> None:
    refused: Unprocessable | None = None
    try:
        values = decode_cursor(text, 2)
    except Unprocessable as exc:
        refused = exc
    if refused is None:
        assert isinstance(values, list)
        assert len(values) == 2
    else:
        assert (refused.status, refused.extensions["parameter"]) == (422, "cursor")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "é",
        "AAAA",
        _b64(b"not json"),
        _b64(b'{"a": 1}'),
        _b64(b"[1]"),
        _b64(b"[1, 2, 3]"),
        _b64(b'"text"'),
        _b64(b"\xff\xfe"),
        _b64(b"[null, 1]"),
        _b64(b"[true, 1]"),
        _b64(b"[[1], 1]"),
        _b64(b'[{"a": 1}, 1]'),
    ],
)
def test_an_invalid_cursor_is_unprocessable(cursor: str) -> None:
    with pytest.raises(Unprocessable) as caught:
        decode_cursor(cursor, 2)
    assert caught.value.status == 422


def _insert(tiny: Tiny, rows: list[tuple[int, int]]) -> None:
    with tiny.database.writer() as session, session.begin():
        session.execute(insert(item), [{"id": i, "rank": r, "name": f"n{i}"} for i, r in rows])


def _walk(tiny: Tiny, limit: int, descending: bool = False) -> list[int]:
    seen: list[int] = []
    params: dict[str, Any] = {"limit": limit, "descending": descending}
    with tiny.client() as client:
        while True:
            response = client.get("/v1/items", params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            seen += [entry["id"] for entry in page["items"]]
            if page["next_cursor"] is None:
                assert "link" not in response.headers
                return seen
            assert len(page["items"]) == limit
            assert 'rel="next"' in response.headers["link"]
            assert f"cursor={page['next_cursor']}" in response.headers["link"]
            params["cursor"] = page["next_cursor"]


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50])
@pytest.mark.parametrize("descending", [False, True])
def test_pages_cover_every_row_once_in_order_even_with_ties(
    tiny: Tiny, limit: int, descending: bool
) -> None:
    rows = [(i, i % 3) for i in range(1, 15)]  # many rows share a rank
    _insert(tiny, rows)
    expected = [i for i, _ in sorted(rows, key=lambda r: (r[1], r[0]), reverse=descending)]
    assert _walk(tiny, limit, descending) == expected


def test_rows_added_between_pages_are_neither_repeated_nor_skipped_after_the_cursor(
    tiny: Tiny,
) -> None:
    _insert(tiny, [(i, i) for i in range(10, 20)])
    with tiny.client() as client:
        first = client.get("/v1/items", params={"limit": 4}).json()
        _insert(tiny, [(1, 1), (99, 99)])  # one before the cursor, one after it
        rest = client.get("/v1/items", params={"limit": 50, "cursor": first["next_cursor"]})
    ids = [e["id"] for e in first["items"]] + [e["id"] for e in rest.json()["items"]]
    assert ids == [*range(10, 20), 99]


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "!!!"},
        {"cursor": _b64(b"[1]")},
        {"cursor": "x" * 513},
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
    ],
)
def test_bad_paging_parameters_are_422_problems(tiny: Tiny, params: dict[str, Any]) -> None:
    with tiny.client() as client:
        assert_problem(client.get("/v1/items", params=params), 422)


def test_a_cursor_with_values_of_the_wrong_type_is_a_422_not_a_500(tiny: Tiny) -> None:
    _insert(tiny, [(1, 1)])
    with tiny.client() as client:
        for values in (
            ["a", "b"],
            ["2026-01-01T00:00:00+00:00", 1],
            [1.5, "x"],
            [1, 2.5],
            [2**70, 1],
        ):
            response = client.get("/v1/items", params={"cursor": encode_cursor(values)})
            assert_problem(response, 422)


def test_a_floating_sort_key_accepts_whole_numbers() -> None:
    from sqlalchemy import Column, Float, Integer, MetaData, Table

    from kit.pagination import after

    table = Table("t", MetaData(), Column("score", Float), Column("id", Integer))
    after([(table.c.score, False), (table.c.id, False)], [3, 1])  # an int is a fine float
    with pytest.raises(Unprocessable):
        after([(table.c.score, False), (table.c.id, False)], [3.5, 1.5])
