from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kit.money import Sek

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
AppropriationStatus = Literal["estimate", "confirmed"]


class AppropriationPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code = Field(description='Appropriation item, e.g. "UO16 3:1 ap.5"')
    amount_sek: Sek
    # The agency writing its own figure is confirming it unless it says otherwise.
    status: AppropriationStatus = "confirmed"


class Appropriation(BaseModel):
    agency: str
    year: int
    code: str
    amount_sek: int
    status: AppropriationStatus
    revision: int
    committed_sek: int = Field(description="Commitments booked on the year, reversals netted")
    disbursed_sek: int
    recovered_sek: int
    net_disbursed_sek: int = Field(description="disbursed_sek - recovered_sek")
    remaining_sek: int = Field(description="amount_sek - committed_sek (R7 keeps it >= 0)")
    updated_at: datetime
    as_of: datetime
