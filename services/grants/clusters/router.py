"""Clusters: the agencies write them, the office and both agencies read them.

Either agency may fund any cluster, so both can read every cluster; only the agency that
created a cluster may change it (403 for the other one).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kit.pagination import Cursor, Limit, Page, link_next
from kit.problems import problem_responses
from services.grants.clusters import schemas, service
from services.grants.clusters.dependencies import IfMatch
from services.grants.common import Actor, AsOf, DbSession, Reader, Writer
from services.grants.vocabulary import TechnologyArea

router = APIRouter(prefix="/v1/clusters", tags=["clusters"])


@router.post("", status_code=201, responses=problem_responses(401, 403, 422))
def create_cluster(
    body: schemas.ClusterCreate, session: DbSession, principal: Writer, response: Response
) -> schemas.Cluster:
    cluster = service.create(session, data=body, actor=Actor.of(principal))
    response.headers["Location"] = f"/v1/clusters/{cluster.id}"
    response.headers["ETag"] = service.etag(cluster.revision)
    return cluster


@router.get("", responses=problem_responses(401, 403, 422))
def list_clusters(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    agency: str | None = None,
    technology_area: TechnologyArea | None = None,
) -> Page[schemas.Cluster]:
    items, next_cursor = service.list_page(
        session, limit=limit, cursor=cursor, agency=agency, technology_area=technology_area
    )
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.get("/{cluster_id}", responses=problem_responses(401, 403, 404, 422))
def get_cluster(
    cluster_id: str,
    session: DbSession,
    principal: Reader,
    response: Response,
    as_of: AsOf,
) -> schemas.Cluster:
    cluster = service.get(session, cluster_id=cluster_id, as_of=as_of)
    response.headers["ETag"] = service.etag(cluster.revision)
    return cluster


@router.patch("/{cluster_id}", responses=problem_responses(401, 403, 404, 412, 422, 428))
def update_cluster(
    cluster_id: str,
    body: schemas.ClusterUpdate,
    session: DbSession,
    principal: Writer,
    tags: IfMatch,
    response: Response,
) -> schemas.Cluster:
    cluster = service.update(
        session, cluster_id=cluster_id, changes=body, if_match=tags, actor=Actor.of(principal)
    )
    response.headers["ETag"] = service.etag(cluster.revision)
    return cluster
