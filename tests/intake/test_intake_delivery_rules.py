"""The delivery rules of one refresh: organisation rows that contradict each other are rejected
with both rows named, two files delivering the same key are ambiguous (neither is quarantined),
and a month missing from the report year is found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from pipelines.lib.intake import crosscheck
from pipelines.lib.intake.inbox import ambiguity_summary, examine_inbox, missing_months_summary

TODAY = dt.date(2026, 11, 28)
ORG_HEADER = (
    "ansvar;ansvar_namn;forvaltning;forvaltning_namn;namnd;namnd_namn;giltig_from;giltig_tom"
)
ORGANISATION = pl.DataFrame(
    {
        "ansvar": ["10001", "40010"],
        "forvaltning": ["UTBF", "TKF"],
        "namnd": ["BUN", "TN"],
        "verksamhetsomrade": [None, None],
        "giltig_from": [dt.date(2019, 1, 1)] * 2,
        "giltig_tom": [None, None],
    },
    schema_overrides={"giltig_tom": pl.Date, "verksamhetsomrade": pl.String},
)


def write(directory: Path, name: str, *lines: str) -> Path:
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def examine(files: list[Path], organisation: pl.DataFrame = ORGANISATION):
    return examine_inbox(files, TODAY, organisation, set())


def test_a_later_row_moves_an_ansvar_without_giltig_tom(tmp_path):
    move = write(
        tmp_path,
        "organisation_2026_05.csv",
        ORG_HEADER,
        "40010;Gata;SOCF;Socialförvaltningen;SOC;Socialnämnden;2026-05-01;",
    )
    outcome = examine([move])
    assert outcome.ok, outcome.rejected


def test_overlapping_explicit_ranges_are_rejected_naming_both_rows(tmp_path):
    path = write(
        tmp_path,
        "organisation_2026.csv",
        ORG_HEADER,
        "30010;Stöd;SOCF;Socialförvaltningen;IFO;IFO-nämnden;2025-01-01;2026-06-30",
        "30010;Stöd;SOCF;Socialförvaltningen;SOC;Socialnämnden;2026-05-01;",
    )
    outcome = examine([path])
    (problem,) = outcome.rejected[path]
    assert problem.row == 2 and problem.column == "giltig_tom"
    assert "IFO från 2025-01-01 till 2026-06-30 (rad 2 i organisation_2026.csv)" in problem.reason
    assert "SOC från 2026-05-01 (rad 3 i organisation_2026.csv)" in problem.reason


def test_an_inbox_row_overlapping_a_published_one_is_rejected(tmp_path):
    published = ORGANISATION.with_columns(
        pl.when(pl.col("ansvar") == "40010")
        .then(pl.lit(dt.date(2026, 12, 31)))
        .otherwise(None)
        .alias("giltig_tom")
    )
    path = write(
        tmp_path,
        "organisation_2026_05.csv",
        ORG_HEADER,
        "40010;Gata;SOCF;Socialförvaltningen;SOC;Socialnämnden;2026-05-01;",
    )
    problems = examine([path], published).rejected[path]
    assert "den publicerade organisationen" in problems[0].reason


def test_giltig_tom_before_giltig_from_is_rejected(tmp_path):
    path = write(
        tmp_path,
        "organisation_2026.csv",
        ORG_HEADER,
        "50001;Ny;TKF;Tekniska;TN;Tekniska nämnden;2026-07-01;2026-06-30",
    )
    (problem,) = examine([path]).rejected[path]
    assert "ligger före giltig_from" in problem.reason


def test_two_files_delivering_the_same_utfall_period_are_ambiguous(tmp_path):
    header = "period;ansvar;verksamhet;konto;belopp"
    year = write(tmp_path, "utfall_2026.csv", header, "202609;10001;100;5010;10,00")
    correction = write(tmp_path, "utfall_2026-09.csv", header, "202609;10001;100;5010;12,00")
    other = write(tmp_path, "utfall_2026-10.csv", header, "202610;10001;100;5010;12,00")
    outcome = examine([year, correction, other])
    assert not outcome.rejected  # nothing is wrong with either file: nothing is quarantined
    (ambiguity,) = outcome.ambiguous
    assert set(ambiguity.files) == {"utfall_2026.csv", "utfall_2026-09.csv"}
    assert ambiguity.example == {"period": "2026-09"}
    text = ambiguity_summary(outcome.ambiguous)
    assert "utfall_2026.csv" in text and "utfall_2026-09.csv" in text
    assert "en i taget" in text and "inga filer flyttades" in text


def test_budget_revisions_for_different_namnder_are_not_ambiguous(tmp_path):
    header = "ar;ansvar;verksamhet;konto;belopp;version;beslutsdatum"
    bun = write(
        tmp_path, "budget_2026_bun.csv", header, "2026;10001;100;5010;10,00;reviderad;2026-06-15"
    )
    tn = write(
        tmp_path, "budget_2026_tn.csv", header, "2026;40010;100;5010;10,00;Reviderad;2026-06-15"
    )
    assert examine([bun, tn]).ok


def test_the_same_budget_version_for_one_namnd_twice_is_ambiguous(tmp_path):
    header = "ar;ansvar;verksamhet;konto;belopp;version"
    first = write(tmp_path, "budget_2026.csv", header, "2026;40010;100;5010;10,00;KF")
    # No version means KF; the same nämnd (TN) and year: which KF budget is it?
    second = write(
        tmp_path,
        "budget_2026_tn.csv",
        "ar;ansvar;verksamhet;konto;belopp",
        "2026;40010;100;6010;5,00",
    )
    (ambiguity,) = examine([first, second]).ambiguous
    assert ambiguity.example["namnd"] == "TN" and ambiguity.example["version"] == "kf"


def test_missing_months_of_the_report_year():
    periods = {"2025-12", "2026-01", "2026-02", "2026-04", "2026-05"}
    assert crosscheck.missing_months(periods, "2026-05") == ["2026-03"]
    assert crosscheck.missing_months(periods, "2026-02") == []
    text = missing_months_summary(["2026-03"], "2026-05")
    assert "2026-03" in text and "ligger kvar" in text


def test_history_gaps_between_the_first_and_last_period():
    periods = {"2024-11", "2025-01", "2025-02", "2025-03"}
    assert crosscheck.history_gaps(periods) == ["2024-12"]
    assert crosscheck.history_gaps(set()) == []
