"""`python -m pipelines.lib.demo INBOX [--scale S] [--seed N] [--last-period YYYY-MM]
[--later DIR]`: the held-back correction goes into DIR (default INBOX_senare)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from . import generate_demo


def main() -> None:
    parser = argparse.ArgumentParser(description="Skriv demokommunens indatafiler till en inkorg.")
    parser.add_argument("inbox", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=680)
    parser.add_argument("--last-period", default="2026-10")
    parser.add_argument("--later", type=Path, help="mapp för rättelsen (andra leveransen)")
    args = parser.parse_args()
    start = time.perf_counter()
    summary = generate_demo(args.inbox, args.scale, args.seed, args.last_period)
    later = args.later or args.inbox.with_name(args.inbox.name + "_senare")
    for path in summary.deliver_later(later):
        print(f"andra leveransen: {path}")
    for name, rows in summary.row_counts.items():
        print(f"{name:40s} {rows:>8d}")
    print(
        f"{len(summary.files)} filer, {summary.ansvar} ansvar, {summary.ledger_rows} "
        f"huvudboksrader, senaste period {summary.latest_period}, "
        f"{time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
