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


def test_only_one_refresh_at_a_time(workspace):
    build_db.acquire_refresh_lock(workspace)
    try:
        import fcntl

        other = open(workspace.warehouse_dir / ".uppdatering.lock", "w")  # noqa: SIM115
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        other.close()
    finally:
        build_db.release_refresh_lock(workspace)
