"""The demo's månadsrapport as a reader sees it, in the system's headless Chromium.

A copy of the report gets a small script at its end that measures, after layout, every chart's
drawn size, the resources the page fetched (performance entries: none may exist, the report is
self-contained) and any script error; `--dump-dom` hands the result back. A screenshot must not
be blank. Chromium runs with every host name unresolvable; its own log (stderr) may name no
http(s) URL and no console error. Without Chromium these tests fail (never skip).
"""

from __future__ import annotations

import re
import shutil

import pytest

from pipelines.lib.report import HTML_NAME
from pipelines.lib.workspace import Workspace
from tests.report.chromium import chromium_or_fail, measure, png_pixels, run_chromium

MEASURE = """
<script>
window.__fel = [];
window.addEventListener("error", e => window.__fel.push(String(e.message)));
window.addEventListener("load", () => {
  const charts = [...document.querySelectorAll("svg.diagram")].map(svg => {
    const box = svg.getBoundingClientRect();
    return {id: svg.id, width: box.width, height: box.height,
            marks: svg.querySelectorAll("path, rect, line, text").length,
            title: (svg.querySelector("title") || {}).textContent || ""};
  });
  const out = document.createElement("pre");
  out.id = "matning";
  out.textContent = JSON.stringify({
    charts,
    resources: performance.getEntriesByType("resource").map(r => r.name),
    errors: window.__fel,
    sections: document.querySelectorAll("main > section").length,
  });
  document.body.appendChild(out);
});
</script>
"""


@pytest.fixture(scope="module")
def report(published_demo, tmp_path_factory):
    chromium = chromium_or_fail()
    ws = Workspace(home=published_demo["home"])
    [html_path] = sorted(ws.reports.glob(f"*/{HTML_NAME}"))[-1:]
    folder = tmp_path_factory.mktemp("chromium")
    copy = folder / HTML_NAME
    shutil.copy(html_path, copy)
    return {"chromium": chromium, "html": html_path.read_text(encoding="utf-8"), "copy": copy}


def test_the_html_names_no_url_to_fetch(report):
    html = report["html"]
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.findall(r"""url\(\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "@import" not in html


def test_every_chart_is_drawn_nothing_is_fetched_and_no_script_fails(report):
    measured = measure(
        report["chromium"], report["html"], MEASURE, report["copy"].with_name("matning.html")
    )
    assert measured["resources"] == []
    assert measured["errors"] == []
    charts = measured["charts"]
    expected = set(re.findall(r'<svg[^>]*class="diagram" id="([^"]+)"', report["html"]))
    # The demo has a nämnd table, flagged nämnder, helårsprognoser, mål and risks: these charts.
    assert {
        "diagram-helarsavvikelse",
        "diagram-utfall-budget",
        "diagram-helarsprognos",
        "diagram-maluppfyllelse",
        "diagram-riskmatris",
        "diagram-forandring",
    } <= expected
    assert {c["id"] for c in charts} == expected
    for chart in charts:
        assert chart["width"] > 200 and chart["height"] > 100, chart
        assert chart["marks"] > 10 and chart["title"], chart
    # Chromium's log (no console error, no URL other than the file itself): measure checks it.


def test_the_screenshot_is_not_blank(report, tmp_path):
    shot = tmp_path / "rapport.png"
    result = run_chromium(
        report["chromium"],
        [
            "--window-size=900,700",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            report["copy"].as_uri(),
        ],
    )
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 700)
    pixels = [row[i : i + 3] for row in rows for i in range(0, len(row), 3)]
    inked = sum(1 for p in pixels if min(p) < 200)  # text, lines, lights: not near-white
    assert inked / len(pixels) > 0.02
    assert len(set(pixels)) > 20  # more than a flat page: text anti-aliasing and colours
