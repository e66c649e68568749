"""Clusters keep every revision: the annual report reads a cluster as it was at `as_of`.

`cluster` is the identity (who created it, which revision is current); each write appends a
`cluster_revision` with its HEIs and partners as rows, so that the reporting aggregates are
plain SQL (counts and groups), not JSON picked apart in Python.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import UtcDateTime
from services.grants.base import Base


class Cluster(Base):
    __tablename__ = "cluster"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The agency that created the record; only it may change it (either agency may fund it).
    agency: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index(None, "created_at", "id"),)


class ClusterRevision(Base):
    __tablename__ = "cluster_revision"

    cluster_id: Mapped[str] = mapped_column(ForeignKey("cluster.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    technology_area: Mapped[str] = mapped_column(String(20))
    technology_area_label: Mapped[str | None] = mapped_column(String(200))
    graduate_school_name: Mapped[str | None] = mapped_column(String(300))
    graduate_school_type: Mapped[str | None] = mapped_column(String(30))
    doctoral_students: Mapped[int | None] = mapped_column(Integer)
    mobility_hei_hei: Mapped[int | None] = mapped_column(Integer)
    mobility_hei_industry: Mapped[int | None] = mapped_column(Integer)
    # Distinct institutions, lead included (R5), worked out once when the revision is written.
    hei_count: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    client_id: Mapped[str] = mapped_column(String(100))
    writer_agency: Mapped[str | None] = mapped_column(String(10))
    request_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (
        Index(None, "recorded_at"),
        CheckConstraint(
            "graduate_school_type IS NULL OR graduate_school_type IN "
            "('ai', 'groundbreaking_technology', 'stem')",
            name="graduate_school_type",
        ),
    )


class ClusterHei(Base):
    """A higher-education institution in one revision; `is_lead` marks the lead HEI."""

    __tablename__ = "cluster_hei"

    cluster_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    is_lead: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(300))
    org_number: Mapped[str | None] = mapped_column(String(11))
    ror: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        ForeignKeyConstraint(
            ["cluster_id", "revision"], ["cluster_revision.cluster_id", "cluster_revision.revision"]
        ),
    )


class ClusterPartner(Base):
    """An international partner (R6) in one revision."""

    __tablename__ = "cluster_partner"

    cluster_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    security_review: Mapped[str] = mapped_column(String(12))

    __table_args__ = (
        ForeignKeyConstraint(
            ["cluster_id", "revision"], ["cluster_revision.cluster_id", "cluster_revision.revision"]
        ),
        CheckConstraint(
            "security_review IN ('pending', 'cleared', 'restricted')", name="security_review"
        ),
    )
