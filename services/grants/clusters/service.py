"""Cluster use cases. Every write appends a revision; nothing is overwritten."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.db import utcnow
from kit.pagination import after, decode_cursor, encode_cursor
from kit.problems import RuleViolation, Unprocessable
from services.grants.clusters import repository, schemas
from services.grants.clusters.exceptions import ClusterChanged, ClusterNotFound, ClusterNotYours
from services.grants.clusters.heis import distinct_count
from services.grants.clusters.models import Cluster, ClusterHei, ClusterPartner, ClusterRevision
from services.grants.common import Actor
from services.grants.vocabulary import VINNOVA_AREAS, area_allowed


def etag(revision: int) -> str:
    return f'"{revision}"'


def create(session: Session, *, data: schemas.ClusterCreate, actor: Actor) -> schemas.Cluster:
    agency = actor.agency or ""
    _check_area(agency, data.technology_area)
    now = utcnow()
    cluster = Cluster(
        id=str(uuid.uuid4()), agency=agency, revision=1, created_at=now, updated_at=now
    )
    session.add(cluster)
    session.flush()
    _append_revision(session, cluster, 1, data, actor, now)
    return repository.views(session, [(cluster, 1)])[0]


def update(
    session: Session,
    *,
    cluster_id: str,
    changes: schemas.ClusterUpdate,
    if_match: list[str],
    actor: Actor,
) -> schemas.Cluster:
    # The row lock (PostgreSQL; SQLite writers are serialised already) makes "check the
    # ETag, append revision n+1" one step, so two editors cannot both win.
    cluster = repository.get(session, cluster_id, lock=True)
    if cluster is None:
        raise ClusterNotFound(f"No cluster {cluster_id}.")
    if cluster.agency != actor.agency:
        raise ClusterNotYours(
            f"The cluster was created by {cluster.agency}; only it may change it."
        )
    if "*" not in if_match and etag(cluster.revision) not in if_match:
        raise ClusterChanged(
            f"The cluster is at revision {cluster.revision}; read it again and retry.",
            current_etag=etag(cluster.revision),
        )
    current = repository.views(session, [(cluster, cluster.revision)])[0]
    merged = current.model_dump(include=set(schemas.ClusterCreate.model_fields))
    merged.update(changes.model_dump(exclude_unset=True))
    sent = changes.model_fields_set
    if "technology_area" in sent and "technology_area_label" not in sent:
        # A new area drops the old free-text label unless the area is (still) "other".
        if merged["technology_area"] != "other":
            merged["technology_area_label"] = None
    try:
        data = schemas.ClusterCreate.model_validate(merged)
    except ValidationError as exc:
        errors = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()]
        raise Unprocessable("The updated cluster is not valid.", errors=errors) from exc
    _check_area(cluster.agency, data.technology_area)
    now = utcnow()
    cluster.revision += 1
    cluster.updated_at = now
    _append_revision(session, cluster, cluster.revision, data, actor, now)
    return repository.views(session, [(cluster, cluster.revision)])[0]


def get(session: Session, *, cluster_id: str, as_of: datetime | None = None) -> schemas.Cluster:
    cluster = repository.get(session, cluster_id)
    if cluster is None:
        raise ClusterNotFound(f"No cluster {cluster_id}.")
    revision = cluster.revision
    if as_of is not None:
        found = repository.revision_at(session, cluster_id, as_of)
        if found is None:
            raise ClusterNotFound(f"Cluster {cluster_id} did not exist at {as_of.isoformat()}.")
        revision = found
    return repository.views(session, [(cluster, revision)])[0]


def list_page(
    session: Session,
    *,
    limit: int,
    cursor: str | None,
    agency: str | None,
    technology_area: str | None,
) -> tuple[list[schemas.Cluster], str | None]:
    query = select(Cluster).order_by(Cluster.created_at, Cluster.id)
    if agency is not None:
        query = query.where(Cluster.agency == agency)
    if technology_area is not None:
        current = select(ClusterRevision.cluster_id).where(
            ClusterRevision.cluster_id == Cluster.id,
            ClusterRevision.revision == Cluster.revision,
            ClusterRevision.technology_area == technology_area,
        )
        query = query.where(current.exists())
    if cursor:
        created_at, cluster_id = decode_cursor(cursor, 2)
        keys = [(Cluster.created_at, False), (Cluster.id, False)]
        query = query.where(after(keys, [datetime.fromisoformat(created_at), cluster_id]))
    rows = list(session.scalars(query.limit(limit + 1)))
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor([page[-1].created_at.isoformat(), page[-1].id])
    return repository.views(session, [(c, c.revision) for c in page]), next_cursor


def _check_area(agency: str, area: str) -> None:
    if not area_allowed(agency, area):
        allowed = ", ".join(sorted(VINNOVA_AREAS))
        raise RuleViolation(
            "R14",
            f"Vinnova's strategic strand covers only {allowed}; '{area}' is not one of them.",
            technology_area=area,
        )


def _append_revision(
    session: Session,
    cluster: Cluster,
    number: int,
    data: schemas.ClusterCreate,
    actor: Actor,
    now: datetime,
) -> None:
    heis = [data.lead_hei, *data.participating_heis]
    school = data.graduate_school
    session.add(
        ClusterRevision(
            cluster_id=cluster.id,
            revision=number,
            name=data.name,
            technology_area=data.technology_area,
            technology_area_label=data.technology_area_label,
            graduate_school_name=school.name if school else None,
            graduate_school_type=school.type if school else None,
            doctoral_students=school.doctoral_students if school else None,
            mobility_hei_hei=school.mobility_placements.hei_hei if school else None,
            mobility_hei_industry=school.mobility_placements.hei_industry if school else None,
            hei_count=distinct_count(heis),
            recorded_at=now,
            client_id=actor.client_id,
            writer_agency=actor.agency,
            request_id=actor.request_id,
        )
    )
    session.flush()
    session.add_all(
        ClusterHei(
            cluster_id=cluster.id,
            revision=number,
            position=i,
            is_lead=i == 0,
            name=hei.name,
            org_number=hei.org_number,
            ror=hei.ror,
        )
        for i, hei in enumerate(heis)
    )
    session.add_all(
        ClusterPartner(
            cluster_id=cluster.id,
            revision=number,
            position=i,
            organisation=p.organisation,
            country=p.country,
            security_review=p.security_review,
        )
        for i, p in enumerate(data.international_partners)
    )
    session.flush()
