"""write_reports: the månadsrapport in HTML and Excel from a hand-made published warehouse."""

from __future__ import annotations

import hashlib
import os
import re

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pipelines.lib.report import write_reports
from pipelines.lib.workspace import Workspace

SHEETS = [
    "Sammanfattning",
    "Nämnder",
    "Förvaltningar",
    "Åtgärdsplaner",
    "Förändringsanalys",
    "Resultaträkning",
    "Helårsprognos intervall",
    "Prognosprecision",
    "Måluppfyllelse",
    "Långtidsprognos",
    "Långtidsprognos scenarier",
    "Känslighetsanalys",
    "Intern kontroll",
    "Underlag",
    "Källor och definitioner",
]


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _row(sheet, first: str) -> dict:
    rows = _rows(sheet)
    header = rows[0]
    for row in rows[1:]:
        if row[0] == first:
            return dict(zip(header, row, strict=True))
    raise AssertionError(f"{first} saknas i bladet {sheet.title}")


def test_writes_both_files_into_the_period_folder(ws: Workspace):
    paths = write_reports(ws, "manadsrapport", "2026-03")
    folder = ws.reports / "2026-03"
    assert paths == [folder / "manadsrapport.html", folder / "manadsrapport.xlsx"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert sorted(p.name for p in folder.iterdir()) == ["manadsrapport.html", "manadsrapport.xlsx"]


def test_html_shows_names_swedish_amounts_and_statuses(ws: Workspace):
    html = write_reports(ws, "manadsrapport", "2026-03")[0].read_text(encoding="utf-8")

    # Header: kommun, period, the latest run.
    assert "Testby kommun" in html
    assert "Månadsrapport januari–mars 2026" in html
    assert "run-bbbb" in html and "2026-04-06 09:30" in html
    # Both nämnder and förvaltningar by name.
    for name in (
        "Socialnämnden",
        "Kultur- och fritidsnämnden",
        "Socialförvaltningen",
        "Kultur- och fritidsförvaltningen",
    ):
        assert name in html
    # Kommun: avvikelse ack = 324 500 000 − 324 999 999,75 = −499 999,75 kr.
    assert '<td class="num neg">−0,5 mnkr</td>' in html
    assert "1 298,0 mnkr" in html  # årsbudget, space thousands
    # Socialnämnden: 312 500 000 − 314 000 000 = −1 500 000 (red); helår −2 000 000.
    assert '<td class="num neg">−1,5</td>' in html
    assert "Nämnder med negativ helårsavvikelse: Socialnämnden (−2,0 mnkr)." in html
    # Kultur- och fritid: +1 000 000,25 shown as an överskott (green, with sign).
    assert '<td class="num pos">+1,0</td>' in html
    # Traffic lights are a dot AND text, never colour alone.
    assert '<span class="ljus rod" aria-hidden="true">●</span> Röd' in html
    assert '<span class="ljus gron" aria-hidden="true">●</span> Grön' in html
    # The åtgärdsplan: the flagged nämnd with its status and first flagged month.
    plans = html[html.index('id="atgardsplaner"') : html.index('id="forandringsanalys"')]
    assert "Socialnämnden" in plans and "kräver åtgärdsplan" in plans and "2026-02" in plans
    assert "Kultur- och fritidsnämnden" not in plans
    # The marts hold codes; the reader sees their words, never the code itself.
    assert "förvaltningens" in html
    assert "kraver_atgardsplan" not in html and "forvaltningens" not in html
    assert re.search(r"Nämnder med åtgärdsplansflagga</th>\s*<td class=\"num\">1</td>", html)
    # Marts whose optional input this warehouse never had: the section says what is missing.
    # the three forecasts (the långtidsprognos in three sections)
    assert html.count("Avsnittet saknas i detta lager.") == 5
    assert "målregistret (en fil mal_… i inkorgen) har inte levererats" in html
    assert "riskregistret för intern kontroll (en fil risk_… i inkorgen) har inte" in html
    assert "Resultaträkningen saknar perioden 2026-03." in html


def test_html_is_self_contained_and_accessible(ws: Workspace):
    html = write_reports(ws, "manadsrapport", "2026-03")[0].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "<script" not in html.lower()
    assert "http://" not in html and "https://" not in html and "@import" not in html
    assert "<link" not in html and "<style>" in html and "@media print" in html
    assert html.count("<caption>") >= 4
    assert '<th scope="col"' in html and '<th scope="row">' in html


def test_html_escapes_text_from_the_warehouse(ws: Workspace):
    import duckdb

    with duckdb.connect(str(ws.published_db)) as con:
        con.execute(
            "update raw.installningar set varde = 'Ö<script>alert(1)</script>' "
            "where parameter = 'kommun.namn'"
        )
    html = write_reports(ws, "manadsrapport", "2026-03")[0].read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "Ö&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_excel_has_a_sheet_per_section_with_exact_kronor(ws: Workspace):
    xlsx = write_reports(ws, "manadsrapport", "2026-03")[1]
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == SHEETS

    namnder = wb["Nämnder"]
    socialnamnden = _row(namnder, "Socialnämnden")
    assert socialnamnden["Budget ack, kr"] == 312_500_000
    assert socialnamnden["Utfall ack, kr"] == 314_000_000
    assert socialnamnden["Avvikelse ack, kr"] == -1_500_000
    assert socialnamnden["Helårsavvikelse, kr"] == -2_000_000
    assert socialnamnden["Trafikljus"] == "röd"
    assert socialnamnden["Åtgärdsplan"] == "kräver åtgärdsplan"
    assert socialnamnden["Prognoskälla"] == "förvaltningens"  # the mart's code is forvaltningens
    kultur_och_fritid = _row(namnder, "Kultur- och fritidsnämnden")
    assert kultur_och_fritid["Utfall ack, kr"] == 10_999_999.75
    assert kultur_och_fritid["Avvikelse ack, kr"] == 1_000_000.25
    assert kultur_och_fritid["Prognoskälla"] == "budgetbaserad"
    assert kultur_och_fritid["Trafikljus"] == "grön"
    assert namnder["B2"].number_format == "#,##0"
    assert namnder.freeze_panes == "A2"
    assert namnder.tables["tabell_namnder"].ref == "A1:L3"  # an Excel table, filter included
    assert namnder.column_dimensions["A"].width > 20

    forv_row = _row(wb["Förvaltningar"], "Socialförvaltningen")
    assert forv_row["Nämnd"] == "Socialnämnden" and forv_row["Avvikelse ack, kr"] == -1_500_000

    summary = wb["Sammanfattning"]
    assert _row(summary, "Avvikelse ackumulerad")["Värde"] == -499_999.75
    assert _row(summary, "Helårsavvikelse")["Trafikljus"] == "röd"
    assert _row(summary, "Nämnder med åtgärdsplansflagga")["Värde"] == 1
    assert _row(summary, "Körning")["Värde"] == "run-bbbb"

    plans = _rows(wb["Åtgärdsplaner"])
    assert plans[1][:6] == ["Socialnämnden", "röd", "kräver åtgärdsplan", -2_000_000, "2026-02", 1]
    assert not any(row[0] == "Kultur- och fritidsnämnden" for row in plans)

    # Below the empty table (an Excel table keeps one blank data row) and a blank line.
    assert wb["Resultaträkning"]["A4"].value == "Resultaträkningen saknar perioden 2026-03."
    assert wb["Intern kontroll"]["A1"].value.startswith("Inga risker i lagret: riskregistret")
    assert wb["Långtidsprognos"]["A1"].value == "Avsnittet saknas i detta lager."


def test_excel_tables_light_rules_charts_and_sources(ws: Workspace):
    wb = openpyxl.load_workbook(write_reports(ws, "manadsrapport", "2026-03")[1])
    # Every sheet with data holds its rows as Excel tables (ListObjects), headers as written.
    for name in ("Sammanfattning", "Nämnder", "Förvaltningar", "Åtgärdsplaner"):
        assert wb[name].tables, name
    namnder = wb["Nämnder"]
    table = namnder.tables["tabell_namnder"]
    assert table.tableStyleInfo.name == "TableStyleLight9"
    assert [c.name for c in table.tableColumns][:3] == ["Nämnd", "Budget ack, kr", "Utfall ack, kr"]
    # The number formats of the kinds: kronor, signed coloured avvikelse.
    header = [c.value for c in namnder[1]]
    avvikelse = header.index("Helårsavvikelse, kr") + 1
    assert namnder.cell(2, avvikelse).number_format == "[Color10]#,##0;[Red]-#,##0;#,##0"
    assert namnder.cell(2, header.index("Årsbudget, kr") + 1).number_format == "#,##0"
    # The traffic light (column L) coloured by one rule per colour, on the data rows only.
    light = get_column_letter(header.index("Trafikljus") + 1)
    rules = {str(cf.sqref): [r.formula for r in cf.rules] for cf in namnder.conditional_formatting}
    assert sorted(rules[f"{light}2:{light}3"]) == sorted(
        [['"grön"'], ['"gul"'], ['"röd"'], ['"grå"']]
    )
    summary = wb["Sammanfattning"]
    assert summary.tables["tabell_sammanfattning"].ref.startswith("A1:E")
    assert any(str(cf.sqref).startswith("D2:D") for cf in summary.conditional_formatting)

    # Native charts: helårsavvikelse per nämnd (bars) from the table's own cells, and the
    # kommun's utfall ack against budget ack (lines) from a table of its months below.
    bar, line = namnder._charts
    assert bar.tagname == "barChart" and bar.barDir == "bar"
    [serie] = bar.series
    assert (
        serie.val.numRef.f
        == f"Nämnder!${get_column_letter(avvikelse)}$2:${get_column_letter(avvikelse)}$3"
    )
    assert serie.cat.strRef.f == "Nämnder!$A$2:$A$3"
    assert line.tagname == "lineChart" and len(line.series) == 2
    kommun = namnder.tables["tabell_namnder_1"]
    top = int(re.match(r"A(\d+):C(\d+)", kommun.ref).group(1))
    assert [namnder.cell(top, c).value for c in (1, 2, 3)] == [
        "Månad",
        "Utfall ack, kr",
        "Budget ack, kr",
    ]
    months = [
        [namnder.cell(r, c).value for c in (1, 2, 3)]
        for r in range(top + 1, int(kommun.ref.split(":C")[1]) + 1)
    ]
    assert [m[0] for m in months] == [2, 3]  # the months the fixture has
    assert months[-1][1] == _row(summary, "Utfall ackumulerat")["Värde"]
    assert line.series[0].val.numRef.f == f"Nämnder!$B${top + 1}:$B${top + 2}"

    # Källor och definitioner: each sheet's mart and description.
    sources = {row[0]: row for row in wb["Källor och definitioner"].iter_rows(values_only=True)}
    assert set(SHEETS) <= set(sources)
    assert sources["Nämnder"][2] == "marts.budgetavvikelse"
    assert sources["Nämnder"][3].startswith("Avvikelse = budget − utfall på nettokostnad")
    assert sources["Helårsprognos intervall"][2] == "marts.helarsprognos_statistisk"
    assert wb["Källor och definitioner"].tables["tabell_kallor"]


def test_unknown_period_names_the_latest(ws: Workspace):
    with pytest.raises(ValueError) as err:
        write_reports(ws, "manadsrapport", "2026-13")
    assert str(err.value) == (
        "Perioden 2026-13 finns inte i det publicerade lagret; senaste period är 2026-03."
    )
    assert not (ws.reports / "2026-13").exists()


def test_nothing_published_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="styrhjul refresh"):
        write_reports(Workspace(home=tmp_path), "manadsrapport", "2026-03")


def test_a_warehouse_without_a_mart_is_refused_in_swedish(ws: Workspace, capsys):
    # Every refresh publishes every mart; one that lacks a mart was built by an older version.
    import duckdb

    from pipelines.cli import EXIT_FAILURE, main

    with duckdb.connect(str(ws.published_db)) as con:
        con.execute("drop table marts.intern_kontroll")
    with pytest.raises(ValueError) as err:
        write_reports(ws, "manadsrapport", "2026-03")
    assert str(err.value) == (
        "Det publicerade lagret saknar marts.intern_kontroll; "
        "kör 'styrhjul refresh' så att lagret byggs om."
    )
    assert not (ws.reports / "2026-03").exists()
    assert main(["report", "--period", "2026-03", "--home", str(ws.home)]) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert err.startswith("Fel: Det publicerade lagret saknar marts.intern_kontroll")
    assert "Traceback" not in err


def test_an_earlier_period_gets_its_own_report(ws: Workspace):
    paths = write_reports(ws, "manadsrapport", "2026-02")
    assert paths[0].parent.name == "2026-02"
    html = paths[0].read_text(encoding="utf-8")
    assert "Månadsrapport januari–februari 2026" in html
    plans = html[html.index('id="atgardsplaner"') : html.index('id="forandringsanalys"')]
    assert "<td>ny</td>" in plans


def test_reports_replace_the_old_files_atomically(ws: Workspace, monkeypatch):
    html_path, xlsx_path = write_reports(ws, "manadsrapport", "2026-03")
    folder = html_path.parent
    # A reader holding the old file (here: a hard link to it) keeps the complete old version.
    old_html = html_path.read_text(encoding="utf-8")
    os.link(html_path, folder.parent / "gammal.html")
    inode = html_path.stat().st_ino

    write_reports(ws, "manadsrapport", "2026-03")
    assert html_path.stat().st_ino != inode  # a new file renamed into place, not rewritten
    assert (folder.parent / "gammal.html").read_text(encoding="utf-8") == old_html
    assert sorted(p.name for p in folder.iterdir()) == ["manadsrapport.html", "manadsrapport.xlsx"]

    # A failure while writing leaves the previous report whole and no temporary file behind.
    old_xlsx = xlsx_path.read_bytes()

    def broken(report, path):
        path.write_bytes(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr("pipelines.lib.report.write_excel", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_reports(ws, "manadsrapport", "2026-03")
    assert xlsx_path.read_bytes() == old_xlsx
    assert sorted(p.name for p in folder.iterdir()) == ["manadsrapport.html", "manadsrapport.xlsx"]


def test_the_warehouse_is_only_read(ws: Workspace):
    before = hashlib.sha256(ws.published_db.read_bytes()).hexdigest()
    write_reports(ws, "manadsrapport", "2026-03")
    assert hashlib.sha256(ws.published_db.read_bytes()).hexdigest() == before
    assert not list(ws.warehouse_dir.glob("*.wal"))
