"""All tables of the grants service, so that `Base.metadata` is complete for Alembic.

Each domain keeps its tables in its own `models.py`; importing them here is what registers
them on the shared metadata (the migrations and the test harness read `Base` from here).
"""

from __future__ import annotations

from services.grants.appropriations.models import Appropriation, AppropriationRevision
from services.grants.base import Base
from services.grants.clusters.models import Cluster, ClusterHei, ClusterPartner, ClusterRevision
from services.grants.grants.models import Grant, GrantYear
from services.grants.idempotency.models import IdempotencyKey
from services.grants.ledger.models import LedgerEntry

__all__ = [
    "Appropriation",
    "AppropriationRevision",
    "Base",
    "Cluster",
    "ClusterHei",
    "ClusterPartner",
    "ClusterRevision",
    "Grant",
    "GrantYear",
    "IdempotencyKey",
    "LedgerEntry",
]
