"""`styrhjul close --year`: a year closes (its December) only once its twelve months are
published; the parser takes a period or a year, never both."""

from __future__ import annotations

import pytest

from pipelines.cli import EXIT_FAILURE, build_parser, main
from pipelines.lib.run.closing import year_closing_problem, year_months


def test_close_takes_a_period_or_a_year(capsys):
    parser = build_parser()
    assert parser.parse_args(["close", "--year", "2025"]).year == 2025
    assert parser.parse_args(["close", "--period", "2025-12"]).year is None
    for argv in (["close"], ["close", "--year", "2025", "--period", "2025-12"]):
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args(argv)
        assert exit_info.value.code == EXIT_FAILURE
    with pytest.raises(SystemExit):
        parser.parse_args(["close", "--year", "25"])
    assert "inget år på formen ÅÅÅÅ" in capsys.readouterr().err


def test_a_year_closes_only_when_all_twelve_months_are_published():
    assert year_closing_problem(set(year_months(2025)), 2025) is None
    assert year_closing_problem(set(year_months(2025)) - {"2025-12"}, 2025) == (
        "Året 2025 kan inte stängas: 2025-12 är inte publicerade. Leverera huvudbokens utfall "
        "för hela året (och bokslutsposterna som period 202513) och kör 'styrhjul refresh "
        "--period 2025-12' först."
    )
    only_spring = {f"2026-0{m}" for m in range(1, 6)}
    assert year_closing_problem(only_spring, 2026).startswith(
        "Året 2026 kan inte stängas: 2026-06 – 2026-12 är inte publicerade."
    )


def test_close_year_without_a_warehouse_is_one_sentence(workspace, capsys):
    assert main(["close", "--year", "2025", "--home", str(workspace.home)]) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert err.startswith("Fel:") and "Traceback" not in err


def test_close_year_closes_december_of_the_demo(published_demo, tmp_path, capsys):
    """The demo closes its 2025 as a controller does (`styrhjul close --year 2025`, the same
    code path, after 2025 is published in full with its closing entries): 2025-12 is stängd in
    marts.perioder and raw.periodstangningar, the rest of 2025 open, and 2026 cannot be closed."""
    import shutil

    import duckdb

    assert "Stänger året 2025 (perioden 2025-12) ..." in published_demo["stdout"]
    assert "Året 2025 är stängt" in published_demo["stdout"]
    assert "Inga bokslutsposter" not in published_demo["stdout"]
    db = published_demo["home"] / "warehouse" / "styrhjul.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        status = dict(
            con.execute(
                "select period, status from marts.perioder where period like '2025-%'"
            ).fetchall()
        )
        closed = con.execute("select period from raw.periodstangningar").fetchall()
    assert status["2025-12"] == "stangd"
    assert status["2025-11"] == "oppen"
    assert closed == [("2025-12",)]
    home = tmp_path / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("*.lock"))
    assert main(["close", "--year", "2026", "--home", str(home)]) == EXIT_FAILURE
    assert "Året 2026 kan inte stängas: 2026-11, 2026-12 är inte publicerade" in (
        capsys.readouterr().err
    )
