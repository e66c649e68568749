"""The shapes of `GET /internal/v1/report/annual` (docs/internal-api.md, "grants service")."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AppropriationYear(BaseModel):
    agency: str
    year: int
    code: str
    amount_sek: int
    status: str
    committed_sek: int
    disbursed_sek: int
    recovered_sek: int
    net_disbursed_sek: int


class TechnologyAreaYear(BaseModel):
    technology_area: str
    grants: int
    planned_sek: int
    committed_sek: int
    net_disbursed_sek: int


class ClusterYear(BaseModel):
    cluster_id: str
    name: str
    technology_area: str
    lead_hei: str
    heis: list[str]
    hei_count: int
    planned_sek: int
    ssh_sek: int
    planned_by_agency: dict[str, int]
    grants: int
    establishment_grants: int
    years_without_ssh: list[int]


class MobilityPlacements(BaseModel):
    hei_hei: int
    hei_industry: int


class GraduateSchool(BaseModel):
    cluster_id: str
    name: str
    type: str
    doctoral_students: int
    mobility_placements: MobilityPlacements


class GraduateSchoolsByType(BaseModel):
    type: str
    schools: int
    doctoral_students: int
    mobility_placements: MobilityPlacements


class PartnersByReview(BaseModel):
    security_review: str
    partners: int


class Partner(BaseModel):
    cluster_id: str
    organisation: str
    country: str
    security_review: str


class PlanningGrant(BaseModel):
    grant_id: str
    agency: str
    registration_number: str
    cluster_id: str
    cluster_name: str | None
    total_sek: int
    plan_years: list[int]


class AnnualReport(BaseModel):
    year: int
    as_of: datetime
    appropriations: list[AppropriationYear]
    by_technology_area: list[TechnologyAreaYear]
    clusters: list[ClusterYear]
    graduate_schools: list[GraduateSchool]
    graduate_schools_by_type: list[GraduateSchoolsByType]
    partners_by_review: list[PartnersByReview]
    partners: list[Partner]
    planning_grants: list[PlanningGrant]
    sources: dict[str, str]
