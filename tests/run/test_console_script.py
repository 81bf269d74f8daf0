"""The installed console script works with nothing on PATH (the README's `.venv/bin/styrhjul`).

After `make demo` on a machine without uv on PATH, uv ran as `python3 -m uv`, so `uv run` is no
command there; the README therefore names the script beside the interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "styrhjul"


@pytest.fixture
def bare_env(tmp_path):
    if not SCRIPT.is_file():
        pytest.fail(f"The console script {SCRIPT} is missing; run `uv sync --frozen`.")
    return {"HOME": str(tmp_path), "PATH": ""}


def test_help_runs_with_an_empty_path(bare_env):
    done = subprocess.run(
        [str(SCRIPT), "--help"], env=bare_env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "refresh" in done.stdout and "status" in done.stdout


def test_status_runs_with_an_empty_path(bare_env, tmp_path):
    home = tmp_path / "ws"
    done = subprocess.run(
        [str(SCRIPT), "status", "--home", str(home)],
        env=bare_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Inkorgen:" in done.stdout and "0 fil(er) väntar" in done.stdout
