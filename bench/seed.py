"""Data for the benchmarks.

Small amounts are made through the public API as agency systems would (calls, clusters,
appropriations, the odd grant). Volumes (10,000 grants, a million ledger entries) would take
hours that way, so `bulk_grants` and `bulk_ledger` write them straight into the grants
service's tables, keeping every invariant the service keeps: each grant under a closed call
of its own agency, plans within the appropriation (R7) and the call's maximum (R11), SSH
every year (R3), a commitment before any disbursement, running balances that never go
negative, each reversal undoing one earlier entry of the same grant once, and times that
grow with the ids.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Connection, func, insert, select, text

from kit.db import Database, utcnow
from services.grants.base import Base
from services.grants.grants.models import Grant, GrantYear
from services.grants.ledger.models import LedgerEntry
from tools.throwaway import ThrowawayStack

VINNOVA_AREAS = ("ai", "semiconductors", "quantum", "energy", "materials", "biotechnology")


def closed_call(
    client: httpx.Client,
    *,
    stage: str = "establishment",
    max_award_sek: int = 200_000_000,
    area: str = "ai",
) -> str:
    """A call that opened and closed in the past: created, made ready, published, closed."""
    opened = datetime(2026, 3, 1, 9, tzinfo=UTC)
    body = {
        "stage": stage,
        "title": {"sv": "Excellenskluster", "en": "Excellence clusters"},
        "summary": {"sv": "Etablering av kluster.", "en": "Establishing clusters."},
        "technology_areas": [area],
        "trl_min": 1,
        "trl_max": 9,
        "budget_sek": max_award_sek * 10,
        "max_award_sek": max_award_sek,
        "opens_at": opened.isoformat(),
        "closes_at": (opened + timedelta(days=60)).isoformat(),
        "decision_at": (opened + timedelta(days=120)).isoformat(),
        "requires_ssh": True,
        "requires_multiple_heis": True,
        "requires_graduate_school": False,
        "url": "https://example.org/call",
    }
    response = client.post("/v1/calls", json=body)
    response.raise_for_status()
    call_id = str(response.json()["id"])
    for step in ("ready", "publish", "close"):
        client.post(f"/v1/calls/{call_id}/{step}").raise_for_status()
    return call_id


def cluster(client: httpx.Client, *, name: str, area: str = "ai") -> str:
    response = client.post(
        "/v1/clusters",
        json={
            "name": name,
            "lead_hei": {"name": "KTH Royal Institute of Technology"},
            "participating_heis": [{"name": "Uppsala University"}, {"name": "Lund University"}],
            "technology_area": area,
            "international_partners": [
                {"organisation": "Fraunhofer", "country": "DE", "security_review": "cleared"}
            ],
            "graduate_school": {
                "name": f"{name} graduate school",
                "type": "ai",
                "doctoral_students": 10,
                "mobility_placements": {"hei_hei": 2, "hei_industry": 3},
            },
        },
    )
    response.raise_for_status()
    return str(response.json()["id"])


def grant(
    client: httpx.Client,
    *,
    call_id: str,
    cluster_id: str,
    number: int,
    agency_year: int = 2026,
    yearly_sek: int = 40_000_000,
    years: int = 3,
) -> str:
    plan = [
        {"year": agency_year + i, "amount_sek": yearly_sek, "ssh_amount_sek": yearly_sek // 20}
        for i in range(years)
    ]
    response = client.post(
        "/v1/grants",
        json={
            "call_id": call_id,
            "cluster_id": cluster_id,
            "registration_number": f"{agency_year}-{number:05d}",
            "yearly_plan": plan,
            "starts_on": f"{agency_year}-07-01",
            "ends_on": f"{agency_year + years - 1}-12-31",
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    response.raise_for_status()
    return str(response.json()["id"])


def ledger_entry(
    kind: str, year: int, amount_sek: int, reverses: str | None = None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "year": year,
        "amount_sek": amount_sek,
        "booked_on": f"{year}-08-01",
        "reverses": reverses,
    }


def post_entry(client: httpx.Client, grant_id: str, entry: dict[str, Any]) -> httpx.Response:
    return client.post(
        f"/v1/grants/{grant_id}/ledger", json=entry, headers={"Idempotency-Key": str(uuid.uuid4())}
    )


def appropriation(
    client: httpx.Client, *, agency: str, year: int, amount_sek: int, code: str
) -> None:
    """An agency's own appropriation for a year (only the owner may write it)."""
    response = client.put(
        f"/v1/appropriations/{agency}/{year}",
        json={"code": code, "amount_sek": amount_sek, "status": "estimate"},
    )
    response.raise_for_status()


@dataclass(frozen=True)
class Funding:
    """What the API made for the bulk rows to hang on."""

    # (agency, stage) -> the id of a closed call of that agency and stage
    calls: dict[tuple[str, str], str]
    # (cluster id, technology area); every area is one Vinnova funds too, so both agencies
    # may fund every cluster and R1 sums both agencies' grants
    clusters: list[tuple[str, str]]
    # when the last of it was recorded: the bulk rows are dated after this
    made_at: datetime


def funding(
    vr: httpx.Client, vinnova: httpx.Client, *, clusters: int, year: int, vinnova_sek: int
) -> Funding:
    """Through the API: an establishment and a planning call per agency, `clusters`
    clusters created by the agencies in turn, and Vinnova's appropriation for `year` (VR's
    is reference data)."""
    clients = {"vr": vr, "vinnova": vinnova}
    calls = {}
    for agency, client in clients.items():
        calls[agency, "establishment"] = closed_call(client)
        calls[agency, "planning"] = closed_call(client, stage="planning", max_award_sek=1_200_000)
    appropriation(
        vinnova, agency="vinnova", year=year, amount_sek=vinnova_sek, code="UO24 1:5 (bench)"
    )
    made = []
    for i in range(clusters):
        area = VINNOVA_AREAS[i % len(VINNOVA_AREAS)]
        client = vr if i % 2 == 0 else vinnova
        made.append((cluster(client, name=f"Kluster {i + 1}", area=area), area))
    return Funding(calls=calls, clusters=made, made_at=utcnow())


@dataclass(frozen=True)
class BulkGrant:
    id: str
    agency: str
    technology_area: str
    # the year's amount: what `bulk_ledger` commits
    amount_sek: int


def _timeline(start: datetime, count: int, end: datetime | None = None) -> Iterator[datetime]:
    """`count` instants from `start` to `end` (default now), in order: bulk rows are dated
    between what the API made before them and the moment they are written."""
    end = end or utcnow()
    step = (end - start) / max(count, 1)
    return (start + step * i for i in range(count))


def bulk_grants(
    database: Database,
    made: Funding,
    *,
    count: int,
    year: int,
    yearly_sek: int,
    years: int = 3,
    planning_every: int = 50,
) -> list[BulkGrant]:
    """`count` grants alternating between the agencies, each cluster funded by both; every
    `planning_every`th is a planning grant. Plans run `years` years from `year`, with a
    tenth as SSH; the caller keeps `count / 2 * yearly_sek` within each agency's
    appropriation (R7) as the API would."""
    grants: list[BulkGrant] = []
    grant_rows: list[dict[str, Any]] = []
    plan_rows: list[dict[str, Any]] = []
    numbers = {"vr": 0, "vinnova": 0}
    moments = _timeline(made.made_at, count)
    for i, created_at in zip(range(count), moments, strict=True):
        agency = "vr" if i % 2 == 0 else "vinnova"
        stage = "planning" if i % planning_every == planning_every - 1 else "establishment"
        cluster_id, area = made.clusters[(i // 2) % len(made.clusters)]
        numbers[agency] += 1
        grant = BulkGrant(str(uuid.uuid4()), agency, area, yearly_sek)
        grants.append(grant)
        grant_rows.append(
            {
                "id": grant.id,
                "agency": agency,
                "call_id": made.calls[agency, stage],
                "stage": stage,
                "cluster_id": cluster_id,
                "registration_number": f"{year}-{numbers[agency]:05d}",
                "status": "awarded",
                "technology_area": area,
                "technology_area_label": None,
                "total_sek": yearly_sek * years,
                "starts_on": date(year, 1, 1),
                "ends_on": date(year + years - 1, 12, 31),
                "created_at": created_at,
                "client_id": "bench-bulk",
                "request_id": None,
            }
        )
        plan_rows += [
            {
                "grant_id": grant.id,
                "year": year + n,
                "amount_sek": yearly_sek,
                "ssh_amount_sek": yearly_sek // 10,
            }
            for n in range(years)
        ]
    with database.writer() as session, session.begin():
        connection = session.connection()
        _insert(connection, Grant, grant_rows)
        _insert(connection, GrantYear, plan_rows)
    return grants


def bulk_ledger(
    database: Database, grants: Sequence[BulkGrant], *, per_grant: int, year: int
) -> int:
    """`per_grant` entries on each grant's `year`, written round by round across all the
    grants as a busy ledger would interleave them: first each grant's commitment of the
    year's plan, then disbursements, every tenth entry a recovery and every tenth the
    reversal of the disbursement just before it. Net disbursements stay below half the
    commitment. Returns the number of entries written."""
    step = max(1, grants[0].amount_sek // (2 * per_grant))
    with database.writer() as session, session.begin():
        connection = session.connection()
        first_id = (
            int(connection.execute(select(func.coalesce(func.max(LedgerEntry.id), 0))).scalar_one())
            + 1
        )
        start = connection.execute(select(func.max(Grant.created_at))).scalar_one()
        total = len(grants) * per_grant
        moments = _timeline(start, total)
        balances = {g.id: [0, 0, 0] for g in grants}  # committed, disbursed, recovered
        booked = date(year, 1, 15)

        def rows() -> Iterator[dict[str, Any]]:
            entry_id = first_id
            for k in range(per_grant):
                for grant in grants:
                    kind, counts_as, amount, reverses = _nth_entry(k, grant, step)
                    if reverses is not None:
                        reverses = entry_id - len(grants)  # the same grant's entry k - 1
                    delta = -amount if kind == "reversal" else amount
                    balance = balances[grant.id]
                    balance[("commitment", "disbursement", "recovery").index(counts_as)] += delta
                    yield {
                        "id": entry_id,
                        "grant_id": grant.id,
                        "agency": grant.agency,
                        "technology_area": grant.technology_area,
                        "kind": kind,
                        "counts_as": counts_as,
                        "year": year,
                        "amount_sek": amount,
                        "delta_sek": delta,
                        "booked_on": booked + timedelta(days=k),
                        "reverses": reverses,
                        "committed_sek": balance[0],
                        "disbursed_sek": balance[1],
                        "recovered_sek": balance[2],
                        "recorded_at": next(moments),
                        "client_id": "bench-bulk",
                        "writer_agency": grant.agency,
                        "request_id": None,
                    }
                    entry_id += 1

        _insert(connection, LedgerEntry, rows())
        if connection.dialect.name == "postgresql":
            # The ids were given, so the identity's sequence must move past them.
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('ledger_entry', 'id'), "
                    "(SELECT max(id) FROM ledger_entry))"
                )
            )
    return total


def _nth_entry(k: int, grant: BulkGrant, step: int) -> tuple[str, str, int, int | None]:
    """(kind, counts_as, amount, reverses?) of a grant's k-th entry; `reverses` is only a
    marker here (the caller knows the id)."""
    if k == 0:
        return "commitment", "commitment", grant.amount_sek, None
    if k % 10 == 5:
        return "recovery", "recovery", step // 2 or 1, None
    if k % 10 == 9:
        return "reversal", "disbursement", step, 0
    return "disbursement", "disbursement", step, None


def _insert(connection: Connection, table: type[Base], rows: Iterable[dict[str, Any]]) -> None:
    """Rows in chunks; on PostgreSQL with COPY (5x faster than executemany INSERTs here)."""
    columns = [column.name for column in table.__table__.columns]
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.driver_connection  # psycopg's own connection
        names = ", ".join(f'"{name}"' for name in columns)
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.__tablename__}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([row[name] for name in columns])
        return
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == 20_000:
            connection.execute(insert(table), chunk)
            chunk = []
    if chunk:
        connection.execute(insert(table), chunk)


@dataclass(frozen=True)
class Volume:
    """The bulk data of the ledger and report benchmarks, and how long it took to make."""

    made: Funding
    grants: list[BulkGrant]
    entries: int
    seconds: dict[str, float]


def grants_database(stack: ThrowawayStack) -> Database:
    """The grants service's own database (its URL and schema), for bulk writes and raw SQL."""
    env = stack.processes.env
    return Database(env["GRANTS_DATABASE_URL"], env["GRANTS_DATABASE_SCHEMA"] or None)


def volume(
    stack: ThrowawayStack, *, grants: int, entries: int, year: int, clusters: int = 200
) -> Volume:
    """`grants` grants with `entries` ledger entries on `year`, over `clusters` clusters.

    Each agency's plans for the year stay within 250 MSEK: VR's appropriation is 265 MSEK
    (reference data) and Vinnova's is set to the same, so a few MSEK are left for grants
    made through the API on top (R7).
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with stack.client("vr") as vr, stack.client("vinnova") as vinnova:
        made = funding(vr, vinnova, clusters=clusters, year=year, vinnova_sek=265_000_000)
    seconds["api"] = time.perf_counter() - started
    yearly_sek = 250_000_000 // -(-grants // 2)  # what each agency's half may plan in a year
    database = grants_database(stack)
    try:
        started = time.perf_counter()
        bulk = bulk_grants(database, made, count=grants, year=year, yearly_sek=yearly_sek)
        seconds["grants"] = time.perf_counter() - started
        started = time.perf_counter()
        written = bulk_ledger(database, bulk, per_grant=max(1, entries // grants), year=year)
        seconds["ledger"] = time.perf_counter() - started
        started = time.perf_counter()
        settle(database)
        seconds["settle"] = time.perf_counter() - started
    finally:
        database.dispose()
    print(
        f"seeded {len(bulk):,} grants and {written:,} ledger entries: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()),
        file=sys.stderr,
    )
    return Volume(made, bulk, written, seconds)


def settle(database: Database) -> None:
    """PostgreSQL: VACUUM ANALYZE the bulk-loaded tables, as autovacuum would soon after a
    load this size (its insert threshold), so the measurements do not depend on whether
    it has run yet: planner statistics, and the visibility map that index-only scans need.
    SQLite is left as the service leaves it (no ANALYZE)."""
    if database.engine.dialect.name != "postgresql":
        return
    with database.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("grant", "grant_year", "ledger_entry"):
            connection.execute(text(f'VACUUM ANALYZE "{table}"'))
