"""The report's content from hand-made aggregates: figures, order, sources and checksum."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import httpx
import pytest

from kit.problems import BadGateway
from services.reporting.aggregates import GrantsAggregate
from services.reporting.annual.content import canonical_content, checksum
from services.reporting.upstream import _parse
from tests.reporting.factories import (
    AS_OF,
    MSEK,
    appropriation,
    cluster,
    grants_aggregate,
    report,
)


def test_the_checksum_is_sha256_of_sorted_compact_json() -> None:
    content = report()
    canonical = canonical_content(content)
    document = json.loads(canonical)
    assert canonical == json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert checksum(canonical) == hashlib.sha256(canonical.encode()).hexdigest()
    assert "built_at" not in document
    assert "version" not in document


def test_the_same_inputs_give_the_same_bytes_whatever_order_the_owners_send() -> None:
    clusters = [cluster(cluster_id="k-2", name="B"), cluster(cluster_id="k-1", name="A")]
    first = report(grants=grants_aggregate(clusters=clusters))
    second = report(grants=grants_aggregate(clusters=list(reversed(clusters))))
    assert canonical_content(first) == canonical_content(second)
    assert [c.cluster_id for c in first.clusters.clusters] == ["k-1", "k-2"]
    later = report(as_of=AS_OF + timedelta(seconds=1), grants=grants_aggregate(clusters=clusters))
    assert checksum(canonical_content(later)) != checksum(canonical_content(first))


def test_both_agencies_always_appear_in_the_finances() -> None:
    content = report(grants=grants_aggregate(appropriations=[appropriation()]))
    rows = {a.agency: a for a in content.finances.agencies}
    assert list(rows) == ["vinnova", "vr"]
    assert rows["vinnova"].appropriation_sek is None
    assert rows["vinnova"].committed_sek == 0
    assert rows["vr"].uncommitted_sek == 265 * MSEK - 40 * MSEK


def test_every_section_cites_sources_that_exist() -> None:
    content = report()
    names = [
        "finances",
        "calls",
        "technology_areas",
        "ai",
        "clusters",
        "graduate_schools",
        "international_partners",
        "planning",
    ]
    for name in names:
        section = getattr(content, name)
        assert section.source, name
        for key in section.source:
            assert key in content.sources, key
    assert content.sources["grants.clusters"] == "SELECT clusters"
    assert content.clusters.source == ["grants.clusters", "grants.request"]


def test_an_answer_that_breaks_the_contract_is_a_bad_gateway() -> None:
    response = httpx.Response(200, json={"year": 2026, "clusters": [{"name": "no id"}]})
    with pytest.raises(BadGateway):
        _parse("grants", response, GrantsAggregate)
    money_as_float = httpx.Response(
        200,
        json={
            "year": 2026,
            "appropriations": [{"agency": "vr", "year": 2026, "committed_sek": 1.5}],
        },
    )
    with pytest.raises(BadGateway):
        _parse("grants", money_as_float, GrantsAggregate)
