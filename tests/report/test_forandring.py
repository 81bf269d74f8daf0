"""Förändringsanalys (marts.forandringsanalys, docs/rules.md §23) and the report's data section,
on the demo's published warehouse: the mart's components against the change in
helårsavvikelse queried independently from marts.budgetavvikelse (and the reported archive),
the report's figures and words against the mart, and every loaded file listed."""

from __future__ import annotations

import re
from decimal import Decimal

import duckdb
import openpyxl
import pytest

from pipelines.lib.report.data import read_report
from pipelines.lib.report.format import format_belopp, format_mnkr
from pipelines.lib.workspace import Workspace

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(published_demo):
    ws = Workspace(home=published_demo["home"])
    with duckdb.connect(str(ws.published_db), read_only=True) as con:
        [(period,)] = con.execute("select max(period) from marts.budgetavvikelse").fetchall()
    html = (ws.reports / period / "manadsrapport.html").read_text(encoding="utf-8")
    report = read_report(ws, period)
    return {"ws": ws, "period": period, "html": html, "report": report}


def rows(demo, sql: str, params=()) -> list[dict]:
    with duckdb.connect(str(demo["ws"].published_db), read_only=True) as con:
        cur = con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


def the_section(demo, anchor: str):
    return next(s for s in demo["report"].sections if s.id == anchor)


# The change per nämnd and month, from the two months' helårsavvikelse: the previous month as
# reported (the first archived version of a closed period, else as published) and this one.
CHANGES = """
    with rapporterad as (
        select org, period, helarsavvikelse from marts.budgetavvikelse_rapporterad
        where niva = 'namnd'
        qualify version = min(version) over (partition by period)
    ),
    foregaende as (
        select org, period, helarsavvikelse from rapporterad
        union all
        select org, period, helarsavvikelse from marts.budgetavvikelse
        where niva = 'namnd' and period not in (select period from rapporterad)
    )
    select nu.org as namnd, nu.period, fore.period as foregaende_period,
           nu.helarsavvikelse - fore.helarsavvikelse as forandring
    from marts.budgetavvikelse as nu
    join foregaende as fore
        on fore.org = nu.org
        and fore.period = nu.ar || '-' || lpad(cast(nu.manad - 1 as varchar), 2, '0')
    where nu.niva = 'namnd' and nu.manad > 1
"""


def test_the_components_sum_to_the_change_for_every_namnd_and_month(demo):
    expected = {(r["namnd"], r["period"]): r for r in rows(demo, CHANGES)}
    sums = {
        (r["namnd"], r["period"]): r
        for r in rows(
            demo,
            "select namnd, period, any_value(foregaende_period) as foregaende_period, "
            "count(distinct foregaende_period) as antal, sum(belopp) as summa "
            "from marts.forandringsanalys group by namnd, period",
        )
    }
    assert len(expected) > 100
    assert sums.keys() == expected.keys()  # every compared nämnd and month, nothing else
    for key, e in expected.items():
        assert sums[key]["antal"] == 1
        assert sums[key]["foregaende_period"] == e["foregaende_period"]
        assert sums[key]["summa"] == e["forandring"], key


def test_with_budgetbaserad_both_months_and_the_budget_unchanged_the_months_deviation_is_all(demo):
    cases = rows(
        demo,
        """
        select nu.org as namnd, nu.period, nu.helarsavvikelse - fore.helarsavvikelse as forandring
        from marts.budgetavvikelse as nu
        join marts.budgetavvikelse as fore
            on fore.niva = nu.niva and fore.org = nu.org and fore.ar = nu.ar
            and fore.manad = nu.manad - 1
        where nu.niva = 'namnd'
            and nu.helarsprognos_kalla = 'budgetbaserad'
            and fore.helarsprognos_kalla = 'budgetbaserad'
            and nu.arsbudget = fore.arsbudget
            and nu.budget_ack - nu.budget_manad = fore.budget_ack
        """,
    )
    assert len(cases) > 50
    parts = {
        (r["namnd"], r["period"], r["komponent"]): r
        for r in rows(
            demo,
            "select namnd, period, komponent, sum(belopp) as summa, count(*) as antal "
            "from marts.forandringsanalys group by all",
        )
    }
    for c in cases:
        key = (c["namnd"], c["period"])
        month = parts.get((*key, "manadens_avvikelse"), {"summa": Decimal(0), "antal": 0})
        assert month["summa"] == c["forandring"], key
        assert parts[(*key, "budgetrevision")]["summa"] == 0
        for other in ("prognoskalla", "forvaltningens_prognos", "rattelse_tidigare_manader"):
            assert (*key, other) not in parts, (key, other)
    # ... and the deviation really is split by dimension.
    assert max(parts[(c["namnd"], c["period"], "manadens_avvikelse")]["antal"] for c in cases) > 5


def test_the_section_shows_the_marts_figures(demo):
    period = demo["period"]
    s = the_section(demo, "forandringsanalys")
    mart = rows(
        demo,
        "select namnd, komponent, sum(belopp) as summa from marts.forandringsanalys "
        "where period = ? group by all",
        [period],
    )
    now = {
        r["org"]: r
        for r in rows(
            demo,
            "select org, org_namn, helarsavvikelse from marts.budgetavvikelse "
            "where niva = 'namnd' and period = ?",
            [period],
        )
    }
    shown = {r["namnd"]: r for r in s.rows}
    assert shown.keys() == {r["namnd"] for r in mart}
    for r in mart:
        assert shown[r["namnd"]][r["komponent"]] == r["summa"], r
    for namnd, r in shown.items():
        total = sum(m["summa"] for m in mart if m["namnd"] == namnd)
        assert r["forandring"] == total
        assert r["helarsavvikelse"] == now[namnd]["helarsavvikelse"]
        assert r["helarsavvikelse_fore"] == now[namnd]["helarsavvikelse"] - total
    # The HTML shows the same, in mnkr: the nämnd that moved most.
    moved = max(shown.values(), key=lambda r: abs(r["forandring"]))
    html = section(demo["html"], "forandringsanalys")
    row = re.search(rf"<th scope=\"row\">{re.escape(moved['org_namn'])}</th>(.*?)</tr>", html, re.S)
    assert row, moved["org_namn"]
    assert f">{format_mnkr(moved['forandring'], signed=True)}<" in row.group(1)
    assert f">{format_mnkr(moved['helarsavvikelse'], signed=True)}<" in row.group(1)
    # The waterfall, with its text alternative naming the nämnd.
    chart = re.search(r'<svg[^>]*id="diagram-forandring".*?</svg>', html, re.S)
    assert chart and "<desc" in chart.group(0) and moved["org_namn"] in chart.group(0)


def test_the_words_name_the_largest_contribution(demo):
    period = demo["period"]
    [top] = rows(
        demo,
        """
        with andrade as (
            select namnd, sum(belopp) as forandring from marts.forandringsanalys
            where period = ? group by namnd having sum(belopp) <> 0
        )
        select f.*, a.forandring, n.org_namn as namnd_namn, k.kontogrupp_namn
        from marts.forandringsanalys as f
        join andrade as a using (namnd)
        join marts.budgetavvikelse as n
            on n.niva = 'namnd' and n.org = f.namnd and n.period = f.period
        left join (select distinct kontogrupp, kontogrupp_namn from marts.fct_ekonomi_manad)
            as k using (kontogrupp)
        where f.period = ?
        order by abs(f.belopp) desc
        limit 1
        """,
        [period, period],
    )
    lines = the_section(demo, "forandringsanalys").lines
    first = lines[0]
    direction = "förbättrades" if top["forandring"] > 0 else "försämrades"
    assert first.startswith(
        f"{top['namnd_namn']}s prognos {direction} med {format_belopp(abs(top['forandring']))}"
    ), first
    assert format_belopp(abs(top["belopp"])) in first
    if top["komponent"] == "manadens_avvikelse":
        assert top["kontogrupp_namn"][1:] in first
    assert 1 <= len(lines) <= 5 and all(line.endswith(".") for line in lines)
    html = section(demo["html"], "forandringsanalys")
    assert f"<li>{first}</li>" in html.replace("&#39;", "'")


def test_january_says_there_is_nothing_to_compare(demo):
    year = demo["period"][:4]
    s = the_section(
        {"report": read_report(demo["ws"], f"{year}-01")},
        "forandringsanalys",
    )
    assert not s.available
    assert s.message.startswith("Januari är årets första period")


def test_excel_has_the_change_and_every_contribution(demo):
    book = openpyxl.load_workbook(demo["ws"].reports / demo["period"] / "manadsrapport.xlsx")
    sheet = book["Förändringsanalys"]
    assert set(sheet.tables) == {"tabell_forandringsanalys", "tabell_forandringsanalys_1"}
    [count] = rows(
        demo,
        "select count(*) as antal from marts.forandringsanalys where period = ? and belopp <> 0",
        [demo["period"]],
    )
    first, last = sheet.tables["tabell_forandringsanalys_1"].ref.split(":")
    assert int(re.sub(r"\D", "", last)) - int(re.sub(r"\D", "", first)) == count["antal"]
    assert book.sheetnames.index("Förändringsanalys") == book.sheetnames.index("Åtgärdsplaner") + 1
    assert "Underlag" in book.sheetnames


def test_the_data_section_lists_every_loaded_file(demo):
    files = rows(demo, "select source_file, file_sha256, rader from raw.leveranser")
    s = the_section(demo, "underlag")
    assert len(s.rows) == len(files) > 10
    assert {(r["source_file"], r["sha256"]) for r in s.rows} == {
        (f["source_file"], f["file_sha256"][:12]) for f in files
    }
    html = section(demo["html"], "underlag")
    for f in files:
        assert f["source_file"] in html and f["file_sha256"][:12] in html
    assert "Inga filer ligger i karantän." in s.lines
    assert f"Inga månader saknas i huvudboken fram till {demo['period']}." in s.lines


def test_the_data_section_names_quarantined_files_and_missing_months(ws: Workspace):
    # The hand-made warehouse (conftest.py): no file loaded, no ledger month, no comparison.
    ws.quarantine.mkdir(parents=True, exist_ok=True)
    (ws.quarantine / "utfall_2026-03.csv").write_text("x", encoding="utf-8")
    (ws.quarantine / "utfall_2026-03.csv.fel.txt").write_text("fel", encoding="utf-8")
    report = read_report(ws, "2026-03")
    s = next(s for s in report.sections if s.id == "underlag")
    assert s.lines == [
        "Filer i karantän (avvisade, ingår inte i siffrorna; se respektive .fel.txt): "
        "utfall_2026-03.csv.",
        "Utfall saknas för månaderna 2026-01, 2026-02, 2026-03.",
    ]
    assert s.message == "Inga filer är inlästa i lagret."
    change = next(s for s in report.sections if s.id == "forandringsanalys")
    assert not change.available
    assert change.message.startswith("Det finns ingen rapport för månaden före 2026-03")
