"""The backtests of the 10-year projection (`models.langtidsprognos.langtidsprognos`): how
well it would have hit the years that have since happened, against a naive random walk with
drift (`models.backtest`).

- `backtest_langtidsprognos` is *ex post*: the projection gets the real population and the
  assumptions given for the past years, so it measures the model's structure.
- `ex_ante_precision` is *ex ante*: at each origin the projection gets only what was known then
  (`ex_ante_assumptions`), so it measures what a projection made then would have missed (the
  mart ``langtidsprognos_precision``).

Both score the components in `BACKTEST_VARIABLES` on the history's own årets resultat
(`_history_with_result`); neither passes investments, so avskrivningar stay at the origin's level.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from models.backtest import naive_drift, rolling_origins, summarise, with_errors
from models.befolkning import ALDERSGRUPPER, ENHETSKOSTNAD_SJOBO, demografiskt_volymindex
from models.langtidsprognos import HISTORY_COLUMNS, _inhabitants_31_dec, langtidsprognos
from models.langtidsprognos_assumptions import (
    DEFAULT_SCENARIOS,
    _given,
    _require,
    assumption,
    index_parameter,
)
from models.langtidssimulering import skatta_kostnadsdrift

# The components the backtests compare, in this order.
BACKTEST_VARIABLES = (
    "skatteintakter",
    "generella_statsbidrag",
    "verksamhetens_nettokostnad",
    "arets_resultat",
)


def _history_with_result(history: pl.DataFrame) -> pl.DataFrame:
    """The history by year with its årets resultat, as both backtests read it."""
    _require(history, HISTORY_COLUMNS, "historik")
    return (
        history.with_columns(pl.col("ar").cast(pl.Int64))
        .with_columns(
            (
                pl.col("skatteintakter")
                + pl.col("generella_statsbidrag")
                - pl.col("verksamhetens_nettokostnad")
                - pl.col("avskrivningar")
                + pl.col("finansnetto")
            ).alias("arets_resultat")
        )
        .sort("ar")
    )


def backtest_langtidsprognos(
    history: pl.DataFrame,
    population: pl.DataFrame,
    assumptions: pl.DataFrame,
    *,
    min_training: int = 3,
    max_horizon: int = 5,
    unit_costs: pl.DataFrame = ENHETSKOSTNAD_SJOBO,
    age_groups: pl.DataFrame = ALDERSGRUPPER,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rolling-origin backtest of the projection (scenario ``bas``) against a naive random walk
    with drift on each series, over the years in `history`.

    This is an *ex post* test: the projection gets the real population and the assumptions
    for the past years (so `assumptions` must cover them), so it measures the model's structure,
    not the error of the assumptions themselves. No investments are passed (avskrivningar stay
    at the origin's level) and only the series below are scored.

    Returns ``(details, summary)``: details has ``origo, horisont, ar, variabel, metod,
    prognos, faktiskt, fel, abs_fel, abs_fel_procent``; summary per ``variabel, metod,
    horisont``: ``n, mae, mape`` (mape is not meaningful for arets_resultat, read mae there).
    """
    variables = BACKTEST_VARIABLES
    hist = _history_with_result(history)
    actual = {r["ar"]: r for r in hist.iter_rows(named=True)}
    rows = []
    cases = rolling_origins(hist["ar"].to_list(), min_training, max_horizon)
    for origin in sorted({f[0] for f in cases}):
        horizon = max(h for o, h, _ in cases if o == origin)
        earlier = hist.filter(pl.col("ar") <= origin)
        projection = langtidsprognos(
            earlier.select(HISTORY_COLUMNS),
            population,
            _without_debt(assumptions, origin),
            None,
            base_year=origin,
            years=horizon,
            scenarios=DEFAULT_SCENARIOS.filter(pl.col("scenario") == "bas"),
            unit_costs=unit_costs,
            age_groups=age_groups,
        )
        for row in projection.iter_rows(named=True):
            h = row["ar"] - origin
            for variable in variables:
                base = {"origo": origin, "horisont": h, "ar": row["ar"], "variabel": variable}
                rows.append(
                    base
                    | {
                        "metod": "projektion",
                        "prognos": row[variable],
                        "faktiskt": actual[row["ar"]][variable],
                    }
                )
                rows.append(
                    base
                    | {
                        "metod": "naiv_drift",
                        "prognos": naive_drift(earlier[variable].to_list(), h),
                        "faktiskt": actual[row["ar"]][variable],
                    }
                )
    schema = {
        "origo": pl.Int64,
        "horisont": pl.Int64,
        "ar": pl.Int64,
        "variabel": pl.String,
        "metod": pl.String,
        "prognos": pl.Float64,
        "faktiskt": pl.Float64,
    }
    details = with_errors(pl.DataFrame(rows, schema=schema))
    return details, summarise(details, ["variabel", "metod", "horisont"])


def _without_debt(assumptions: pl.DataFrame, origin: int) -> pl.DataFrame:
    """The assumptions with no loan debt at `origin`: the ex-post backtest invests nothing, so
    it borrows nothing and the debt plays no part in what it scores."""
    return pl.concat(
        [
            assumptions.filter(pl.col("parameter") != "laneskuld").select(
                "ar", "parameter", "varde"
            ),
            pl.DataFrame({"ar": [origin], "parameter": ["laneskuld"], "varde": [0.0]}),
        ],
        how="vertical_relaxed",
    )


def ex_ante_assumptions(
    history: pl.DataFrame, population: pl.DataFrame, assumptions: pl.DataFrame, origin: int
) -> pl.DataFrame:
    """The assumptions a projection made at `origin` could have had, from what was known then:
    the skattesats in force; skatteunderlag growth net of the own population's, the PKV and the
    growth of the grants per inhabitant as their means over the history up to `origin`; the real
    cost drift as estimated from that history (0 without an estimate); finansnetto held at its
    level (index 0). National population growth is set to 0, since the growth assumed is
    already net of the own population's. Returns ``ar, parameter, varde`` for year `origin`."""
    hist = history.filter(pl.col("ar") <= origin).sort("ar")
    inv = _inhabitants_31_dec(population)
    years = hist["ar"].to_list()
    tax_rate = assumption(assumptions, "skattesats", years)
    row = {r["ar"]: r for r in hist.iter_rows(named=True)}
    su = {t: row[t]["skatteintakter"] / (tax_rate[t] / 100.0) for t in years}
    su_net, sb_growth = [], []
    for t in years:
        if t - 1 in su and t - 2 in inv and t - 1 in inv:
            su_net.append(su[t] / su[t - 1] / (inv[t - 1] / inv[t - 2]) - 1.0)
        if t - 1 in row and t - 1 in inv and t - 2 in inv:
            sb_growth.append(
                (row[t]["generella_statsbidrag"] / inv[t - 1])
                / (row[t - 1]["generella_statsbidrag"] / inv[t - 2])
                - 1.0
            )
    if not su_net:
        raise ValueError(f"Backtesten från {origin} behöver minst två år av historik.")
    pkv = [v for a, v in _given(assumptions, "pkv").items() if a <= origin]
    volume = dict(
        demografiskt_volymindex(
            population,
            origin,
            bas_nettokostnad_tkr=float(row[origin]["verksamhetens_nettokostnad"]) * 1000.0,
        )
        .select("ar", "volymindex")
        .iter_rows()
    )
    drift = skatta_kostnadsdrift(
        {t: row[t]["verksamhetens_nettokostnad"] for t in years},
        volume,
        _given(assumptions, "pkv"),
    )
    values = {
        "skattesats": tax_rate[origin],
        "skatteunderlag_tillvaxt": float(np.mean(su_net)),
        "befolkning_riket_tillvaxt": 0.0,
        "pkv": float(np.mean(pkv)) if pkv else 0.0,
        "real_kostnadsdrift": drift.skattning or 0.0,
        "statsbidrag_per_inv": row[origin]["generella_statsbidrag"] * 1e6 / inv[origin - 1],
        index_parameter("statsbidrag_per_inv"): float(np.mean(sb_growth)) if sb_growth else 0.0,
        "finansnetto": row[origin]["finansnetto"],
        index_parameter("finansnetto"): 0.0,
        # no investments in the backtest, so nothing is borrowed and the rate plays no part
        "laneskuld": 0.0,
        "ranta": 0.0,
    }
    return pl.DataFrame(
        {"ar": [origin] * len(values), "parameter": list(values), "varde": list(values.values())}
    )


def ex_ante_precision(
    history: pl.DataFrame,
    population: pl.DataFrame,
    assumptions: pl.DataFrame,
    *,
    min_training: int = 3,
    max_horizon: int = 5,
) -> pl.DataFrame:
    """Ex-ante rolling-origin backtest of the projection's components against a random walk
    with drift: at each origin the projection gets only `ex_ante_assumptions` (the population is
    the outcome, so its own forecast error is not measured). Per ``variabel, horisont``: ``n,
    mae_projektion, mae_naiv_drift, relativ_mae`` (= mae_projektion / mae_naiv_drift; below 1
    the projection beats the naive forecast)."""
    variables = BACKTEST_VARIABLES
    hist = _history_with_result(history)
    actual = {r["ar"]: r for r in hist.iter_rows(named=True)}
    inhabitants = _inhabitants_31_dec(population)
    cases = [
        f
        for f in rolling_origins(hist["ar"].to_list(), min_training, max_horizon)
        if f[0] - 2 in inhabitants
    ]
    rows = []
    for origin in sorted({f[0] for f in cases}):
        horizon = max(h for o, h, _ in cases if o == origin)
        earlier = hist.filter(pl.col("ar") <= origin)
        projection = langtidsprognos(
            earlier.select(HISTORY_COLUMNS),
            population,
            ex_ante_assumptions(earlier, population, assumptions, origin),
            None,
            base_year=origin,
            years=horizon,
            scenarios=DEFAULT_SCENARIOS.filter(pl.col("scenario") == "bas"),
        )
        for row in projection.iter_rows(named=True):
            h = row["ar"] - origin
            for variable in variables:
                utfall = actual[row["ar"]][variable]
                naive = naive_drift(earlier[variable].to_list(), h)
                rows.append((variable, h, abs(row[variable] - utfall), abs(naive - utfall)))
    schema = {
        "variabel": pl.String,
        "horisont": pl.Int64,
        "fel_projektion": pl.Float64,
        "fel_naiv": pl.Float64,
    }
    return (
        pl.DataFrame(rows, schema=schema, orient="row")
        .group_by("variabel", "horisont")
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("fel_projektion").mean().alias("mae_projektion"),
            pl.col("fel_naiv").mean().alias("mae_naiv_drift"),
        )
        .with_columns(
            pl.when(pl.col("mae_naiv_drift") > 0)
            .then(pl.col("mae_projektion") / pl.col("mae_naiv_drift"))
            .alias("relativ_mae")
        )
        .sort("variabel", "horisont")
    )
