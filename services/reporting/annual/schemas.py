"""Request and response bodies of the annual-report routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kit.instants import AwareIsoDateTime
from services.reporting.annual.content import ReportContent

VERSION_MAX = 1_000_000
VersionNumber = Annotated[int, Field(strict=True, ge=1, le=VERSION_MAX)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BuildRequest(Request):
    as_of: AwareIsoDateTime | None = Field(
        default=None,
        description="The instant the data is read at (default: now). Not in the future: "
        "data recorded later could still change what it shows.",
    )


class VersionRequest(Request):
    version: VersionNumber


class VersionFacts(BaseModel):
    """A version's facts beside its content: when it was built and where it stands now."""

    year: int
    version: int
    built_at: datetime
    built_by: str
    as_of: datetime
    checksum: str = Field(description="SHA-256 (hex) of the canonical JSON of `report`")
    checksum_algorithm: Literal["sha-256"] = "sha-256"
    rules_version: str
    due_on: date = Field(description="R9: 1 February of the following year")
    overdue: bool = Field(description="Not submitted by the due date (or submitted late)")
    approved_by: list[str] = Field(description="Agencies whose approval is on this version")
    submitted: bool = Field(description="This is the version the office submitted")
    submitted_at: datetime | None
    locked: bool = Field(description="The year is submitted: no new versions")


class AnnualReportVersion(VersionFacts):
    report: ReportContent


class Approval(BaseModel):
    agency: str
    version: int
    approved_at: datetime
    approved_by: str


class ApprovalState(BaseModel):
    year: int
    approvals: list[Approval]


class Submission(BaseModel):
    year: int
    version: int
    checksum: str
    submitted_at: datetime
    submitted_by: str
    due_on: date
    on_time: bool
