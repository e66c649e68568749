"""The matrix (matrix.yaml) read into rows: one per route, principal and object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MATRIX = Path(__file__).with_name("matrix.yaml")
PRINCIPALS = ("vr", "vinnova", "office", "government", "anonymous")
AGENCIES = ("vr", "vinnova")
# The objects a principal is given on a route that acts on an owned object.
OBJECTS = {
    "vr": ("own", "other"),
    "vinnova": ("own", "other"),
    "office": AGENCIES,
    "government": AGENCIES,
    "anonymous": AGENCIES,
}


@dataclass(frozen=True)
class Route:
    label: str
    shared: str | None
    listed: str | None
    owned: bool

    @property
    def method(self) -> str:
        return self.label.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return self.label.split(" ", 1)[1]


@dataclass(frozen=True)
class Row:
    route: Route
    principal: str
    object: str  # own, other, vr, vinnova, or "-" (no owned object)
    expected: int

    @property
    def client(self) -> str | None:
        """The principal as the test stack names it (None sends no token)."""
        return None if self.principal == "anonymous" else self.principal

    @property
    def owner(self) -> str | None:
        """The agency that owns the object the request acts on."""
        if self.object == "own":
            return self.principal
        if self.object == "other":
            return next(a for a in AGENCIES if a != self.principal)
        return None if self.object == "-" else self.object

    @property
    def cross_agency(self) -> bool:
        return self.object == "other"

    def __str__(self) -> str:
        return f"{self.route.label} {self.principal} {self.object}"


def _expand(route: Route, expect: dict[str, Any]) -> list[Row]:
    assert set(expect) == set(PRINCIPALS), f"{route.label}: principals {sorted(expect)}"
    rows = []
    for principal in PRINCIPALS:
        value = expect[principal]
        if isinstance(value, int):
            assert not route.owned, f"{route.label} {principal}: give each object's status"
            rows.append(Row(route, principal, "-", value))
            continue
        assert set(value) == set(OBJECTS[principal]), f"{route.label} {principal}: {value}"
        rows.extend(Row(route, principal, obj, value[obj]) for obj in OBJECTS[principal])
    return rows


def load() -> tuple[dict[str, Route], list[Row]]:
    document = yaml.safe_load(MATRIX.read_text())
    routes: dict[str, Route] = {}
    rows: list[Row] = []
    for label, spec in document["routes"].items():
        expect = spec["expect"]
        owned = any(isinstance(v, dict) for v in expect.values())
        route = Route(label, spec.get("shared"), spec.get("listed"), owned)
        routes[label] = route
        rows.extend(_expand(route, expect))
    return routes, rows


ROUTES, ROWS = load()
