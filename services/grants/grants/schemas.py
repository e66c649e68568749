from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kit.instants import IsoDate
from kit.money import Sek

# Ids of other services go into URLs of internal calls: keep them to URL-safe characters.
ExternalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._~-]{1,64}$")]
Year = Annotated[int, Field(ge=2000, le=2100)]
PositiveSek = Annotated[Sek, Field(gt=0)]


class PlanYear(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: Year
    amount_sek: PositiveSek
    ssh_amount_sek: Sek = Field(description="The social sciences and humanities part (R3)")


class GrantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    call_id: ExternalId
    cluster_id: ExternalId
    registration_number: str = Field(max_length=20, description="YYYY-NNNNN, unique per agency")
    yearly_plan: list[PlanYear] = Field(min_length=1, max_length=50)
    starts_on: IsoDate
    ends_on: IsoDate


class GrantWarning(BaseModel):
    rule: str
    year: int | None = None
    detail: str


class Grant(BaseModel):
    id: str
    agency: str
    call_id: str
    cluster_id: str
    stage: str = Field(description="The stage of the grant's call when it was recorded")
    registration_number: str
    status: str
    technology_area: str = Field(description="The cluster's area when the grant was recorded")
    technology_area_label: str | None = None
    yearly_plan: list[PlanYear]
    starts_on: date
    ends_on: date
    total_sek: int
    ssh_total_sek: int
    warnings: list[GrantWarning]
    created_at: datetime


class InternalGrant(BaseModel):
    """`GET /internal/v1/grants/{id}` (docs/internal-api.md)."""

    id: str
    agency: str
    call_id: str
    cluster_id: str
    stage: str
    status: str
    registration_number: str
    technology_area: str
    total_sek: int
    starts_on: date
    ends_on: date
