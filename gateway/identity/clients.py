"""Registering clients in the gateway's store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.identity.models import Client
from gateway.identity.roles import ROLE_SCOPES
from gateway.identity.secrets import hash_secret, new_secret, verify_secret


def register(
    session: Session,
    *,
    client_id: str,
    name: str,
    role: str,
    agency: str | None = None,
    secret: str | None = None,
) -> str:
    """Adds a client (or resets its secret) and returns the plain secret, shown only once."""
    if role not in ROLE_SCOPES:
        raise ValueError(f"unknown role {role!r}")
    if (role == "agency") != (agency is not None):
        raise ValueError("an agency client names its agency; no other client does")
    secret = secret or new_secret()
    client = session.get(Client, client_id)
    if client is None:
        client = Client(client_id=client_id)
        session.add(client)
    client.name, client.role, client.agency = name, role, agency
    client.scopes = " ".join(sorted(ROLE_SCOPES[role]))
    client.secret_hash = hash_secret(secret)
    client.disabled_at = None
    session.flush()
    return secret


def secret_matches(session: Session, client_id: str, secret: str) -> bool:
    client = session.scalars(select(Client).where(Client.client_id == client_id)).first()
    return client is not None and verify_secret(secret, client.secret_hash)
