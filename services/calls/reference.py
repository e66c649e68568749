"""Reference data: the technology areas of domain.md R14 with Swedish and English names.

`load` is idempotent; `tools.stack` runs it after the migrations (and the tests after each
reset). Codes are fixed by R14; `strategic` marks the six areas Vinnova's strand may use.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.calls.models import TechnologyArea

OTHER = "other"

# (code, Swedish name, English name, open to Vinnova's strategic strand)
TECHNOLOGY_AREAS: tuple[tuple[str, str, str, bool], ...] = (
    ("ai", "AI och autonoma system", "AI and autonomous systems", True),
    ("quantum", "Kvantteknik", "Quantum technology", True),
    (
        "semiconductors",
        "Avancerad digital teknik inklusive halvledare",
        "Advanced digital technology including semiconductors",
        True,
    ),
    ("computing", "Beräkningsförmåga", "Computing capacity", False),
    ("connectivity", "Konnektivitet", "Connectivity", False),
    ("energy", "Energiteknik", "Energy technology", True),
    (
        "materials",
        "Nya material, material- och produktionsteknik",
        "New materials; materials and production technology",
        True,
    ),
    ("biotechnology", "Bioteknik", "Biotechnology", True),
    ("space", "Rymdteknik", "Space technology", False),
    (OTHER, "Annat område", "Other area", False),
)


def load(session: Session) -> None:
    for position, (code, name_sv, name_en, strategic) in enumerate(TECHNOLOGY_AREAS):
        session.merge(
            TechnologyArea(
                code=code, name_sv=name_sv, name_en=name_en, strategic=strategic, position=position
            )
        )
