"""The Swedish .fel.txt text."""

from __future__ import annotations

from pipelines.lib.intake.problems import Problem, format_problems


def test_problem_line_has_row_column_value_and_full_stop():
    problem = Problem(
        "utfall_2026-10.csv",
        "Beloppet går inte att tolka som ett tal",
        row=14,
        column="belopp",
        value="12,3,4",
    )
    assert problem.line() == (
        "Rad 14, kolumn belopp, värde '12,3,4': Beloppet går inte att tolka som ett tal."
    )


def test_partial_locations():
    assert Problem("f", "Obligatorisk kolumn saknas: belopp").line() == (
        "Obligatorisk kolumn saknas: belopp."
    )
    assert Problem("f", "Värde saknas", row=3, column="konto").line() == (
        "Rad 3, kolumn konto: Värde saknas."
    )
    assert Problem("f", "Fel", column="andel", value="0,95").line() == (
        "Kolumn andel, värde '0,95': Fel."
    )


def test_format_problems_heading_lines_and_what_to_do():
    problems = [
        Problem("budget_2027.csv", "Obligatorisk kolumn saknas: konto"),
        Problem("budget_2027.csv", "Beloppet går inte att tolka som ett tal", 14, "belopp", "x"),
    ]
    text = format_problems("budget_2027.csv", problems)
    lines = text.splitlines()
    assert lines[0] == "Filen budget_2027.csv har inte lästs in."
    assert "2 problem hittades" in lines[1]
    assert "Obligatorisk kolumn saknas: konto." in lines
    assert "Rad 14, kolumn belopp, värde 'x': Beloppet går inte att tolka som ett tal." in lines
    assert "rätta filen och lägg den i inkorgen igen" in text


def test_many_identical_problems_are_summarised():
    problems = [
        Problem("u.csv", "Beloppet går inte att tolka som ett tal", row, "belopp", "1,234.00")
        for row in range(2, 2 + 60)
    ]
    lines = format_problems("u.csv", problems, max_per_reason=50).splitlines()
    assert sum(line.startswith("Rad ") for line in lines) == 50
    assert (
        "... och 10 rader till med samma fel i kolumn belopp: "
        "Beloppet går inte att tolka som ett tal."
    ) in lines
    assert "60 problem hittades" in lines[1]


def test_long_values_are_shortened_and_newlines_flattened():
    line = Problem("f", "Fel", row=2, column="kommentar", value="a\nb" + "x" * 200).line()
    assert "\n" not in line
    assert "…" in line
    assert len(line) < 130
