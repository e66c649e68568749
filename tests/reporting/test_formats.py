"""CSV tables and the printable HTML from hand-made content (no stack needed)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from kit.problems import NotAcceptable
from services.reporting.annual import formats, printable, tables
from services.reporting.annual.content import ReportContent
from services.reporting.annual.schemas import VersionFacts
from tests.reporting.factories import MSEK, cluster, grants_aggregate, report


def facts(content: ReportContent) -> VersionFacts:
    return VersionFacts(
        year=content.year,
        version=3,
        built_at=datetime(2026, 11, 2, tzinfo=UTC),
        built_by="dev-office",
        as_of=content.as_of,
        checksum="ab" * 32,
        rules_version=content.rules_version,
        due_on=content.due_on,
        overdue=False,
        approved_by=["vr"],
        submitted=False,
        submitted_at=None,
        locked=False,
    )


def hostile() -> ReportContent:
    return report(
        grants=grants_aggregate(
            clusters=[
                cluster(name='=HYPERLINK("http://evil")'),
                cluster(cluster_id="k-2", name="<script>alert(1)</script>", planned_sek=12 * MSEK),
            ]
        )
    )


def test_the_long_csv_has_every_section_and_defuses_formulas() -> None:
    content = hostile()
    text = tables.long_csv(tables.tables(content, facts(content)))
    rows = list(csv.DictReader(io.StringIO(text)))
    empty = {"graduate_schools", "partners", "planning_reports"}  # no rows in this report
    assert {r["section"] for r in rows} == set(tables.SECTIONS) - empty
    names = {r["value"] for r in rows if r["section"] == "clusters" and r["field"] == "name"}
    assert '\'=HYPERLINK("http://evil")' in names
    planned = {
        r["key"]: int(r["value"])
        for r in rows
        if r["section"] == "clusters" and r["field"] == "planned_sek"
    }
    assert planned == {"k-1": 40 * MSEK, "k-2": 12 * MSEK}
    r1 = next(
        r for r in rows if r["section"] == "rules" and r["key"] == "R1" and r["field"] == "status"
    )
    assert r1["value"] == "not_met"
    version = next(r for r in rows if r["section"] == "report" and r["field"] == "version")
    assert version["value"] == "3"


def test_one_section_as_a_wide_table() -> None:
    content = hostile()
    clusters = next(t for t in tables.tables(content, facts(content)) if t.name == "clusters")
    rows = list(csv.DictReader(io.StringIO(tables.wide_csv(clusters))))
    assert [r["cluster_id"] for r in rows] == ["k-1", "k-2"]
    assert rows[1]["shortfall_sek"] == str(28 * MSEK)
    assert rows[0]["heis"] == "KTH; Uppsala universitet"


def test_the_html_is_swedish_escapes_names_and_has_four_svg_charts() -> None:
    content = hostile()
    page = printable.render(content, facts(content))
    assert page.startswith('<!DOCTYPE html><html lang="sv">')
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('<figure class="chart"') == 4
    assert page.count("<svg") == 4
    assert "Gemensam årsrapport 2026" in page
    assert "Ej uppfylld" in page


def test_charts_are_the_same_for_the_same_report() -> None:
    content = hostile()
    assert printable.render(content, facts(content)) == printable.render(content, facts(content))


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("text/csv", "csv"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("application/json;q=0.5, text/csv", "csv"),
        ("text/*;q=0.9, application/json;q=0.1", "csv"),
    ],
)
def test_accept_picks_the_representation(accept: str | None, expected: str) -> None:
    assert formats.choose(None, accept) == expected
    assert formats.choose("html", accept) == "html"


def test_an_unacceptable_accept_is_406() -> None:
    with pytest.raises(NotAcceptable):
        formats.choose(None, "application/xml")
    with pytest.raises(NotAcceptable):
        formats.choose(None, "text/csv;q=0, application/json;q=0")
