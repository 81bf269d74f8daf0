"""The helårsprognos backtest summarised per method and month (marts.helarsprognos_precision_
sammanfattning): MAE, MASE, interval coverage with its Wilson interval, Brier skill.

MASE here: per unit the scale is its seasonal naive forecast's mean absolute error over all its
backtest cases (s_u); MASE = mean(|fel| / s_u) over the method's cases at the month. Below 1
the method beats "the rest of the year as last year" on the same units.
"""

from __future__ import annotations

import polars as pl

from models.backtest import brier_skill, wilson

SUMMARY_SCHEMA = {
    "metod": pl.String,
    "manad": pl.Int64,
    "antal": pl.Int64,
    "mae": pl.Float64,
    "mae_procent": pl.Float64,
    "mase": pl.Float64,
    "tackning_80": pl.Float64,
    "tackning_80_lag": pl.Float64,
    "tackning_80_hog": pl.Float64,
    "tackning_95": pl.Float64,
    "tackning_95_lag": pl.Float64,
    "tackning_95_hog": pl.Float64,
    "brier": pl.Float64,
    "brier_referens": pl.Float64,
    "brier_skill": pl.Float64,
    "sannolikhet_visas": pl.Boolean,
}


def with_outcomes(rows: pl.DataFrame) -> pl.DataFrame:
    """Add ``inom_80``, ``inom_95`` and ``underskott`` (faktiskt > årsbudget) to calibrated
    backtest rows."""
    return rows.with_columns(
        pl.col("faktiskt")
        .is_between(pl.col("helarsprognos_lag80"), pl.col("helarsprognos_hog80"))
        .alias("inom_80"),
        pl.col("faktiskt")
        .is_between(pl.col("helarsprognos_lag95"), pl.col("helarsprognos_hog95"))
        .alias("inom_95"),
        (pl.col("faktiskt") > pl.col("arsbudget")).alias("underskott"),
    )


def summarise(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per metod × manad of `rows` (calibrated backtest rows, see `with_outcomes`)."""
    naive = (
        rows.filter(pl.col("metod") == "budgetbaserad")
        .filter(pl.col("sasongsnaiv").is_not_null())
        .group_by("enhet")
        .agg((pl.col("sasongsnaiv") - pl.col("faktiskt")).abs().mean().alias("s_u"))
        .filter(pl.col("s_u") > 0)
    )
    scaled = rows.join(naive, on="enhet", how="left").with_columns(
        ((pl.col("prognos") - pl.col("faktiskt")).abs() / pl.col("s_u")).alias("q"),
        (pl.col("prognos") - pl.col("faktiskt")).abs().alias("abs_fel"),
    )
    out = []
    for (metod, manad), g in scaled.group_by("metod", "manad", maintain_order=True):
        g = g.filter(pl.col("prognos").is_not_null())
        row = {"metod": metod, "manad": manad, "antal": g.height}
        row["mae"] = g["abs_fel"].mean()
        row["mae_procent"] = (
            (g["abs_fel"] / g["arsbudget"].abs()).mean() * 100 if g.height else None
        )
        row["mase"] = g["q"].drop_nulls().mean()
        for level in (80, 95):
            inside = g[f"inom_{level}"].drop_nulls()
            n = inside.len()
            row[f"tackning_{level}"] = float(inside.mean()) if n else None
            low, high = wilson(float(inside.sum()) if n else 0.0, n)
            row[f"tackning_{level}_lag"], row[f"tackning_{level}_hog"] = (
                (low, high) if n else (None, None)
            )
        p = g.filter(
            pl.col("sannolikhet_underskott").is_not_null() & pl.col("basfrekvens").is_not_null()
        )
        row["brier"] = (
            float(((p["sannolikhet_underskott"] - p["underskott"].cast(pl.Float64)) ** 2).mean())
            if p.height
            else None
        )
        row["brier_referens"] = (
            float(((p["basfrekvens"] - p["underskott"].cast(pl.Float64)) ** 2).mean())
            if p.height
            else None
        )
        row["brier_skill"] = brier_skill(
            p["sannolikhet_underskott"].to_list(),
            p["underskott"].to_list(),
            p["basfrekvens"].to_list(),
        )
        row["sannolikhet_visas"] = row["brier_skill"] is not None and row["brier_skill"] > 0
        out.append(row)
    return pl.DataFrame(out, schema=SUMMARY_SCHEMA).sort("metod", "manad")
