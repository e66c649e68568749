"""The annual report as a short printable HTML page in Swedish, with English headings.

Everything from the data is escaped (cluster names, organisations and texts come from the
agencies), the page loads nothing from elsewhere, and the route sends a Content-Security-
Policy that forbids scripts, so a hostile name cannot run in a reader's browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from services.reporting.annual import charts
from services.reporting.annual.content import ReportContent
from services.reporting.annual.rules import sek_sv
from services.reporting.annual.schemas import VersionFacts

NONE = "\u2013"  # an en dash marks an empty cell in Swedish tables
STATUS_SV = {"met": "Uppfylld", "not_met": "Ej uppfylld", "not_applicable": "Ej tillämplig"}
STATUS_CLASS = {label: status for status, label in STATUS_SV.items()}
AGENCY_NAMES = {"vr": "Vetenskapsrådet", "vinnova": "Vinnova"}
AREA_NAMES = {
    "ai": "AI och autonoma system",
    "quantum": "Kvantteknik",
    "semiconductors": "Halvledare",
    "computing": "Beräkningsförmåga",
    "connectivity": "Konnektivitet",
    "energy": "Energiteknik",
    "materials": "Nya material",
    "biotechnology": "Bioteknik",
    "space": "Rymdteknik",
    "other": "Övrigt",
}
SCHOOL_TYPES_SV = {"ai": "AI", "groundbreaking_technology": "Banbrytande teknik", "stem": "STEM"}
REVIEW_SV = {"pending": "Pågår", "cleared": "Godkänd", "restricted": "Begränsad"}
PARTS_SV = {
    "field_analysis": "forskningsfältet",
    "collaboration_strategy": "samverkansstrategi",
    "societal_impact": "samhällspåverkan",
    "security_implications": "säkerhetsaspekter",
}

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1a1a1a;max-width:56rem;margin:2rem auto;
padding:0 1rem;line-height:1.4;font-size:10.5pt}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:2px solid #1f4e79}h2 small,h1 small{font-weight:normal;color:#555}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.met{color:#1b6e20}.not_met{color:#b00020;font-weight:bold}.not_applicable{color:#666}
figure{margin:1rem 0;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}.facts td:first-child{width:14rem;color:#555}
code{font-size:.8rem;word-break:break-all}
@page{size:A4;margin:18mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}
table,figure{break-inside:avoid}}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: set[int],
    status_column: int | None = None,
) -> str:
    def css(i: int, value: object) -> str:
        if i in numeric:
            return ' class="n"'
        if i == status_column:
            return f' class="{STATUS_CLASS.get(str(value), "")}"'
        return ""

    head = "".join(f"<th{css(i, None)}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{css(i, v)}>{_e(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _kr(amount: int | None) -> str:
    return NONE if amount is None else sek_sv(amount)


def _figure(name: str, svg: str, caption: str) -> str:
    return (
        f'<figure class="chart" data-chart="{_e(name)}">{svg}'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def render(report: ReportContent, facts: VersionFacts) -> str:
    svgs = dict(charts.draw(report, AREA_NAMES))
    r = report
    status = "Inlämnad" if facts.submitted else ("Försenad" if facts.overdue else "Utkast")
    approved = ", ".join(AGENCY_NAMES.get(a, a) for a in facts.approved_by) or "ingen"
    parts = [
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">',
        f"<title>Gemensam årsrapport {r.year}: excellenskluster</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Gemensam årsrapport {r.year} <small>Joint annual report</small></h1>",
        "<p>Excellenskluster för banbrytande teknik. Vetenskapsrådet och Vinnova till "
        "Utbildningsdepartementet och Klimat- och näringslivsdepartementet.</p>",
        '<table class="facts"><tbody>',
        *(
            f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>"
            for k, v in (
                ("Version", facts.version),
                ("Underlag per (as of)", r.as_of.isoformat()),
                ("Sammanställd (built)", facts.built_at.isoformat()),
                ("Regelversion (rules version)", r.rules_version),
                ("Sista dag (due)", r.due_on.isoformat()),
                ("Status", status),
                ("Godkänd av (approved by)", approved),
                ("Kontrollsumma SHA-256 (checksum)", facts.checksum),
            )
        ),
        "</tbody></table>",
        "<h2>Regler <small>Rules</small></h2>",
        _table(
            ["Regel", "Krav", "Status", "Bedömning"],
            ([x.rule, x.title.sv, STATUS_SV[x.status], x.detail.sv] for x in r.rules),
            set(),
            status_column=2,
        ),
        "<h2>Anslag och utfall <small>Appropriations, commitments, disbursements "
        "(R7, R8)</small></h2>",
        _table(
            ["Myndighet", "Anslag", "Status", "Beviljat", "Utbetalt netto", "Ej beviljat"],
            (
                [
                    AGENCY_NAMES.get(a.agency, a.agency),
                    _kr(a.appropriation_sek),
                    a.appropriation_status or NONE,
                    _kr(a.committed_sek),
                    _kr(a.net_disbursed_sek),
                    _kr(a.uncommitted_sek),
                ]
                for a in r.finances.agencies
            ),
            {1, 3, 4, 5},
        ),
        _figure(
            "finances",
            svgs["finances"],
            "Anslag, beviljat och utbetalt per myndighet (appropriation vs committed vs "
            "disbursed), MSEK.",
        ),
        "<h2>Utlysningar <small>Calls published (R10)</small></h2>",
        _table(
            ["Myndighet", "Etapp", "Utlysningar", "Budget"],
            (
                [AGENCY_NAMES.get(c.agency, c.agency), c.stage, c.calls, _kr(c.budget_sek)]
                for c in r.calls.by_agency_stage
            ),
            {2, 3},
        ),
        f"<p>TRL som täcks: {_e(', '.join(map(str, r.calls.trl_covered)) or 'inga')}; "
        f"saknas: {_e(', '.join(map(str, r.calls.trl_missing)) or 'inga')}.</p>",
        "<h2>Teknikområden <small>Technology areas (R2)</small></h2>",
        _table(
            ["Område", "Bidrag", "Planerat", "Beviljat", "Utbetalt netto"],
            (
                [
                    AREA_NAMES.get(a.technology_area, a.technology_area),
                    a.grants,
                    _kr(a.planned_sek),
                    _kr(a.committed_sek),
                    _kr(a.net_disbursed_sek),
                ]
                for a in r.technology_areas.areas
            ),
            {1, 2, 3, 4},
        ),
        _figure(
            "technology-areas",
            svgs["technology-areas"],
            "Belopp per teknikområde (amounts per technology area), MSEK.",
        ),
        _figure(
            "ai-target",
            svgs["ai-target"],
            f"AI mot målet 100 MSEK per år från {r.ai.target_from_year} "
            "(AI against the 100 MSEK target).",
        ),
        "<h2>Kluster <small>Clusters (R1, R3, R5)</small></h2>",
        _table(
            ["Kluster", "Område", "Lärosäten", "Totalt året", "Varav SSH", "Under 40 MSEK"],
            (
                [
                    c.name,
                    AREA_NAMES.get(c.technology_area or "", c.technology_area or NONE),
                    c.hei_count,
                    _kr(c.planned_sek),
                    _kr(c.ssh_sek),
                    _kr(c.shortfall_sek) if c.shortfall_sek else NONE,
                ]
                for c in r.clusters.clusters
                if c.grants > 0
            ),
            {2, 3, 4, 5},
        ),
        _figure(
            "clusters",
            svgs["clusters"],
            "Varje klusters totala belopp för året mot 40 MSEK (each cluster's yearly total "
            "against 40 MSEK); röd = under målet.",
        ),
        "<h2>Forskarskolor <small>Graduate schools (R4)</small></h2>",
        _table(
            [
                "Typ",
                "Skolor",
                "Doktorander",
                "Mobilitet lärosäte/lärosäte",
                "Mobilitet lärosäte/näringsliv",
            ],
            (
                [
                    SCHOOL_TYPES_SV.get(t.type, t.type),
                    t.schools,
                    t.doctoral_students,
                    t.mobility_hei_hei,
                    t.mobility_hei_industry,
                ]
                for t in r.graduate_schools.by_type
            ),
            {1, 2, 3, 4},
        ),
        "<h2>Internationella partner <small>International partners by security review "
        "(R6)</small></h2>",
        _table(
            ["Säkerhetsprövning", "Partner"],
            (
                [REVIEW_SV.get(p.security_review, p.security_review), p.partners]
                for p in r.international_partners.by_review
            ),
            {1},
        ),
        "<h2>Planeringsbidragens slutrapporter <small>Planning final reports (R12)</small></h2>",
        f"<p>Sista dag {_e(r.planning.due_on.isoformat())}: {r.planning.grants} bidrag, "
        f"{r.planning.submitted} inlämnade, {r.planning.complete} kompletta.</p>",
        _table(
            ["Diarienummer", "Myndighet", "Kluster", "Saknas"],
            (
                [
                    p.registration_number,
                    AGENCY_NAMES.get(p.agency, p.agency),
                    p.cluster_name or NONE,
                    ", ".join(PARTS_SV.get(x, x) for x in p.missing_parts),
                ]
                for p in r.planning.reports
                if not p.complete
            ),
            set(),
        ),
        "<h2>Källor <small>Sources</small></h2>",
        "<p>Varje siffra kommer från en fråga hos den tjänst som äger uppgifterna "
        "(each figure comes from a query in the owning service):</p><ul>",
        *(f"<li><b>{_e(k)}</b>: <code>{_e(v)}</code></li>" for k, v in sorted(r.sources.items())),
        "</ul></body></html>",
    ]
    return "".join(parts)
