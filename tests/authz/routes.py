"""How to send each route of the matrix: the objects it needs, then the request itself.

A builder gets the makers (clients of both agencies and the office) and the agency that owns
the object the request acts on (None where the route acts on no agency's object), and makes
everything the owner would need to succeed, so that the only thing a row varies is who
sends the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.authz import objects as o
from tests.harness import Stack

YEAR = o.YEAR


@dataclass
class Request:
    method: str
    path: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # a form body (the OAuth token request)
    data: dict[str, str] | None = None
    # False: sent without the principal's bearer token (the token request authenticates
    # with client credentials, and RFC 6749 allows one method per request)
    bearer: bool = True


@dataclass
class Makers:
    """Who creates the objects: each agency its own, the office the joint ones."""

    stack: Stack
    vr: httpx.Client
    vinnova: httpx.Client
    office: httpx.Client
    principal: str | None

    def of(self, agency: str | None) -> httpx.Client:
        assert agency in ("vr", "vinnova"), agency
        client: httpx.Client = getattr(self, agency)
        return client

    def both(self, make: Callable[[httpx.Client], Any]) -> None:
        """Objects of both agencies, so that a list shows whether it leaks the other's."""
        make(self.vr)
        make(self.vinnova)


Builder = Callable[[Makers, str | None], Request]
BUILDERS: dict[str, Builder] = {}


def route(label: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        assert label not in BUILDERS, label
        BUILDERS[label] = builder
        return builder

    return register


def _post(path: str) -> Request:
    return Request("POST", path)


# the gateway's own ------------------------------------------------------------------------
@route("POST /v1/auth/token")
def _token(m: Makers, owner: str | None) -> Request:
    form = {"grant_type": "client_credentials"}
    if m.principal is not None:
        form.update(m.stack.credentials[m.principal].as_dict())
    return Request("POST", "/v1/auth/token", data=form, bearer=False)


@route("GET /.well-known/jwks.json")
def _jwks(m: Makers, owner: str | None) -> Request:
    return Request("GET", "/.well-known/jwks.json")


# calls ------------------------------------------------------------------------------------
@route("POST /v1/calls")
def _create_call(m: Makers, owner: str | None) -> Request:
    return Request("POST", "/v1/calls", json=o.call_body())


@route("GET /v1/calls")
def _list_calls(m: Makers, owner: str | None) -> Request:
    m.both(o.call)
    return Request("GET", "/v1/calls")


@route("GET /v1/calls/{call_id}")
def _get_call(m: Makers, owner: str | None) -> Request:
    return Request("GET", f"/v1/calls/{o.call(m.of(owner))['id']}")


@route("PATCH /v1/calls/{call_id}")
def _patch_call(m: Makers, owner: str | None) -> Request:
    path = f"/v1/calls/{o.call(m.of(owner))['id']}"
    tag = o.etag(m.of(owner), path)
    return Request("PATCH", path, json={"title": {"en": "Renamed"}}, headers={"If-Match": tag})


def _step(name: str, status: str) -> Builder:
    def build(m: Makers, owner: str | None) -> Request:
        return _post(f"/v1/calls/{o.call(m.of(owner), status)['id']}/{name}")

    return build


route("POST /v1/calls/{call_id}/ready")(_step("ready", "draft"))
route("POST /v1/calls/{call_id}/publish")(_step("publish", "ready"))
route("POST /v1/calls/{call_id}/close")(_step("close", "past"))
route("POST /v1/calls/{call_id}/decide")(_step("decide", "closed"))
route("POST /v1/calls/{call_id}/cancel")(_step("cancel", "draft"))


@route("POST /v1/coordinations")
def _create_round(m: Makers, owner: str | None) -> Request:
    members = [o.call(m.vr, "ready")["id"], o.call(m.vinnova, "ready")["id"]]
    return Request("POST", "/v1/coordinations", json={"name": "Spring", "call_ids": members})


@route("GET /v1/coordinations/{coordination_id}")
def _get_round(m: Makers, owner: str | None) -> Request:
    return Request("GET", f"/v1/coordinations/{o.coordination(m.office, m.vr, m.vinnova)['id']}")


@route("POST /v1/coordinations/{coordination_id}/publish")
def _publish_round(m: Makers, owner: str | None) -> Request:
    return _post(f"/v1/coordinations/{o.coordination(m.office, m.vr, m.vinnova)['id']}/publish")


# public open-call data --------------------------------------------------------------------
def _public(path: str) -> Builder:
    def build(m: Makers, owner: str | None) -> Request:
        m.both(lambda client: o.call(client, "published"))
        return Request("GET", path)

    return build


route("GET /v1/public/calls")(_public("/v1/public/calls"))
route("GET /v1/public/calls.ics")(_public("/v1/public/calls.ics"))
route("GET /v1/public/calls.atom")(_public("/v1/public/calls.atom"))
route("GET /v1/technology-areas")(_public("/v1/technology-areas"))


@route("GET /v1/public/calls/{call_id}")
def _public_call(m: Makers, owner: str | None) -> Request:
    return Request("GET", f"/v1/public/calls/{o.call(m.of(owner), 'published')['id']}")


# clusters ---------------------------------------------------------------------------------
@route("POST /v1/clusters")
def _create_cluster(m: Makers, owner: str | None) -> Request:
    return Request("POST", "/v1/clusters", json=o.cluster_body())


@route("GET /v1/clusters")
def _list_clusters(m: Makers, owner: str | None) -> Request:
    m.both(o.cluster)
    return Request("GET", "/v1/clusters")


@route("GET /v1/clusters/{cluster_id}")
def _get_cluster(m: Makers, owner: str | None) -> Request:
    return Request("GET", f"/v1/clusters/{o.cluster(m.of(owner))['id']}")


@route("PATCH /v1/clusters/{cluster_id}")
def _patch_cluster(m: Makers, owner: str | None) -> Request:
    path = f"/v1/clusters/{o.cluster(m.of(owner))['id']}"
    tag = o.etag(m.of(owner), path)
    return Request("PATCH", path, json={"name": "Renamed cluster"}, headers={"If-Match": tag})


# appropriations ---------------------------------------------------------------------------
@route("PUT /v1/appropriations/{agency}/{year}")
def _put_appropriation(m: Makers, owner: str | None) -> Request:
    body = {"code": "UO16 3:1 ap.5", "amount_sek": 700 * o.MSEK}
    return Request("PUT", f"/v1/appropriations/{owner}/2030", json=body)


@route("GET /v1/appropriations/{agency}/{year}")
def _get_appropriation(m: Makers, owner: str | None) -> Request:
    assert owner is not None
    o.appropriation(m.of(owner), owner)
    return Request("GET", f"/v1/appropriations/{owner}/{YEAR}")


@route("GET /v1/appropriations")
def _list_appropriations(m: Makers, owner: str | None) -> Request:
    o.appropriation(m.vinnova, "vinnova")  # VR's are reference data
    return Request("GET", "/v1/appropriations")


# grants and the ledger --------------------------------------------------------------------
@route("POST /v1/grants")
def _create_grant(m: Makers, owner: str | None) -> Request:
    """The object is the call the grant is decided under (and the owner's cluster)."""
    client = m.of(owner)
    body = o.grant_body(o.call(client, "closed")["id"], o.cluster(client)["id"])
    return Request("POST", "/v1/grants", json=body, headers=o.idempotency_key())


@route("GET /v1/grants")
def _list_grants(m: Makers, owner: str | None) -> Request:
    m.both(o.grant)
    return Request("GET", "/v1/grants")


@route("GET /v1/grants/{grant_id}")
def _get_grant(m: Makers, owner: str | None) -> Request:
    return Request("GET", f"/v1/grants/{o.grant(m.of(owner))['id']}")


@route("POST /v1/grants/{grant_id}/ledger")
def _append_entry(m: Makers, owner: str | None) -> Request:
    assert owner is not None
    grant = o.grant(m.of(owner))
    o.appropriation(m.of(owner), owner)
    return Request(
        "POST",
        f"/v1/grants/{grant['id']}/ledger",
        json=o.entry_body(),
        headers=o.idempotency_key(),
    )


@route("GET /v1/grants/{grant_id}/ledger")
def _list_entries(m: Makers, owner: str | None) -> Request:
    assert owner is not None
    grant = o.grant(m.of(owner))
    o.entry(m.of(owner), owner, grant["id"])
    return Request("GET", f"/v1/grants/{grant['id']}/ledger")


@route("GET /v1/grants/{grant_id}/ledger/{entry_id}")
def _get_entry(m: Makers, owner: str | None) -> Request:
    assert owner is not None
    grant = o.grant(m.of(owner))
    entry = o.entry(m.of(owner), owner, grant["id"])
    return Request("GET", f"/v1/grants/{grant['id']}/ledger/{entry['id']}")


@route("GET /v1/ledger/summary")
def _summary(m: Makers, owner: str | None) -> Request:
    for agency in ("vr", "vinnova"):
        o.entry(m.of(agency), agency, o.grant(m.of(agency))["id"])
    return Request("GET", "/v1/ledger/summary")


# reports ----------------------------------------------------------------------------------
@route("POST /v1/reports/annual/{year}")
def _build_report(m: Makers, owner: str | None) -> Request:
    return _post(f"/v1/reports/annual/{YEAR}")


@route("GET /v1/reports/annual/{year}")
def _read_report(m: Makers, owner: str | None) -> Request:
    o.report_version(m.office)
    return Request("GET", f"/v1/reports/annual/{YEAR}")


@route("GET /v1/reports/annual/{year}/versions")
def _versions(m: Makers, owner: str | None) -> Request:
    o.report_version(m.office)
    return Request("GET", f"/v1/reports/annual/{YEAR}/versions")


@route("POST /v1/reports/annual/{year}/approve")
def _approve(m: Makers, owner: str | None) -> Request:
    version = o.report_version(m.office)
    return Request("POST", f"/v1/reports/annual/{YEAR}/approve", json={"version": version})


@route("POST /v1/reports/annual/{year}/submit")
def _submit(m: Makers, owner: str | None) -> Request:
    version = o.report_version(m.office)
    o.approve(m.vr, version)
    o.approve(m.vinnova, version)
    return Request("POST", f"/v1/reports/annual/{YEAR}/submit", json={"version": version})


@route("GET /v1/reports/planning")
def _planning_overview(m: Makers, owner: str | None) -> Request:
    m.both(lambda client: o.grant(client, planning=True))
    return Request("GET", "/v1/reports/planning")


@route("PUT /v1/reports/planning/{grant_id}")
def _put_planning(m: Makers, owner: str | None) -> Request:
    grant = o.grant(m.of(owner), planning=True)
    return Request("PUT", f"/v1/reports/planning/{grant['id']}", json=o.PLANNING_REPORT)


@route("GET /v1/reports/planning/{grant_id}")
def _get_planning(m: Makers, owner: str | None) -> Request:
    grant = o.grant(m.of(owner), planning=True)
    o.planning_report(m.of(owner), grant["id"])
    return Request("GET", f"/v1/reports/planning/{grant['id']}")
