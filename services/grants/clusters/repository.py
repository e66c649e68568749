"""Reading clusters: the current revision, or the one that was current at an instant."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from services.grants.clusters import schemas
from services.grants.clusters.models import Cluster, ClusterHei, ClusterPartner, ClusterRevision
from services.grants.vocabulary import GraduateSchoolType, SecurityReview, TechnologyArea

Key = tuple[str, int]


def get(session: Session, cluster_id: str, *, lock: bool = False) -> Cluster | None:
    query = select(Cluster).where(Cluster.id == cluster_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def revision_at(session: Session, cluster_id: str, as_of: datetime) -> int | None:
    revision: int | None = session.scalar(
        select(func.max(ClusterRevision.revision)).where(
            ClusterRevision.cluster_id == cluster_id, ClusterRevision.recorded_at <= as_of
        )
    )
    return revision


def current_revisions_at(as_of: datetime) -> Select[str, int]:
    """(cluster_id, revision) of every cluster's revision that was current at `as_of`."""
    return (
        select(ClusterRevision.cluster_id, func.max(ClusterRevision.revision).label("revision"))
        .where(ClusterRevision.recorded_at <= as_of)
        .group_by(ClusterRevision.cluster_id)
    )


def views(session: Session, clusters: Sequence[tuple[Cluster, int]]) -> list[schemas.Cluster]:
    """Each (cluster, revision) as its read schema, with three queries for the whole page."""
    keys: list[Key] = [(cluster.id, revision) for cluster, revision in clusters]
    if not keys:
        return []
    revisions = {
        (r.cluster_id, r.revision): r
        for r in session.scalars(
            select(ClusterRevision).where(
                tuple_(ClusterRevision.cluster_id, ClusterRevision.revision).in_(keys)
            )
        )
    }
    heis: dict[Key, list[ClusterHei]] = defaultdict(list)
    for hei in session.scalars(
        select(ClusterHei)
        .where(tuple_(ClusterHei.cluster_id, ClusterHei.revision).in_(keys))
        .order_by(ClusterHei.position)
    ):
        heis[hei.cluster_id, hei.revision].append(hei)
    partners: dict[Key, list[ClusterPartner]] = defaultdict(list)
    for partner in session.scalars(
        select(ClusterPartner)
        .where(tuple_(ClusterPartner.cluster_id, ClusterPartner.revision).in_(keys))
        .order_by(ClusterPartner.position)
    ):
        partners[partner.cluster_id, partner.revision].append(partner)
    return [
        _view(cluster, revisions[key], heis[key], partners[key])
        for (cluster, _), key in zip(clusters, keys, strict=True)
    ]


def _view(
    cluster: Cluster,
    revision: ClusterRevision,
    heis: list[ClusterHei],
    partners: list[ClusterPartner],
) -> schemas.Cluster:
    lead = next(h for h in heis if h.is_lead)
    school = None
    if revision.graduate_school_name is not None:
        school = schemas.GraduateSchool.model_construct(
            name=revision.graduate_school_name,
            type=cast(GraduateSchoolType, revision.graduate_school_type),
            doctoral_students=revision.doctoral_students or 0,
            mobility_placements=schemas.MobilityPlacements.model_construct(
                hei_hei=revision.mobility_hei_hei or 0,
                hei_industry=revision.mobility_hei_industry or 0,
            ),
        )
    return schemas.Cluster.model_construct(
        id=cluster.id,
        agency=cluster.agency,
        revision=revision.revision,
        name=revision.name,
        lead_hei=_hei(lead),
        participating_heis=[_hei(h) for h in heis if not h.is_lead],
        technology_area=cast(TechnologyArea, revision.technology_area),
        technology_area_label=revision.technology_area_label,
        international_partners=[
            schemas.Partner.model_construct(
                organisation=p.organisation,
                country=p.country,
                security_review=cast(SecurityReview, p.security_review),
            )
            for p in partners
        ],
        graduate_school=school,
        hei_count=revision.hei_count,
        created_at=cluster.created_at,
        updated_at=revision.recorded_at,
    )


def _hei(hei: ClusterHei) -> schemas.Hei:
    return schemas.Hei.model_construct(name=hei.name, org_number=hei.org_number, ror=hei.ror)
