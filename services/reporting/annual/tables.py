"""The report as tables: one per section, each row keyed, for the CSV representation.

`format=csv` gives them all in one long table (`section,key,field,value`), which any
spreadsheet can pivot; `format=csv&section=<name>` gives one section as a wide table with
its own header. docs/reporting.md lists the sections and their columns.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.reporting.annual.content import ReportContent
from services.reporting.annual.schemas import VersionFacts

Cell = str | int | bool | None | list[str] | list[int] | dict[str, int]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# names and texts come from agencies' input, so such a cell is prefixed with a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    name: str
    keys: Sequence[str]
    fields: Sequence[str]
    rows: Sequence[Sequence[Cell]]

    @property
    def columns(self) -> list[str]:
        return [*self.keys, *self.fields]


def tables(report: ReportContent, facts: VersionFacts) -> list[Table]:
    r = report
    return [
        Table(
            "report",
            ["year"],
            [
                "version",
                "as_of",
                "built_at",
                "checksum",
                "rules_version",
                "due_on",
                "currency",
                "approved_by",
                "submitted",
                "overdue",
            ],
            [
                [
                    r.year,
                    facts.version,
                    r.as_of.isoformat(),
                    facts.built_at.isoformat(),
                    facts.checksum,
                    r.rules_version,
                    r.due_on.isoformat(),
                    r.currency,
                    facts.approved_by,
                    facts.submitted,
                    facts.overdue,
                ]
            ],
        ),
        _rows(
            "finances",
            ["agency"],
            [
                "appropriation_code",
                "appropriation_sek",
                "appropriation_status",
                "committed_sek",
                "disbursed_sek",
                "recovered_sek",
                "net_disbursed_sek",
                "uncommitted_sek",
            ],
            (a.model_dump() for a in r.finances.agencies),
        ),
        _rows(
            "calls_by_agency_stage",
            ["agency", "stage"],
            ["calls", "budget_sek"],
            (row.model_dump() for row in r.calls.by_agency_stage),
        ),
        Table(
            "trl_coverage",
            ["level"],
            ["covered", "agencies"],
            [
                [row.level, row.level in r.calls.trl_covered, row.agencies]
                for row in r.calls.trl_by_level
            ],
        ),
        _rows(
            "calls",
            ["id"],
            [
                "agency",
                "stage",
                "status",
                "technology_areas",
                "trl_min",
                "trl_max",
                "budget_sek",
                "max_award_sek",
            ],
            (row.model_dump() for row in r.calls.calls),
        ),
        _rows(
            "technology_areas",
            ["technology_area"],
            ["grants", "planned_sek", "committed_sek", "net_disbursed_sek"],
            (row.model_dump() for row in r.technology_areas.areas),
        ),
        _rows(
            "ai",
            ["technology_area"],
            [
                "planned_sek",
                "committed_sek",
                "net_disbursed_sek",
                "target_sek",
                "target_from_year",
                "target_applies",
                "shortfall_sek",
            ],
            [{"technology_area": "ai", **r.ai.model_dump()}],
        ),
        _rows(
            "clusters",
            ["cluster_id"],
            [
                "name",
                "technology_area",
                "lead_hei",
                "heis",
                "hei_count",
                "grants",
                "establishment_grants",
                "planned_sek",
                "planned_by_agency",
                "ssh_sek",
                "years_without_ssh",
                "shortfall_sek",
            ],
            (row.model_dump() for row in r.clusters.clusters),
        ),
        _rows(
            "graduate_schools_by_type",
            ["type"],
            ["schools", "doctoral_students", "mobility_hei_hei", "mobility_hei_industry"],
            (row.model_dump() for row in r.graduate_schools.by_type),
        ),
        _rows(
            "graduate_schools",
            ["cluster_id", "name"],
            ["type", "doctoral_students", "mobility_hei_hei", "mobility_hei_industry"],
            (row.model_dump() for row in r.graduate_schools.schools),
        ),
        _rows(
            "partners_by_review",
            ["security_review"],
            ["partners"],
            (row.model_dump() for row in r.international_partners.by_review),
        ),
        _rows(
            "partners",
            ["cluster_id", "organisation", "country"],
            ["security_review"],
            (row.model_dump() for row in r.international_partners.partners),
        ),
        _rows(
            "planning_reports",
            ["grant_id"],
            [
                "agency",
                "registration_number",
                "cluster_name",
                "total_sek",
                "submitted",
                "submitted_at",
                "complete",
                "missing_parts",
            ],
            (row.model_dump(mode="json") for row in r.planning.reports),
        ),
        Table(
            "rules",
            ["rule"],
            ["status", "title_sv", "title_en", "detail_sv", "detail_en", "findings"],
            [
                [
                    rule.rule,
                    rule.status,
                    rule.title.sv,
                    rule.title.en,
                    rule.detail.sv,
                    rule.detail.en,
                    json.dumps(rule.findings, sort_keys=True, ensure_ascii=False),
                ]
                for rule in r.rules
            ],
        ),
        Table("sources", ["source"], ["query"], [[k, v] for k, v in sorted(r.sources.items())]),
    ]


def _rows(name: str, keys: list[str], fields: list[str], items: Iterable[dict[str, Cell]]) -> Table:
    return Table(name, keys, fields, [[item[c] for c in [*keys, *fields]] for item in items])


def cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return "'" + value if value.startswith(FORMULA_START) else value


def long_csv(all_tables: Sequence[Table]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "key", "field", "value"])
    for table in all_tables:
        for row in table.rows:
            key = ":".join(cell(v) for v in row[: len(table.keys)])
            for field, value in zip(table.fields, row[len(table.keys) :], strict=True):
                writer.writerow([table.name, key, field, cell(value)])
    return out.getvalue()


def wide_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([cell(v) for v in row] for row in table.rows)
    return out.getvalue()


SECTIONS = (
    "report",
    "finances",
    "calls_by_agency_stage",
    "trl_coverage",
    "calls",
    "technology_areas",
    "ai",
    "clusters",
    "graduate_schools_by_type",
    "graduate_schools",
    "partners_by_review",
    "partners",
    "planning_reports",
    "rules",
    "sources",
)
