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
DEMO_TIMEOUT_S = 1800


def _demo_folder(config: pytest.Config) -> Path:
    """Where the shared demo is built: under pytest-xdist the run's temporary root, which every
    worker shares (pytest-xdist's documented pattern for session data), else this session's."""
    import os

    basetemp = config._tmp_path_factory.getbasetemp()  # pytest's own tmp_path_factory
    root = basetemp.parent if "PYTEST_XDIST_WORKER" in os.environ else basetemp
    folder = root / "published_demo"
    folder.mkdir(exist_ok=True)
    return folder


def _start_demo_build(folder: Path) -> None:
    """Start building the demo in the background, once per run: the first process to create
    `startad` starts it, so the workers run the tests that need no demo meanwhile instead of
    one of them waiting for the build. The build writes `klar.json` or `fel.txt` when done."""
    import os
    import subprocess
    import sys

    try:
        os.close(os.open(folder / "startad", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "build_demo.py"), str(folder), str(DEMO_SCALE)]
        + [str(DEMO_TIMEOUT_S)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _needs_demo(item: pytest.Item) -> bool:
    return "published_demo" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files that need the shared demo run last (whole files, in their order), so that
    the workers are busy with the others while it builds."""
    waiting = {item.path for item in items if _needs_demo(item)}
    items.sort(key=lambda item: item.path in waiting)  # stable: the order within each part


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(_needs_demo(item) for item in session.items):
        _start_demo_build(_demo_folder(session.config))


@pytest.fixture(scope="session")
def published_demo(request) -> dict:
    """{"home": the workspace, "stdout": what `styrhjul demo` printed}, built once per run in
    the background (started when collection finds a test that needs it) and read by every
    worker; readers open the warehouse read-only, so sharing it is safe."""
    import json
    import time

    folder = _demo_folder(request.config)
    _start_demo_build(folder)  # a no-op when collection has started it
    deadline = time.monotonic() + DEMO_TIMEOUT_S + 60
    while time.monotonic() < deadline:
        if (folder / "klar.json").exists():
            built = json.loads((folder / "klar.json").read_text(encoding="utf-8"))
            return {"home": Path(built["home"]), "stdout": built["stdout"]}
        if (folder / "fel.txt").exists():
            pytest.fail("styrhjul demo failed:\n" + (folder / "fel.txt").read_text("utf-8"))
        time.sleep(0.5)
    pytest.fail(f"styrhjul demo did not finish within {DEMO_TIMEOUT_S} s")
