"""Benchmark: demo refresh time, peak memory and how cost grows with history.

Prints figures, asserts nothing (speed is measured here, never in timed unit tests):

    uv run python benchmarks/refresh.py [--scales 0.1 1 3]

For each scale: the demo files are generated, a first full refresh loads all history
(2022-01 … 2026-10), then a second refresh re-delivers one month (the monthly case), and a third
runs with an empty inbox (the fixed cost of a refresh).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines.lib.demo import generate_demo


def run(home: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the refresh process and its dbt subprocess)."""
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"refresh failed:\n{result.stdout}\n{result.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest single child so far (kB on Linux).
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    args = parser.parse_args()
    print(f"{'skala':>6} {'rader':>9} {'full s':>7} {'månad s':>8} {'tom s':>6} "
          f"{'topp MB':>8} {'lager MB':>9}")  # fmt: skip
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "ws"
            summary = generate_demo(home / "inbox", scale=scale)
            rattelse = summary.later["utfall_2026_09_rattelse.csv"]
            full, peak = run(home, "refresh")
            (home / "inbox" / "utfall_2026-09_ny_rattelse.csv").write_bytes(
                rattelse.replace(b";EXT;", b";EXT;1", 1) if b";EXT;" in rattelse else rattelse
            )
            monthly, peak2 = run(home, "refresh")
            empty, peak3 = run(home, "refresh")
            size = (home / "warehouse" / "styrhjul.duckdb").stat().st_size / 1e6
            print(
                f"{scale:>6} {summary.ledger_rows:>9} {full:>7.1f} {monthly:>8.1f} {empty:>6.1f} "
                f"{max(peak, peak2, peak3):>8.0f} {size:>9.1f}"
            )


if __name__ == "__main__":
    main()
