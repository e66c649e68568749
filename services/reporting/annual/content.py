"""The annual report's content: the part of a version that is hashed and never changes.

Everything here is a function of the two services' aggregates at `as_of`, the planning
reports recorded by then, and the rules version; nothing depends on when it was built, so
the same `as_of` gives the same bytes (R15). Each section names the `sources` entries (the
owners' SQL) that produced its figures.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

RuleState = Literal["met", "not_met", "not_applicable"]
FindingValue = str | int | bool | list[str] | list[int] | None
Finding = dict[str, FindingValue]


class Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Content):
    sv: str
    en: str


class AgencyFinances(Content):
    agency: str
    appropriation_code: str | None
    appropriation_sek: int | None
    appropriation_status: str | None
    committed_sek: int
    disbursed_sek: int
    recovered_sek: int
    net_disbursed_sek: int
    uncommitted_sek: int | None


class Finances(Content):
    agencies: list[AgencyFinances]
    source: list[str]


class CallLine(Content):
    id: str
    agency: str
    stage: str
    status: str
    technology_areas: list[str]
    trl_min: int
    trl_max: int
    budget_sek: int
    max_award_sek: int | None


class CallsByAgencyStage(Content):
    agency: str
    stage: str
    calls: int
    budget_sek: int


class TrlLevel(Content):
    level: int
    agencies: list[str]


class Calls(Content):
    published: int
    by_agency_stage: list[CallsByAgencyStage]
    trl_covered: list[int]
    trl_missing: list[int]
    trl_by_level: list[TrlLevel]
    calls: list[CallLine]
    source: list[str]


class TechnologyArea(Content):
    technology_area: str
    grants: int
    planned_sek: int
    committed_sek: int
    net_disbursed_sek: int


class TechnologyAreas(Content):
    areas: list[TechnologyArea]
    source: list[str]


class Ai(Content):
    planned_sek: int
    committed_sek: int
    net_disbursed_sek: int
    target_sek: int
    target_from_year: int
    target_applies: bool
    shortfall_sek: int
    source: list[str]


class Cluster(Content):
    cluster_id: str
    name: str
    technology_area: str | None
    lead_hei: str | None
    heis: list[str]
    hei_count: int
    grants: int
    establishment_grants: int
    planned_sek: int
    planned_by_agency: dict[str, int]
    ssh_sek: int
    years_without_ssh: list[int]
    shortfall_sek: int


class Clusters(Content):
    target_sek: int
    clusters: list[Cluster]
    source: list[str]


class GraduateSchool(Content):
    cluster_id: str
    name: str
    type: str
    doctoral_students: int
    mobility_hei_hei: int
    mobility_hei_industry: int


class GraduateSchoolType(Content):
    type: str
    schools: int
    doctoral_students: int
    mobility_hei_hei: int
    mobility_hei_industry: int


class GraduateSchools(Content):
    by_type: list[GraduateSchoolType]
    schools: list[GraduateSchool]
    source: list[str]


class ReviewCount(Content):
    security_review: str
    partners: int


class Partner(Content):
    cluster_id: str
    organisation: str
    country: str
    security_review: str


class InternationalPartners(Content):
    by_review: list[ReviewCount]
    partners: list[Partner]
    source: list[str]


class PlanningLine(Content):
    grant_id: str
    agency: str
    registration_number: str
    cluster_name: str | None
    total_sek: int | None
    submitted: bool
    submitted_at: datetime | None
    complete: bool
    missing_parts: list[str]


class Planning(Content):
    due_on: date
    grants: int
    submitted: int
    complete: int
    late: bool
    reports: list[PlanningLine]
    source: list[str]


class RuleStatus(Content):
    rule: str
    title: Text
    status: RuleState
    detail: Text
    findings: list[Finding]


class ReportContent(Content):
    year: int
    as_of: datetime
    rules_version: str
    due_on: date
    currency: Literal["SEK"] = "SEK"
    finances: Finances
    calls: Calls
    technology_areas: TechnologyAreas
    ai: Ai
    clusters: Clusters
    graduate_schools: GraduateSchools
    international_partners: InternationalPartners
    planning: Planning
    rules: list[RuleStatus]
    sources: dict[str, str]


def canonical_json(document: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 as is: the form whose SHA-256 is the checksum."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()


def canonical_content(content: ReportContent) -> str:
    return canonical_json(content.model_dump(mode="json"))
