"""Publishing: atomic, checkpointed, and never blocked by an analyst's read-only connection."""

import duckdb
import pytest

from pipelines.lib.warehouse import build_db


def _write(path, value):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.t as select ? as v", [value])


def test_publish_replaces_the_file_while_a_reader_keeps_its_snapshot(workspace):
    build_db.prepare_build_copy(workspace)
    _write(workspace.build_db, 1)
    build_db.publish(workspace, "run-one")

    reader = duckdb.connect(str(workspace.published_db), read_only=True)
    assert reader.execute("select v from marts.t").fetchall()[0][0] == 1

    build_db.prepare_build_copy(workspace)  # starts from the published copy
    with duckdb.connect(str(workspace.build_db)) as con:
        assert con.execute("select v from marts.t").fetchall()[0][0] == 1
    _write(workspace.build_db, 2)
    build_db.publish(workspace, "run-two")  # not blocked by the open reader

    # The open reader still sees the complete old version; a new reader sees the new one.
    assert reader.execute("select v from marts.t").fetchall()[0][0] == 1
    reader.close()
    with duckdb.connect(str(workspace.published_db), read_only=True) as fresh:
        assert fresh.execute("select v from marts.t").fetchall()[0][0] == 2
    assert not list(workspace.warehouse_dir.glob(".*.tmp"))


def test_a_new_build_copy_has_the_raw_schema(workspace):
    build_db.prepare_build_copy(workspace)
    with duckdb.connect(str(workspace.build_db)) as con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
    assert {"utfall", "budget", "organisation", "leveranser", "korningar"} <= tables


def test_open_published_says_what_to_do_when_nothing_is_published(workspace):
    with pytest.raises(FileNotFoundError, match="styrhjul refresh"):
        build_db.open_published(workspace)


def _locked(ws) -> str | None:
    """What a second refresh is told while another holds the workspace's lock (None: free)."""
    try:
        with build_db.refresh_lock(ws):
            return None
    except build_db.RefreshLockedError as exc:
        return str(exc)


def test_only_one_refresh_at_a_time_and_the_lock_is_freed_however_the_run_ends(workspace):
    with build_db.refresh_lock(workspace):
        assert "En annan uppdatering" in _locked(workspace)
    with pytest.raises(RuntimeError, match="boom"), build_db.refresh_lock(workspace):
        raise RuntimeError("boom")
    assert _locked(workspace) is None  # free again after a failure


def test_the_run_holds_the_lock_from_its_first_to_its_last_step(workspace):
    """The RefreshLock resource is set up once per in-process run and released when it ends,
    also when a step fails."""
    import dagster as dg

    from pipelines.defs.resources import RefreshLock

    seen = []

    @dg.asset
    def first(refresh_lock: RefreshLock):
        seen.append(("first", _locked(workspace) is not None))

    @dg.asset(deps=[first])
    def second(refresh_lock: RefreshLock):
        seen.append(("second", _locked(workspace) is not None))
        raise RuntimeError("a failing step")

    result = dg.materialize(
        [first, second],
        resources={"refresh_lock": RefreshLock(home=str(workspace.home))},
        raise_on_error=False,
    )
    assert not result.success and seen == [("first", True), ("second", True)]
    assert _locked(workspace) is None  # released after the failed run
