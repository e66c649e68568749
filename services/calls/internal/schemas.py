from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kit.instants import AwareIsoDateTime
from services.calls.schemas import Agency, Instant, Stage, Status


class InternalCall(BaseModel):
    """What the grants service checks a decision against (docs/internal-api.md)."""

    id: str
    agency: Agency
    stage: Stage
    status: Status
    max_award_sek: int | None
    budget_sek: int | None
    technology_areas: list[str]
    trl_min: int | None
    trl_max: int | None
    opens_at: Instant | None
    closes_at: Instant | None


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    as_of: AwareIsoDateTime | None = Field(default=None, description="Default: now")


class ReportCall(BaseModel):
    id: str
    agency: Agency
    stage: Stage
    status: Status = Field(description="The status the call had at `as_of`")
    technology_areas: list[str]
    trl_min: int
    trl_max: int
    budget_sek: int
    max_award_sek: int
    opens_at: Instant
    closes_at: Instant


class AgencyStage(BaseModel):
    agency: Agency
    stage: Stage
    calls: int
    budget_sek: int


class TrlCoverage(BaseModel):
    covered: list[int]
    missing: list[int]
    by_level: dict[str, list[str]] = Field(description="Level 1-9 -> agencies with a call there")


class CallsReport(BaseModel):
    year: int
    as_of: Instant
    calls: list[ReportCall]
    by_agency_stage: list[AgencyStage]
    trl_coverage: TrlCoverage
    sources: dict[str, str]
