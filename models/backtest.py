"""Shared helpers for rolling-origin backtests of the forecasts in `models/`.

A rolling-origin backtest fits a method on the history up to an origin, forecasts forward and
compares with what really happened; then moves the origin one step and repeats. Methods are
chosen on this out-of-sample error, never on in-sample fit (docs/architecture.md).

Error convention (one place for it): ``fel = prognos - faktiskt``, so a positive error on a net
cost means the forecast was too high (too pessimistic). ``abs_fel_procent`` is
``|fel| / |faktiskt| * 100`` and null when ``faktiskt`` is 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl


def rolling_origins(
    years: Sequence[int], min_training: int, max_horizon: int
) -> list[tuple[int, int, int]]:
    """Every (origin, horizon, target year) of a rolling-origin backtest over consecutive
    `years` (the warehouse's origo, horisont, malar).

    The origin is the last year the method may see; it needs at least `min_training` years of
    history (origin included), and the target year ``origin + horizon`` must be in `years`.
    """
    ordered = sorted(set(years))
    if ordered and ordered != list(range(ordered[0], ordered[-1] + 1)):
        raise ValueError(f"Åren måste vara en obruten följd, fick {ordered}.")
    if min_training < 1 or max_horizon < 1:
        raise ValueError("Minsta träningsperiod och längsta horisont måste vara minst 1 år.")
    cases = []
    for i, origin in enumerate(ordered):
        if i + 1 < min_training:
            continue
        for h in range(1, max_horizon + 1):
            if origin + h <= ordered[-1]:
                cases.append((origin, h, origin + h))
    return cases


def naive_drift(y: Sequence[float], h: int) -> float:
    """Random walk with drift, h steps ahead: ``y[-1] + h * (y[-1] - y[0]) / (n - 1)``.

    With one observation there is no drift to estimate and the forecast is ``y[-1]``.
    """
    v = np.asarray(y, dtype=float)
    if v.size == 0:
        raise ValueError("Den naiva prognosen (naiv_drift) behöver minst en observation.")
    drift = (v[-1] - v[0]) / (v.size - 1) if v.size > 1 else 0.0
    return float(v[-1] + h * drift)


def with_errors(
    df: pl.DataFrame, forecast: str = "prognos", actual: str = "faktiskt"
) -> pl.DataFrame:
    """Add ``fel``, ``abs_fel`` and ``abs_fel_procent`` (see the module docstring)."""
    error = pl.col(forecast) - pl.col(actual)
    return df.with_columns(
        error.alias("fel"),
        error.abs().alias("abs_fel"),
        pl.when(pl.col(actual) != 0)
        .then(error.abs() / pl.col(actual).abs() * 100.0)
        .otherwise(None)
        .alias("abs_fel_procent"),
    )


def summarise(df: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """Summarise a backtest per group `by`: n, mae (mean abs_fel), mape (mean abs_fel_procent).

    If the frame has an ``inom_intervall`` column, ``tackning`` is the share of forecasts whose
    prediction interval contained the outcome (nulls, i.e. methods without interval, ignored).
    """
    agg = [
        pl.len().alias("n"),
        pl.col("abs_fel").mean().alias("mae"),
        pl.col("abs_fel_procent").mean().alias("mape"),
    ]
    if "inom_intervall" in df.columns:
        agg.append(pl.col("inom_intervall").cast(pl.Float64).mean().alias("tackning"))
    return df.group_by(list(by)).agg(agg).sort(list(by))


def wilson(successes: float, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of a proportion successes / n.

    With about 26 cases a month a coverage of 87 % and one of 95 % cannot be told apart; the
    interval says so, where the bare proportion would not. n = 0 gives (0, 1).
    """
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre - half), float(centre + half)


def brier_skill(p: Sequence[float], outcome: Sequence[bool], base: Sequence[float]) -> float | None:
    """1 − Brier(p) / Brier(base): positive when the probabilities beat the base rate `base` (the
    share of underskott in the calibration years); None without cases or when the reference
    is perfect (nothing to beat)."""
    pv, ov, bv = (np.asarray(x, dtype=float) for x in (p, outcome, base))
    if pv.size == 0:
        return None
    reference = float(np.mean((bv - ov) ** 2))
    if reference == 0:
        return None
    return float(1 - np.mean((pv - ov) ** 2) / reference)
