"""Shared fixtures. Tests never touch ./data: each gets its own workspace under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    from pipelines.lib.workspace import Workspace

    monkeypatch.setenv("STYRHJUL_HOME", str(tmp_path / "ws"))
    return Workspace.resolve(tmp_path / "ws").ensure()


# The small demo (as `styrhjul demo --scale 0.1` builds it), refreshed once per test session
# and shared by the modules that only read it; a test that changes a workspace copies it first.
DEMO_SCALE = 0.1


def _build_demo(home: Path) -> dict:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "demo", "--scale", str(DEMO_SCALE)]
        + ["--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {"home": str(home), "stdout": result.stdout}


@pytest.fixture(scope="session")
def published_demo(tmp_path_factory) -> dict:
    """{"home": the workspace, "stdout": what `styrhjul demo` printed}.

    Under pytest-xdist every worker has its own session, so the first worker builds the demo in
    the run's shared temporary folder and the others wait for it and read it (pytest-xdist's
    documented pattern; readers open the warehouse read-only, so sharing it is safe).
    """
    import fcntl
    import json
    import os

    if "PYTEST_XDIST_WORKER" not in os.environ:
        built = _build_demo(tmp_path_factory.mktemp("published_demo") / "ws")
    else:
        shared = tmp_path_factory.getbasetemp().parent / "published_demo"
        shared.mkdir(exist_ok=True)
        with open(shared / "bygger.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done = shared / "klar.json"
            if done.exists():
                built = json.loads(done.read_text(encoding="utf-8"))
            else:
                built = _build_demo(shared / "ws")
                done.write_text(json.dumps(built), encoding="utf-8")
    return {"home": Path(built["home"]), "stdout": built["stdout"]}
