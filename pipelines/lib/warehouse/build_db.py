"""The build copy and its publication (docs/architecture.md: DuckDB's one-writer lock).

The pipeline writes only to the build copy. A run starts from a fresh copy of the published
warehouse (so a failed run leaves nothing behind), and after a fully successful build the copy is
checkpointed, flushed to disk and published by renaming it over the published file: an analyst's
read-only connection keeps the old file's inode until it reconnects, and never sees half of a
refresh. The build copy lives beside the published file (same file system), so the rename is
atomic and publication copies nothing: the run's one full copy is the build copy it starts from.
The published file it replaces is kept, as a hard link (no copy), as the previous version, which
`styrhjul undo` can publish again.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from pipelines.lib.intake.raw_tables import create_statements
from pipelines.lib.run import teststopp
from pipelines.lib.workspace import Workspace

LOCK_FILE = ".uppdatering.lock"
PREVIOUS_DIR = "foregaende"
COMPACT_DIR = "kompakt"

# The build copy is compacted before it is published when free blocks are more than this share
# of its file: DuckDB reuses free blocks but never gives them back, so a file whose tables are
# rebuilt every month would otherwise keep the high-water mark of its largest rebuild.
COMPACT_FREE_SHARE = 0.5


class RefreshLockedError(RuntimeError):
    pass


def previous_db(ws: Workspace) -> Path:
    """The version the last publication replaced. Same file name as the published one: dbt
    writes the catalog name (the file stem) into views, which must resolve when it is published
    again."""
    return ws.warehouse_dir / PREVIOUS_DIR / ws.published_db.name


def _locked_message(timeout: float) -> str:
    seconds = f"{timeout:g}".replace(".", ",")  # Swedish decimal comma
    waited = f" (väntade {seconds} s)" if timeout > 0 else ""
    return (
        f"En annan uppdatering av arbetsytan pågår{waited}; inget ändrades. Vänta tills den är "
        "klar och försök igen (hur länge en ny uppdatering väntar anges av inställningen "
        "automatik.vanta_pa_uppdatering_sekunder)."
    )


@contextmanager
def refresh_lock(ws: Workspace, timeout: float = 0):
    """One writer per workspace (refresh, close, undo), for as long as the block runs: a file
    lock, so it also holds between processes (the CLI and the UI). Waits up to `timeout`
    seconds for another writer to finish, then refuses. Released when the block ends, however it
    ends; the operating system releases it when the process dies (a killed run never blocks the
    next one)."""
    ws.warehouse_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(ws.warehouse_dir / LOCK_FILE, timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise RefreshLockedError(_locked_message(timeout)) from exc
    try:
        yield
    finally:
        lock.release()


def is_locked(ws: Workspace) -> bool:
    """Whether another writer holds the workspace's lock right now (for a message only: it may
    be released the moment after)."""
    try:
        with refresh_lock(ws, timeout=0):
            return False
    except RefreshLockedError:
        return True


def _remove_build_copy(ws: Workspace) -> None:
    for leftover in (ws.build_db, Path(str(ws.build_db) + ".wal")):
        leftover.unlink(missing_ok=True)


def prepare_build_copy(ws: Workspace) -> Path:
    """Start the run's build copy from the published warehouse (or empty), with the raw schema.

    Whatever an earlier run left in the build folder (a run killed mid-build, or the build copy
    the last publication left as a second name of the published file) is removed first, so the
    copy is always written to a new file, never into the published one.
    """
    ws.build_dir.mkdir(parents=True, exist_ok=True)
    _remove_build_copy(ws)
    try:
        if ws.published_db.exists():
            shutil.copyfile(ws.published_db, ws.build_db)
        with duckdb.connect(str(ws.build_db)) as con:
            for statement in create_statements():
                con.execute(statement)
    except BaseException:
        # A full disk, say: no half-written copy is left to take up the space.
        _remove_build_copy(ws)
        raise
    return ws.build_db


@contextmanager
def build_connection(ws: Workspace, read_only: bool = False):
    con = duckdb.connect(str(ws.build_db), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (POSIX; Windows cannot open a directory, and NTFS
    journals the rename itself)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_as_previous(ws: Workspace) -> None:
    """The published file becomes the previous version: a second name for its inode (no copy),
    which survives when the published name is pointed at the new file."""
    if not ws.published_db.exists():
        return
    target = previous_db(ws)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.ny")
    _link_or_copy(ws.published_db, temporary)
    os.replace(temporary, target)
    fsync_dir(target.parent)


def _link_or_copy(source: Path, temporary: Path) -> None:
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        # A file system without hard links: a copy, as costly as it sounds, but still correct.
        shutil.copyfile(source, temporary)
        fsync_file(temporary)


def publish(ws: Workspace, run_id: str) -> Path:
    """Checkpoint the build copy and make it the published file atomically, keeping the one it
    replaces as the previous version. The build copy's name stays as a second name of the new
    published file (steps after publication read it); the next run removes it before copying."""
    temporary = ws.warehouse_dir / f".{ws.published_db.name}.{run_id[:8]}.tmp"
    try:
        with duckdb.connect(str(ws.build_db)) as con:
            con.execute("checkpoint")
            sparse = free_share(con) > COMPACT_FREE_SHARE
        if sparse:
            compact(ws)
        if Path(str(ws.build_db) + ".wal").exists():
            raise RuntimeError("Byggkopian har kvar en .wal-fil efter CHECKPOINT; publicerar inte.")
        # On disk before it is published: after a crash the published name never points at a
        # file whose blocks were still only in the page cache.
        fsync_file(ws.build_db)
        teststopp.point(teststopp.PUBLISH, ws.home)
        _keep_as_previous(ws)
        _replace_published(ws, temporary)
    except BaseException:
        # A full disk, say: the published file is untouched (the rename is the only step that
        # changes it), and neither the build copy nor a temporary name is left taking up space.
        temporary.unlink(missing_ok=True)
        _remove_build_copy(ws)
        raise
    return ws.published_db


def free_share(con: duckdb.DuckDBPyConnection) -> float:
    """The share of the database file's blocks that hold nothing (after a checkpoint)."""
    [(total, free)] = con.execute(
        "select total_blocks, free_blocks from pragma_database_size() "
        "where database_name = current_database()"
    ).fetchall()
    return free / total if total else 0.0


def compact(ws: Workspace) -> None:
    """Rewrite the build copy into a fresh file holding only live blocks (COPY FROM DATABASE,
    which keeps every schema, table, view and macro), then put it in the build copy's place.
    Written under the same file name in a folder of its own: dbt's views name the file's stem as
    their catalog."""
    target = ws.build_dir / COMPACT_DIR / ws.build_db.name
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (target, Path(str(target) + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(ws.build_db)) as con:
            source = con.execute("select current_database()").fetchall()[0][0]
            path = str(target).replace("'", "''")  # the workspace's own path, quoted
            con.execute(f"attach '{path}' as styrhjul_kompakt")
            con.execute(f'copy from database "{source}" to styrhjul_kompakt')
            con.execute("detach styrhjul_kompakt")
        os.replace(target, ws.build_db)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _replace_published(ws: Workspace, temporary: Path) -> None:
    """The build copy (flushed) becomes the published file: one rename, then made durable."""
    _link_or_copy(ws.build_db, temporary)
    os.replace(temporary, ws.published_db)
    fsync_dir(ws.warehouse_dir)


def republish_previous(ws: Workspace, record) -> None:
    """`styrhjul undo`'s publication: the previous version, with `record(con)` written into a
    copy of it, becomes the published file, and is then no longer kept as the previous one (one
    step back only; the undone version's files are in archive/ and can be delivered again).
    The caller holds the refresh lock. A copy rather than the previous file itself: an analyst
    who opened the published file before the last refresh may still hold it open."""
    temporary = ws.warehouse_dir / f".{ws.published_db.name}.angra.tmp"
    ws.build_dir.mkdir(parents=True, exist_ok=True)
    _remove_build_copy(ws)
    try:
        shutil.copyfile(previous_db(ws), ws.build_db)
        with duckdb.connect(str(ws.build_db)) as con:
            record(con)
            con.execute("checkpoint")
        fsync_file(ws.build_db)
        _replace_published(ws, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        _remove_build_copy(ws)
        raise
    previous_db(ws).unlink()
    fsync_dir(previous_db(ws).parent)


def open_published(ws: Workspace) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse (what analysts and reports use)."""
    if not ws.published_db.exists():
        raise FileNotFoundError(
            f"Det finns inget publicerat lager i {ws.published_db}; kör 'styrhjul refresh' först."
        )
    return duckdb.connect(str(ws.published_db), read_only=True)
