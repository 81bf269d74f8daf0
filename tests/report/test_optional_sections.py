"""The optional sections: shown from their mart; an empty mart says which input is missing."""

from __future__ import annotations

import re

import duckdb
import openpyxl

from pipelines.lib.report import write_reports
from pipelines.lib.workspace import Workspace


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_optional_marts_are_rendered(ws_full: Workspace):
    html_path, xlsx_path = write_reports(ws_full, "manadsrapport", "2026-03")
    html = html_path.read_text(encoding="utf-8")
    assert "Avsnittet saknas" not in html

    rr = _section(html, "resultatrakning")
    assert "Verksamhetens kostnader" in rr and "−420,0" in rr  # costs shown negative
    assert "Årets resultat" in rr and "24,0 mnkr" in rr
    # Summary: prognosis 1,8 % against the goal 2,0 % is red.
    assert "1,8 %" in html and "Röd; mål 2,0 %" in html

    statistical = _section(html, "statistisk")
    # The official figure per nämnd (budgetbaserad for N1, förvaltningens for N2), in words.
    assert (
        "Året väntas sluta på 1 253,0 mnkr (80 % intervall 1 240,0–1 266,0). "
        "Risken för underskott är 73 %. Med budgetbaserad prognos har felet vid månad 3 de "
        "stängda åren varit i genomsnitt 2,5 % av årsbudgeten."
    ) in statistical
    assert (
        "Året väntas sluta på 46,5 mnkr (80 % intervall 45,0–48,0). "
        "Risken för underskott kan ännu inte skattas. Med förvaltningens prognos"
    ) in statistical
    # The statistical method is not the official figure (the chart above the table shows it).
    assert "1 270,0" not in statistical[statistical.index("<table") :]
    assert "ets" not in statistical
    # The most accurate method at month 3 (1,2 % against 1,5 % and 2,5 %), and the kommun.
    assert "statistisk (nämndens egen utfallsprofil): i genomsnitt 1,2 % fel" in statistical
    assert "1 299,5 mnkr (80 % intervall 1 280,0–1 320,0). Risken för underskott är 40 %." in (
        statistical
    )

    goals = _section(html, "maluppfyllelse")
    assert "Kultur- och fritidsnämnden" in goals and "Nämnd" in goals
    assert "Saknar indikator" in goals

    projection = _section(html, "langtidsprognos")
    assert "2028" in projection and "−12,5" in projection and "43,7" in projection
    assert "99,0" not in projection  # only scenario bas
    assert "utgår från helårsprognosen" not in projection  # the projection is of this period
    assert "Första året är innevarande år med kommunens helårsprognos" in projection
    # the 80 % band and the risk of missing the goal in 2028: −3,1 % to 1,4 %, 93 %
    assert "−3,1 %" in projection and "1,4 %" in projection and "93 %" in projection
    scenarios = _section(html, "langtidsprognos_scenarier")
    assert "hog" in scenarios and "9,0 %" in scenarios
    # the fan chart per scenario, the goal as a line, described in words
    assert "<svg" in scenarios and "Resultatandel de kommande tio åren" in scenarios
    assert "Det finansiella målet 2,0 %" in scenarios
    sensitivity = _section(html, "kanslighetsanalys")
    assert "Skattesatsen höjs med 1 öre." in sensitivity and "−38,5" in sensitivity

    precision = _section(html, "prognosprecision")
    # Months 3, 6 and 9 only: statistisk from June 0,8 %, MASE 0,40, coverage 78 % (66–87 %);
    # month 1 is not shown.
    assert "0,8 %" in precision and "0,40" in precision and "66 %–87 %" in precision
    assert "9,0 %" not in precision
    assert "kan ännu inte skattas" in precision and "visas (bättre än basfrekvensen)" in precision

    risks = _section(html, "intern_kontroll")
    assert "Brist i bemanning av hemtjänst" in risks and "Felaktiga fakturor" in risks
    assert "Låg risk" not in risks and "Förra årets risk" not in risks

    wb = openpyxl.load_workbook(xlsx_path)
    rr_rows = {row[0]: row[1] for row in wb["Resultaträkning"].iter_rows(values_only=True)}
    assert rr_rows["Verksamhetens kostnader"] == -420_000_000
    assert rr_rows["Årets resultat"] == 6_000_000
    stat_rows = list(wb["Helårsprognos intervall"].iter_rows(values_only=True))
    assert stat_rows[1][:5] == (
        "Socialnämnden",
        1_253_000_000,
        1_240_000_000,
        1_266_000_000,
        0.734,
    )
    lang_rows = list(wb["Långtidsprognos"].iter_rows(values_only=True))
    assert lang_rows[0] == (
        "År",
        "Årets resultat, mnkr",
        "Resultatandel",
        "Effektiviseringsbehov, mnkr",
        "Resultatandel, 10 %-percentil",
        "Resultatandel, 90 %-percentil",
        "Risk att missa målet",
    )
    assert lang_rows[1:4] == [
        (2026, 24.0, 0.018, 2.666667, 0.018, 0.018, 1.0),
        (2027, 30.0, 0.021, 0, 0.004, 0.037, 0.45),
        (2028, -12.5, -0.008, 43.7, -0.031, 0.014, 0.93),
    ]
    scen_rows = list(wb["Långtidsprognos scenarier"].iter_rows(values_only=True))
    assert [r[:2] for r in scen_rows[1:] if r[1]] == [
        ("bas", 2026),
        ("bas", 2027),
        ("bas", 2028),
        ("hog", 2027),
    ]
    kansl = list(wb["Känslighetsanalys"].iter_rows(values_only=True))
    assert [r for r in kansl[1:] if r[1] is not None] == [
        ("Skattesatsen höjs med 1 öre.", 2.5, 3.4),
        ("Räntan 1 procentenhet högre.", -31.0, -38.5),
    ]
    mal_rows = list(wb["Måluppfyllelse"].iter_rows(values_only=True))
    assert mal_rows[2] == ("Kultur- och fritidsnämnden", "Nämnd", 1, 1, 0, 1, 0)
    ik_rows = list(wb["Intern kontroll"].iter_rows(values_only=True))
    assert [r[4] for r in ik_rows[1:3]] == [16, 12]


def test_an_empty_mart_says_which_input_was_not_delivered(ws_full: Workspace):
    # Every mart exists after any refresh; one without rows had no input delivered.
    with duckdb.connect(str(ws_full.published_db)) as con:
        con.execute("delete from marts.maluppfyllelse_per_niva")
        con.execute("delete from marts.intern_kontroll")
    html_path, xlsx_path = write_reports(ws_full, "manadsrapport", "2026-03")
    html = html_path.read_text(encoding="utf-8")
    no_goals = "Inga mål i lagret: målregistret (en fil mal_… i inkorgen) har inte levererats."
    no_risks = (
        "Inga risker i lagret: riskregistret för intern kontroll (en fil risk_… i inkorgen) "
        "har inte levererats."
    )
    goals, risks = _section(html, "maluppfyllelse"), _section(html, "intern_kontroll")
    assert no_goals in goals and "<table>" not in goals
    assert no_risks in risks and "<table>" not in risks
    assert "<table>" in _section(html, "langtidsprognos")  # the others are shown
    wb = openpyxl.load_workbook(xlsx_path)
    assert wb["Måluppfyllelse"]["A1"].value == no_goals
    assert wb["Intern kontroll"]["A1"].value == no_risks


def test_goals_and_risks_of_another_year_are_not_shown(ws_full: Workspace):
    with duckdb.connect(str(ws_full.published_db)) as con:
        con.execute("update marts.maluppfyllelse_per_niva set ar = 2025")
        con.execute("delete from marts.intern_kontroll where ar = 2026")
    html = write_reports(ws_full, "manadsrapport", "2026-03")[0].read_text(encoding="utf-8")
    goals, risks = _section(html, "maluppfyllelse"), _section(html, "intern_kontroll")
    assert "Inga mål i lagret för perioden." in goals and "<table>" not in goals
    assert "Inga risker 2026 med riskvärde 12 eller högre." in risks and "<table>" not in risks
    assert "Förra årets risk" not in risks


def test_a_statistical_forecast_for_another_period_is_not_shown(ws_full: Workspace):
    html = write_reports(ws_full, "manadsrapport", "2026-02")[0].read_text(encoding="utf-8")
    statistical = _section(html, "statistisk")
    assert "Helårsprognosen finns inte för perioden 2026-02." in statistical
    assert "<table>" not in statistical


def test_a_closed_and_corrected_period_says_so(ws_full: Workspace):
    with duckdb.connect(str(ws_full.published_db)) as con:
        con.execute(
            """
            insert into marts.perioder by name select * from (values
                ('2026-03', 'stangd', timestamp '2026-04-10 09:00:00', 2)
            ) as t(period, status, stangd_tid, versioner)
            """
        )
    html_path, _ = write_reports(ws_full, "manadsrapport", "2026-03")
    html = html_path.read_text(encoding="utf-8")
    assert "stängd 2026-04-10; rättad efter stängningen (version 2)" in html
    assert "marts.budgetavvikelse_rapporterad" in html


def _cells(section: str) -> list[list[str]]:
    """The text of each body row's cells."""
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_langtidsprognos_amounts_are_shown_in_their_unit(ws_full: Workspace):
    # The mart is in mnkr: 24.0 is 24,0 mnkr, not 24 kronor (which showed as 0,0).
    html = write_reports(ws_full, "manadsrapport", "2026-03")[0].read_text(encoding="utf-8")
    projection = _section(html, "langtidsprognos")
    assert "Årets resultat, mnkr" in projection and "Effektiviseringsbehov, mnkr" in projection
    rows = _cells(projection)
    assert [r[:4] for r in rows] == [
        ["2026", "24,0", "1,8 %", "2,7"],
        ["2027", "30,0", "2,1 %", "0,0"],
        ["2028", "−12,5", "−0,8 %", "43,7"],
    ]


def test_first_projection_year_is_the_summarys_helarsprognos(ws_full: Workspace):
    html = write_reports(ws_full, "manadsrapport", "2026-03")[0].read_text(encoding="utf-8")
    summary = html[: html.index('<section id="namnder"')]
    # Resultaträkning: helarsprognos_arets_resultat 24 000 000 kr, resultatandel 0,018.
    assert re.search(r"Årets resultat, helårsprognos</th>\s*<td[^>]*>24,0 mnkr", summary)
    assert re.search(r"Resultatandel, helårsprognos</th>\s*<td[^>]*>1,8 %", summary)
    first = _cells(_section(html, "langtidsprognos"))[0]
    assert first[:3] == ["2026", "24,0", "1,8 %"]
    # The resultaträkning shows the same helårsprognos, and the kommun's net-cost helårsprognos
    # of marts.budgetavvikelse (1 298 999 999,75 kr) on its nettokostnad line.
    rr = {r[0]: r for r in _cells(_section(html, "resultatrakning"))}
    assert rr["Årets resultat"][1:] == ["6,0", "24,0"]
    assert rr["Verksamhetens nettokostnad"][1:] == ["−325,0", "−1 299,0"]
    assert rr["Verksamhetens intäkter"][2] == "–"  # no helårsprognos for that line
    assert re.search(r"Helårsprognos</th>\s*<td[^>]*>1 299,0 mnkr", summary)


def test_a_projection_from_another_period_says_so(ws_full: Workspace):
    html = write_reports(ws_full, "manadsrapport", "2026-02")[0].read_text(encoding="utf-8")
    projection = _section(html, "langtidsprognos")
    assert (
        "Långtidsprognosen utgår från helårsprognosen för 2026-03, inte för rapportperioden "
        "2026-02." in projection
    )


def test_the_assessment_says_when_the_figure_lies_outside_its_interval_or_is_untested():
    from pipelines.lib.report.sections.helarsprognos import assessment

    row = {
        "helarsprognos": 210e6,
        "helarsprognos_lag80": 198e6,
        "helarsprognos_hog80": 208e6,
        "sannolikhet_underskott": None,
        "metod": "forvaltningens",
        "kommentar": "Intervallet bygger på den budgetbaserade metodens fel.",
    }
    text = assessment(row, 10, None)
    assert text == (
        "Året väntas sluta på 210,0 mnkr (80 % intervall 198,0–208,0). Prognosen ligger över "
        "intervallet: metoden har de stängda åren överskattat nettokostnaden vid den här tiden "
        "på året. Risken för underskott kan ännu inte skattas. Träffsäkerheten för "
        "förvaltningens prognos kan ännu inte mätas: den har inte prövats mot ett stängt år. "
        "Intervallet bygger på den budgetbaserade metodens fel."
    )
    inside = assessment(
        row | {"helarsprognos": 200e6, "sannolikhet_underskott": 0.126}, 10, {"mae_procent": 1.25}
    )
    assert "ligger" not in inside and "Risken för underskott är 13 %." in inside
    # 1,25 rounds half away from zero, as every figure in the report
    assert inside.endswith("varit i genomsnitt 1,3 % av årsbudgeten.")


def test_the_forecast_chart_shows_every_method_through_the_year(ws_full: Workspace):
    # An earlier month of the year, one of the previous year and one after the period: only
    # 2026-02 joins the chart; the budget line is the årsbudget in force at 2026-03.
    with duckdb.connect(str(ws_full.published_db)) as con:
        con.execute(
            """
            insert into marts.helarsprognos_statistisk by name select * from (values
                ('N1', 'Socialnämnden', '2026-02', 2, 'budgetbaserad', true, 1250000000.0),
                ('N1', 'Socialnämnden', '2025-12', 12, 'budgetbaserad', true, 999000000.0),
                ('N1', 'Socialnämnden', '2026-04', 4, 'budgetbaserad', true, 888000000.0)
            ) as t(namnd, namnd_namn, period, manad, metod, officiell, helarsprognos)
            """
        )
        con.execute(
            "update marts.helarsprognos_statistisk set arsbudget = 1255000000.0 "
            "where namnd = 'N1' and period = '2026-03'"
        )
    statistical = _section(
        write_reports(ws_full, "manadsrapport", "2026-03")[0].read_text(encoding="utf-8"),
        "statistisk",
    )
    assert len(re.findall(r'<svg[^>]* class="diagram"', statistical)) == 1
    chart = statistical[statistical.index("<svg") : statistical.index("</svg>")]
    assert 'id="diagram-helarsprognos"' in chart and "Helårsprognosen genom året" in chart
    # The latest forecast per nämnd and method, in mnkr with the method's Swedish name.
    for text in (
        "Socialnämnden, budgetbaserad prognos 2026-03: 1 253,0 mnkr (80 %: 1 240,0–1 266,0)",
        "Socialnämnden, statistisk (nämndens egen utfallsprofil) 2026-03: 1 270,0 mnkr",
        "Kultur- och fritidsnämnden, förvaltningens prognos 2026-03: 46,5 mnkr",
        "årsbudgeten som streckad linje",
    ):
        assert text in chart, text
    assert "999,0" not in chart and "888,0" not in chart
    # Two months on the x axis (2 and 3), not December of the year before nor April.
    ticks = re.findall(r">(\d{1,2})</text>", chart)
    assert "2" in ticks and "3" in ticks and "12" not in ticks and "4" not in ticks
