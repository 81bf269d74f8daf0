"""Calibrated intervals and P(underskott) for the helårsprognos, from backtest errors.

Each method's interval comes from its own out-of-sample errors (split conformal prediction on
normalised scores), never from a model's own variance: the issue's measurements showed ETS
intervals covering 50–62 % at nominal 95 %.

For a backtest row (unit u, closed year y, month m) the score is the relative error
``score = (faktiskt − prognos) / skala`` with ``skala`` = |årsbudget in force| (|prognos| where
the budget is 0). Scores are pooled across units, by month:

- ``sigma[m]``: the mean |score| over every unit's scores at month m (months either side pooled
  in only where a small municipality has fewer than `MONTH_SCORES` cases);
- the unit's own spread ``d_u = (Σ_y r_uy + K) / (n_u + K)``, with r_uy the unit's mean
  |score| / sigma over the months of year y and n_u its number of years: its own errors where it
  has history, shrunk to the pool (K = `SHRINK_YEARS`) where it has little;
- ``z = score / (sigma[m] · d_u)``, with d_u computed without the score's own year, and a new
  year's d_u from the unit's latest n − 1 years: both from as many years, so the calibration
  scores are exchangeable with a new year's.

The 1 − α interval is ``prognos + skala · sigma[m] · d_u · [q_lo, q_hi]`` with q the conformal
order statistics of z (the ⌊(n + 1)·α/2⌋-th and ⌈(n + 1)(1 − α/2)⌉-th smallest), never below
``golv`` (utfall ack, for a unit whose months were never negative). A method that has been
biased (in the demo every nämnd underspent every closed year) gets an interval shifted by its
bias, which can leave its own point forecast outside: the report says so rather than hide it.
P(underskott) = P(faktiskt > årsbudget) from the same scores: (#{z > t} + ½) / (n + 1) with
t = (årsbudget − prognos) / (skala · sigma · d_u).

``kombination`` is the backtest-weighted mean of statistisk and budgetbaserad: weights ∝ 1/MSE
of their scores at the month (months m−1..m+1), from the calibration years only.

`cross_calibrate` scores every closed year with the other closed years as calibration (leave
one year out), which is what `marts.helarsprognos_precision` reports; the report year is
calibrated on all closed years (`calibrate`).
"""

from __future__ import annotations

import numpy as np
import polars as pl

LEVELS = (0.80, 0.95)
SHRINK_YEARS = 2.0
MIN_SCORES = 10
"""Fewer calibration scores than this at a month: no interval (null) and a kommentar."""

MONTH_SCORES = 30
"""A month's calibration uses that month's scores alone when there are at least this many;
otherwise months either side are pooled in, one at a time (a small municipality). Errors differ
month by month (the July dip, a revision decided in June), so pooling is a last resort."""

BORROW = {"forvaltningens": "budgetbaserad"}
"""A method without backtest errors of its own (förvaltningens before any closed year with its
forecasts) is calibrated on this method's errors, and the kommentar says so."""

INTERVAL_COLUMNS = [
    f"helarsprognos_{side}{round(lvl * 100)}" for lvl in LEVELS for side in ("lag", "hog")
]


def with_scores(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``skala``, ``fel`` (prognos − faktiskt) and ``score`` to backtest rows."""
    skala = (
        pl.when(pl.col("arsbudget").abs() > 0)
        .then(pl.col("arsbudget").abs())
        .otherwise(pl.col("prognos").abs())
    )
    return df.with_columns(skala.alias("skala")).with_columns(
        (pl.col("prognos") - pl.col("faktiskt")).alias("fel"),
        pl.when(pl.col("skala") > 0)
        .then((pl.col("faktiskt") - pl.col("prognos")) / pl.col("skala"))
        .alias("score"),
    )


def _window(df: pl.DataFrame, manad: int) -> pl.DataFrame:
    for width in range(0, 4):
        rows = df.filter((pl.col("manad") - manad).abs() <= width)
        if rows.height >= MONTH_SCORES:
            return rows
    return rows


def combination_weights(training: pl.DataFrame) -> dict[int, float]:
    """Per month 1–11: the weight of statistisk in kombination (1 − it for budgetbaserad)."""
    wide = (
        training.filter(pl.col("metod").is_in(["statistisk", "budgetbaserad"]))
        .filter(pl.col("score").is_not_null())
        .pivot(on="metod", index=["enhet", "ar", "manad"], values="score")
    )
    weights = {}
    for manad in range(1, 12):
        rows = _window(wide, manad).drop_nulls()
        if rows.height < MIN_SCORES or "statistisk" not in rows.columns:
            weights[manad] = 0.0
            continue
        mse_s = float((rows["statistisk"] ** 2).mean())
        mse_b = float((rows["budgetbaserad"] ** 2).mean())
        if mse_s == 0 and mse_b == 0:
            weights[manad] = 0.5
        else:
            weights[manad] = float(mse_b / (mse_s + mse_b))
    return weights


def add_kombination(points: pl.DataFrame, weights: dict[int, float]) -> pl.DataFrame:
    """`points` with a ``kombination`` row per unit × month where both parts exist."""
    parts = points.filter(pl.col("metod").is_in(["statistisk", "budgetbaserad"]))
    key = [c for c in points.columns if c not in ("metod", "modell", "kommentar", "prognos")]
    wide = parts.pivot(on="metod", index=key, values="prognos")
    if "statistisk" not in wide.columns or "budgetbaserad" not in wide.columns:
        return points
    modell = points.filter(pl.col("metod") == "statistisk").select(
        *key[:3], pl.col("modell").alias("modell_statistisk")
    )
    wide = wide.join(modell, on=key[:3], how="left")
    w = pl.col("manad").replace_strict(weights, default=0.0, return_dtype=pl.Float64)
    komb = (
        wide.drop_nulls(["statistisk", "budgetbaserad"])
        .with_columns(
            pl.lit("kombination").alias("metod"),
            # Where statistisk fell back, the kombination is the budgetbaserad figure.
            pl.when(pl.col("modell_statistisk") == "budgetbaserad")
            .then(pl.lit("budgetbaserad"))
            .otherwise(pl.lit("kombination"))
            .alias("modell"),
            pl.format("vikt statistisk {}", (w * 100).round(0).cast(pl.Int64)).alias("kommentar"),
            (w * pl.col("statistisk") + (1 - w) * pl.col("budgetbaserad")).alias("prognos"),
        )
        .select(points.columns)
    )
    return pl.concat([points, komb], how="vertical_relaxed")


def _order_statistic(values: np.ndarray, prob: float, low: bool = False) -> float | None:
    """The conformal quantile of sorted `values`: the ⌈(n + 1)·prob⌉-th smallest, or for a low
    tail the ⌊(n + 1)·prob⌋-th; None when n is too small for it."""
    n = values.size
    k = int(np.floor((n + 1) * prob)) if low else int(np.ceil((n + 1) * prob))
    return None if k > n or k < 1 else float(values[k - 1])


def calibration_group(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``kalibrering``: the errors a row is calibrated on. A statistisk row that fell back to
    the budgetbaserad figure (and so a kombination of it) is calibrated (and calibrates) as
    budgetbaserad."""
    return df.with_columns(
        pl.when(pl.col("modell") == "budgetbaserad")
        .then(pl.lit("budgetbaserad"))
        .otherwise(pl.col("metod"))
        .alias("kalibrering")
    )


def _spreads(training: pl.DataFrame) -> tuple[dict[int, float], pl.DataFrame]:
    """sigma per month, and per unit × year the unit's spread without that year (``d_ut``) and
    with every year (``d_u``), for one method's scores."""
    scored = training.filter(pl.col("score").is_not_null())
    sigma = {}
    for manad in range(1, 13):
        window = _window(scored, manad)
        value = float(window["score"].abs().mean()) if window.height else 0.0
        sigma[manad] = value if value > 0 else np.nan
    ratio = scored.with_columns(
        (
            pl.col("score").abs()
            / pl.col("manad").replace_strict(sigma, default=None, return_dtype=pl.Float64)
        ).alias("r")
    )
    per_year = (
        ratio.group_by("enhet", "ar").agg(pl.col("r").mean()).drop_nans().drop_nulls().sort("ar")
    )
    unit = per_year.group_by("enhet").agg(
        pl.col("r").sum().alias("sum_r"),
        pl.col("r").first().alias("oldest_r"),
        pl.len().alias("n"),
    )
    # A calibration score's d comes from the unit's other n − 1 years; a new year's d from its
    # latest n − 1 years, so both are estimated from as many years (exchangeable scores: with
    # one year more behind the new year's d, its intervals would be too narrow).
    per_year = per_year.join(unit, on="enhet").with_columns(
        ((pl.col("sum_r") - pl.col("r") + SHRINK_YEARS) / (pl.col("n") - 1 + SHRINK_YEARS)).alias(
            "d_ut"
        ),
        (
            (pl.col("sum_r") - pl.col("oldest_r") + SHRINK_YEARS) / (pl.col("n") - 1 + SHRINK_YEARS)
        ).alias("d_u"),
    )
    return sigma, per_year


class Calibration:
    """One method's pooled, normalised scores, ready to give intervals at any month."""

    def __init__(self, training: pl.DataFrame):
        self.sigma, per_year = _spreads(training)
        self.d_u = dict(per_year.group_by("enhet").agg(pl.col("d_u").first()).iter_rows())
        scored = training.filter(pl.col("score").is_not_null()).join(
            per_year.select("enhet", "ar", "d_ut"), on=["enhet", "ar"], how="left"
        )
        self.z: dict[int, np.ndarray] = {}
        for manad in range(1, 12):
            window = _window(scored, manad)
            if not np.isfinite(self.sigma[manad]) or window.height == 0:
                self.z[manad] = np.array([])
                continue
            z = window["score"].to_numpy() / (
                self.sigma[manad] * window["d_ut"].fill_null(1.0).to_numpy()
            )
            self.z[manad] = np.sort(z[np.isfinite(z)])

    def ready(self, manad: int) -> bool:
        return manad >= 12 or self.z.get(manad, np.array([])).size >= MIN_SCORES

    def spread(self, enhet: str, manad: int, skala: float) -> float:
        """skala · sigma[m] · d_u: the scale of the unit's error at the month."""
        return skala * self.sigma[manad] * self.d_u.get(enhet, 1.0)

    def apply(self, rows: pl.DataFrame, manad: int) -> pl.DataFrame:
        """Intervals and P(underskott) for `rows` (one month) as columns."""
        prognos = rows["prognos"].to_numpy().astype(float)
        arsbudget = rows["arsbudget"].to_numpy().astype(float)
        golv = rows["golv"].to_numpy().astype(float)  # NaN: no floor
        out: dict[str, np.ndarray] = {}
        if manad >= 12:  # the year is known
            for c in INTERVAL_COLUMNS:
                out[c] = prognos
            out["sannolikhet_underskott"] = (prognos > arsbudget).astype(float)
            return pl.DataFrame(out)
        d = np.array([self.d_u.get(e, 1.0) for e in rows["enhet"].to_list()])
        spread = rows["skala"].to_numpy().astype(float) * self.sigma[manad] * d
        z = self.z[manad]
        floor = np.where(np.isnan(golv), -np.inf, golv)
        for level in LEVELS:
            alpha = 1 - level
            lo, hi = _order_statistic(z, alpha / 2, low=True), _order_statistic(z, 1 - alpha / 2)
            tag = round(level * 100)
            if lo is None or hi is None:
                out[f"helarsprognos_lag{tag}"] = np.full(prognos.size, np.nan)
                out[f"helarsprognos_hog{tag}"] = np.full(prognos.size, np.nan)
                continue
            out[f"helarsprognos_lag{tag}"] = np.maximum(prognos + spread * lo, floor)
            out[f"helarsprognos_hog{tag}"] = np.maximum(prognos + spread * hi, floor)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (arsbudget - prognos) / spread
        above = z.size - np.searchsorted(z, t, side="right")
        p = (above + 0.5) / (z.size + 1)
        out["sannolikhet_underskott"] = np.where(floor > arsbudget, 1.0, p)
        frame = pl.DataFrame(out)
        return frame.with_columns(pl.all().fill_nan(None))


def calibrate(training: pl.DataFrame, target: pl.DataFrame) -> pl.DataFrame:
    """`target` points with the calibrated intervals and ``sannolikhet_underskott`` from the
    scored `training` rows (other years' backtest; see `with_scores`)."""
    training, target = calibration_group(training), calibration_group(target)
    skala = (
        pl.when(pl.col("arsbudget").abs() > 0)
        .then(pl.col("arsbudget").abs())
        .otherwise(pl.col("prognos").abs())
    )
    target = target.with_columns(skala.alias("skala"))
    by_group = {
        group: Calibration(rows)
        for (group,), rows in training.filter(pl.col("score").is_not_null()).group_by("kalibrering")
    }
    parts = []
    for (group, manad), rows in target.group_by("kalibrering", "manad", maintain_order=True):
        calibration, note = by_group.get(group), None
        if calibration is None or not calibration.ready(manad):
            lender = by_group.get(BORROW.get(group, ""))
            if lender is not None and lender.ready(manad):
                calibration = lender
                note = "Intervallet bygger på den budgetbaserade metodens fel."
            else:
                calibration = None
                note = "För få prövade prognoser för ett intervall."
        if calibration is None:
            values = pl.DataFrame(
                {c: [None] * rows.height for c in [*INTERVAL_COLUMNS, "sannolikhet_underskott"]},
                schema=dict.fromkeys([*INTERVAL_COLUMNS, "sannolikhet_underskott"], pl.Float64),
            )
        else:
            values = calibration.apply(rows, manad)
        if note is not None:
            rows = rows.with_columns(
                pl.when(pl.col("kommentar").is_null())
                .then(pl.lit(note))
                .otherwise(pl.concat_str(pl.col("kommentar"), pl.lit(" " + note)))
                .alias("kommentar")
            )
        parts.append(pl.concat([rows, values], how="horizontal"))
    if not parts:
        return target.with_columns(
            [pl.lit(None, dtype=pl.Float64).alias(c) for c in score_columns()]
        ).drop("kalibrering")
    return pl.concat(parts, how="vertical_relaxed").drop("kalibrering")


def cross_calibrate(backtest: pl.DataFrame) -> pl.DataFrame:
    """Every closed year's backtest rows with kombination, intervals, P(underskott) and the base
    rate ``basfrekvens``, each year calibrated on the other closed years only."""
    scored = with_scores(backtest)
    years = sorted(scored["ar"].unique().to_list())
    out = []
    for ar in years:
        training = scored.filter(pl.col("ar") != ar)
        weights = combination_weights(training)
        training = with_scores(add_kombination(training.drop("skala", "fel", "score"), weights))
        target = with_scores(
            add_kombination(
                scored.filter(pl.col("ar") == ar).drop("skala", "fel", "score"), weights
            )
        )
        calibrated = calibrate(training, target)
        base = training.group_by("metod", "manad").agg(
            (pl.col("faktiskt") > pl.col("arsbudget")).mean().alias("basfrekvens")
        )
        out.append(calibrated.join(base, on=["metod", "manad"], how="left"))
    if not out:
        return scored.clear()
    return pl.concat(out, how="vertical_relaxed").sort("enhet", "ar", "manad", "metod")


def forecast_with_intervals(backtest: pl.DataFrame, points: pl.DataFrame) -> pl.DataFrame:
    """The report year's `points` with kombination and intervals calibrated on every closed
    year in `backtest` (no closed year: no intervals, and the kommentar says so)."""
    if backtest.height == 0:
        empty = points.head(0).with_columns(
            pl.lit(None, dtype=pl.Float64).alias("faktiskt"),
            pl.lit(None, dtype=pl.Float64).alias("score"),
        )
        return calibrate(empty, points)
    training = with_scores(backtest)
    weights = combination_weights(training)
    training = with_scores(add_kombination(backtest, weights))
    return calibrate(training, add_kombination(points, weights))


def calibrations(backtest: pl.DataFrame) -> tuple[dict[str, Calibration], pl.DataFrame]:
    """Every calibration group's `Calibration` on all closed years in `backtest`, and the scored
    rows (with ``kalibrering``) they were built from; the kommun simulation uses both."""
    training = with_scores(backtest)
    training = calibration_group(
        with_scores(add_kombination(backtest, combination_weights(training)))
    ).filter(pl.col("score").is_not_null())
    groups = {group: Calibration(rows) for (group,), rows in training.group_by("kalibrering")}
    return groups, training


def score_columns() -> list[str]:
    """The columns `calibrate` adds."""
    return [*INTERVAL_COLUMNS, "sannolikhet_underskott"]
