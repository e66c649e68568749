from datetime import datetime

from pydantic import BaseModel


class PlanningReport(BaseModel):
    grant_id: str
    agency: str
    submitted_at: datetime | None
    updated_at: datetime
