"""Two writers at once, and readers during a refresh, through the command line (issue 11).

A refresh of a copy of the demo workspace is held in the middle of its dbt step (the test-only
pause of pipelines/lib/run/teststopp.py). While it stands there: a second refresh waits for the
lock, then gives up with a Swedish message and publishes nothing; undo is refused; `status` and
`report` work; a reader that opened the published file before keeps seeing that version after
the first refresh has published, until it reconnects.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import duckdb
import pytest
import yaml

from pipelines.lib.run import teststopp
from pipelines.lib.workspace import Workspace

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the published file is replaced while open")

WAIT_S = 3


def _env(extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    env.update(extra or {})
    return env


def _command(home, *args):
    return [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)]


def _run(home, *args):
    result = subprocess.run(
        _command(home, *args), capture_output=True, text=True, env=_env(), timeout=600
    )
    return result.returncode, result.stdout + result.stderr


def _runs(con) -> int:
    return con.execute("select count(*) from raw.korningar").fetchall()[0][0]


@pytest.fixture(scope="module")
def during(published_demo, tmp_path_factory):
    home = tmp_path_factory.mktemp("samtidigt") / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("bygge", "*.lock"))
    ws = Workspace(home)
    conf = yaml.safe_load(ws.config_file.read_text(encoding="utf-8")) or {}
    conf.setdefault("automatik", {})["vanta_pa_uppdatering_sekunder"] = WAIT_S
    ws.config_file.write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    published_before = ws.published_db.read_bytes()
    reader = duckdb.connect(str(ws.published_db), read_only=True)
    runs_before = _runs(reader)

    first = subprocess.Popen(
        _command(home, "refresh", "--full"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env({teststopp.PAUSE_ENV: teststopp.DBT}),
    )
    pause = home / teststopp.PAUSE_FILE
    try:
        deadline = time.monotonic() + 600
        while not pause.exists():
            assert first.poll() is None and time.monotonic() < deadline, first.stdout.read()
            time.sleep(0.2)
        started = time.monotonic()
        second = _run(home, "refresh", "--full")
        second_took = time.monotonic() - started
        facts = {
            "second": second,
            "second_took": second_took,
            "published_untouched": ws.published_db.read_bytes() == published_before,
            "undo": _run(home, "undo"),
            "status": _run(home, "status"),
            "report": _run(home, "report", "--period", "2026-10"),
        }
    finally:
        pause.unlink(missing_ok=True)
    out, _ = first.communicate(timeout=900)
    facts["first"] = (first.returncode, out)
    facts["reader_after"] = _runs(reader)
    reader.close()
    with duckdb.connect(str(ws.published_db), read_only=True) as fresh:
        facts["fresh_reader"] = _runs(fresh)
    facts["runs_before"] = runs_before
    return facts


def test_a_second_refresh_waits_then_gives_up_in_swedish_and_publishes_nothing(during):
    code, out = during["second"]
    assert code == 1, out
    assert "En annan uppdatering av arbetsytan pågår; väntar" in out
    assert f"pågår (väntade {WAIT_S} s); inget ändrades" in out
    assert "Traceback" not in out and "Dagster" not in out
    assert during["second_took"] >= WAIT_S
    assert during["published_untouched"]


def test_undo_is_refused_while_a_refresh_runs(during):
    code, out = during["undo"]
    assert code == 1 and "ångra kan inte köras samtidigt" in out


def test_status_and_report_work_while_a_refresh_runs(during):
    code, out = during["status"]
    assert code == 0 and "Senaste period:   2026-10" in out, out
    code, out = during["report"]
    assert code == 0 and "manadsrapport.html" in out, out


def test_the_first_refresh_publishes_and_an_open_reader_keeps_the_old_version(during):
    code, out = during["first"]
    assert code == 0, out
    assert during["reader_after"] == during["runs_before"]  # its snapshot, until it reconnects
    assert during["fresh_reader"] == during["runs_before"] + 1
