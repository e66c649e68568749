"""Bodies and answers of the agency and office routes (api.md, "Calls").

Write bodies forbid unknown fields, so a client cannot set `agency`, `status` or `id`, and a
misspelt field is a 422 instead of silently ignored. Numbers and flags are strict: `1.0`,
`"3"` and `1` for `true` are refused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)

from kit.instants import AwareIsoDateTime
from kit.money import Sek
from kit.pagination import Page
from services.calls import models

Agency = Literal["vr", "vinnova"]
Strand = Literal["open", "strategic"]
Stage = Literal["planning", "establishment", "graduate_school", "other"]
Status = Literal["draft", "ready", "published", "closed", "decided", "cancelled"]

Trl = Annotated[int, Field(strict=True, ge=1, le=9, description="Technology readiness level")]
Flag = Annotated[bool, Field(strict=True)]
AreaCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
TitleText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
SummaryText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Url = Annotated[HttpUrl, Field(description="The call's page at the agency")]

# Answers give every instant in UTC, whatever zone it was written in.
Instant = Annotated[datetime, AfterValidator(lambda value: value.astimezone(UTC))]

STRAND_OF: dict[str, Strand] = {"vr": "open", "vinnova": "strategic"}


class _Write(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TitleIn(_Write):
    """Swedish and English; one is enough for a draft, both are needed before `ready`."""

    sv: TitleText | None = None
    en: TitleText | None = None


class SummaryIn(_Write):
    sv: SummaryText | None = None
    en: SummaryText | None = None


class _CallFields(_Write):
    summary: SummaryIn | None = None
    technology_areas: list[AreaCode] | None = Field(
        default=None, max_length=10, description="Codes from GET /v1/technology-areas"
    )
    other_technology_area: Label | None = Field(
        default=None, description="Free-text name of the area when `other` is among the areas"
    )
    trl_min: Trl | None = None
    trl_max: Trl | None = None
    budget_sek: Sek | None = None
    max_award_sek: Sek | None = None
    opens_at: AwareIsoDateTime | None = None
    closes_at: AwareIsoDateTime | None = None
    decision_at: AwareIsoDateTime | None = None
    requires_ssh: Flag | None = None
    requires_multiple_heis: Flag | None = None
    requires_graduate_school: Flag | None = None
    url: Url | None = None


class CallCreate(_CallFields):
    stage: Stage
    title: TitleIn

    @model_validator(mode="after")
    def _title_in_one_language(self) -> CallCreate:
        if self.title.sv is None and self.title.en is None:
            raise ValueError("title needs at least one language (sv or en)")
        return self


# A PATCH may set these to another value but never to null.
NOT_NULLABLE = frozenset(
    {
        "stage",
        "title",
        "summary",
        "technology_areas",
        "requires_ssh",
        "requires_multiple_heis",
        "requires_graduate_school",
    }
)


class CallUpdate(_CallFields):
    """Only the fields sent change; `title` and `summary` merge per language (RFC 7396)."""

    stage: Stage | None = None
    title: TitleIn | None = None

    @model_validator(mode="after")
    def _no_null_for_required(self) -> CallUpdate:
        nulled = sorted(n for n in self.model_fields_set & NOT_NULLABLE if getattr(self, n) is None)
        if nulled:
            raise ValueError(f"may not be null: {', '.join(nulled)}")
        return self


class LocalizedText(BaseModel):
    sv: str | None
    en: str | None


class Call(BaseModel):
    id: str
    agency: Agency
    strand: Strand
    stage: Stage
    title: LocalizedText
    summary: LocalizedText
    technology_areas: list[str]
    other_technology_area: str | None
    trl_min: int | None
    trl_max: int | None
    budget_sek: int | None
    max_award_sek: int | None
    opens_at: Instant | None
    closes_at: Instant | None
    decision_at: Instant | None
    requires_ssh: bool
    requires_multiple_heis: bool
    requires_graduate_school: bool
    url: str | None
    status: Status
    coordination_id: str | None
    created_at: Instant
    updated_at: Instant
    ready_at: Instant | None
    published_at: Instant | None = Field(
        description="When the call became (or becomes, for a scheduled round) public"
    )
    closed_at: Instant | None
    decided_at: Instant | None
    cancelled_at: Instant | None
    version: int = Field(description="Counts the call's writes; the ETag is built from it")

    @classmethod
    def of(cls, call: models.Call) -> Call:
        return cls.model_validate(
            {
                **{name: getattr(call, name) for name in _COPIED},
                "title": LocalizedText(sv=call.title_sv, en=call.title_en),
                "summary": LocalizedText(sv=call.summary_sv, en=call.summary_en),
                "technology_areas": call.technology_areas,
            }
        )


_COPIED = tuple(
    name for name in Call.model_fields if name not in {"title", "summary", "technology_areas"}
)

CallPage = Page[Call]


class CallFilters(BaseModel):
    """Query of `GET /v1/calls`; repeated parameters (`status=draft&status=ready`) mean any."""

    model_config = ConfigDict(extra="forbid")

    status: list[Status] = Field(default_factory=list)
    agency: list[Agency] = Field(default_factory=list)
    stage: list[Stage] = Field(default_factory=list)
    technology_area: list[AreaCode] = Field(default_factory=list)
    closes_after: AwareIsoDateTime | None = None
    closes_before: AwareIsoDateTime | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=512)


class TechnologyArea(BaseModel):
    code: str
    name: LocalizedText
    strands: list[Strand] = Field(description="The strands whose calls may use the area (R14)")


class TechnologyAreaList(BaseModel):
    items: list[TechnologyArea]
