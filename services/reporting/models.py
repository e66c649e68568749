"""The reporting service's tables.

Annual reports are immutable snapshots (R15): a version row is written once and never
updated. What changes over a year's life (the latest version number, each agency's approval,
the submission that locks the year) lives in separate rows, so a snapshot never has to be
touched. Planning final reports (R12) keep every revision, so an annual report rebuilt with
the same `as_of` sees the same planning reports.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import UtcDateTime, make_metadata, utcnow


class Base(DeclarativeBase):
    metadata = make_metadata()


class AnnualReport(Base):
    """One row per report year: the version counter and the submission lock (R9)."""

    __tablename__ = "annual_report"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_version: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(100))


class AnnualReportVersion(Base):
    """A built report, never changed: `content` is the canonical JSON that `checksum` hashes."""

    __tablename__ = "annual_report_version"

    year: Mapped[int] = mapped_column(ForeignKey("annual_report.year"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    built_at: Mapped[datetime] = mapped_column(UtcDateTime)
    built_by: Mapped[str] = mapped_column(String(100))
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)
    checksum: Mapped[str] = mapped_column(String(64))
    rules_version: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)


class AnnualReportApproval(Base):
    """An agency's approval of one version of a year's report; approving another moves it."""

    __tablename__ = "annual_report_approval"
    __table_args__ = (
        ForeignKeyConstraint(
            ["year", "version"], ["annual_report_version.year", "annual_report_version.version"]
        ),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    agency: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_by: Mapped[str] = mapped_column(String(100))


class PlanningReport(Base):
    """A planning grant's final report (R12); the grant itself lives in the grants service."""

    __tablename__ = "planning_report"

    grant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agency: Mapped[str] = mapped_column(String(20), index=True)
    registration_number: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PlanningReportRevision(Base):
    """Each PUT of a planning report, kept so that reports can be read as of an instant."""

    __tablename__ = "planning_report_revision"

    grant_id: Mapped[str] = mapped_column(ForeignKey("planning_report.grant_id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    field_analysis: Mapped[str | None] = mapped_column(Text)
    collaboration_strategy: Mapped[str | None] = mapped_column(Text)
    societal_impact: Mapped[str | None] = mapped_column(Text)
    security_implications: Mapped[str | None] = mapped_column(Text)
