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


@pytest.fixture(scope="session")
def published_demo(tmp_path_factory) -> dict:
    """{"home": the workspace, "stdout": what `styrhjul demo` printed}."""
    import os
    import subprocess
    import sys

    home = tmp_path_factory.mktemp("published_demo") / "ws"
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
    return {"home": home, "stdout": result.stdout}
