"""Who is calling, as the gateway verified it and carried it in the internal token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["agency", "office", "government", "service", "anonymous"]
AGENCIES = ("vr", "vinnova")


@dataclass(frozen=True)
class Principal:
    sub: str
    role: Role
    agency: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    client: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.role == "anonymous"

    def claims(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "agency": self.agency,
            "scope": " ".join(sorted(self.scopes)),
            "client_id": self.client,
        }

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        scope = claims.get("scope") or ""
        return cls(
            sub=str(claims["sub"]),
            role=claims.get("role", "anonymous"),
            agency=claims.get("agency"),
            scopes=frozenset(str(scope).split()),
            client=claims.get("client_id"),
        )


ANONYMOUS = Principal(sub="anonymous", role="anonymous")
