"""How many distinct institutions a cluster brings together (R5).

Two entries are the same institution when they share an organisation number, a ROR id, or
a name (ignoring case and spacing): "KTH" listed as lead and again as participant, or once
with its organisation number and once without, count once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class HeiLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def org_number(self) -> str | None: ...

    @property
    def ror(self) -> str | None: ...


def _identities(hei: HeiLike) -> list[str]:
    found = ["name:" + " ".join(hei.name.casefold().split())]
    if hei.org_number:
        found.append("org:" + hei.org_number.replace("-", ""))
    if hei.ror:
        found.append("ror:" + hei.ror.lower())
    return found


def distinct_count(heis: Sequence[HeiLike]) -> int:
    parent = list(range(len(heis)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[str, int] = {}
    for i, hei in enumerate(heis):
        for identity in _identities(hei):
            if identity in first_seen:
                parent[root(i)] = root(first_seen[identity])
            else:
                first_seen[identity] = i
    return len({root(i) for i in range(len(heis))})
