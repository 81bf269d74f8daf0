"""End to end: the real CLI on the generated demo workspace, checked against an independent
computation over the same input files (plain polars and Decimal, none of the product's readers).

The demo refresh runs once per module (about a minute on 2 cores); tests that change the
workspace work on their own copy of it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.lib.demo import generate_demo

pytestmark = pytest.mark.e2e
SCALE = 0.1


def styrhjul(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def query(home: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse" / "styrhjul.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- the independent computation -------------------------------------------------------------


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_any(path: Path) -> pl.DataFrame:
    """All columns as text, lower-case ASCII headers."""
    if path.suffix == ".xlsx":
        frame = pl.read_excel(path)
        frame = frame.with_columns(pl.all().cast(pl.String))
    else:
        text = _text(path).replace("\r\n", "\n")
        header = text.split("\n", 1)[0]
        sep = max(";\t,", key=header.count)
        frame = pl.read_csv(text.encode(), separator=sep, infer_schema=False)
    table = str.maketrans("åäöÅÄÖ", "aaoAAO")
    return frame.rename({c: c.strip().lower().translate(table) for c in frame.columns})


def kronor(value: str) -> Decimal:
    text = value.strip().replace("\xa0", "").replace("\u202f", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text).quantize(Decimal("0.01"))


def period_of(value: str) -> str:
    digits = value.replace("-", "").strip()
    return f"{digits[:4]}-{digits[4:6]}"


def independent_ledger(src: Path) -> dict[tuple[str, str], Decimal]:
    """Net cost (classes 3–7) per (nämnd, period) and per ('KOMMUN', period) without INT rows.

    Files in name order; a later delivery of a period replaces it.
    """
    org = read_any(next(src.glob("organisation_*")))
    org_rows = [
        (
            r["ansvar"],
            r["namnd"],
            date.fromisoformat(r["giltig_from"]),
            date.fromisoformat(r["giltig_tom"]) if r["giltig_tom"] else date.max,
        )
        for r in org.iter_rows(named=True)
    ]
    ledger: dict[str, list[dict]] = {}
    for path in sorted(src.glob("utfall_*"), key=lambda p: p.name):
        frame = read_any(path)
        by_period: dict[str, list[dict]] = defaultdict(list)
        for row in frame.iter_rows(named=True):
            by_period[period_of(row["period"])].append(row)
        ledger.update(by_period)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for period, rows in ledger.items():
        first_day = date(int(period[:4]), int(period[5:]), 1)
        for row in rows:
            if row["konto"].strip()[0] not in "34567":
                continue
            amount = kronor(row["belopp"])
            [namnd] = [n for a, n, f, t in org_rows if a == row["ansvar"] and f <= first_day <= t]
            totals[(namnd, period)] += amount
            if (row.get("motpart") or "").strip() != "INT":
                totals[("KOMMUN", period)] += amount
    return totals


def independent_arsbudget(src: Path, ar: int) -> dict[str, Decimal]:
    """Net budget (classes 3–7) per nämnd for a year, in the highest version delivered."""
    rank = {"": 0, "KF": 1, "internbudget": 2, "reviderad": 3}
    frame = read_any(next(src.glob("budget_*"))).filter(pl.col("ar") == str(ar))
    best = max(rank[v or ""] for v in frame["version"].to_list())
    org = read_any(next(src.glob("organisation_*")))
    jan = date(ar, 1, 1)
    namnd_of = {
        r["ansvar"]: r["namnd"]
        for r in org.iter_rows(named=True)
        if date.fromisoformat(r["giltig_from"]) <= jan
        and (not r["giltig_tom"] or date.fromisoformat(r["giltig_tom"]) >= jan)
    }
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in frame.iter_rows(named=True):
        if rank[row["version"] or ""] == best and row["konto"][0] in "34567":
            totals[namnd_of[row["ansvar"]]] += kronor(row["belopp"])
    return totals


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo municipality refreshed once through `styrhjul demo`, plus its input files."""
    root = tmp_path_factory.mktemp("e2e")
    src = root / "indata"
    summary = generate_demo(src, scale=SCALE)  # the same files the demo command writes
    home = root / "ws"
    result = styrhjul(home, "demo", "--scale", str(SCALE))
    assert result.returncode == 0, result.stdout + result.stderr
    return {"home": home, "src": src, "summary": summary, "stdout": result.stdout}


@pytest.fixture
def copy_of(demo, tmp_path):
    """A private copy of the published demo workspace for tests that change it."""
    home = tmp_path / "ws"
    shutil.copytree(demo["home"], home, ignore=shutil.ignore_patterns("*.lock", "bygge"))
    return home


# ---- tests -----------------------------------------------------------------------------------


def test_demo_prints_the_warehouse_and_the_flagged_namnder(demo):
    out = demo["stdout"]
    assert "Publicerat lager:" in out and "Senaste period:   2026-10" in out
    flagged = query(
        demo["home"],
        "select namnd_namn from marts.atgardsplan where period = '2026-10' and flagga",
    )
    assert {name for (name,) in flagged}, "the demo has nämnder that need an åtgärdsplan"
    for (name,) in flagged:
        assert name in out
    codes = {
        c
        for (c,) in query(
            demo["home"], "select namnd from marts.atgardsplan where period = '2026-10' and flagga"
        )
    }
    assert set(demo["summary"].overspending_namnder) <= codes


def test_budgetavvikelse_matches_the_independent_computation(demo):
    expected = independent_ledger(demo["src"])
    rows = query(
        demo["home"],
        "select case when niva = 'kommun' then 'KOMMUN' else org end, period, utfall_manad "
        "from marts.budgetavvikelse where niva in ('kommun', 'namnd')",
    )
    actual = {(org, period): amount for org, period, amount in rows}
    nonzero = {k: v for k, v in expected.items() if v != 0}
    assert {k: actual.get(k) for k in nonzero} == nonzero
    # Every month of every nämnd, not just a sample: the mart has no other non-zero months.
    assert {k for k, v in actual.items() if v != 0} == set(nonzero)


def test_kommun_is_the_sum_of_the_namnder_and_of_the_ledger(demo):
    rows = query(
        demo["home"],
        """
        select period,
               sum(utfall_manad) filter (where niva = 'kommun'),
               sum(utfall_manad) filter (where niva = 'namnd')
        from marts.budgetavvikelse group by period
        """,
    )
    ledger = independent_ledger(demo["src"])
    for period, kommun, namnder in rows:
        assert kommun == namnder == ledger[("KOMMUN", period)], period


def test_arsbudget_and_year_to_date_deviation(demo):
    expected = independent_arsbudget(demo["src"], 2026)
    rows = query(
        demo["home"],
        "select org, arsbudget, budget_ack, utfall_ack, avvikelse_ack, helarsprognos, "
        "helarsavvikelse from marts.budgetavvikelse where niva = 'namnd' and period = '2026-10'",
    )
    ledger = independent_ledger(demo["src"])
    for org, arsbudget, budget_ack, utfall_ack, avvikelse_ack, prognos, helarsavvikelse in rows:
        assert arsbudget == expected[org], org
        assert utfall_ack == sum(
            ledger.get((org, f"2026-{m:02d}"), Decimal(0)) for m in range(1, 11)
        )
        assert avvikelse_ack == budget_ack - utfall_ack  # DOMAIN.md §4: budget − utfall
        assert helarsavvikelse == arsbudget - prognos


def test_forecast_marts_are_published(demo):
    methods = {
        m
        for (m,) in query(demo["home"], "select distinct metod from marts.helarsprognos_precision")
    }
    assert methods == {"statistisk", "naiv", "takt", "budgetbaserad"}
    [(namnder, within)] = query(
        demo["home"],
        "select count(*), count(*) filter (where helarsprognos_lag <= helarsprognos "
        "and helarsprognos <= helarsprognos_hog) from marts.helarsprognos_statistisk",
    )
    assert namnder >= 12 and within == namnder
    scenarios = query(
        demo["home"], "select scenario, count(*) from marts.langtidsprognos group by 1 order by 1"
    )
    assert scenarios == [("bas", 10), ("hog", 10), ("lag", 10)]


def test_every_figure_traces_to_its_file_and_row(demo):
    [(missing,)] = query(
        demo["home"],
        "select count(*) from raw.utfall where source_file is null or source_row is null "
        "or file_sha256 is null",
    )
    assert missing == 0
    archived = {p.stem for p in (demo["home"] / "archive").iterdir()}
    shas = {s for (s,) in query(demo["home"], "select distinct file_sha256 from raw.leveranser")}
    assert shas <= archived
    assert not list((demo["home"] / "inbox").iterdir())  # loaded files leave the inbox


def test_rerun_on_the_same_inputs_gives_identical_marts(demo, copy_of):
    sql = "select * from marts.budgetavvikelse order by niva, org, period"
    before = query(copy_of, sql)
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 0, result.stderr
    assert query(copy_of, sql) == before


def test_redelivered_month_changes_exactly_that_month(demo, copy_of):
    sql = (
        "select org, period, utfall_manad from marts.budgetavvikelse "
        "where niva = 'namnd' order by 1, 2"
    )
    before = {(o, p): v for o, p, v in query(copy_of, sql)}
    # Re-deliver 2026-08: the same rows as delivered, one amount raised by 1 000,00 kr.
    frame = read_any(demo["src"] / "utfall_2026.csv").filter(pl.col("period") == "2026-08")
    first = frame.row(0, named=True)
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(str(kronor(first["belopp"]) + 1000)))
        .otherwise(pl.col("belopp"))
        .alias("belopp")
    )
    frame.write_csv(copy_of / "inbox" / "utfall_2026-08_rattelse.csv", separator=";")
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 0, result.stderr
    after = {(o, p): v for o, p, v in query(copy_of, sql)}
    changed = {k for k in before if before[k] != after[k]}
    namnd = query(
        copy_of,
        "select namnd from marts.dim_organisation where ansvar = ? and galler_idag",
        [first["ansvar"]],
    )[0][0]
    assert changed == {(namnd, "2026-08")}
    assert after[(namnd, "2026-08")] - before[(namnd, "2026-08")] == Decimal("1000.00")


def test_a_bad_file_is_quarantined_and_nothing_is_published(demo, copy_of):
    published = copy_of / "warehouse" / "styrhjul.duckdb"
    digest = sha256(published)
    (copy_of / "inbox" / "utfall_2026-11.csv").write_text(
        "period;ansvar;verksamhet;konto;belopp\n202611;10010;100;5310;12,3,4\n", encoding="utf-8"
    )
    (copy_of / "inbox" / "prognos_2026-11.csv").write_text(
        "period;namnd;prognos\n2026-10;SOC;100\n", encoding="utf-8"
    )
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "utfall_2026-11.csv" in result.stderr and "Inget publicerades" in result.stderr
    fel = copy_of / "quarantine" / "utfall_2026-11.csv.fel.txt"
    assert "Rad 2, kolumn belopp, värde '12,3,4'" in fel.read_text(encoding="utf-8")
    assert (copy_of / "inbox" / "prognos_2026-11.csv").exists()  # the good file waits
    assert sha256(published) == digest


def test_a_reader_holding_the_warehouse_open_never_blocks_a_refresh(demo, copy_of):
    published = copy_of / "warehouse" / "styrhjul.duckdb"
    reader = duckdb.connect(str(published), read_only=True)
    try:
        before = reader.execute("select count(*) from marts.budgetavvikelse").fetchall()
        result = styrhjul(copy_of, "refresh")
        assert result.returncode == 0, result.stderr
        # The open connection still reads a complete warehouse.
        assert reader.execute("select count(*) from marts.budgetavvikelse").fetchall() == before
    finally:
        reader.close()


def test_status_lists_the_open_flags(demo):
    result = styrhjul(demo["home"], "status")
    assert result.returncode == 0
    assert "Öppna åtgärdsplansflaggor:" in result.stdout
    flagged = query(
        demo["home"],
        "select namnd_namn, status from marts.atgardsplan where period = '2026-10' and flagga",
    )
    for name, status in flagged:
        assert f"{name}" in result.stdout and status in result.stdout


def test_a_closed_period_keeps_what_was_reported(demo, copy_of):
    result = styrhjul(copy_of, "close", "--period", "2026-10")
    assert result.returncode == 0, result.stdout + result.stderr
    [(status, versions)] = query(
        copy_of, "select status, versioner from marts.perioder where period = '2026-10'"
    )
    assert (status, versions) == ("stängd", 1)
    reported = query(
        copy_of,
        "select org, utfall_ack from marts.budgetavvikelse_rapporterad "
        "where period = '2026-10' and niva = 'kommun' and version = 1",
    )
    # A later correction of the closed month becomes version 2; version 1 is unchanged.
    frame = read_any(demo["src"] / "utfall_2026.csv").filter(pl.col("period") == "2026-10")
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("1000000,00"))
        .otherwise(pl.col("belopp"))
        .alias("belopp")
    )
    frame.write_csv(copy_of / "inbox" / "utfall_2026-10_rattelse.csv", separator=";")
    assert styrhjul(copy_of, "refresh").returncode == 0
    [(versions, corrected)] = query(
        copy_of,
        "select versioner, rattad_efter_stangning from marts.perioder where period = '2026-10'",
    )
    assert (versions, corrected) == (2, True)
    assert (
        query(
            copy_of,
            "select org, utfall_ack from marts.budgetavvikelse_rapporterad "
            "where period = '2026-10' and niva = 'kommun' and version = 1",
        )
        == reported
    )
