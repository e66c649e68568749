from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kit.instants import AwareIsoDateTime
from services.calls.schemas import Agency, AreaCode, Instant, LocalizedText, Stage, Strand

Phase = Literal["upcoming", "open", "closed"]
Sort = Literal["closes_at", "-closes_at", "updated_at", "-updated_at"]
Language = Literal["sv", "en"]
Words = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class FeedFilters(BaseModel):
    """Filters shared by the list and the feeds; repeated parameters mean any of them."""

    model_config = ConfigDict(extra="forbid")

    phase: list[Phase] = Field(default_factory=list, description="From the dates, now")
    agency: list[Agency] = Field(default_factory=list)
    technology_area: list[AreaCode] = Field(default_factory=list)
    stage: list[Stage] = Field(default_factory=list)
    q: Words | None = Field(
        default=None, description="Words that must all occur in the title or summary (sv or en)"
    )


class PublicFilters(FeedFilters):
    updated_since: AwareIsoDateTime | None = Field(
        default=None,
        description="Calls whose public record changed at or after this instant, including "
        "withdrawn (cancelled) ones, marked `withdrawn`, for mirrors to delete",
    )
    sort: Sort = Field(default="closes_at", description="`-` for descending; ties by id")
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=512)


class IcsQuery(FeedFilters):
    lang: Language = Field(default="en", description="Language of titles and descriptions")


class AtomQuery(IcsQuery):
    limit: int = Field(default=50, ge=1, le=200, description="The newest so many calls")


class PublicCall(BaseModel):
    id: str
    agency: Agency
    strand: Strand
    stage: Stage
    title: LocalizedText
    summary: LocalizedText
    technology_areas: list[str]
    other_technology_area: str | None
    trl_min: int
    trl_max: int
    budget_sek: int
    max_award_sek: int
    opens_at: Instant
    closes_at: Instant
    decision_at: Instant | None
    requires_ssh: bool
    requires_multiple_heis: bool
    requires_graduate_school: bool
    url: str | None
    status: Literal["published", "closed", "decided", "cancelled"]
    phase: Phase
    coordination_id: str | None
    published_at: Instant
    updated_at: Instant = Field(description="Last change of the public record")
    withdrawn: bool = Field(
        description="Cancelled after it was public; only in `updated_since` answers"
    )


class FacetCounts(BaseModel):
    """Counts over every call that matches the query (not only this page); absent = 0."""

    agency: dict[str, int]
    technology_area: dict[str, int]
    phase: dict[str, int]


class PublicCallPage(BaseModel):
    items: list[PublicCall]
    next_cursor: str | None
    total: int = Field(description="Calls matching the query, over all pages")
    facet_counts: FacetCounts
