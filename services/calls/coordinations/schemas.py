from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kit.instants import AwareIsoDateTime
from services.calls.schemas import Agency, Instant, Status

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
CallIdIn = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class CoordinationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    call_ids: list[CallIdIn] = Field(
        min_length=2, max_length=50, description="Calls of both agencies, in draft or ready"
    )
    publish_at: AwareIsoDateTime | None = Field(
        default=None,
        description="A future instant from which the published calls are public; "
        "without it they are public as soon as the round is published",
    )


class Member(BaseModel):
    id: str
    agency: Agency
    status: Status
    opens_at: Instant | None
    closes_at: Instant | None
    published_at: Instant | None


class Coordination(BaseModel):
    id: str
    name: str
    status: Literal["draft", "scheduled", "published"] = Field(
        description="`scheduled`: published, with the calls public from `published_at`"
    )
    publish_at: Instant | None
    published_at: Instant | None
    call_ids: list[str]
    members: list[Member]
    created_at: Instant
    updated_at: Instant
