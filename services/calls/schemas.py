from datetime import datetime

from pydantic import BaseModel


class Call(BaseModel):
    id: str
    agency: str
    status: str
    created_at: datetime
    updated_at: datetime
