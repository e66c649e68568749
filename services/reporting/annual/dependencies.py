"""Path and query pieces shared by the annual-report routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from services.reporting.annual import service

Year = Annotated[
    int, Path(ge=2025, le=2100, description="The report year (the programme starts in 2025)")
]


def year_open(year: Year, request: Request) -> None:
    """Refuses a build of a locked year before the owners are asked for anything.

    This reads on its own short session: the build's write session would otherwise hold the
    database's write lock (SQLite) while the owners compute their aggregates. The build
    checks again under the year's lock before it stores anything.
    """
    with request.app.state.database.reader() as session:
        service.ensure_open(session, year)


YearOpen = Depends(year_open)
