"""Due dates are calendar days in Sweden: a report due on a day is on time all that day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# R12 (news item): "The projects are to have been concluded by 31 March 2026, when they are
# to have submitted a report".
PLANNING_DUE_ON = date(2026, 3, 31)


def annual_due_on(year: int) -> date:
    """R9: the joint report on year Y is due on 1 February of Y+1."""
    return date(year + 1, 2, 1)


def deadline(due_on: date) -> datetime:
    """The first instant that is late: midnight after the due day, Swedish time, in UTC."""
    return datetime.combine(due_on + timedelta(days=1), time(), STOCKHOLM).astimezone(UTC)


def is_late(due_on: date, at: datetime) -> bool:
    return at >= deadline(due_on)
