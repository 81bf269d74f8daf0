"""Test-only stopping points of a refresh, for the crash and concurrency tests (tests/run/).

Unset in normal use: each point is then one environment lookup. STYRHJUL_TEST_STOPP=<point>
makes the process kill itself with SIGKILL there (no cleanup runs, as at a power cut);
STYRHJUL_TEST_PAUS=<point> makes it write `<home>/.testpaus` and wait while that file exists, so a
test can act while the refresh stands at that point.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

STOP_ENV = "STYRHJUL_TEST_STOPP"
PAUSE_ENV = "STYRHJUL_TEST_PAUS"
PAUSE_FILE = ".testpaus"

INTAKE = "inlasning"  # the inbox's files loaded into the build copy, nothing archived yet
DBT = "dbt"  # dbt has started building the build copy
PUBLISH = "publicering"  # the build copy checkpointed, the published file not yet replaced
POINTS = (INTAKE, DBT, PUBLISH)


def point(name: str, home: Path) -> None:
    if name not in POINTS:
        raise ValueError(f"unknown stopping point {name!r}")
    if os.environ.get(STOP_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    if os.environ.get(PAUSE_ENV) == name:
        marker = Path(home) / PAUSE_FILE
        marker.write_text(str(os.getpid()), encoding="utf-8")
        while marker.exists():
            time.sleep(0.1)
