"""The HTML report opened in headless Chromium: every chart renders with a size and bars.

Needs Debian's `chromium` (`apt-get install -y chromium`, see docs/reporting.md); `CHROMIUM`
names another binary. Never skipped: a missing browser fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx

from services.reporting.annual.charts import COLOURS, TARGET
from tests.reporting.scenario import MSEK, appropriate, book, build, call, cluster, grant

# Runs after the page is parsed: measures each chart as laid out and writes the result into
# the DOM, which --dump-dom then prints.
PROBE = """<script>
const FILLS = __FILLS__;
const size = (e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
const charts = [...document.querySelectorAll('figure.chart')].map((figure) => {
  const svg = figure.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const bars = [...svg.querySelectorAll('g[id^="patch_"] path')].filter((shape) =>
    !shape.closest('g[id^="legend_"]') && size(shape) &&
    FILLS.some((fill) => (shape.getAttribute('style') || '').includes('fill: ' + fill)));
  const long = (e) => { const b = e.getBoundingClientRect(); return b.width + b.height > 100; };
  const dashed = [...svg.querySelectorAll('g[id^="line2d_"] path')].filter((line) =>
    !line.closest('g[id^="legend_"]') && long(line) &&
    (line.getAttribute('style') || '').includes('stroke-dasharray'));
  return {chart: figure.dataset.chart, width: box.width, height: box.height,
          bars: bars.length, dashed: dashed.length, texts: svg.querySelectorAll('text').length};
});
const out = document.createElement('pre');
out.id = 'probe';
out.textContent = JSON.stringify(charts);
document.body.appendChild(out);
</script>""".replace("__FILLS__", json.dumps([*COLOURS.values(), TARGET]))


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    assert found, "headless Chromium is needed: apt-get install -y chromium (docs/reporting.md)"
    return found


def rendered(page: str, folder: Path) -> list[dict[str, Any]]:
    html = folder / "report.html"
    html.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={folder / 'profile'}",
            "--window-size=1200,2000",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    start = result.stdout.index('<pre id="probe">') + len('<pre id="probe">')
    probe = result.stdout[start : result.stdout.index("</pre>", start)]
    charts: list[dict[str, Any]] = json.loads(probe.replace("&quot;", '"').replace("&amp;", "&"))
    return charts


def test_the_four_charts_render_in_chromium(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client, tmp_path: Path
) -> None:
    appropriate(vinnova, "vinnova", 2026, 150 * MSEK)
    ai = cluster(vr, "AI Stockholm")
    quantum = cluster(vinnova, "Kvant Göteborg", area="quantum")
    g1 = grant(vr, call(vr), ai, {2026: (45 * MSEK, 2 * MSEK)})
    g2 = grant(vinnova, call(vinnova, areas=("quantum",)), quantum, {2026: (30 * MSEK, 2 * MSEK)})
    book(vr, g1["id"], "commitment", 45 * MSEK, 2026)
    book(vr, g1["id"], "disbursement", 20 * MSEK, 2026)
    book(vinnova, g2["id"], "commitment", 30 * MSEK, 2026)
    build(office, 2026)

    page = office.get("/v1/reports/annual/2026", params={"format": "html"})
    charts = rendered(ok_text(page), tmp_path)

    # bars with a height on screen, from the data entered above (zero amounts draw nothing)
    expected = {
        "finances": 5,  # VR: appropriation, committed, disbursed; Vinnova: no disbursement
        "technology-areas": 4,  # ai and quantum, planned and committed
        "ai-target": 3,  # planned, committed, disbursed
        "clusters": 2,  # one at or above 40 MSEK, one below
    }
    assert {c["chart"]: c["bars"] for c in charts} == expected
    for chart in charts:
        assert chart["width"] > 200, chart
        assert chart["height"] > 100, chart
        assert chart["texts"] > 3, chart  # axis labels and legends are real text
    # the 100 MSEK and 40 MSEK targets are dashed lines drawn across their charts
    assert {c["chart"]: c["dashed"] for c in charts}["ai-target"] == 1
    assert {c["chart"]: c["dashed"] for c in charts}["clusters"] == 1


def ok_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return response.text
