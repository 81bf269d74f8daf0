"""The per-nämnd yearly reports on the demo with 2025 closed: the kvalitetsrapport and the
verksamhetsberättelse, their figures against the marts (queried here), one report per nämnd,
the refusal of a year not closed, a nämnd without indicators, an analys text with Markdown, a
script tag and a very long text, and both rendered in headless Chromium.

The module copies the session's demo (which closed 2025 as a controller would, with `styrhjul
close --year 2025`) and writes both types for every nämnd once in the copy.
"""

from __future__ import annotations

import html as html_lib
import re
import shutil

import duckdb
import openpyxl
import pytest

from pipelines.cli import EXIT_FAILURE, main
from pipelines.lib.report import write_reports
from pipelines.lib.report.data import namnder_for
from pipelines.lib.report.excel import CELL_MAX, CUT_NOTE
from pipelines.lib.report.format import format_mnkr, format_varde
from pipelines.lib.report.kvalitetsrapport import no_indicators, read_kvalitetsrapport
from pipelines.lib.report.verksamhetsberattelse import read_verksamhetsberattelse
from pipelines.lib.workspace import Workspace
from tests.report.chromium import chromium_or_fail, measure, png_pixels, run_chromium
from tests.report.test_in_chromium import MEASURE

pytestmark = pytest.mark.e2e
YEAR = 2025
TYPES = ("kvalitetsrapport", "verksamhetsberattelse")


@pytest.fixture(scope="module")
def closed(published_demo, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("namndrapporter") / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("*.lock"))
    # `styrhjul demo` closed 2025 as a controller would (`styrhjul close --year 2025`).
    ws = Workspace(home=home)
    paths = {typ: write_reports(ws, typ, str(YEAR)) for typ in TYPES}
    return {"ws": ws, "paths": paths}


def rows(ws: Workspace, sql: str, params=()) -> list[dict]:
    with duckdb.connect(str(ws.published_db), read_only=True) as con:
        cur = con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def html_of(closed, typ: str, namnd: str) -> str:
    return (closed["ws"].reports / str(YEAR) / f"{typ}_{namnd}.html").read_text("utf-8")


def section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}"')
    return page[start : page.index("</section>", start)]


def body_rows(part: str) -> list[list[str]]:
    """The cells' texts of the first table's body rows in `part`."""
    start = part.index("<tbody>")
    body = part[start : part.index("</tbody>", start)]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# ---------------------------------------------------------------------------------------------
# One report per nämnd, and the refusal of a year not closed.


def test_one_report_per_namnd_of_each_type(closed):
    ws = closed["ws"]
    namnder = namnder_for(ws, str(YEAR))
    assert len(namnder) > 5
    folder = ws.reports / str(YEAR)
    for typ in TYPES:
        expected = [folder / f"{typ}_{n}.{ext}" for n in namnder for ext in ("html", "xlsx")]
        assert closed["paths"][typ] == expected
        assert all(p.is_file() and p.stat().st_size > 0 for p in expected)
    page = html_of(closed, "verksamhetsberattelse", "SOC")
    assert "<h1>Verksamhetsberättelse 2025 – Socialnämnden</h1>" in page
    assert "2025 (stängd " in page


def test_a_verksamhetsberattelse_for_a_year_not_closed_is_refused_in_swedish(
    published_demo, closed, capsys
):
    ws = Workspace(home=published_demo["home"])  # the demo closed 2025, not 2024
    with pytest.raises(ValueError) as refused:
        write_reports(ws, "verksamhetsberattelse", "2024", "SOC")
    assert str(refused.value).startswith(
        "Verksamhetsberättelse för 2024 kan inte skrivas: året 2024 är inte stängt. Stäng det "
        "med 'styrhjul close --year 2024'"
    )
    assert not list(ws.reports.glob("2024/verksamhetsberattelse*"))
    # The CLI: one Swedish sentence, exit 1, no traceback; in the closed copy 2026 is open.
    home = str(closed["ws"].home)
    code = main(["report", "--type", "verksamhetsberattelse", "--year", "2026", "--home", home])
    err = capsys.readouterr().err
    assert code == EXIT_FAILURE and "Traceback" not in err
    assert "året 2026 är inte stängt" in err and "Stängda år: 2025." in err
    assert not (closed["ws"].reports / "2026").exists()


# ---------------------------------------------------------------------------------------------
# The verksamhetsberättelse's figures against the marts.


def test_the_ekonomi_is_december_with_the_closing_entries_as_the_mart_counts_them(closed):
    ws = closed["ws"]
    # Kommunstyrelsen is the nämnd the demo's closing entries (period 13) are booked on.
    [bokslut] = rows(
        ws,
        "select nettokostnad from marts.bokslutsposter where niva = 'namnd' and org = 'KS' "
        "and ar = ?",
        [YEAR],
    )
    assert bokslut["nettokostnad"] != 0
    expected = rows(
        ws,
        "select org_namn, budget_ack, utfall_ack, avvikelse_ack from marts.budgetavvikelse "
        "where period = '2025-12' and ((niva = 'namnd' and org = 'KS') "
        "or (niva = 'forvaltning' and namnd = 'KS')) order by niva = 'namnd' desc, org",
    )
    report = read_verksamhetsberattelse(ws, YEAR, "KS")
    ekonomi = next(s for s in report.sections if s.id == "ekonomi")
    got = [{k: r[k] for k in expected[0]} for r in ekonomi.rows]
    assert got == expected
    [item] = ekonomi.key_figures
    assert item.value == bokslut["nettokostnad"]
    summary = {i.label: i.value for i in report.summary}
    assert summary["Utfall helår"] == expected[0]["utfall_ack"]
    assert summary["Avvikelse"] == expected[0]["avvikelse_ack"]
    # The HTML shows the same figures in mnkr.
    table = body_rows(section(html_of(closed, "verksamhetsberattelse", "KS"), "ekonomi"))
    assert table[0][0] == "Kommunstyrelsen"
    assert table[0][2:5] == [
        format_mnkr(expected[0]["budget_ack"]),
        format_mnkr(expected[0]["utfall_ack"]),
        format_mnkr(expected[0]["avvikelse_ack"], signed=True),
    ]


def test_the_goals_indicators_and_malkedja_are_the_namnds(closed):
    ws = closed["ws"]
    expected = rows(
        ws,
        "select mal_id, status, foralder_titel from marts.maluppfyllelse "
        "where ar = ? and niva = 'namnd' and org = 'KS' order by mal_id",
        [YEAR],
    )
    assert expected, "demon har mål för Kommunstyrelsen 2025"
    report = read_verksamhetsberattelse(ws, YEAR, "KS")
    by_id = {s.id: s for s in report.sections}
    assert [
        {"mal_id": r["mal_id"], "status": r["status"], "foralder_titel": r["foralder_titel"]}
        for r in by_id["maluppfyllelse"].rows
    ] == expected
    indikatorer = rows(
        ws,
        "select mal_id, indikator, varde, status from marts.maluppfyllelse_indikator "
        "where ar = ? and mal_id in (select mal_id from marts.maluppfyllelse where ar = ? "
        "and org = 'KS') order by mal_id, indikator",
        [YEAR, YEAR],
    )
    assert [
        {k: r[k] for k in ("mal_id", "indikator", "varde", "status")}
        for r in by_id["malindikatorer"].rows
    ] == indikatorer
    page = section(html_of(closed, "verksamhetsberattelse", "KS"), "maluppfyllelse")
    assert "Källa: marts.maluppfyllelse." in page
    counts = {i.label: i.value for i in report.summary}
    assert counts["Mål"] == len(expected)
    assert counts["– uppfyllda"] == sum(1 for r in expected if r["status"] == "uppfyllt")


def test_uppdrag_and_intern_kontroll_with_the_namnds_assessment(closed):
    ws = closed["ws"]
    uppdrag = rows(
        ws,
        "select mottagare, id, status, forsenad from marts.uppdrag where period = '2025-12' "
        "order by mottagare, id",
    )
    assert uppdrag, "demon har uppdrag som följs upp i december 2025"
    mottagare = uppdrag[0]["mottagare"]
    report = read_verksamhetsberattelse(ws, YEAR, mottagare)
    by_id = {s.id: s for s in report.sections}
    assert [(r["id"], r["status"], r["forsenad"]) for r in by_id["uppdrag"].rows] == [
        (u["id"], u["status"], u["forsenad"]) for u in uppdrag if u["mottagare"] == mottagare
    ]
    page = html_of(closed, "verksamhetsberattelse", mottagare)
    assert "genomfört" in section(page, "uppdrag") or "pågår" in section(page, "uppdrag")

    risker = rows(
        ws,
        "select risk, riskvarde from marts.intern_kontroll where namnd = ? and ar = ? "
        "order by riskvarde desc nulls last, risk",
        [mottagare, YEAR],
    )
    assert [(r["risk"], r["riskvarde"]) for r in by_id["intern_kontroll"].rows] == [
        (r["risk"], r["riskvarde"]) for r in risker
    ]
    # The assessment: the nämnd's intern_kontroll text of the year, or said to be missing.
    texter = {
        r["org"]: r["text"]
        for r in rows(
            ws,
            "select org, text from marts.analys where niva = 'namnd' and avsnitt = "
            "'intern_kontroll' and ar = ?",
            [YEAR],
        )
    }
    with_text = sorted(texter)[0]
    kontroll = section(html_of(closed, "verksamhetsberattelse", with_text), "intern_kontroll")
    assert "Nämndens bedömning av om den interna kontrollen är tillräcklig (2025-12)" in kontroll
    assert texter[with_text].split("**")[0].strip()[:30] in html_lib.unescape(kontroll)
    without = next(n for n in namnder_for(ws, str(YEAR)) if n not in texter)
    kontroll = section(html_of(closed, "verksamhetsberattelse", without), "intern_kontroll")
    assert (
        "Nämndens bedömning av om den interna kontrollen är tillräcklig saknas: nämnden har "
        "inte lämnat någon text för 2025 (analys_ med avsnitt intern_kontroll)."
    ) in kontroll


# ---------------------------------------------------------------------------------------------
# The kvalitetsrapport: the indicator rule, the figures, a nämnd without indicators.


def _expected_indicators(ws: Workspace, namnd: str) -> set[tuple[str, str]]:
    """docs/rules.md §22 computed here in Python from the marts: the indicators of the goals of
    the nämnd and its förvaltningar/verksamheter in the year (at the goal org's values, else the
    kommun's), and own measures for those organisations."""
    orgs = {("namnd", namnd)}
    for r in rows(
        ws,
        "select forvaltning, verksamhetsomrade, giltig_from, giltig_tom "
        "from marts.dim_organisation where namnd = ?",
        [namnd],
    ):
        if r["giltig_from"].year <= YEAR and (
            r["giltig_tom"] is None or r["giltig_tom"].year >= YEAR
        ):
            orgs.add(("forvaltning", r["forvaltning"]))
            if r["verksamhetsomrade"]:
                orgs.add(("verksamhet", r["verksamhetsomrade"]))
    values = {
        (r["indikator"], r["org"])
        for r in rows(
            ws,
            "select indikator, org, kalla from marts.kvalitetsindikatorer "
            "where ar <= ? and varde is not null",
            [YEAR],
        )
    }
    found = set()
    for r in rows(
        ws,
        "select m.niva, m.org, i.indikator from marts.maluppfyllelse m "
        "join marts.maluppfyllelse_indikator i using (ar, mal_id) where m.ar = ?",
        [YEAR],
    ):
        if (r["niva"], r["org"]) in orgs:
            org = r["org"] if (r["indikator"], r["org"]) in values else "KOMMUN"
            found.add((r["indikator"], org))
    org_codes = {org for _, org in orgs}
    for r in rows(
        ws, "select indikator, org, kalla, ar from marts.kvalitetsindikatorer where ar <= ?", [YEAR]
    ):
        if r["kalla"] == "egen" and r["org"] in org_codes:
            found.add((r["indikator"], r["org"]))
    return found


def test_the_namnds_indicators_follow_the_rule_for_every_namnd(closed):
    ws = closed["ws"]
    seen_goal, seen_sub_org = False, False
    for namnd in namnder_for(ws, str(YEAR)):
        report = read_kvalitetsrapport(ws, YEAR, namnd)
        got = {
            (r["indikator"], r["org"])
            for s in report.sections
            if s.id.startswith("kvalitet_")
            for r in s.rows
        }
        assert got == _expected_indicators(ws, namnd), namnd
        underlag = {r["underlag"] for s in report.sections for r in s.rows if "underlag" in r}
        seen_goal |= any(u.startswith("mål ") for u in underlag)
        seen_sub_org |= any(org not in (namnd, "KOMMUN") for _, org in got)
    # The demo exercises both kinds: a goal's indicator and a verksamhet's own measure.
    assert seen_goal and seen_sub_org


def test_the_kvalitetsfaktorer_equal_the_mart_with_the_comparison(closed):
    ws = closed["ws"]
    kolada = rows(
        ws,
        "select indikator, ar, varde, jamforelsegrupp_median, rang, antal_jamforda "
        "from marts.kvalitetsindikatorer where org = 'KOMMUN' and ar <= ? and indikator in "
        "(select indikator from marts.maluppfyllelse_indikator i join marts.maluppfyllelse m "
        "using (ar, mal_id) where m.ar = ? and m.org = 'KS' and i.kalla = 'kolada') "
        "order by indikator, ar",
        [YEAR, YEAR],
    )
    assert kolada, "Kommunstyrelsens mål 2025 har ett Kolada-nyckeltal"
    indikator = kolada[0]["indikator"]
    own = [r for r in kolada if r["indikator"] == indikator]
    report = read_kvalitetsrapport(ws, YEAR, "KS")
    [row] = [r for s in report.sections for r in s.rows if r.get("indikator") == indikator]
    for r in own:
        assert row["varden"][r["ar"]] == r["varde"]
    latest = [r for r in own if r["rang"] is not None][-1]
    assert (row["jamforelsear"], row["rang"], row["jamforelsegrupp_median"]) == (
        latest["ar"],
        latest["rang"],
        latest["jamforelsegrupp_median"],
    )
    page = html_of(closed, "kvalitetsrapport", "KS")
    part = section(page, f"kvalitet_{row['perspektiv']}")
    assert "diagram-kvalitet-" in part and "Källa: marts.kvalitetsindikatorer." in part
    [cells] = [c for c in body_rows(part) if c[0] == indikator]
    values = {r["ar"]: r["varde"] for r in own}
    assert cells[4:9] == [format_varde(values.get(ar)) for ar in range(YEAR - 4, YEAR + 1)]
    comparison = part[part.index("<tbody>") + 7 :]
    [cmp_cells] = [c for c in body_rows(comparison) if c[0] == indikator]
    assert cmp_cells[1:4] == [
        str(latest["ar"]),
        format_varde(latest["jamforelsegrupp_median"]),
        str(latest["rang"]),
    ]
    # Every perspective is a section, one without indicators says so.
    for perspektiv in ("medborgare", "ekonomi", "medarbetare", "hallbarhet"):
        assert f'<section id="kvalitet_{perspektiv}"' in page
    assert "Kommunstyrelsen har inga kvalitetsfaktorer i perspektivet hållbarhet för 2025." in page


def test_a_namnd_without_any_indicator_gets_a_sentence_not_an_empty_table(closed):
    ws = closed["ws"]
    # Finansförvaltningen (FIN) has no goal and no own measure in the demo: checked here.
    assert _expected_indicators(ws, "FIN") == set()
    page = html_of(closed, "kvalitetsrapport", "FIN")
    part = section(page, "kvalitetsfaktorer")
    name = rows(
        ws,
        "select arg_max(org_namn, period) as n from marts.budgetavvikelse where org = 'FIN'",
    )[0]["n"]
    assert no_indicators(name, YEAR) in part
    assert "<table" not in part
    assert "kvalitet_medborgare" not in page
    sheet = openpyxl.load_workbook(ws.reports / "2025" / "kvalitetsrapport_FIN.xlsx")[
        "Kvalitetsfaktorer"
    ]
    assert sheet["A1"].value == no_indicators(name, YEAR)


# ---------------------------------------------------------------------------------------------
# A written analysis with Markdown, a script tag and a very long text.

LONG = "Lång analys. " * 4000  # 52 000 characters: more than an Excel cell holds


def test_an_analys_text_is_rendered_safely(closed, tmp_path):
    home = tmp_path / "ws"
    shutil.copytree(closed["ws"].home, home, ignore=shutil.ignore_patterns("*.lock", "reports"))
    ws = Workspace(home=home)
    text = (
        "## Slutsatser\n\nKvaliteten har **förbättrats**.\n\n- punkt ett\n- punkt två\n\n"
        '<script>alert("x")</script> <img src="http://example.com/a.png">\n\n' + LONG
    )
    with duckdb.connect(str(ws.published_db)) as con:
        # The mart as if a controller's analys_ file had delivered this text.
        con.execute(
            "update marts.analys set text = ? where niva = 'namnd' and org = 'SOC' "
            "and avsnitt = 'kvalitet' and ar = ?",
            [text, YEAR],
        )
        assert con.execute("select count(*) from marts.analys where text = ?", [text]).fetchone()[0]
    html_path, xlsx_path = write_reports(ws, "kvalitetsrapport", str(YEAR), "SOC")
    page = html_path.read_text("utf-8")
    part = section(page, "slutsatser")
    assert "<h2>Slutsatser</h2>" in part and "<strong>förbättrats</strong>" in part
    assert "<li>punkt ett</li>" in part
    assert "<script>alert" not in page and "&lt;script&gt;" in part
    # Raw HTML is shown as text, never as an element (nothing to fetch).
    assert "<img" not in page and "&lt;img src=&quot;http://example.com/a.png&quot;&gt;" in part
    assert part.count("Lång analys.") == 4000  # whole in the HTML
    sheet = openpyxl.load_workbook(xlsx_path)["Slutsatser"]
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    [written] = [c for c in cells if c.startswith("## Slutsatser")]
    assert len(written) == CELL_MAX and written.endswith(CUT_NOTE)
    # The verksamhetsberättelse shows the same text under Kvalitet, as safely.
    page = write_reports(ws, "verksamhetsberattelse", str(YEAR), "SOC")[0].read_text("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in section(page, "kvalitet")


# ---------------------------------------------------------------------------------------------
# In headless Chromium: charts drawn, nothing fetched, no script error, not blank.


@pytest.mark.parametrize(
    "typ, namnd, charts",
    [
        ("kvalitetsrapport", "KS", {"diagram-kvalitet-ekonomi", "diagram-kvalitet-medarbetare"}),
        ("verksamhetsberattelse", "SOC", set()),
    ],
)
def test_in_chromium(closed, tmp_path, typ, namnd, charts):
    chromium = chromium_or_fail()
    page = html_of(closed, typ, namnd)
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    measured = tmp_path / "matning.html"
    out = measure(chromium, page, MEASURE, measured)  # and Chromium's log
    assert out["resources"] == [] and out["errors"] == []
    assert out["sections"] == page.count("<section id=")
    expected = set(re.findall(r'<svg[^>]*class="diagram" id="([^"]+)"', page))
    assert charts <= expected and {c["id"] for c in out["charts"]} == expected
    for chart in out["charts"]:
        assert chart["width"] > 200 and chart["height"] > 100 and chart["title"], chart
    shot = tmp_path / "rapport.png"
    result = run_chromium(
        chromium,
        ["--window-size=900,700", "--hide-scrollbars", f"--screenshot={shot}", measured.as_uri()],
    )
    assert result.returncode == 0 and shot.is_file()
    width, height, pixels_rows = png_pixels(shot.read_bytes())
    pixels = [r[i : i + 3] for r in pixels_rows for i in range(0, len(r), 3)]
    assert sum(1 for p in pixels if min(p) < 200) / len(pixels) > 0.02
