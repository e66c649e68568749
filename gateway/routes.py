"""Which service answers which public path. Anything else is the gateway's own or a 404."""

from __future__ import annotations

PREFIXES: tuple[tuple[str, str], ...] = (
    ("/v1/calls", "calls"),
    ("/v1/coordinations", "calls"),
    ("/v1/public", "calls"),
    ("/v1/technology-areas", "calls"),
    ("/v1/grants", "grants"),
    ("/v1/clusters", "grants"),
    ("/v1/appropriations", "grants"),
    ("/v1/ledger", "grants"),
    ("/v1/reports", "reporting"),
)

# Read by portals without a token; every other route needs one at the gateway already.
PUBLIC_PREFIXES = ("/v1/public", "/v1/technology-areas")


def upstream_for(path: str) -> str | None:
    """The service for a decoded path; None for paths with "." or ".." segments, which an
    HTTP client or the service could resolve to a route other than the one checked here."""
    if any(segment in {".", ".."} for segment in path.split("/")):
        return None
    for prefix, service in PREFIXES:
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "."):
            return service
    return None


def is_public(path: str) -> bool:
    return any(
        path == p or path.startswith(p + "/") or path.startswith(p + ".") for p in PUBLIC_PREFIXES
    )
