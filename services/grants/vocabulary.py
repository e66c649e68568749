"""The programme's fixed vocabularies (domain.md): technology areas (R14), review statuses
(R6), graduate-school types (R4), and ISO 3166-1 country codes.

The codes are part of the contract, so they live here as constants; the calls service keeps
the names of the areas as reference data for display.
"""

from __future__ import annotations

from typing import Annotated, Literal

import pycountry
from pydantic import AfterValidator, StringConstraints

TechnologyArea = Literal[
    "ai",
    "quantum",
    "semiconductors",
    "computing",
    "connectivity",
    "energy",
    "materials",
    "biotechnology",
    "space",
    "other",
]
# R14: Vinnova's strategic strand names six areas; its clusters and grants use only these.
VINNOVA_AREAS = frozenset(
    {"ai", "semiconductors", "quantum", "energy", "materials", "biotechnology"}
)

SecurityReview = Literal["pending", "cleared", "restricted"]
SECURITY_REVIEWS: tuple[str, ...] = ("pending", "cleared", "restricted")

GraduateSchoolType = Literal["ai", "groundbreaking_technology", "stem"]
GRADUATE_SCHOOL_TYPES: tuple[str, ...] = ("ai", "groundbreaking_technology", "stem")


def _known_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code")
    return code


CountryCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_known_country)
]


def area_allowed(agency: str, area: str) -> bool:
    return agency != "vinnova" or area in VINNOVA_AREAS
