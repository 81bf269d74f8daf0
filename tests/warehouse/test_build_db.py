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


def _published_value(ws):
    with duckdb.connect(str(ws.published_db), read_only=True) as con:
        return con.execute("select v from marts.t").fetchall()[0][0]


def _publish_value(ws, value, run_id):
    build_db.prepare_build_copy(ws)
    _write(ws.build_db, value)
    build_db.publish(ws, run_id)


def test_the_replaced_file_is_kept_as_the_previous_version_without_a_copy(workspace):
    _publish_value(workspace, 1, "run-one")
    first_inode = workspace.published_db.stat().st_ino
    _publish_value(workspace, 2, "run-two")
    previous = build_db.previous_db(workspace)
    assert previous.stat().st_ino == first_inode  # the same file under a second name
    with duckdb.connect(str(previous), read_only=True) as con:
        assert con.execute("select v from marts.t").fetchall()[0][0] == 1
    assert _published_value(workspace) == 2
    # The build copy left as a name of the published file is replaced, never written into.
    build_db.prepare_build_copy(workspace)
    assert workspace.build_db.stat().st_ino != workspace.published_db.stat().st_ino


def test_publication_flushes_the_file_and_the_folder_after_the_rename(workspace, monkeypatch):
    import os

    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc") else fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    build_db.prepare_build_copy(workspace)
    _write(workspace.build_db, 1)
    build_db.publish(workspace, "run-one")
    if os.path.exists("/proc"):
        assert str(workspace.build_db) in synced
        assert synced[-1] == str(workspace.warehouse_dir)  # the rename made durable last


@pytest.mark.parametrize("failing", ["fsync_file", "_replace_published"])
def test_a_full_disk_while_publishing_leaves_the_published_file_and_nothing_else(
    workspace, monkeypatch, failing
):
    import errno

    _publish_value(workspace, 1, "run-one")
    before = workspace.published_db.read_bytes()
    build_db.prepare_build_copy(workspace)
    _write(workspace.build_db, 2)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_db, failing, full_disk)
    with pytest.raises(OSError, match="No space left"):
        build_db.publish(workspace, "run-two")
    monkeypatch.undo()
    assert workspace.published_db.read_bytes() == before
    assert _published_value(workspace) == 1
    assert not workspace.build_db.exists() and not list(workspace.warehouse_dir.glob(".*.tmp"))
    assert _locked(workspace) is None
    _publish_value(workspace, 3, "run-three")  # the next run is not blocked
    assert _published_value(workspace) == 3


def test_a_full_disk_while_copying_the_build_copy_leaves_no_half_copy(workspace, monkeypatch):
    import errno
    import shutil

    _publish_value(workspace, 1, "run-one")

    def half_copy(source, target):
        with open(target, "wb") as handle:
            handle.write(b"\0" * 4096)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", half_copy)
    with pytest.raises(OSError, match="No space left"):
        build_db.prepare_build_copy(workspace)
    assert not workspace.build_db.exists()
    assert _published_value(workspace) == 1


def test_a_second_writer_waits_for_the_lock_then_gives_up_with_a_swedish_message(workspace):
    import threading
    import time

    with build_db.refresh_lock(workspace):
        started = time.monotonic()
        message = None
        try:
            with build_db.refresh_lock(workspace, timeout=0.5):
                pass
        except build_db.RefreshLockedError as exc:
            message = str(exc)
        assert time.monotonic() - started >= 0.5
    assert "pågår (väntade 0,5 s); inget ändrades" in message
    assert "vanta_pa_uppdatering_sekunder" in message

    # A writer that waits gets the lock as soon as the first lets go.
    release = threading.Event()

    def holder():
        with build_db.refresh_lock(workspace):
            release.wait()

    thread = threading.Thread(target=holder)
    thread.start()
    time.sleep(0.2)
    assert build_db.is_locked(workspace)
    threading.Timer(0.3, release.set).start()
    with build_db.refresh_lock(workspace, timeout=10):
        pass
    thread.join()


def test_a_build_copy_mostly_free_blocks_is_compacted_before_publication(workspace):
    """A table rebuilt smaller leaves free blocks DuckDB never gives back; publishing rewrites
    the file when they dominate, with every table, view (naming the catalog, as dbt's do) and
    macro kept."""
    build_db.prepare_build_copy(workspace)
    with duckdb.connect(str(workspace.build_db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.stor as select random() as v from range(3000000)")
        con.execute("checkpoint")
        con.execute("create or replace table marts.stor as select range as v from range(10)")
        con.execute("create view marts.vy as select sum(v) as s from styrhjul.marts.stor")
        con.execute("create macro marts.dubbel(x) as 2 * x")
        con.execute("checkpoint")
        assert build_db.free_share(con) > build_db.COMPACT_FREE_SHARE
    sparse_size = workspace.build_db.stat().st_size
    build_db.publish(workspace, "run-one")
    assert workspace.published_db.stat().st_size < sparse_size / 2
    with duckdb.connect(str(workspace.published_db), read_only=True) as con:
        assert con.execute("select s, marts.dubbel(s) from marts.vy").fetchall() == [(45, 90)]
        assert build_db.free_share(con) < build_db.COMPACT_FREE_SHARE
        assert {"utfall", "leveranser"} <= {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
    assert not list((workspace.build_dir / build_db.COMPACT_DIR).iterdir())


def test_a_build_copy_with_few_free_blocks_is_published_as_it_is(workspace):
    build_db.prepare_build_copy(workspace)
    _write(workspace.build_db, 1)
    inode = workspace.build_db.stat().st_ino
    build_db.publish(workspace, "run-one")
    assert workspace.published_db.stat().st_ino == inode  # renamed, not rewritten
