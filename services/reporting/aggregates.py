"""What the calls and grants services answer (docs/internal-api.md), parsed and checked.

Reporting trusts these documents for their figures but not for their shape: a document that
does not parse is the other service's fault and becomes a 502, never a half-built report.
Unknown fields are ignored, so the owners may add to their answers without breaking us.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

Money = int  # whole SEK; the owners compute sums in SQL and send integers


class Upstream(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# calls service ---------------------------------------------------------------------------


class ReportCall(Upstream):
    id: str
    agency: str
    stage: str
    status: str
    technology_areas: list[str] = Field(default_factory=list)
    trl_min: int
    trl_max: int
    budget_sek: Money = 0
    max_award_sek: Money | None = None


class CallsByAgencyStage(Upstream):
    agency: str
    stage: str
    calls: int
    budget_sek: Money = 0


class TrlCoverage(Upstream):
    covered: list[int] = Field(default_factory=list)
    missing: list[int] = Field(default_factory=list)
    by_level: dict[str, list[str]] = Field(default_factory=dict)


class CallsAggregate(Upstream):
    year: int
    calls: list[ReportCall] = Field(default_factory=list)
    by_agency_stage: list[CallsByAgencyStage] = Field(default_factory=list)
    trl_coverage: TrlCoverage = Field(default_factory=TrlCoverage)
    sources: dict[str, str] = Field(default_factory=dict)


# grants service --------------------------------------------------------------------------


class Appropriation(Upstream):
    agency: str
    year: int
    code: str | None = None
    amount_sek: Money | None = None
    status: str | None = None
    committed_sek: Money = 0
    disbursed_sek: Money = 0
    recovered_sek: Money = 0
    net_disbursed_sek: Money = 0


class TechnologyAreaFigures(Upstream):
    technology_area: str
    grants: int = 0
    planned_sek: Money = 0
    committed_sek: Money = 0
    net_disbursed_sek: Money = 0


class ClusterFigures(Upstream):
    cluster_id: str
    name: str
    technology_area: str | None = None
    lead_hei: str | None = None
    heis: list[str] = Field(default_factory=list)
    hei_count: int = 0
    planned_sek: Money = 0
    ssh_sek: Money = 0
    planned_by_agency: dict[str, Money] = Field(default_factory=dict)
    grants: int = 0
    establishment_grants: int = 0
    years_without_ssh: list[int] = Field(default_factory=list)


class Mobility(Upstream):
    hei_hei: int = 0
    hei_industry: int = 0


class GraduateSchool(Upstream):
    cluster_id: str
    name: str
    type: str
    doctoral_students: int = 0
    mobility_placements: Mobility = Field(default_factory=Mobility)


class PartnersByReview(Upstream):
    security_review: str
    partners: int


class Partner(Upstream):
    cluster_id: str
    organisation: str
    country: str
    security_review: str


class PlanningGrant(Upstream):
    grant_id: str
    agency: str
    registration_number: str
    cluster_id: str | None = None
    cluster_name: str | None = None
    # Not in the contract's example; used for R11 when the grants service sends it.
    total_sek: Money | None = None
    # The years of the grant's plan; the grants service lists planning grants of any year.
    plan_years: list[int] | None = None


class GrantsAggregate(Upstream):
    year: int
    appropriations: list[Appropriation] = Field(default_factory=list)
    by_technology_area: list[TechnologyAreaFigures] = Field(default_factory=list)
    clusters: list[ClusterFigures] = Field(default_factory=list)
    graduate_schools: list[GraduateSchool] = Field(default_factory=list)
    partners_by_review: list[PartnersByReview] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    planning_grants: list[PlanningGrant] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict)


class GrantSummary(Upstream):
    """`GET /internal/v1/grants/{id}`: what a planning report needs to know of its grant."""

    id: str
    agency: str
    stage: str
    registration_number: str
    cluster_id: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
