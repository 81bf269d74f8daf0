"""Crash safety, undo and idempotency, end to end through the command line (issue 11).

One copy of the shared demo workspace, worked through in module fixtures (so the tests only
assert and may run in any order): the demo's last publication (the September correction) is
undone; the correction is delivered again from archive/ and the refresh that reads it is killed
with SIGKILL during the intake, during dbt and during publication (the test-only stopping points
of pipelines/lib/run/teststopp.py, with the whole process group killed as at a power cut); then
it is rerun, and finally the same file is delivered once more. The marts are compared by the
fingerprint of every mart's rows (pipelines/lib/warehouse/fingerprint.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pytest

from pipelines.lib.run import teststopp
from pipelines.lib.warehouse import build_db
from pipelines.lib.warehouse.fingerprint import differing_marts, warehouse_fingerprints
from pipelines.lib.workspace import Workspace

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and process groups are POSIX")

CORRECTION = "utfall_2026_09_rattelse.csv"


def _cli(home, *args, env_extra=None, timeout=900):
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    env.update(env_extra or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
    finally:
        # A killed run's dbt child would go on writing its (orphaned) build copy: a power cut
        # takes the whole process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, out


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _loaded(path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [r[0] for r in con.execute("select source_file from raw.leveranser").fetchall()]


@pytest.fixture(scope="module")
def undone(published_demo, tmp_path_factory):
    """A copy of the demo workspace with its last publication undone, and what undo left."""
    home = tmp_path_factory.mktemp("krasch") / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("bygge", "*.lock"))
    ws = Workspace(home)
    demo = {
        "published": warehouse_fingerprints(ws.published_db),
        "previous": warehouse_fingerprints(build_db.previous_db(ws)),
    }
    with duckdb.connect(str(ws.published_db), read_only=True) as con:
        [(correction_sha,)] = con.execute(
            "select file_sha256 from raw.leveranser where source_file = ?", [CORRECTION]
        ).fetchall()
    code, out = _cli(home, "undo")
    assert code == 0, out
    with duckdb.connect(str(ws.published_db), read_only=True) as con:
        runs = [
            r[0] for r in con.execute("select typ from raw.korningar order by startad").fetchall()
        ]
    again = _cli(home, "undo")
    return {
        "ws": ws,
        "demo": demo,
        "output": out,
        "marts": warehouse_fingerprints(ws.published_db),
        "loaded": _loaded(ws.published_db),
        "runs": runs,
        "previous_left": build_db.previous_db(ws).exists(),
        "again": again,
        "correction_sha": correction_sha,
    }


@pytest.fixture(scope="module")
def crashed(undone):
    """The correction delivered again, its refresh killed at each stopping point, then rerun."""
    ws = undone["ws"]
    archived = next(ws.archive.glob(f"{undone['correction_sha']}.*"))
    shutil.copyfile(archived, ws.inbox / CORRECTION)
    published_sha = _sha(ws.published_db)
    kills = {}
    for point in teststopp.POINTS:
        code, out = _cli(ws.home, "refresh", env_extra={teststopp.STOP_ENV: point})
        kills[point] = {
            "code": code,
            "output": out,
            "unchanged": _sha(ws.published_db) == published_sha,
            "marts": warehouse_fingerprints(ws.published_db),  # and readable
            "in_inbox": (ws.inbox / CORRECTION).exists(),
            "locked": build_db.is_locked(ws),
        }
    code, out = _cli(ws.home, "refresh")
    return {
        "ws": ws,
        "kills": kills,
        "rerun": (code, out),
        "marts": warehouse_fingerprints(ws.published_db),
        "inbox": list(ws.inbox.iterdir()),
        "previous_is_the_untouched_file": _sha(build_db.previous_db(ws)) == published_sha,
        "temporaries": list(ws.warehouse_dir.glob(".*.tmp")),
    }


def test_undo_publishes_the_previous_version_with_its_register_of_files(undone):
    assert "Ångrade publiceringen" in undone["output"]
    assert not differing_marts(undone["marts"], undone["demo"]["previous"])
    assert CORRECTION not in undone["loaded"] and "utfall_2026.csv" in undone["loaded"]
    assert undone["runs"][-1] == "angring"  # recorded as a run
    assert not undone["previous_left"]  # one step back only
    code, out = undone["again"]
    assert code == 1 and "ingen tidigare publicerad version" in out and "Traceback" not in out


@pytest.mark.parametrize("point", teststopp.POINTS)
def test_a_killed_refresh_leaves_the_published_file_and_blocks_nothing(crashed, undone, point):
    kill = crashed["kills"][point]
    assert kill["code"] == -signal.SIGKILL, kill["output"]
    assert kill["unchanged"]  # byte for byte
    assert not differing_marts(kill["marts"], undone["demo"]["previous"])
    assert kill["in_inbox"]  # still to be read
    assert not kill["locked"]  # the dead run's lock is gone


def test_the_rerun_after_the_kills_publishes_the_uninterrupted_runs_marts(crashed, undone):
    code, out = crashed["rerun"]
    assert code == 0, out
    assert not differing_marts(crashed["marts"], undone["demo"]["published"])
    assert not crashed["inbox"] and not crashed["temporaries"]
    # The version the rerun replaced is kept for undo: the file every killed run left alone.
    assert crashed["previous_is_the_untouched_file"]


def test_the_same_file_delivered_again_changes_no_mart(crashed, undone):
    """Idempotency: a file already loaded (here under another name) is recognised by its
    SHA-256, not loaded twice, and the refresh publishes the same marts."""
    ws = crashed["ws"]
    before = _loaded(ws.published_db)
    archived = next(ws.archive.glob(f"{undone['correction_sha']}.*"))
    shutil.copyfile(archived, ws.inbox / "utfall_2026_09_rattelse_igen.csv")
    code, out = _cli(ws.home, "refresh")
    assert code == 0, out
    assert "0 fil(er) inlästa, 1 redan inlästa sedan tidigare" in out
    assert _loaded(ws.published_db) == before
    assert not differing_marts(warehouse_fingerprints(ws.published_db), crashed["marts"])
    assert not list(ws.inbox.iterdir())
