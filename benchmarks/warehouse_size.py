"""The warehouse file's size over repeated refreshes, with and without compaction (issue 9).

Copies a published demo workspace twice and runs N refreshes in each (`refresh --full`: every
table rebuilt, the most churn a refresh can cause), one with compaction disabled. Prints the
published file's size and its share of free blocks after each refresh:

    uv run python benchmarks/warehouse_size.py --demo data-demo --runs 12
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import duckdb


def _measure(path: Path) -> tuple[float, float]:
    from pipelines.lib.warehouse.build_db import free_share

    con = duckdb.connect(str(path), read_only=True)
    try:
        return path.stat().st_size / 1e6, free_share(con)
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=Path, required=True, help="a published demo workspace")
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()

    from pipelines.cli import main as cli
    from pipelines.lib.warehouse import build_db

    rows = {}
    with tempfile.TemporaryDirectory() as scratch:
        for label, share in (("utan komprimering", 2.0), ("med komprimering", None)):
            home = Path(scratch) / label.replace(" ", "_")
            shutil.copytree(args.demo, home, ignore=shutil.ignore_patterns("bygge", "*.lock"))
            default = build_db.COMPACT_FREE_SHARE
            build_db.COMPACT_FREE_SHARE = share if share is not None else default
            try:
                sizes = [_measure(home / "warehouse" / "styrhjul.duckdb")]
                for _ in range(args.runs):
                    assert cli(["refresh", "--full", "--home", str(home)]) == 0
                    sizes.append(_measure(home / "warehouse" / "styrhjul.duckdb"))
            finally:
                build_db.COMPACT_FREE_SHARE = default
            rows[label] = sizes
    print("| refreshes | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for i in range(args.runs + 1):
        cells = [f"{rows[k][i][0]:.1f} MB ({rows[k][i][1]:.0%} free)" for k in rows]
        print(f"| {i} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
