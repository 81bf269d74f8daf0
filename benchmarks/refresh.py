"""`make bench`: a large municipality's refresh, timed and measured, against the floor.

Speed is measured here, never asserted in timed unit tests. At the default size (ten years of
history at 150 000 ledger rows a month, about 18 million rows, in the ledger system's export
format: benchmarks/municipality.py) it measures, each refresh being the real CLI with its default
settings in a process of its own:

- the full load of ten years of history into an empty workspace;
- the monthly refresh (one new month) at 1, 5 and 10 years of history;
- a refresh with an empty inbox (the fixed cost);
- the peak memory (RSS) of the whole process tree of each refresh, dbt included, sampled from
  /proc; the warehouse's size; and the floor: benchmarks/floor.sql, one hand-written DuckDB query
  computing marts.budgetavvikelse's nämnd-level figures straight from the files.

It prints a table and writes data/bench/latest.json. Smaller runs for development:

    uv run python benchmarks/refresh.py --rows-per-month 5000 --years 10
    uv run python benchmarks/refresh.py --kommuner 20     # 20 demo workspaces, 1 and 2 at a time
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
import municipality  # noqa: E402  (the benchmark's own module, beside this script)

REPO = Path(__file__).resolve().parents[1]
LAST_HISTORY = (2026, 9)  # the history ends here; the monthly refresh delivers 2026-10
NEW_MONTH = (2026, 10)
HISTORIES = (1, 5, 10)  # years of history the monthly refresh is measured at


# ---- the process tree's memory ----------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(root: int) -> float:
    """The resident memory of a process and all its descendants (MB)."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo.extend(tree.get(pid, []))
    return total / 1024


class PeakSampler:
    """Samples the tree's RSS every 0.1 s while a process runs; `peak` is the largest sum."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self._stop.wait(0.1)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


@dataclass
class Measured:
    seconds: float
    peak_mb: float


def styrhjul(home: Path, *args: str) -> Measured:
    """One CLI command in a process of its own: wall time and the tree's peak RSS."""
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    sampler = PeakSampler(process.pid)
    out, err = process.communicate()
    peak = sampler.stop()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"styrhjul {' '.join(args)} misslyckades i {home}:\n{out}\n{err}")
    return Measured(seconds, peak)


# ---- the municipality's files -----------------------------------------------------------------


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _history_start(years: int) -> tuple[int, int]:
    # N years of history: the N closed years before the current one, plus its months so far
    # (the backtest and the projection need at least one whole year).
    return (LAST_HISTORY[0] - years, 1)


def ledger_files(history: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """The ledger files of a workspace with `history` years: (name, periods), one file per
    year (the current year to September), as a ledger system exports."""
    months = _months(_history_start(history), LAST_HISTORY)
    by_year: dict[int, list[tuple[int, int]]] = {}
    for period in months:
        by_year.setdefault(period[0], []).append(period)
    files = []
    for year, periods in by_year.items():
        name = (
            f"utfall_{year}.csv"
            if len(periods) == 12
            else f"utfall_{year}_{periods[0][1]:02d}-{periods[-1][1]:02d}.csv"
        )
        files.append((name, periods))
    return files


def write_files(folder: Path, args: argparse.Namespace) -> tuple[Path, Path, int]:
    """(the non-ledger inbox, the ledger files' folder, rows written) for every history."""
    common, ledger = folder / "gemensamt", folder / "huvudbok"
    ledger.mkdir(parents=True)
    first_year = _history_start(max(HISTORIES))[0]
    design = municipality.prepare(common, first_year, args.rows_per_month, args.scale, args.seed)
    rows = 0
    wanted = {name: periods for h in HISTORIES for name, periods in ledger_files(h)}
    wanted[f"utfall_{NEW_MONTH[0]}-{NEW_MONTH[1]:02d}.csv"] = [NEW_MONTH]
    for name, periods in sorted(wanted.items()):
        rows += municipality.write_ledger(ledger / name, design, periods, args.seed)
    return common, ledger, rows


def fill_inbox(inbox: Path, common: Path, ledger: Path, names: list[str]) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for path in common.iterdir():
        os.link(path, inbox / path.name)
    for name in names:
        os.link(ledger / name, inbox / name)


# ---- the floor --------------------------------------------------------------------------------


def floor(common: Path, ledger: Path, names: list[str]) -> tuple[float, int]:
    """(seconds, result rows) of benchmarks/floor.sql over the 10-year workspace's files."""

    def paths(files) -> str:
        return "[" + ", ".join(f"'{p}'" for p in sorted(files)) + "]"

    sql = (
        (Path(__file__).parent / "floor.sql")
        .read_text(encoding="utf-8")
        .format(
            utfall=paths(ledger / n for n in names),
            budget=paths(common.glob("budget_*.csv")),
            organisation=paths(common.glob("organisation_*.csv")),
            periodisering=paths(common.glob("periodisering_*.csv")),
        )
    )
    started = time.perf_counter()
    with duckdb.connect() as con:
        result = con.sql(sql).fetchall()
    return time.perf_counter() - started, len(result)


# ---- the benchmark ----------------------------------------------------------------------------


def ledger_rows(home: Path) -> int:
    db = home / "warehouse" / "styrhjul.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select count(*) from raw.utfall u where load_id = "
            "(select max(load_id) from raw.utfall v where v.period = u.period)"
        ).fetchall()[0][0]


def municipality_bench(args: argparse.Namespace, tmp: Path) -> dict:
    started = time.perf_counter()
    common, ledger, written = write_files(tmp, args)
    generated = time.perf_counter() - started
    print(f"Genererade {written:,} huvudboksrader på {generated:.0f} s".replace(",", " "))
    new_month = f"utfall_{NEW_MONTH[0]}-{NEW_MONTH[1]:02d}.csv"
    results: dict = {"incremental_refresh_s": {}, "peaks_mb": {}}
    for history in sorted(HISTORIES, reverse=True):
        home = tmp / f"ws{history}"
        names = [name for name, _ in ledger_files(history)]
        fill_inbox(home / "inbox", common, ledger, names)
        load = styrhjul(home, "refresh")
        print(
            f"{history:>2} år historik: full laddning {load.seconds:.1f} s, {load.peak_mb:.0f} MB"
        )
        os.link(ledger / new_month, home / "inbox" / new_month)
        monthly = styrhjul(home, "refresh")
        print(
            f"{history:>2} år historik: ny månad {monthly.seconds:.1f} s, {monthly.peak_mb:.0f} MB"
        )
        results["incremental_refresh_s"][str(history)] = round(monthly.seconds, 1)
        results["peaks_mb"][f"full_{history}"] = round(load.peak_mb)
        results["peaks_mb"][f"manad_{history}"] = round(monthly.peak_mb)
        if history == max(HISTORIES):
            results["full_refresh_s"] = round(load.seconds, 1)
            empty = styrhjul(home, "refresh")
            print(f"tom inkorg {empty.seconds:.1f} s, {empty.peak_mb:.0f} MB")
            results["empty_refresh_s"] = round(empty.seconds, 1)
            results["peaks_mb"]["tom"] = round(empty.peak_mb)
            if args.full_rebuild:
                rebuild = styrhjul(home, "refresh", "--full")
                print(f"refresh --full {rebuild.seconds:.1f} s, {rebuild.peak_mb:.0f} MB")
                results["rebuild_full_s"] = round(rebuild.seconds, 1)
                results["peaks_mb"]["full_ombyggnad"] = round(rebuild.peak_mb)
            results["ledger_rows"] = ledger_rows(home)
            results["warehouse_mb"] = round(
                (home / "warehouse" / "styrhjul.duckdb").stat().st_size / 1e6, 1
            )
            floor_s, floor_rows = floor(common, ledger, [*names, new_month])
            results["floor_s"] = round(floor_s, 1)
            print(f"golvet (floor.sql) {floor_s:.1f} s, {floor_rows} rader")
        if not args.tmp:
            shutil.rmtree(home)
    results["peak_rss_mb"] = max(results["peaks_mb"].values())
    results["generation_s"] = round(generated, 1)
    return results


def kommuner_bench(count: int, scale: float, tmp: Path) -> dict:
    """`count` demo workspaces refreshed one after another, then two at a time."""
    source = tmp / "demo_inkorg"
    from pipelines.lib.demo import generate_demo

    summary = generate_demo(source, scale=scale)
    out: dict = {"antal": count, "skala": scale, "ledger_rows_per_kommun": summary.ledger_rows}
    for parallel in (1, 2):
        homes = []
        for i in range(count):
            home = tmp / f"kommun{parallel}_{i:02d}"
            shutil.copytree(source, home / "inbox")
            homes.append(home)
        peak = PeakSampler(os.getpid())
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            runs = list(pool.map(lambda h: styrhjul(h, "refresh"), homes))
        total = time.perf_counter() - started
        out[f"{parallel}_i_taget"] = {
            "total_s": round(total, 1),
            "per_kommun_s": round(sum(r.seconds for r in runs) / count, 1),
            "peak_rss_mb": round(peak.stop()),
        }
        print(
            f"{count} kommuner, {parallel} i taget: {total:.0f} s totalt, "
            f"{out[f'{parallel}_i_taget']['peak_rss_mb']} MB som mest"
        )
        for home in homes:
            shutil.rmtree(home)
    return out


def print_table(results: dict) -> None:
    inc = results["incremental_refresh_s"]
    rows = [
        ("huvudboksrader", f"{results['ledger_rows']:,}".replace(",", " ")),
        ("full laddning, 10 år", f"{results['full_refresh_s']} s"),
        *((f"ny månad, {h} år historik", f"{inc[str(h)]} s") for h in HISTORIES),
        ("tom inkorg", f"{results['empty_refresh_s']} s"),
        ("toppminne (processträdet)", f"{results['peak_rss_mb']} MB"),
        ("lagret", f"{results['warehouse_mb']} MB"),
        ("golvet (floor.sql)", f"{results['floor_s']} s"),
    ]
    if "rebuild_full_s" in results:
        rows.insert(5, ("refresh --full, 10 år", f"{results['rebuild_full_s']} s"))
    width = max(len(k) for k, _ in rows)
    print()
    for key, value in rows:
        print(f"{key:<{width}}  {value:>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-per-month", type=int, default=150_000)
    parser.add_argument("--scale", type=float, default=5.0, help="the demo's scale (ansvar)")
    parser.add_argument("--seed", type=int, default=680)
    parser.add_argument("--full-rebuild", action="store_true", help="also time refresh --full")
    parser.add_argument(
        "--tmp", type=Path, help="working folder, kept afterwards (default: a temporary one)"
    )
    parser.add_argument("--output", type=Path, default=REPO / "data" / "bench" / "latest.json")
    parser.add_argument(
        "--kommuner", type=int, default=0, help="also N demo workspaces, 1 and 2 at a time"
    )
    parser.add_argument("--kommun-skala", type=float, default=0.1)
    parser.add_argument("--bara-kommuner", action="store_true", help="only the N workspaces")
    args = parser.parse_args()

    if args.tmp:
        args.tmp.mkdir(parents=True)
    with contextlib.nullcontext(args.tmp) if args.tmp else tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results: dict = {}
        if not args.bara_kommuner:
            results = municipality_bench(args, tmp)
            results["rows_per_month"] = args.rows_per_month
        if args.kommuner:
            results["kommuner"] = kommuner_bench(args.kommuner, args.kommun_skala, tmp)
    results["load_average"] = os.getloadavg()
    if not args.bara_kommuner:
        print_table(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    if args.bara_kommuner:
        results = {**existing, "kommuner": results["kommuner"]}
    args.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(f"Skrev {args.output}")


if __name__ == "__main__":
    main()
