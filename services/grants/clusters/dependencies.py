from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from services.grants.clusters.exceptions import IfMatchRequired


def if_match(
    value: Annotated[
        str | None, Header(alias="If-Match", description="The ETag of the cluster as read")
    ] = None,
) -> list[str]:
    """The entity tags of `If-Match` (RFC 9110 13.1.1); weak tags never match a write."""
    if value is None or not value.strip():
        raise IfMatchRequired("Send If-Match with the ETag from your last read of the cluster.")
    return [tag.strip() for tag in value.split(",") if not tag.strip().startswith("W/")]


IfMatch = Annotated[list[str], Depends(if_match)]
