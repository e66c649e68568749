"""Request and response bodies of the planning final reports (R12)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("a part is either text or null (missing), never blank")
    return value


PartText = Annotated[str, Field(max_length=100_000), AfterValidator(_not_blank)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SocietalImpact(Request):
    assessment: PartText | None = Field(
        default=None, description="The technology's long-term societal impact"
    )
    security_implications: PartText | None = Field(
        default=None, description="Its security implications (part of the impact assessment)"
    )


class PlanningReportBody(Request):
    """The final report's parts; a part left out or null is missing."""

    field_analysis: PartText | None = Field(
        default=None, description="An analysis of the research field"
    )
    collaboration_strategy: PartText | None = Field(
        default=None, description="A strategy for collaboration"
    )
    societal_impact: SocietalImpact | None = None


class PlanningReportStatus(BaseModel):
    grant_id: str
    agency: str
    registration_number: str
    cluster_name: str | None = None
    due_on: date
    submitted: bool
    submitted_at: datetime | None
    updated_at: datetime | None
    revision: int | None
    complete: bool
    missing_parts: list[str] = Field(
        description="field_analysis, collaboration_strategy, societal_impact, security_implications"
    )
    overdue: bool = Field(description="Incomplete after the due date")


class PlanningReport(PlanningReportStatus):
    field_analysis: str | None
    collaboration_strategy: str | None
    societal_impact: SocietalImpact
