from datetime import datetime

from pydantic import BaseModel


class Grant(BaseModel):
    id: str
    agency: str
    call_id: str
    registration_number: str
    status: str
    created_at: datetime
