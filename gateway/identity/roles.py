"""What each kind of principal may do, as OAuth scopes. Services check these too."""

from __future__ import annotations

ROLE_SCOPES: dict[str, frozenset[str]] = {
    "agency": frozenset(
        {
            "calls:read",
            "calls:write",
            "grants:read",
            "grants:write",
            "reports:read",
            "reports:approve",
        }
    ),
    "office": frozenset(
        {"calls:read", "calls:coordinate", "grants:read", "reports:read", "reports:write"}
    ),
    "government": frozenset({"reports:read"}),
    # Services reading each other's internal aggregates (grants -> calls, reporting -> both).
    "service": frozenset({"internal:read"}),
}

# Development clients that `make run` registers: name -> (role, agency).
DEV_CLIENTS: dict[str, tuple[str, str | None]] = {
    "vr": ("agency", "vr"),
    "vinnova": ("agency", "vinnova"),
    "office": ("office", None),
    "government": ("government", None),
}

# Service clients: the service's name is its client id.
SERVICE_CLIENTS = ("grants", "reporting")
