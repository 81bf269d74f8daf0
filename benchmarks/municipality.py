"""The benchmark municipality: ten years of a large municipality's ledger in the export format.

The demo generator (pipelines/lib/demo) writes every input kind for 2022–2026 with a ledger of
a few thousand rows a month; a municipality of Jönköping's size exports about 150 000 kodsträng
rows a month and keeps ten years. This module reuses the demo's files for everything but the
ledger (organisation, budget, periodisation, forecasts, goals, population, …) and writes the
ledger itself, vectorised (numpy for amounts, polars for the text), so 17 million rows take about
a minute instead of the demo writer's row-by-row ten:

- the organisation register is moved back to the first benchmark year (the demo's register
  starts in 2022), and the years before 2022 get a KF budget (the 2022 budget deflated 3 % a
  year) and their periodisation keys;
- each budget row (ansvar × verksamhet × konto) is split into kodsträngar (projekt × motpart)
  with fixed random weights; a month's amount is the annual budget × its key's share × (1 +
  noise), in öre, only in months the ansvar exists;
- the files are what the ledger system exports: Windows-1252, `;`, CRLF, decimal comma with
  non-breaking-space thousands separators, period YYYYMM, a `Kontobenämning` column (the demo's
  Windows-1252 format, pipelines/lib/demo/generate.py).

A period's rows depend only on (seed, period), so a month is the same in every workspace built
from it (the 1-, 5- and 10-year histories of the benchmark share their months).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.lib.demo import generate_demo
from pipelines.lib.demo.accounts import KONTON, TRADE
from pipelines.lib.demo.periodisering import period_keys, periodisering_rows
from pipelines.lib.demo.writers import TextFormat, write_delimited

NBSP = "\u00a0"
HEADER = (
    "Period",
    "ANSVAR",
    "Verksamhet",
    "Konto",
    "Kontobenämning",
    "Projekt",
    "Motpart",
    "Belopp",
)
DEMO_FIRST_YEAR = 2022  # the demo's register and budget start
INTERNAL_KONTON = frozenset(buyer for buyer, _, _ in TRADE.values()) | frozenset(
    seller for _, seller, _ in TRADE.values()
)
TEXT = TextFormat()
DEFLATOR = 0.97  # budget of year y = budget 2022 × 0.97^(2022 − y)


@dataclass(frozen=True)
class Design:
    """The ledger's kodsträngar: one row per (budget row, split), with its weight."""

    frame: pl.DataFrame  # ansvar, verksamhet, konto, kontonamn, projekt, motpart, fran, till
    budget_row: np.ndarray  # index into the year's budget amounts, per kodsträng
    weight: np.ndarray  # the kodsträng's share of its budget row
    annual: dict[int, np.ndarray]  # year -> annual budget per budget row (kronor)
    keys: dict[int, np.ndarray]  # year -> [budget rows, 12] periodisation shares


def prepare(inbox: Path, first_year: int, rows_per_month: int, scale: float, seed: int) -> Design:
    """Write the demo's non-ledger files into `inbox` (history moved back to `first_year`) and
    return the ledger's design."""
    summary = generate_demo(inbox, scale=scale, seed=seed, last_period="2026-10")
    for path in inbox.glob("utfall_*"):
        path.unlink()
    org_path = next(inbox.glob("organisation_*.csv"))
    _move_register_start(org_path, first_year)
    org = pl.read_csv(org_path, separator=";", infer_schema=False)
    budget_path = next(inbox.glob("budget_*-*.csv"))
    budget = pl.read_csv(budget_path, separator=";", infer_schema=False)
    kf_2022 = budget.filter((pl.col("År") == str(DEMO_FIRST_YEAR)) & (pl.col("Version") == "KF"))
    _write_early_budget(inbox, kf_2022, first_year)
    del summary

    # The budget in force per year (the current year's internbudget where there is one), on one
    # list of rows: the union of every year's (ansvar, verksamhet, konto).
    keyed = budget.with_columns(
        pl.col("År").cast(pl.Int32).alias("ar"),
        pl.col("Belopp").str.replace(",00", "", literal=True).cast(pl.Int64).alias("belopp"),
    )
    rows = keyed.select("Ansvar", "Verksamhet", "Konto").unique().sort(pl.all())
    rows = rows.with_row_index("rad")
    annual: dict[int, np.ndarray] = {}
    keys: dict[int, np.ndarray] = {}
    for year in range(first_year, 2027):
        source_year = max(year, DEMO_FIRST_YEAR)
        this = keyed.filter(pl.col("ar") == source_year)
        version = "internbudget" if (this["Version"] == "internbudget").any() else "KF"
        this = this.filter(pl.col("Version") == version)
        factor = DEFLATOR ** max(DEMO_FIRST_YEAR - year, 0)
        joined = rows.join(this, on=["Ansvar", "Verksamhet", "Konto"], how="left")
        amounts = joined["belopp"].fill_null(0).to_numpy().astype(float) * factor
        annual[year] = amounts
        shares = period_keys(year)
        personal = np.array(shares["PERSONAL"])
        even = np.full(12, 1 / 12)
        klass5 = joined["Konto"].str.starts_with("5").to_numpy()
        keys[year] = np.where(klass5[:, None], personal[None, :], even[None, :])

    rng = np.random.default_rng([seed, 0])
    per_row = max(1, math.ceil(rows_per_month / rows.height))
    budget_row = np.repeat(np.arange(rows.height), per_row)
    weight = rng.gamma(2.0, 1.0, size=budget_row.size)
    weight /= np.bincount(budget_row, weights=weight)[budget_row]
    split = np.tile(np.arange(per_row), rows.height)
    validity = org.group_by("ansvar").agg(
        pl.col("giltig_from").min().str.to_date().alias("fran"),
        pl.when(pl.col("giltig_tom").is_null().any())
        .then(pl.lit(None, pl.Date))
        .otherwise(pl.col("giltig_tom").max().str.to_date())
        .alias("till"),
    )
    design = (
        rows.select(
            pl.col("Ansvar").alias("ansvar"),
            pl.col("Verksamhet").alias("verksamhet"),
            pl.col("Konto").alias("konto"),
        )[budget_row]
        .with_columns(
            pl.col("konto").replace_strict(KONTON, default="").alias("kontonamn"),
            pl.Series("split", split),
        )
        .with_columns(
            pl.when(pl.col("split") == 0)
            .then(pl.lit(""))
            .otherwise(pl.format("P{}", pl.col("split").cast(pl.String).str.zfill(4)))
            .alias("projekt"),
            pl.when(pl.col("konto").is_in(list(INTERNAL_KONTON)))
            .then(pl.lit("INT"))
            .otherwise(pl.lit("EXT"))
            .alias("motpart"),
        )
        .join(validity, on="ansvar", how="left", maintain_order="left")
        .drop("split")
    )
    return Design(design, budget_row, weight, annual, keys)


def _move_register_start(path: Path, first_year: int) -> None:
    """The demo register starts on 2022-01-01; the benchmark's history starts earlier."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"{DEMO_FIRST_YEAR}-01-01", f"{first_year}-01-01"), "utf-8")


def _write_early_budget(inbox: Path, kf: pl.DataFrame, first_year: int) -> None:
    if first_year >= DEMO_FIRST_YEAR:
        return
    out: list[list[str]] = []
    base = kf["Belopp"].str.replace(",00", "", literal=True).cast(pl.Int64).to_numpy()
    for year in range(first_year, DEMO_FIRST_YEAR):
        amounts = np.rint(base * DEFLATOR ** (DEMO_FIRST_YEAR - year) / 1000).astype(np.int64)
        known = set(period_keys(year))
        for row, amount in zip(kf.iter_rows(named=True), amounts * 1000, strict=True):
            if amount == 0:
                continue
            key = row["Nyckel"] if row["Nyckel"] in known else ""
            out.append(
                [str(year), row["Ansvar"], row["Verksamhet"], row["Konto"], f"{amount},00", "KF"]
                + [key]
            )
        write_delimited(
            inbox / f"periodisering_{year}.csv",
            ("ar", "nyckel", "manad", "andel"),
            periodisering_rows(year),
            TEXT,
        )
    header = ("År", "Ansvar", "Verksamhet", "Konto", "Belopp", "Version", "Nyckel")
    write_delimited(inbox / f"budget_{first_year}-{DEMO_FIRST_YEAR - 1}.csv", header, out, TEXT)


def month_frame(design: Design, year: int, month: int, seed: int) -> pl.DataFrame:
    """One period's ledger rows (text columns as exported), deterministic per (seed, period)."""
    rng = np.random.default_rng([seed, year, month])
    budget = design.annual[year][design.budget_row] * design.weight
    share = design.keys[year][design.budget_row, month - 1]
    noise = rng.normal(0.0, 0.03, size=budget.size)
    ore = np.rint(budget * share * (1.0 + noise) * 100).astype(np.int64)
    first_day = np.datetime64(f"{year}-{month:02d}-01")
    frame = design.frame.with_columns(pl.Series("ore", ore)).filter(
        (pl.col("ore") != 0)
        & (pl.col("fran") <= first_day)
        & (pl.col("till").is_null() | (pl.col("till") >= first_day))
    )
    return frame.select(
        pl.lit(f"{year}{month:02d}").alias("Period"),
        pl.col("ansvar").alias("ANSVAR"),
        pl.col("verksamhet").alias("Verksamhet"),
        pl.col("konto").alias("Konto"),
        pl.col("kontonamn").alias("Kontobenämning"),
        pl.col("projekt").alias("Projekt"),
        pl.col("motpart").alias("Motpart"),
        _amount_text(pl.col("ore")).alias("Belopp"),
    )


def _amount_text(ore: pl.Expr) -> pl.Expr:
    """Öre as the export writes it: -123456750 → '-1 234 567,50' (NBSP thousands)."""
    kronor = ore.abs() // 100
    groups = [((kronor // 10 ** (3 * i)) % 1000) for i in range(4)]  # up to 999 billion
    text = pl.when(kronor >= 10**9).then(
        pl.format(
            "{}{}{}{}{}{}{}",
            groups[3].cast(pl.String),
            pl.lit(NBSP),
            groups[2].cast(pl.String).str.zfill(3),
            pl.lit(NBSP),
            groups[1].cast(pl.String).str.zfill(3),
            pl.lit(NBSP),
            groups[0].cast(pl.String).str.zfill(3),
        )
    )
    text = text.when(kronor >= 10**6).then(
        pl.format(
            "{}{}{}{}{}",
            groups[2].cast(pl.String),
            pl.lit(NBSP),
            groups[1].cast(pl.String).str.zfill(3),
            pl.lit(NBSP),
            groups[0].cast(pl.String).str.zfill(3),
        )
    )
    text = text.when(kronor >= 1000).then(
        pl.format(
            "{}{}{}",
            groups[1].cast(pl.String),
            pl.lit(NBSP),
            groups[0].cast(pl.String).str.zfill(3),
        )
    )
    text = text.otherwise(kronor.cast(pl.String))
    sign = pl.when(ore < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.format("{}{},{}", sign, text, (ore.abs() % 100).cast(pl.String).str.zfill(2))


def write_ledger(path: Path, design: Design, periods: list[tuple[int, int]], seed: int) -> int:
    """Write the periods' rows as one export file; returns the number of rows."""
    rows = 0
    with open(path, "wb") as handle:
        for index, (year, month) in enumerate(periods):
            frame = month_frame(design, year, month, seed)
            text = frame.write_csv(
                separator=";",
                line_terminator="\r\n",
                quote_style="never",
                include_header=index == 0,
            )
            handle.write(text.encode("cp1252"))
            rows += frame.height
    return rows
