"""`<fil>.fel.xlsx` beside the `.fel.txt` of a rejected table (issue 13): every problem on one
sheet, the offending rows as delivered on another with the offending cells marked and the reason
as a comment, personnummer masked, nothing executable."""

from __future__ import annotations

import openpyxl
import pytest

from pipelines.lib.intake.error_workbook import MAX_ROWS, error_workbook_path
from pipelines.lib.intake.problems import Problem
from pipelines.lib.intake.quarantine import quarantine
from pipelines.lib.run import quarantine_tools

RED = "00FFC7CE"


@pytest.fixture
def rejected(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = inbox / "utfall_2026_10.csv"
    bad.write_text(
        "period;ansvar;konto;belopp\n"
        "2026-10;1000;4010;100,00\n"  # row 2: fine
        "2026-10;9999;4010;12 kr\n"  # row 3: unknown ansvar and a bad amount
        "2026-10;1000;4010;50,00\n"  # row 4: fine
        '2026-10;19121212-1212;=HYPERLINK("x");1\n',  # row 5: personnummer, a formula
        encoding="utf-8",
    )
    problems = [
        Problem(bad.name, "Ansvaret 9999 finns inte i organisationen", 3, "ansvar", "9999"),
        Problem(bad.name, "Beloppet går inte att tolka som ett tal", 3, "belopp", "12 kr"),
        Problem(bad.name, "Ett personnummer får inte finnas i filen", 5, "ansvar"),
        Problem(bad.name, "Raden finns två gånger", 4),
        Problem(bad.name, "Summan stämmer inte med kontrollsumman"),
    ]
    return quarantine(bad, problems, tmp_path / "quarantine")


def test_the_problems_sheet_lists_every_problem(rejected):
    book = openpyxl.load_workbook(error_workbook_path(rejected))
    fel = [list(row) for row in book["Fel"].iter_rows(values_only=True)]
    assert fel[0] == ["Rad", "Kolumn", "Värde", "Orsak"]
    assert [3, "belopp", "12 kr", "Beloppet går inte att tolka som ett tal"] in fel
    assert [None, None, None, "Summan stämmer inte med kontrollsumman"] in fel
    assert len(fel) == 6


def test_only_the_offending_rows_are_copied_with_their_row_number(rejected):
    sheet = openpyxl.load_workbook(error_workbook_path(rejected))["Rader"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Rad i filen", "period", "ansvar", "konto", "belopp"]
    assert [row[0] for row in rows[1:]] == [3, 4, 5]
    assert rows[1] == [3, "2026-10", "9999", "4010", "12 kr"]


def test_the_offending_cells_are_red_with_the_reason_as_comment(rejected):
    sheet = openpyxl.load_workbook(error_workbook_path(rejected))["Rader"]
    # Row 3 of the file is sheet row 2: ansvar (column C) and belopp (column E) marked.
    assert sheet["C2"].fill.start_color.rgb == RED
    assert "9999 finns inte" in sheet["C2"].comment.text
    assert sheet["E2"].fill.start_color.rgb == RED
    assert sheet["D2"].fill.fill_type is None and sheet["D2"].comment is None
    # A problem of the whole row (row 4, a duplicate) marks its row number.
    assert sheet["A3"].fill.start_color.rgb == RED
    assert "två gånger" in sheet["A3"].comment.text


def test_a_personnummer_is_masked_and_a_formula_stays_text(rejected):
    sheet = openpyxl.load_workbook(error_workbook_path(rejected))["Rader"]
    ansvar, konto = sheet["C4"], sheet["D4"]
    assert ansvar.value == "19121212-****"  # as in every other message
    assert konto.data_type == "s" and konto.value.startswith("=HYPERLINK")


def test_restore_removes_both_descriptions(rejected, tmp_path):
    from pipelines.lib.workspace import Workspace

    ws = Workspace.resolve(tmp_path).ensure()
    assert [p.name for p in ws.quarantined_files()] == ["utfall_2026_10.csv"]
    quarantine_tools.restore(ws, "utfall_2026_10.csv")
    assert not error_workbook_path(rejected).exists()
    assert not rejected.with_name(rejected.name + ".fel.txt").exists()


def test_a_file_without_row_problems_gets_no_workbook(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = inbox / "utfall_x.csv"
    bad.write_text("period;belopp\n", encoding="utf-8")
    moved = quarantine(bad, [Problem(bad.name, "Filen har inga rader")], tmp_path / "q")
    assert not error_workbook_path(moved).exists()


def test_an_unreadable_table_keeps_its_fel_txt_and_gets_no_workbook(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = inbox / "budget_x.xlsx"
    bad.write_bytes(b"not a zip file")
    moved = quarantine(bad, [Problem(bad.name, "Fel", 2, "belopp")], tmp_path / "q")
    assert moved.with_name(moved.name + ".fel.txt").exists()
    assert not error_workbook_path(moved).exists()


def test_at_most_max_rows_rows_are_copied(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = inbox / "utfall_big.csv"
    count = MAX_ROWS + 10
    bad.write_text(
        "period;belopp\n" + "".join(f"2026-10;x{i}\n" for i in range(count)), encoding="utf-8"
    )
    problems = [Problem(bad.name, "Inget tal", n, "belopp") for n in range(2, count + 2)]
    moved = quarantine(bad, problems, tmp_path / "q")
    book = openpyxl.load_workbook(error_workbook_path(moved), read_only=True)
    rows = list(book["Rader"].iter_rows(values_only=True))
    assert len(rows) == 1 + MAX_ROWS + 1
    assert "10 rader till" in rows[-1][0]
    assert book["Fel"].max_row == count + 1
