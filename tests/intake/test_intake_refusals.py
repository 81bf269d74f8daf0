"""One ansvar given two nämnder from the same day is an intake refusal naming the rows (issue 11);
it used to pass the intake and fail at the warehouse's reconciliation check. (An unknown budget
version: test_intake_parse.py.)"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines.lib.intake import inbox, parse_file

TODAY = dt.date(2026, 12, 3)
ORG_HEADER = "ansvar;ansvar_namn;forvaltning;forvaltning_namn;namnd;namnd_namn;giltig_from\n"


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_two_nämnder_for_one_ansvar_from_the_same_day_name_both_rows(tmp_path):
    path = _write(
        tmp_path / "organisation_2026.csv",
        ORG_HEADER
        + "1100;Skola;F1;Förv;BUN;Barn- och utbildningsnämnden;2026-01-01\n"
        + "1200;Stab;F1;Förv;KS;Kommunstyrelsen;2026-01-01\n"
        + "1100;Skola;F2;Förv 2;KS;Kommunstyrelsen;2026-01-01\n"
        # The same row twice says the same thing: no problem.
        + "1200;Stab;F1;Förv;KS;Kommunstyrelsen;2026-01-01\n",
    )
    problems = parse_file(path, TODAY).problems
    assert [(p.row, p.column) for p in problems] == [(2, "giltig_from"), (4, "giltig_from")]
    assert "Ansvaret 1100 har flera rader som gäller från 2026-01-01" in problems[0].reason
    assert "rad 2 (BUN), rad 4 (KS)" in problems[0].reason


def test_same_day_conflict_is_an_intake_refusal_not_a_later_failure(tmp_path):
    """Through examine_inbox, as a refresh runs it: the file is rejected before loading."""
    org = _write(
        tmp_path / "organisation_2026.csv",
        ORG_HEADER
        + "1100;Skola;F1;Förv;BUN;Barn;2026-01-01\n"
        + "1100;Skola;F1;Förv;KS;Kommunstyrelsen;2026-01-01\n",
    )
    empty_org = pl.DataFrame(
        schema={
            "ansvar": pl.String,
            "forvaltning": pl.String,
            "namnd": pl.String,
            "verksamhetsomrade": pl.String,
            "giltig_from": pl.Date,
            "giltig_tom": pl.Date,
        }
    )
    outcome = inbox.examine_inbox([org], TODAY, empty_org, set())
    assert list(outcome.rejected) == [org]
    assert not outcome.accepted
