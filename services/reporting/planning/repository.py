"""Planning reports' queries: the current revision, and the revision current at an instant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from services.reporting.models import PlanningReport, PlanningReportRevision
from services.reporting.planning.parts import PlanningRecord, missing_parts

Revision = PlanningReportRevision


def report(session: Session, grant_id: str, *, lock: bool = False) -> PlanningReport | None:
    return session.get(PlanningReport, grant_id, with_for_update=lock)


def revision(session: Session, grant_id: str, number: int) -> Revision | None:
    return session.get(Revision, (grant_id, number))


def current(session: Session) -> Sequence[tuple[PlanningReport, Revision]]:
    rows = session.execute(
        select(PlanningReport, Revision)
        .join(
            Revision,
            and_(
                Revision.grant_id == PlanningReport.grant_id,
                Revision.revision == PlanningReport.revision,
            ),
        )
        .order_by(PlanningReport.grant_id)
    ).all()
    return [(head, rev) for head, rev in rows]


def as_of(session: Session, instant: datetime) -> tuple[list[PlanningRecord], str]:
    """Each report as it stood at `instant`, and the SQL that read them (for `sources`)."""
    latest = (
        select(Revision.grant_id, func.max(Revision.revision).label("revision"))
        .where(Revision.recorded_at <= instant)
        .group_by(Revision.grant_id)
        .subquery()
    )
    query = (
        select(Revision, PlanningReport.submitted_at)
        .join(
            latest,
            and_(Revision.grant_id == latest.c.grant_id, Revision.revision == latest.c.revision),
        )
        .join(PlanningReport, PlanningReport.grant_id == Revision.grant_id)
        .order_by(Revision.grant_id)
    )
    records = [
        PlanningRecord(
            grant_id=rev.grant_id,
            submitted_at=submitted_at,
            missing_parts=missing_parts(parts(rev)),
        )
        for rev, submitted_at in session.execute(query)
    ]
    return records, str(query.compile(dialect=session.get_bind().dialect))


def parts(rev: Revision) -> dict[str, str | None]:
    return {
        "field_analysis": rev.field_analysis,
        "collaboration_strategy": rev.collaboration_strategy,
        "societal_impact": rev.societal_impact,
        "security_implications": rev.security_implications,
    }
