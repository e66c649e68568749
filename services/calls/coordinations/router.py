"""Coordinated rounds (api.md): the office creates and publishes them, members read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from kit.problems import problem_responses
from services.calls.coordinations import schemas, service
from services.calls.dependencies import Coordinator, CoordinatorActor, DbSession, Now, Reader

router = APIRouter(prefix="/v1/coordinations", tags=["coordinated rounds"])

CoordinationId = Annotated[str, Path(max_length=36)]


@router.post(
    "",
    status_code=201,
    summary="Create a coordinated round from calls of both agencies (office)",
    description="Members must exist, be draft or ready and belong to no other round; "
    "calls of both agencies are needed (R13). From then on a member is published only "
    "through its round.",
    responses={
        201: {"headers": {"Location": {"schema": {"type": "string"}}}},
        **problem_responses(403, 409, 422),
    },
)
def create_coordination(
    body: schemas.CoordinationCreate,
    response: Response,
    session: DbSession,
    actor: CoordinatorActor,
    now: Now,
) -> schemas.Coordination:
    coordination = service.create_coordination(session, actor=actor, data=body, now=now)
    response.headers["Location"] = f"/v1/coordinations/{coordination.id}"
    return service.view(coordination, now=now)


@router.get(
    "/{coordination_id}",
    summary="A coordinated round and each member's status (office, member agencies)",
    responses=problem_responses(403, 404),
)
def get_coordination(
    coordination_id: CoordinationId, session: DbSession, principal: Reader, now: Now
) -> schemas.Coordination:
    coordination = service.get_coordination(session, coordination_id, principal=principal)
    return service.view(coordination, now=now)


@router.post(
    "/{coordination_id}/publish",
    summary="Publish every member at one instant, or none (office)",
    description="All members must be `ready`; otherwise 409 names those that are not and "
    "nothing changes. With `publish_at` ahead, the calls are `published` now and public "
    "from that instant.",
    responses=problem_responses(403, 404, 409),
)
def publish_coordination(
    coordination_id: CoordinationId,
    session: DbSession,
    principal: Coordinator,
    actor: CoordinatorActor,
    now: Now,
) -> schemas.Coordination:
    coordination = service.get_coordination(
        session, coordination_id, principal=principal, lock=True
    )
    service.publish_coordination(session, coordination=coordination, actor=actor, now=now)
    return service.view(coordination, now=now)
