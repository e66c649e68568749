"""Entity tags (RFC 9110 8.8.3) and the conditional headers that compare them."""

from __future__ import annotations

import hashlib

from services.calls.exceptions import EtagMismatch, EtagRequired


def call_etag(version: int) -> str:
    return f'"v{version}"'


def digest_etag(*parts: object) -> str:
    """A strong tag from whatever determines a representation, cheaper than hashing it."""
    raw = "\x1f".join(str(part) for part in parts).encode()
    return '"' + hashlib.blake2b(raw, digest_size=16).hexdigest() + '"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def require_match(if_match: str | None, current: str) -> None:
    """If-Match is mandatory for edits (428 without it) and compared strongly (412)."""
    if if_match is None or not if_match.strip():
        raise EtagRequired()
    tags = _tags(if_match)
    if "*" not in tags and current not in tags:
        raise EtagMismatch()


def check_match(if_match: str | None, current: str) -> None:
    """If-Match where it is optional (lifecycle steps): honoured when sent."""
    if if_match is not None and if_match.strip():
        require_match(if_match, current)


def none_match(if_none_match: str | None, current: str) -> bool:
    """True when the client's copy is current (weak comparison, as RFC 9110 13.1.2 says)."""
    if not if_none_match:
        return False
    tags = [tag.removeprefix("W/") for tag in _tags(if_none_match)]
    return "*" in tags or current.removeprefix("W/") in tags
