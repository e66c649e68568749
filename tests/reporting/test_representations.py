"""The report as JSON, CSV and HTML through the gateway; and a build when an owner is down."""

from __future__ import annotations

import csv
import io
import socket
from collections.abc import Iterator

import httpx
import pytest

from kit.pagination import encode_cursor
from services.reporting.settings import ReportingSettings
from services.reporting.upstream import Owners
from tests.harness import Stack
from tests.reporting.scenario import MSEK, build, call, cluster, grant, ok, problem


@pytest.fixture
def built(vr: httpx.Client, office: httpx.Client) -> dict[str, object]:
    k = cluster(vr, "AI <Stockholm> & Co", partners=(("=cmd|' /C calc'!A0", "DE", "cleared"),))
    grant(vr, call(vr, trl=(1, 9)), k, {2026: (42 * MSEK, 2 * MSEK)})
    return build(office, 2026)


def test_csv_by_accept_or_format_is_one_long_table(
    built: dict[str, object], government: httpx.Client
) -> None:
    by_accept = government.get("/v1/reports/annual/2026", headers={"Accept": "text/csv"})
    by_format = government.get("/v1/reports/annual/2026", params={"format": "csv"})
    assert by_accept.status_code == by_format.status_code == 200
    assert by_accept.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_accept.text == by_format.text
    assert 'filename="annual-report-2026-v1.csv"' in by_accept.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(by_accept.text)))
    assert list(rows[0]) == ["section", "key", "field", "value"]
    figure = {(r["section"], r["field"]): r["value"] for r in rows if r["section"] == "clusters"}
    assert figure[("clusters", "planned_sek")] == str(42 * MSEK)
    assert figure[("clusters", "name")] == "AI <Stockholm> & Co"
    checksum = next(
        r["value"] for r in rows if r["section"] == "report" and r["field"] == "checksum"
    )
    assert checksum == built["checksum"]
    partner = next(r for r in rows if r["section"] == "partners")
    assert partner["key"].split(":")[1] == "'=cmd|' /C calc'!A0"  # defused for spreadsheets


def test_one_section_as_a_wide_table(built: dict[str, object], office: httpx.Client) -> None:
    response = office.get(
        "/v1/reports/annual/2026", params={"format": "csv", "section": "finances"}
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["agency"] for r in rows] == ["vinnova", "vr"]
    assert rows[1]["appropriation_sek"] == str(265 * MSEK)
    problem(office.get("/v1/reports/annual/2026", params={"format": "csv", "section": "x"}), 422)
    problem(office.get("/v1/reports/annual/2026", params={"section": "finances"}), 422)
    problem(office.get("/v1/reports/annual/2026", params={"format": "pdf"}), 422)
    problem(office.get("/v1/reports/annual/2026", headers={"Accept": "application/pdf"}), 406)


def test_html_is_a_printable_swedish_page_that_runs_nothing(
    built: dict[str, object], vinnova: httpx.Client
) -> None:
    response = vinnova.get("/v1/reports/annual/2026", params={"format": "html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["content-security-policy"]
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    page = response.text
    assert '<html lang="sv">' in page
    assert "AI &lt;Stockholm&gt; &amp; Co" in page
    assert page.count("<svg") == 4
    browser = vinnova.get(
        "/v1/reports/annual/2026", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert browser.text == page


def test_etags_answer_304_until_the_facts_change(
    built: dict[str, object], vr: httpx.Client
) -> None:
    first = vr.get("/v1/reports/annual/2026")
    tag = first.headers["etag"]
    again = vr.get("/v1/reports/annual/2026", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    html = vr.get("/v1/reports/annual/2026", params={"format": "html"}).headers["etag"]
    assert html != tag
    ok(vr.post("/v1/reports/annual/2026/approve", json={"version": 1}))
    changed = vr.get("/v1/reports/annual/2026", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.json()["approved_by"] == ["vr"]


def test_the_versions_list_pages_newest_first(office: httpx.Client) -> None:
    for _ in range(3):
        build(office, 2026)
    first = ok(office.get("/v1/reports/annual/2026/versions", params={"limit": 2}))
    assert [v["version"] for v in first["items"]] == [3, 2]
    second = office.get(
        "/v1/reports/annual/2026/versions", params={"limit": 2, "cursor": first["next_cursor"]}
    )
    assert [v["version"] for v in ok(second)["items"]] == [1]
    assert ok(second)["next_cursor"] is None
    for forged in (encode_cursor(["2"]), encode_cursor([True]), "not a cursor"):
        problem(office.get("/v1/reports/annual/2026/versions", params={"cursor": forged}), 422)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def owner_down(stack: Stack) -> Iterator[Stack]:
    """Points reporting at a port where nothing listens, for one owner at a time."""
    app = stack.servers["reporting"].app
    working = app.state.owners
    yield stack
    app.state.owners.close()
    app.state.owners = working


@pytest.mark.parametrize("owner", ["calls", "grants"])
def test_an_owner_that_does_not_answer_is_503_and_nothing_is_stored(
    owner: str, owner_down: Stack, office: httpx.Client
) -> None:
    app = owner_down.servers["reporting"].app
    settings: ReportingSettings = app.state.settings
    app.state.owners = Owners(
        settings.model_copy(update={f"{owner}_url": f"http://127.0.0.1:{closed_port()}"})
    )
    body = problem(office.post("/v1/reports/annual/2026"), 503)
    assert owner in body["detail"]
    problem(office.get("/v1/reports/annual/2026"), 404)
    problem(office.get("/v1/reports/annual/2026/versions"), 404)
    if owner == "grants":
        problem(office.get("/v1/reports/planning"), 503)
