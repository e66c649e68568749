"""The annual report's use cases: build a version, approve it, submit it, read it.

Every write of a year first locks the year's row, so a build, an approval and a submission
of the same year never interleave: a submission cannot slip in between a build's lock check
and its insert, and an approval cannot land on a year that was just submitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from kit.pagination import encode_cursor
from services.reporting.annual import repository
from services.reporting.annual.builder import AGENCIES, Gathered, build
from services.reporting.annual.content import ReportContent, canonical_content, checksum
from services.reporting.annual.exceptions import (
    AsOfInFuture,
    NotApprovedByBoth,
    ReportNotFound,
    VersionNotFound,
    YearLocked,
)
from services.reporting.annual.schemas import Approval, ApprovalState, Submission, VersionFacts
from services.reporting.deadlines import annual_due_on, is_late
from services.reporting.models import AnnualReport, AnnualReportApproval, AnnualReportVersion
from services.reporting.planning import repository as planning
from services.reporting.upstream import Owners


def resolve_as_of(requested: datetime | None, now: datetime) -> datetime:
    """The instant to read at, in UTC: the same instant written in another zone must give
    the same content, and so the same checksum."""
    if requested is None:
        return now.astimezone(UTC)
    if requested > now:
        raise AsOfInFuture(
            "A report reads data as of an instant that has passed; data recorded later could "
            "still change what it shows.",
            parameter="as_of",
        )
    return requested.astimezone(UTC)


def ensure_open(session: Session, year: int) -> None:
    record = repository.year(session, year)
    if record is not None:
        _refuse_if_locked(record)


def _refuse_if_locked(record: AnnualReport) -> None:
    if record.submitted_version is not None:
        raise YearLocked(
            f"The {record.year} report was submitted (version {record.submitted_version}); "
            "every version stays readable, nothing more can change.",
            submitted_version=record.submitted_version,
        )


def gather(session: Session, owners: Owners, *, year: int, as_of: datetime) -> Gathered:
    calls, grants, provenance = owners.annual(year, as_of)
    records, planning_sql = planning.as_of(session, as_of)
    return Gathered(
        year=year,
        as_of=as_of,
        calls=calls,
        grants=grants,
        planning=records,
        provenance={**provenance, "reporting.planning_reports": planning_sql},
    )


def store_version(
    session: Session, *, content: ReportContent, built_by: str, now: datetime
) -> AnnualReportVersion:
    record = repository.lock_or_create_year(session, content.year, now=now)
    _refuse_if_locked(record)
    canonical = canonical_content(content)
    record.latest_version += 1
    row = AnnualReportVersion(
        year=content.year,
        version=record.latest_version,
        built_at=now,
        built_by=built_by,
        as_of=content.as_of,
        checksum=checksum(canonical),
        rules_version=content.rules_version,
        content=canonical,
    )
    session.add(row)
    session.flush()
    return row


def build_version(
    session: Session, owners: Owners, *, year: int, as_of: datetime, built_by: str, now: datetime
) -> AnnualReportVersion:
    return store_version(
        session,
        content=build(gather(session, owners, year=year, as_of=as_of)),
        built_by=built_by,
        now=now,
    )


def built_year(session: Session, year: int, *, lock: bool = False) -> AnnualReport:
    record = repository.year(session, year, lock=lock)
    if record is None or record.latest_version == 0:
        raise ReportNotFound(f"No report has been built for {year}.")
    return record


def find_version(session: Session, year: int, number: int | None) -> AnnualReportVersion:
    record = built_year(session, year)
    row = repository.version(session, year, number or record.latest_version)
    if row is None:
        raise VersionNotFound(f"The {year} report has no version {number}.")
    return row


def list_versions(
    session: Session, year: int, *, after: int | None, limit: int, now: datetime
) -> tuple[list[VersionFacts], str | None]:
    """Newest first; `after` is the last version number of the previous page."""
    record = built_year(session, year)
    approvals = repository.approvals(session, year)
    rows = repository.versions(session, year, before=after, limit=limit + 1)
    items = [_facts(row, record, approvals, now=now) for row in rows[:limit]]
    return items, encode_cursor([rows[limit - 1].version]) if len(rows) > limit else None


def facts(session: Session, row: AnnualReportVersion, *, now: datetime) -> VersionFacts:
    record = repository.year(session, row.year)
    assert record is not None  # a version exists only under its year's row
    return _facts(row, record, repository.approvals(session, row.year), now=now)


def _facts(
    row: AnnualReportVersion,
    record: AnnualReport,
    approvals: Sequence[AnnualReportApproval],
    *,
    now: datetime,
) -> VersionFacts:
    due_on = annual_due_on(row.year)
    submitted = record.submitted_version == row.version
    return VersionFacts(
        year=row.year,
        version=row.version,
        built_at=row.built_at,
        built_by=row.built_by,
        as_of=row.as_of,
        checksum=row.checksum,
        rules_version=row.rules_version,
        due_on=due_on,
        overdue=is_late(due_on, record.submitted_at or now),
        approved_by=[a.agency for a in approvals if a.version == row.version],
        submitted=submitted,
        submitted_at=record.submitted_at if submitted else None,
        locked=record.submitted_version is not None,
    )


def approve(
    session: Session, *, year: int, version: int, agency: str, by: str, now: datetime
) -> ApprovalState:
    record = built_year(session, year, lock=True)
    _refuse_if_locked(record)
    if repository.version(session, year, version) is None:
        raise VersionNotFound(f"The {year} report has no version {version}.")
    approval = session.get(AnnualReportApproval, (year, agency))
    if approval is None:
        session.add(
            AnnualReportApproval(
                year=year, agency=agency, version=version, approved_at=now, approved_by=by
            )
        )
    elif approval.version != version:
        # an agency stands behind one version: approving another moves its approval
        approval.version, approval.approved_at, approval.approved_by = version, now, by
    session.flush()
    return approval_state(session, year)


def approval_state(session: Session, year: int) -> ApprovalState:
    return ApprovalState(
        year=year,
        approvals=[
            Approval(
                agency=a.agency,
                version=a.version,
                approved_at=a.approved_at,
                approved_by=a.approved_by,
            )
            for a in repository.approvals(session, year)
        ],
    )


def submit(session: Session, *, year: int, version: int, by: str, now: datetime) -> Submission:
    record = built_year(session, year, lock=True)
    row = repository.version(session, year, version)
    if row is None:
        raise VersionNotFound(f"The {year} report has no version {version}.")
    if record.submitted_version is not None:
        if record.submitted_version != version:
            _refuse_if_locked(record)
        # the same submission again (a retry) answers what was recorded the first time
        return _submission(record, row)
    approved = {a.agency: a.version for a in repository.approvals(session, year)}
    missing = [agency for agency in AGENCIES if approved.get(agency) != version]
    if missing:
        raise NotApprovedByBoth(version=version, missing=missing)
    record.submitted_version, record.submitted_at, record.submitted_by = version, now, by
    session.flush()
    return _submission(record, row)


def _submission(record: AnnualReport, row: AnnualReportVersion) -> Submission:
    assert record.submitted_at is not None
    assert record.submitted_by is not None
    due_on = annual_due_on(record.year)
    return Submission(
        year=record.year,
        version=row.version,
        checksum=row.checksum,
        submitted_at=record.submitted_at,
        submitted_by=record.submitted_by,
        due_on=due_on,
        on_time=not is_late(due_on, record.submitted_at),
    )
