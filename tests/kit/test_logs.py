"""kit.logs and kit.http: one JSON line per event, carrying the request ID it belongs to."""

from __future__ import annotations

import json
import logging
import re
import sys

import pytest

from kit.http import incoming_request_id
from kit.logs import JsonFormatter, request_id_var


def _record(msg: str, **extra: object) -> logging.LogRecord:
    logger = logging.getLogger("test.logs")
    made: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            made.append(record)

    handler = Keep()
    logger.addHandler(handler)
    try:
        logger.warning(msg, extra=extra)
    finally:
        logger.removeHandler(handler)
    return made[0]


def test_a_line_logged_while_serving_a_request_carries_its_id() -> None:
    token = request_id_var.set("req-1")
    try:
        record = _record("hello", method="GET", path="/v1/calls", status=200)
    finally:
        request_id_var.reset(token)
    # Formatted later, outside the request, it still names the request it came from.
    line = json.loads(JsonFormatter("calls").format(record))
    assert line["request_id"] == "req-1"
    assert (line["app"], line["level"], line["msg"]) == ("calls", "warning", "hello")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/v1/calls", 200)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])


def test_a_line_outside_any_request_has_no_request_id() -> None:
    line = json.loads(JsonFormatter("calls").format(_record("idle")))
    assert "request_id" not in line


def test_an_exception_is_one_json_line_with_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = JsonFormatter("gateway").format(record)
    assert "\n" not in text
    assert "RuntimeError: boom" in json.loads(text)["exc"]


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        (b"abc-123", True),
        (b"A.b_c:d-9", True),
        (b"x" * 128, True),
        (b"x" * 129, False),
        (b"has space", False),
        (b"", False),
        (b"semi;colon", False),
        ("å".encode(), False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_safe_to_log(header: bytes, kept: bool) -> None:
    scope = {"headers": [(b"x-request-id", header)]}
    made = incoming_request_id(scope)
    if kept:
        assert made == header.decode()
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_without_a_request_id_one_is_made() -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", incoming_request_id({"headers": []}))
