"""`styrhjul template`, `quarantine` and `settings`: the controllers' tools beside the refresh."""

import datetime as dt

import openpyxl
import pytest

from pipelines.cli import main
from pipelines.lib.intake.parse import parse_file
from pipelines.lib.intake.problems import Problem
from pipelines.lib.intake.quarantine import fel_path, quarantine
from pipelines.lib.intake.templates import table_kinds, write_template
from pipelines.lib.run import quarantine_tools


@pytest.mark.parametrize("name", sorted(table_kinds()))
def test_every_template_is_read_by_the_intake_as_its_kind(name, tmp_path):
    kind = table_kinds()[name]
    path = write_template(name, tmp_path / f"{kind.prefix}mall.xlsx")
    result = parse_file(path, dt.date(2026, 12, 2))
    assert result.kind is kind
    sheet = openpyxl.load_workbook(path)[name]
    assert [c.value for c in sheet[1]] == list(kind.columns)
    assert all(c.comment is not None for c in sheet[1])
    if name == "periodisering":
        # One sample row of a key that needs twelve: the intake's sum rule speaks.
        assert [p.column for p in result.problems] == ["andel"]
    else:
        assert not result.problems, [p.reason for p in result.problems]


def test_a_closed_vocabulary_gets_a_drop_down_list(tmp_path):
    path = write_template("budget", tmp_path / "budget_mall.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["budget"]
    [validation] = sheet.data_validations.dataValidation
    column = list(table_kinds()["budget"].columns).index("version")
    letter = "ABCDEFGHIJ"[column]
    assert validation.type == "list"
    assert str(validation.sqref).startswith(f"{letter}2")
    assert validation.formula1 == f"listor!${letter}$1:${letter}$3"
    assert [book["listor"][f"{letter}{i}"].value for i in (1, 2, 3)] == [
        "kf",
        "internbudget",
        "reviderad",
    ]


def test_an_unknown_kind_names_the_kinds_there_are(tmp_path, capsys):
    assert main(["template", "budgt", "--output", str(tmp_path / "x.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Det finns ingen mall för 'budgt'" in err and "budget" in err


def test_quarantine_lists_each_file_with_its_first_problem_and_restores_one(workspace, capsys):
    bad = workspace.inbox / "utfall_2026-11.csv"
    bad.write_text("trasig\n", encoding="utf-8")
    problem = Problem(bad.name, "Kolumnen belopp saknas", row=None, column="belopp")
    moved = quarantine(bad, [problem], workspace.quarantine)
    [entry] = quarantine_tools.quarantined(workspace)
    assert entry.path == moved
    assert "Kolumnen belopp saknas" in entry.first_problem
    assert main(["quarantine", "--home", str(workspace.home)]) == 0
    assert "utfall_2026-11.csv: " in capsys.readouterr().out
    assert main(["quarantine", "--home", str(workspace.home), "--restore", bad.name]) == 0
    assert bad.exists() and not moved.exists() and not fel_path(moved).exists()
    assert quarantine_tools.quarantined(workspace) == []


def test_restoring_a_file_that_is_not_there_says_what_is(workspace, capsys):
    assert main(["quarantine", "--home", str(workspace.home), "--restore", "budget.csv"]) == 1
    assert "budget.csv finns inte i karantänen" in capsys.readouterr().err


def test_settings_shows_every_value_and_marks_what_the_file_changed(workspace, capsys):
    workspace.config_file.write_text("atgardsplan:\n  tolerans_kr: 500000\n", encoding="utf-8")
    assert main(["settings", "--home", str(workspace.home)]) == 0
    out = capsys.readouterr().out
    assert "atgardsplan.tolerans_kr: 500000   (ändrad; standard: 0)" in out
    assert "atgardsplan.forsening_manader: 2\n" in out
    assert "automatik.korningsdag: 8\n" in out
