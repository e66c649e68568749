"""The HTML report's charts, drawn by matplotlib as inline SVG.

matplotlib costs a noticeable import, so it is imported on the first HTML render, not at
start-up. Only the object API is used (no pyplot: it keeps global figure state and is not
meant for threads), and drawing holds a lock because rcParams and the font cache are
process-wide. Text stays text in the SVG (smaller, selectable, Swedish letters as they are),
and ids are salted with a constant so the same report gives the same SVG.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING

from services.reporting.annual.content import ReportContent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_lock = threading.Lock()
MSEK = 1_000_000
MAX_CLUSTERS = 60  # beyond this a bar chart stops being readable; the table has them all
COLOURS = {"appropriation": "#9db4c0", "committed": "#1f4e79", "disbursed": "#e07a1f"}
TARGET = "#b00020"


def _configure() -> None:
    import matplotlib

    matplotlib.rcParams.update(
        {"svg.fonttype": "none", "svg.hashsalt": "annual-report", "font.size": 9}
    )


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _msek(amount: int) -> float:
    return amount / MSEK


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def finances(report: ReportContent) -> str:
    figure, axes = _figure(6.5, 3.2)
    agencies = report.finances.agencies
    names = [a.agency.upper() if a.agency == "vr" else a.agency.capitalize() for a in agencies]
    series = (
        ("Anslag (appropriation)", [a.appropriation_sek or 0 for a in agencies], "appropriation"),
        ("Beviljat (committed)", [a.committed_sek for a in agencies], "committed"),
        ("Utbetalt netto (disbursed)", [a.net_disbursed_sek for a in agencies], "disbursed"),
    )
    width = 0.26
    for i, (label, values, colour) in enumerate(series):
        positions = [x + (i - 1) * width for x in range(len(agencies))]
        axes.bar(positions, [_msek(v) for v in values], width, label=label, color=COLOURS[colour])
    axes.set_xticks(range(len(agencies)), names)
    axes.set_ylabel("MSEK")
    axes.legend(frameon=False, fontsize=8)
    return _svg(figure)


def technology_areas(report: ReportContent, labels: dict[str, str]) -> str:
    areas = report.technology_areas.areas
    figure, axes = _figure(6.5, 3.2)
    if not areas:
        _empty(axes, "Inga bidrag detta år (no grants this year)")
        return _svg(figure)
    names = [labels.get(a.technology_area, a.technology_area) for a in areas]
    width = 0.4
    axes.bar(
        [x - width / 2 for x in range(len(areas))],
        [_msek(a.planned_sek) for a in areas],
        width,
        label="Planerat (planned)",
        color=COLOURS["appropriation"],
    )
    axes.bar(
        [x + width / 2 for x in range(len(areas))],
        [_msek(a.committed_sek) for a in areas],
        width,
        label="Beviljat (committed)",
        color=COLOURS["committed"],
    )
    axes.set_xticks(range(len(areas)), names, rotation=30, ha="right")
    axes.set_ylabel("MSEK")
    axes.legend(frameon=False, fontsize=8)
    return _svg(figure)


def ai_target(report: ReportContent) -> str:
    ai = report.ai
    figure, axes = _figure(4.5, 3.0)
    axes.bar(
        ["Planerat\n(planned)", "Beviljat\n(committed)", "Utbetalt\n(disbursed)"],
        [_msek(ai.planned_sek), _msek(ai.committed_sek), _msek(ai.net_disbursed_sek)],
        0.55,
        color=[COLOURS["appropriation"], COLOURS["committed"], COLOURS["disbursed"]],
    )
    label = f"Mål {_msek(ai.target_sek):g} MSEK" + (
        "" if ai.target_applies else f" (från {ai.target_from_year})"
    )
    axes.axhline(_msek(ai.target_sek), color=TARGET, linestyle="--", linewidth=1.2, label=label)
    axes.set_ylabel("MSEK")
    axes.set_ylim(
        0, max(_msek(ai.target_sek), _msek(ai.planned_sek), _msek(ai.committed_sek)) * 1.15
    )
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return _svg(figure)


def clusters(report: ReportContent) -> str:
    funded = [c for c in report.clusters.clusters if c.grants > 0]
    rows = sorted(funded, key=lambda c: (c.planned_sek, c.name))[:MAX_CLUSTERS]
    target = report.clusters.target_sek
    figure, axes = _figure(6.5, max(2.0, 0.8 + 0.28 * len(rows)))
    if not rows:
        _empty(axes, "Inga kluster finansierade detta år (no clusters funded)")
        return _svg(figure)
    names = [_short(c.name) for c in rows]
    axes.barh(
        names,
        [_msek(c.planned_sek) for c in rows],
        color=[COLOURS["committed"] if c.planned_sek >= target else TARGET for c in rows],
    )
    axes.axvline(
        _msek(target),
        color="#333333",
        linestyle="--",
        linewidth=1.2,
        label=f"{_msek(target):g} MSEK per kluster och år",
    )
    axes.invert_yaxis()
    axes.set_xlabel("MSEK")
    axes.legend(frameon=False, fontsize=8, loc="lower right")
    return _svg(figure)


def _short(name: str, limit: int = 38) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def draw(report: ReportContent, area_labels: dict[str, str]) -> list[tuple[str, str]]:
    """(name, svg) of every chart, in the order the report shows them."""
    with _lock:
        _configure()
        return [
            ("finances", finances(report)),
            ("technology-areas", technology_areas(report, area_labels)),
            ("ai-target", ai_target(report)),
            ("clusters", clusters(report)),
        ]
