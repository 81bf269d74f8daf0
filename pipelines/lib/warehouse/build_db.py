"""The build copy and its publication (docs/architecture.md: DuckDB's one-writer lock).

The pipeline writes only to the build copy. A run starts from a fresh copy of the published
warehouse (so a failed run leaves nothing behind), and after a fully successful build the copy is
checkpointed and published with an atomic rename: an analyst's read-only connection keeps the old
file's inode until it reconnects, and never sees half of a refresh.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from pipelines.lib.intake.raw_tables import create_statements
from pipelines.lib.workspace import Workspace


class RefreshLockedError(RuntimeError):
    pass


@contextmanager
def refresh_lock(ws: Workspace):
    """One refresh at a time per workspace, for as long as the block runs (a file lock, so it
    also holds between processes: the CLI and the UI). Released when the block ends, however it
    ends; the operating system releases it if the process dies."""
    lock = FileLock(ws.warehouse_dir / ".uppdatering.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise RefreshLockedError(
            "En annan uppdatering av arbetsytan pågår redan; vänta tills den är klar."
        ) from exc
    try:
        yield
    finally:
        lock.release()


def prepare_build_copy(ws: Workspace) -> Path:
    """Start the run's build copy from the published warehouse (or empty), with the raw schema."""
    ws.build_dir.mkdir(parents=True, exist_ok=True)
    for leftover in (ws.build_db, ws.build_db.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    if ws.published_db.exists():
        shutil.copyfile(ws.published_db, ws.build_db)
    with duckdb.connect(str(ws.build_db)) as con:
        for statement in create_statements():
            con.execute(statement)
    return ws.build_db


@contextmanager
def build_connection(ws: Workspace, read_only: bool = False):
    con = duckdb.connect(str(ws.build_db), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def publish(ws: Workspace, run_id: str) -> Path:
    """Checkpoint the build copy and replace the published file atomically."""
    with duckdb.connect(str(ws.build_db)) as con:
        con.execute("checkpoint")
    wal = Path(str(ws.build_db) + ".wal")
    if wal.exists():
        raise RuntimeError("Byggkopian har kvar en .wal-fil efter CHECKPOINT; publicerar inte.")
    tmp = ws.warehouse_dir / f".styrhjul.duckdb.{run_id[:8]}.tmp"
    shutil.copyfile(ws.build_db, tmp)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, ws.published_db)
    return ws.published_db


def open_published(ws: Workspace) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse (what analysts and reports use)."""
    if not ws.published_db.exists():
        raise FileNotFoundError(
            f"Det finns inget publicerat lager i {ws.published_db}; kör 'styrhjul refresh' först."
        )
    return duckdb.connect(str(ws.published_db), read_only=True)
