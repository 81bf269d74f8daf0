"""styrhjul undo's refusals, on hand-built warehouses (the end-to-end undo is in test_crash.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.cli import EXIT_FAILURE, main
from pipelines.lib.intake.raw_tables import create_statements
from pipelines.lib.run import undo
from pipelines.lib.warehouse import build_db


def _warehouse(path, runs, closed=()):
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        for statement in create_statements():
            con.execute(statement)
        for i, period in enumerate(runs):
            con.execute(
                "insert into raw.korningar values (?, ?, ?, 'uppdatering')",
                [f"run-{i}", period, dt.datetime(2026, 11, 1 + i)],
            )
        for period in closed:
            con.execute(
                "insert into raw.periodstangningar values (?, ?, 'run-x')",
                [period, dt.datetime(2026, 11, 20)],
            )


def test_nothing_to_undo_without_a_previous_version(workspace, capsys):
    _warehouse(workspace.published_db, ["2026-10"])
    assert main(["undo", "--home", str(workspace.home)]) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert "ingen tidigare publicerad version" in err and "Traceback" not in err


def test_undo_is_refused_past_a_close(workspace):
    _warehouse(build_db.previous_db(workspace), ["2026-09", "2026-10"], closed=["2026-09"])
    _warehouse(workspace.published_db, ["2026-09", "2026-10"], closed=["2026-09", "2026-10"])
    before = workspace.published_db.read_bytes()
    with pytest.raises(undo.UndoRefused, match="stängde perioden 2026-10"):
        undo.undo(workspace)
    assert workspace.published_db.read_bytes() == before
    assert build_db.previous_db(workspace).exists()


def test_undo_after_a_close_undoes_the_later_refresh(workspace):
    _warehouse(build_db.previous_db(workspace), ["2026-10"], closed=["2026-10"])
    _warehouse(workspace.published_db, ["2026-10", "2026-11"], closed=["2026-10"])
    outcome = undo.undo(workspace)
    assert (outcome.undone.period, outcome.restored.period) == ("2026-11", "2026-10")
    with duckdb.connect(str(workspace.published_db), read_only=True) as con:
        runs = con.execute("select period, typ from raw.korningar order by startad").fetchall()
    assert runs == [("2026-10", "uppdatering"), ("2026-10", undo.UNDO_TYPE)]


def test_undo_is_refused_while_a_refresh_runs(workspace):
    _warehouse(build_db.previous_db(workspace), ["2026-09"])
    _warehouse(workspace.published_db, ["2026-10"])
    with build_db.refresh_lock(workspace), pytest.raises(undo.UndoRefused, match="pågår"):
        undo.undo(workspace)
    assert build_db.previous_db(workspace).exists()
