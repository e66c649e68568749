"""Planning final reports (R12): an agency writes its planning grant's report; the office
follows which are due, complete, missing parts or overdue.

Every PUT that changes something is a new revision; nothing is overwritten, so an annual
report read as of an earlier instant still sees the report as it was then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.reporting.aggregates import PlanningGrant
from services.reporting.deadlines import PLANNING_DUE_ON, is_late
from services.reporting.models import PlanningReport as Head
from services.reporting.models import PlanningReportRevision as Revision
from services.reporting.planning import repository, schemas
from services.reporting.planning.exceptions import (
    NotAPlanningGrant,
    PlanningGrantNotFound,
    PlanningReportNotFound,
    StaleReport,
)
from services.reporting.planning.parts import missing_parts
from services.reporting.upstream import Owners


def etag(head: Head) -> str:
    return f'"{head.grant_id}.{head.revision}"'


def _flatten(body: schemas.PlanningReportBody) -> dict[str, str | None]:
    impact = body.societal_impact or schemas.SocietalImpact()
    return {
        "field_analysis": body.field_analysis,
        "collaboration_strategy": body.collaboration_strategy,
        "societal_impact": impact.assessment,
        "security_implications": impact.security_implications,
    }


def _check_if_match(head: Head | None, if_match: str | None) -> None:
    if if_match is None:
        return
    tags = {t.strip() for t in if_match.split(",")}
    if head is None or not ("*" in tags or etag(head) in tags):
        raise StaleReport(
            "If-Match does not name the report's current ETag; read it again and retry."
        )


def put(
    session: Session,
    owners: Owners,
    *,
    grant_id: str,
    agency: str,
    body: schemas.PlanningReportBody,
    if_match: str | None,
    by: str,
    now: datetime,
) -> tuple[Head, Revision, bool]:
    """Stores the parts as the report's new revision; True when the report is new."""
    grant = owners.grant(grant_id)
    if grant is None or grant.agency != agency:
        raise PlanningGrantNotFound(f"Your agency has no grant {grant_id}.")
    if grant.stage != "planning":
        raise NotAPlanningGrant(grant.stage)
    head = repository.report(session, grant_id, lock=True)
    _check_if_match(head, if_match)
    values = _flatten(body)
    created = head is None
    if head is None:
        head = Head(
            grant_id=grant_id,
            agency=agency,
            registration_number=grant.registration_number,
            revision=0,
            submitted_at=now,
            updated_at=now,
        )
        try:
            # two first PUTs at once: the second finds the first's row and adds a revision
            with session.begin_nested():
                session.add(head)
        except IntegrityError:
            head = repository.report(session, grant_id, lock=True)
            assert head is not None
            created = False
    else:
        current = repository.revision(session, grant_id, head.revision)
        if current is not None and repository.parts(current) == values:
            return head, current, False  # the same report again changes nothing
    head.revision += 1
    head.updated_at = now
    revision = Revision(
        grant_id=grant_id, revision=head.revision, recorded_at=now, recorded_by=by, **values
    )
    session.add(revision)
    session.flush()
    return head, revision, created


def read(session: Session, *, grant_id: str, agency: str | None) -> tuple[Head, Revision]:
    """The current report; another agency's report is as unknown as a missing one."""
    head = repository.report(session, grant_id)
    if head is None or (agency is not None and head.agency != agency):
        raise PlanningReportNotFound(f"No final report has been submitted for grant {grant_id}.")
    revision = repository.revision(session, grant_id, head.revision)
    assert revision is not None  # the head always names a stored revision
    return head, revision


def view(head: Head, revision: Revision, *, now: datetime) -> schemas.PlanningReport:
    parts = repository.parts(revision)
    missing = missing_parts(parts)
    return schemas.PlanningReport(
        **_status(head, missing, now=now).model_dump(),
        field_analysis=parts["field_analysis"],
        collaboration_strategy=parts["collaboration_strategy"],
        societal_impact=schemas.SocietalImpact(
            assessment=parts["societal_impact"],
            security_implications=parts["security_implications"],
        ),
    )


def _status(
    head: Head, missing: list[str], *, now: datetime, cluster_name: str | None = None
) -> schemas.PlanningReportStatus:
    return schemas.PlanningReportStatus(
        grant_id=head.grant_id,
        agency=head.agency,
        registration_number=head.registration_number,
        cluster_name=cluster_name,
        due_on=PLANNING_DUE_ON,
        submitted=True,
        submitted_at=head.submitted_at,
        updated_at=head.updated_at,
        revision=head.revision,
        complete=not missing,
        missing_parts=missing,
        overdue=bool(missing) and is_late(PLANNING_DUE_ON, now),
    )


def _unsubmitted(grant: PlanningGrant, *, now: datetime) -> schemas.PlanningReportStatus:
    missing = missing_parts({})
    return schemas.PlanningReportStatus(
        grant_id=grant.grant_id,
        agency=grant.agency,
        registration_number=grant.registration_number,
        cluster_name=grant.cluster_name,
        due_on=PLANNING_DUE_ON,
        submitted=False,
        submitted_at=None,
        updated_at=None,
        revision=None,
        complete=False,
        missing_parts=missing,
        overdue=is_late(PLANNING_DUE_ON, now),
    )


def overview(
    session: Session, owners: Owners, *, now: datetime
) -> Sequence[schemas.PlanningReportStatus]:
    """Every planning grant (from the grants service) with its report's state, by grant id.

    Reports whose grant the grants service no longer lists are kept in the list: what was
    submitted stays visible.
    """
    grants = {g.grant_id: g for g in owners.planning_grants(now)}
    reports = {head.grant_id: (head, rev) for head, rev in repository.current(session)}
    lines = []
    for grant_id in sorted(set(grants) | set(reports)):
        grant = grants.get(grant_id)
        if grant_id in reports:
            head, rev = reports[grant_id]
            cluster = grant.cluster_name if grant else None
            lines.append(
                _status(head, missing_parts(repository.parts(rev)), now=now, cluster_name=cluster)
            )
        elif grant is not None:
            lines.append(_unsubmitted(grant, now=now))
    return lines
