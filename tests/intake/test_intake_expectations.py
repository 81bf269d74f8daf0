"""The great-expectations gate on parsed ekonomi frames."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import polars as pl
import pytest

from pipelines.lib.intake import expectations
from pipelines.lib.intake.parse import parse_file
from pipelines.lib.intake.personnummer import PERSONNUMMER_REASON

TODAY = date(2026, 11, 15)
KONTO_REASON = "Kontot ska vara ett konto i Kommun-Bas: 3–6 siffror som börjar med kontoklass 1–9"


@pytest.fixture(scope="module")
def gx_context():
    """great-expectations is slow to import: one context for the whole module (and process)."""
    return expectations.get_context()


def parsed_frame(tmp_path, name, *lines, parse_ok=True):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = parse_file(path, TODAY)
    assert parsed.ok is parse_ok, parsed.problems
    [frame] = parsed.tables.values()
    return frame


def test_context_is_cached(gx_context):
    assert expectations.get_context() is gx_context


def test_clean_utfall_passes(gx_context, tmp_path):
    frame = parsed_frame(
        tmp_path,
        "utfall_2026.csv",
        "period;ansvar;verksamhet;konto;belopp;projekt",
        "202610;1001;100;4110;-1 234,50;P1",
        "202610;1001;100;30100;4 999 999 999,99;",
    )
    assert expectations.validate_frame("utfall", frame, "utfall_2026.csv") == []


def test_bad_konto_personnummer_and_huge_amount_on_the_right_rows(gx_context, tmp_path):
    frame = parsed_frame(
        tmp_path,
        "utfall_2026.csv",
        "period;ansvar;verksamhet;konto;belopp;projekt",
        "202610;1001;100;4110;5;",  # row 2: fine
        "",  # row 3: blank, so the file's rows and the frame's positions differ
        "202610;1001;100;0123;5;",  # row 4: konto class 0
        "202610;1001;100;4110;500 000 000 000;",  # row 5: 500 billion on one row
        "202610;1001;100;41;5;",  # row 6: two digits
        "202610;1001;100;4110;5;Lön 19850612-1234",  # row 7: personnummer
        parse_ok=False,  # parsing finds the personnummer too; the gate must not depend on it
    )
    problems = expectations.validate_frame("utfall", frame, "utfall_2026.csv")
    assert [(p.row, p.column, p.value) for p in problems] == [
        (4, "konto", "0123"),
        (5, "belopp", "500000000000"),
        (6, "konto", "41"),
        (7, "projekt", "Lön 19850612-****"),
    ]
    assert problems[0].reason == KONTO_REASON
    assert problems[1].reason.startswith("Beloppet är orimligt stort")
    assert problems[3].reason == PERSONNUMMER_REASON
    assert all(p.file == "utfall_2026.csv" for p in problems)


def test_period_and_null_checks_on_a_frame_built_elsewhere(gx_context):
    frame = pl.DataFrame(
        {
            "period": ["2026-10", "2026-13", None],
            "namnd": ["KS", None, "BUN"],
            "prognos": [1.0, 2.0, 3.0],
            "source_row": [2, 3, 4],
        }
    ).with_columns(pl.col("prognos").cast(pl.Decimal(18, 2)))
    problems = expectations.validate_frame("prognos", frame, "prognos_x.csv")
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (3, "period", "Perioden ska ha formen ÅÅÅÅ-MM med månad 01–12"),
        (3, "namnd", "Värde saknas, men kolumnen är obligatorisk"),
        (4, "period", "Värde saknas, men kolumnen är obligatorisk"),
    ]


def test_periodisering_share_between_0_and_1(gx_context):
    frame = pl.DataFrame(
        {"ar": [2027, 2027], "nyckel": ["a", "a"], "manad": [1, 2], "andel": [1.5, -0.5]}
    )
    problems = expectations.validate_frame("periodisering", frame, "periodisering_x.csv")
    # Without source_row the first row is counted as row 2, as in a file with a header.
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "andel", "1,5"),
        (3, "andel", "-0,5"),
    ]


def test_organisation_dates_and_personnummer_in_names(gx_context, tmp_path):
    frame = parsed_frame(
        tmp_path,
        "organisation_2026.csv",
        "ansvar;ansvar_namn;forvaltning;forvaltning_namn;namnd;namnd_namn;giltig_from",
        "1001;Kansli;KLF;KLF;KS;KS;2026-01-01",
        "1002;Chef 850612-1234;KLF;KLF;KS;KS;2026-01-01",
        parse_ok=False,
    )
    problems = expectations.validate_frame("organisation", frame, "organisation_2026.csv")
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "ansvar_namn", "Chef 850612-****")
    ]


def test_kinds_without_a_suite_give_no_problems(gx_context):
    frame = pl.DataFrame({"region": ["0680"], "source_row": [2]})
    assert expectations.validate_frame("befolkning", frame, "befolkning_x.csv") == []


def test_checks_are_derived_from_the_kind():
    from pipelines.lib.intake.kinds import KINDS_BY_NAME

    checks = expectations.checks_for(KINDS_BY_NAME["budget"])
    assert ("ExpectColumnValuesToMatchRegex", "konto") in [
        (c.expectation, c.column) for c in checks
    ]
    assert {c.column for c in checks if c.expectation == "ExpectColumnValuesToNotBeNull"} == {
        "ar",
        "ansvar",
        "verksamhet",
        "konto",
        "belopp",
    }


def test_importing_intake_does_not_import_great_expectations():
    code = (
        "import sys, pipelines.lib.intake as intake; "
        "assert callable(intake.validate_frame); "
        "print('great_expectations' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
