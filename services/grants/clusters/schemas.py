from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from services.grants.vocabulary import (
    CountryCode,
    GraduateSchoolType,
    SecurityReview,
    TechnologyArea,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Count = Annotated[int, Field(strict=True, ge=0, le=100_000)]

# Swedish organisation number: ten digits, written NNNNNN-NNNN.
OrgNumber = Annotated[str, StringConstraints(pattern=r"^\d{6}-?\d{4}$")]
_ROR = re.compile(r"^(?:https://ror\.org/)?(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})$")


def _ror_url(value: str) -> str:
    match = _ROR.match(value.strip())
    if match is None:
        raise ValueError("a ROR id looks like https://ror.org/026vcq606 (or 026vcq606)")
    return f"https://ror.org/{match.group(1)}"


def _org_number(value: str) -> str:
    digits = value.replace("-", "")
    return f"{digits[:6]}-{digits[6:]}"


RorId = Annotated[str, AfterValidator(_ror_url)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Hei(Schema):
    name: Name
    org_number: Annotated[OrgNumber, AfterValidator(_org_number)] | None = None
    ror: RorId | None = None


class Partner(Schema):
    organisation: Name
    country: CountryCode = Field(description="ISO 3166-1 alpha-2, e.g. DE")
    security_review: SecurityReview


class MobilityPlacements(Schema):
    hei_hei: Count = Field(0, description="Placements between Swedish HEIs")
    hei_industry: Count = Field(0, description="Placements between an HEI and industry")


class GraduateSchool(Schema):
    name: Name
    type: GraduateSchoolType
    doctoral_students: Count = 0
    mobility_placements: MobilityPlacements = Field(default_factory=MobilityPlacements)


def _area_label_matches(area: str | None, label: str | None) -> None:
    if area == "other" and not label:
        raise ValueError("technology_area 'other' needs a technology_area_label")
    if area not in (None, "other") and label:
        raise ValueError("technology_area_label is only for technology_area 'other'")


class ClusterCreate(Schema):
    name: Name
    lead_hei: Hei
    participating_heis: list[Hei] = Field(default_factory=list, max_length=100)
    technology_area: TechnologyArea
    technology_area_label: Label | None = None
    international_partners: list[Partner] = Field(default_factory=list, max_length=200)
    graduate_school: GraduateSchool | None = None

    @model_validator(mode="after")
    def _label(self) -> ClusterCreate:
        _area_label_matches(self.technology_area, self.technology_area_label)
        return self


class ClusterUpdate(Schema):
    """Fields sent replace the current ones (lists as a whole); `graduate_school: null` removes
    the school. The result is checked like a new cluster."""

    name: Name | None = None
    lead_hei: Hei | None = None
    participating_heis: list[Hei] | None = Field(None, max_length=100)
    technology_area: TechnologyArea | None = None
    technology_area_label: Label | None = None
    international_partners: list[Partner] | None = Field(None, max_length=200)
    graduate_school: GraduateSchool | None = None

    @model_validator(mode="after")
    def _not_null(self) -> ClusterUpdate:
        nullable = {"graduate_school", "technology_area_label"}
        for field in self.model_fields_set - nullable:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class Cluster(ClusterCreate):
    model_config = ConfigDict(extra="ignore")

    id: str
    agency: str = Field(description="The agency that created the record and may change it")
    revision: int
    hei_count: int = Field(description="Distinct institutions, lead included (R5)")
    created_at: datetime
    updated_at: datetime
