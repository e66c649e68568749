"""Reference data of the grants service: VR's appropriations as the government gave them (R7).

Idempotent: a figure already there (loaded earlier or since confirmed by VR) is left alone.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kit.db import utcnow
from services.grants.appropriations.models import Appropriation, AppropriationRevision

VR_CODE = "UO16 3:1 ap.5"
# R7: 125 MSEK to be used in 2025; the government's estimates for 2026-2028.
VR_APPROPRIATIONS: tuple[tuple[int, int, str], ...] = (
    (2025, 125_000_000, "confirmed"),
    (2026, 265_000_000, "estimate"),
    (2027, 420_000_000, "estimate"),
    (2028, 710_000_000, "estimate"),
)
LOADER = "reference-data"


def load(session: Session) -> None:
    now = utcnow()
    for year, amount, status in VR_APPROPRIATIONS:
        if session.get(Appropriation, ("vr", year)) is not None:
            continue
        session.add(
            Appropriation(
                agency="vr",
                year=year,
                code=VR_CODE,
                amount_sek=amount,
                status=status,
                revision=1,
                updated_at=now,
            )
        )
        session.flush()
        session.add(
            AppropriationRevision(
                agency="vr",
                year=year,
                revision=1,
                code=VR_CODE,
                amount_sek=amount,
                status=status,
                recorded_at=now,
                client_id=LOADER,
                request_id=None,
            )
        )
    session.flush()
