"""Helårsprognos: full-year forecasts of a unit's net cost, and their backtest (docs/rules.md).

Signs: net cost positive (costs > revenues gives a positive amount); avvikelse = budget − utfall,
so the "underskott" this module speaks of is a full-year net cost above the årsbudget.

Three methods live here so that there is one implementation of each:

- `budgetbaserad` and `takt`: the two simple methods, scalar functions the dbt SQL in
  ``marts.budgetavvikelse`` is checked against.
- `statistisk_helarsprognos`: a seasonal time-series model per unit with a prediction interval
  for the full-year total and the probability of ending above the årsbudget.

Statistical model, per unit (the ``metod`` column says which one produced the row):

- ``ets_a_ad_a`` (≥ 24 months of history): statsmodels ``ETSModel`` with additive error,
  additive damped trend and additive seasonality of period 12, heuristic initialisation (the
  initial states come from the first two years instead of being estimated: about 20× faster and
  far fewer free parameters on short series). The remaining months are simulated
  (``ETSResults.simulate``, `simuleringar` paths, fixed seed) and each path is added to utfall
  ack; the interval is the quantiles of those totals and `sannolikhet_underskott` the share of
  paths above the årsbudget. The point forecast is utfall ack + the model's mean forecast.
  Simulation covers the error process, not parameter uncertainty, so the interval is somewhat
  too narrow: the backtest reports its real coverage (``tackning``).
- ``sasongsnaiv_skalad`` (< 24 months, but the whole previous year is there): last year's
  months scaled by this year's ratio k = utfall ack / last year's ack for the same months.
- ``jamn_takt`` (not even a whole previous year): a flat profile, i.e. utfall ack × 12 / m.
- ``utfall_helar``: the period is December, the year is known; no interval width.

The two fallbacks are one "scaled profile" model y_i = k·p_i + e_i (p = last year, or 1). With
m months this year, k̂ = Σy/Σp over the months so far, s² = Σ(y_i − k̂p_i)² / (m − 1), and the
remaining sum k̂·P_rest has variance s²·(m·P_rest² / P_ack² + (12 − m)). Interval and
probability use Student's t with m − 1 degrees of freedom; with m = 1 there is no variance
estimate and they are null.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from models.backtest import felmatt

MIN_MANADER_ETS = 24
"""Months of history needed for the seasonal ETS model (two full seasons)."""

SIMULERINGAR = 5000
SEED = 20240101

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def budgetbaserad(utfall_ack: float, budget_ack: float, arsbudget: float) -> float:
    """Budget-based full-year forecast: utfall ack + the remaining periodised budget."""
    return utfall_ack + (arsbudget - budget_ack)


def takt(utfall_ack: float, sasongsandel_ack: float) -> float | None:
    """Run-rate forecast: utfall ack divided by the seasonal share of the year to date.

    ``sasongsandel_ack`` is the share (0–1] of a normal year's net cost that falls in the months
    so far (in the dbt mart: budget ack / årsbudget). A share of 0 gives None, as the SQL's
    ``nullif`` does.
    """
    if sasongsandel_ack == 0:
        return None
    return utfall_ack / sasongsandel_ack


def parse_period(period: str) -> tuple[int, int]:
    """'YYYY-MM' → (år, månad); anything else raises ValueError."""
    match = _PERIOD.match(period)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"Ogiltig period {period!r}: förväntade formatet ÅÅÅÅ-MM.")
    return int(match.group(1)), int(match.group(2))


def _krav_kolumner(df: pl.DataFrame, kolumner: Sequence[str], namn: str) -> None:
    saknas = [k for k in kolumner if k not in df.columns]
    if saknas:
        raise ValueError(f"{namn} saknar kolumnerna {', '.join(saknas)}.")


def _manadsserier(
    utfall: pl.DataFrame, ar: int, manad: int, fyll_saknade_manader: bool = False
) -> dict[str, np.ndarray]:
    """Per enhet: the monthly series up to and including (ar, manad), oldest first.

    Units without any month in year `ar` (up to `manad`) are left out: they no longer exist.
    Duplicate (enhet, period) rows are summed. A missing month inside a unit's history raises,
    since a gap would silently shift the seasonal pattern, unless `fyll_saknade_manader` says
    that a month without rows means a net cost of 0 (e.g. valnämnden between elections).
    """
    _krav_kolumner(utfall, ["enhet", "period", "utfall"], "utfall")
    slut = ar * 12 + manad - 1
    df = (
        utfall.select(
            pl.col("enhet").cast(pl.String),
            pl.col("period").cast(pl.String),
            pl.col("utfall").cast(pl.Float64),
        )
        .with_columns(
            (
                pl.col("period").str.slice(0, 4).cast(pl.Int64) * 12
                + pl.col("period").str.slice(5, 2).cast(pl.Int64)
                - 1
            ).alias("index")
        )
        .filter(pl.col("index") <= slut)
        .group_by("enhet", "index")
        .agg(pl.col("utfall").sum())
        .sort("enhet", "index")
    )
    serier: dict[str, np.ndarray] = {}
    for (enhet,), grupp in df.group_by("enhet", maintain_order=True):
        index = grupp["index"].to_numpy()
        if index[-1] < ar * 12:
            continue
        forvantat = np.arange(index[0], slut + 1)
        varden = grupp["utfall"].to_numpy()
        if index.size != forvantat.size and fyll_saknade_manader:
            fylld = np.zeros(forvantat.size)
            fylld[index - index[0]] = varden
            serier[str(enhet)] = fylld
            continue
        if index.size != forvantat.size:
            saknade = sorted(set(forvantat.tolist()) - set(index.tolist()))
            namn = ", ".join(f"{i // 12}-{i % 12 + 1:02d}" for i in saknade[:6])
            raise ValueError(f"Enheten {enhet!r} saknar utfall för perioderna {namn}.")
        serier[str(enhet)] = varden
    return serier


@dataclass(frozen=True)
class _Prognos:
    utfall_ack: float
    helarsprognos: float
    lag: float | None
    hog: float | None
    sannolikhet_underskott: float | None
    metod: str


def _ets(y: np.ndarray, rest: int, simuleringar: int, seed: int) -> tuple[float, np.ndarray]:
    """Mean of the remaining `rest` months' sum, and `simuleringar` simulated sums."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    # Additive ETS is equivariant in scale; fitting on a unit-free series keeps the optimiser
    # well conditioned whether amounts are in kr or mnkr.
    skala = float(np.mean(np.abs(y))) or 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        modell = ETSModel(
            y / skala,
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=12,
            initialization_method="heuristic",
        )
        resultat = modell.fit(disp=False)
        medel = float(np.sum(resultat.forecast(rest)))
        banor = resultat.simulate(
            nsimulations=rest,
            anchor="end",
            repetitions=simuleringar,
            rng=np.random.default_rng(seed),
        )
    summor = np.asarray(banor, dtype=float).reshape(rest, simuleringar).sum(axis=0)
    if not (np.isfinite(medel) and np.all(np.isfinite(summor))):
        raise FloatingPointError("ETS gav icke-ändliga värden")
    return medel * skala, summor * skala


def _profil(y: np.ndarray, manad: int, niva: float, arsbudget: float | None) -> _Prognos:
    ack = y[-manad:]
    utfall_ack = float(ack.sum())
    if y.size >= manad + 12:
        profil, metod = y[-(manad + 12) : -manad], "sasongsnaiv_skalad"
    else:
        profil, metod = np.ones(12), "jamn_takt"
    p_ack, p_rest = float(profil[:manad].sum()), float(profil[manad:].sum())
    if p_ack == 0:
        profil, metod = np.ones(12), "jamn_takt"
        p_ack, p_rest = float(manad), float(12 - manad)
    k = utfall_ack / p_ack
    prognos = utfall_ack + k * p_rest
    if manad < 2:
        return _Prognos(utfall_ack, prognos, None, None, None, metod)
    s2 = float(np.sum((ack - k * profil[:manad]) ** 2)) / (manad - 1)
    sd = float(np.sqrt(s2 * (manad * p_rest**2 / p_ack**2 + (12 - manad))))
    fordelning = stats.t(df=manad - 1, loc=prognos, scale=sd) if sd > 0 else None
    if fordelning is None:
        lag = hog = prognos
        p = None if arsbudget is None else float(prognos > arsbudget)
    else:
        lag, hog = (float(v) for v in fordelning.ppf([(1 - niva) / 2, (1 + niva) / 2]))
        p = None if arsbudget is None else float(fordelning.sf(arsbudget))
    return _Prognos(utfall_ack, prognos, lag, hog, p, metod)


def _prognos_for_enhet(
    y: np.ndarray,
    manad: int,
    niva: float,
    arsbudget: float | None,
    simuleringar: int,
    seed: int,
    max_historik_manader: int,
) -> _Prognos:
    utfall_ack = float(y[-manad:].sum())
    rest = 12 - manad
    if rest == 0:
        p = None if arsbudget is None else float(utfall_ack > arsbudget)
        return _Prognos(utfall_ack, utfall_ack, utfall_ack, utfall_ack, p, "utfall_helar")
    if y.size >= MIN_MANADER_ETS:
        try:
            medel, summor = _ets(y[-max_historik_manader:], rest, simuleringar, seed)
        except (ValueError, FloatingPointError, np.linalg.LinAlgError):
            pass  # e.g. a degenerate series: the scaled profile below still gives a forecast
        else:
            totaler = utfall_ack + summor
            lag, hog = (float(v) for v in np.quantile(totaler, [(1 - niva) / 2, (1 + niva) / 2]))
            p = None if arsbudget is None else float(np.mean(totaler > arsbudget))
            return _Prognos(utfall_ack, utfall_ack + medel, lag, hog, p, "ets_a_ad_a")
    return _profil(y, manad, niva, arsbudget)


def statistisk_helarsprognos(
    utfall: pl.DataFrame,
    period: str,
    arsbudget: pl.DataFrame | None = None,
    niva: float = 0.95,
    *,
    simuleringar: int = SIMULERINGAR,
    seed: int = SEED,
    max_historik_manader: int = 72,
    fyll_saknade_manader: bool = False,
) -> pl.DataFrame:
    """Statistical full-year forecast per enhet as of `period` (see the module docstring).

    Parameters
    ----------
    utfall : columns ``enhet`` (str), ``period`` ('YYYY-MM'), ``utfall`` (monthly net cost,
        positive = cost). Rows after `period` are ignored, so a longer history can be passed.
    period : 'YYYY-MM', the last closed month.
    arsbudget : optional, columns ``enhet``, ``arsbudget`` (the year's net budget).
    niva : two-sided level of the prediction interval.
    max_historik_manader : the ETS model sees at most this many recent months (older history
        adds little and is less comparable across reorganisations).
    fyll_saknade_manader : treat a month without rows inside a unit's history as 0 instead of
        raising ValueError.

    Returns
    -------
    One row per enhet with any utfall in the year of `period`: ``enhet, period, utfall_ack,
    helarsprognos, helarsprognos_lag, helarsprognos_hog, sannolikhet_underskott, metod``.
    ``sannolikhet_underskott`` = P(full-year net cost > arsbudget); null without a budget for
    the unit (or when the method has no variance estimate).
    """
    ar, manad = parse_period(period)
    if not 0 < niva < 1:
        raise ValueError("niva måste ligga mellan 0 och 1.")
    budget: dict[str, float] = {}
    if arsbudget is not None:
        _krav_kolumner(arsbudget, ["enhet", "arsbudget"], "arsbudget")
        for enhet, belopp in arsbudget.select("enhet", "arsbudget").iter_rows():
            budget[str(enhet)] = float(belopp)
    rader = []
    for enhet, y in _manadsserier(utfall, ar, manad, fyll_saknade_manader).items():
        prognos = _prognos_for_enhet(
            y, manad, niva, budget.get(enhet), simuleringar, seed, max_historik_manader
        )
        rader.append(
            {
                "enhet": enhet,
                "period": period,
                "utfall_ack": prognos.utfall_ack,
                "helarsprognos": prognos.helarsprognos,
                "helarsprognos_lag": prognos.lag,
                "helarsprognos_hog": prognos.hog,
                "sannolikhet_underskott": prognos.sannolikhet_underskott,
                "metod": prognos.metod,
            }
        )
    return pl.DataFrame(
        rader,
        schema={
            "enhet": pl.String,
            "period": pl.String,
            "utfall_ack": pl.Float64,
            "helarsprognos": pl.Float64,
            "helarsprognos_lag": pl.Float64,
            "helarsprognos_hog": pl.Float64,
            "sannolikhet_underskott": pl.Float64,
            "metod": pl.String,
        },
    )


def _ar_och_manad(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col("period").cast(pl.String).str.slice(0, 4).cast(pl.Int64).alias("ar"),
        pl.col("period").cast(pl.String).str.slice(5, 2).cast(pl.Int64).alias("manad"),
    )


def _sasongsandel_historik(
    manadsdata: pl.DataFrame, ar: int, manad: int, antal_ar: int = 3
) -> dict[str, float]:
    """Per enhet: mean share of the year's net cost in months 1..manad over up to `antal_ar`
    complete years before `ar` (the "previous years' outcome profile")."""
    hela = (
        manadsdata.filter(pl.col("ar") < ar)
        .group_by("enhet", "ar")
        .agg(
            pl.len().alias("n"),
            pl.col("utfall").sum().alias("total"),
            pl.col("utfall").filter(pl.col("manad") <= manad).sum().alias("ack"),
        )
        .filter((pl.col("n") == 12) & (pl.col("total") != 0))
        .sort("enhet", "ar")
        .group_by("enhet", maintain_order=True)
        .tail(antal_ar)
        .with_columns((pl.col("ack") / pl.col("total")).alias("andel"))
        .group_by("enhet")
        .agg(pl.col("andel").mean())
    )
    return {e: a for e, a in hela.iter_rows() if a is not None and np.isfinite(a) and 0 < a <= 1.5}


def backtest_helarsprognos(
    utfall: pl.DataFrame,
    ar: int,
    manader: Sequence[int] = (3, 6, 9),
    budget: pl.DataFrame | None = None,
    niva: float = 0.95,
) -> pl.DataFrame:
    """Backtest the full-year methods on a closed year `ar`, forecasting from each month in
    `manader` and comparing with the real year-end net cost.

    `utfall` as in `statistisk_helarsprognos` (history before `ar` feeds the models; every
    enhet must have all 12 months of `ar`). `budget`, optional: columns ``enhet``, ``period``,
    ``budget`` (the periodised monthly net budget).

    Methods: ``statistisk`` (with ``modell`` = the statistical method used), ``naiv``
    (ack × 12 / m), ``takt`` (share = budget ack / årsbudget when a budget is given, as in the
    dbt mart; else the mean outcome profile of up to 3 earlier complete years; else m / 12)
    and ``budgetbaserad`` (only with a budget).

    Returns one row per enhet × manad × metod: ``enhet, ar, manad, metod, modell, prognos,
    faktiskt, fel, abs_fel, abs_fel_procent, prognos_lag, prognos_hog, inom_intervall``
    (errors as in `models.backtest`: fel = prognos − faktiskt). Summarise with
    ``models.backtest.sammanfatta(df, ["metod", "manad"])``.
    """
    _krav_kolumner(utfall, ["enhet", "period", "utfall"], "utfall")
    manadsdata = _ar_och_manad(
        utfall.select(
            pl.col("enhet").cast(pl.String), pl.col("period"), pl.col("utfall").cast(pl.Float64)
        )
    )
    aret = manadsdata.filter(pl.col("ar") == ar)
    antal = aret.group_by("enhet").agg(pl.col("manad").n_unique().alias("n"))
    ofullstandiga = antal.filter(pl.col("n") < 12)["enhet"].to_list()
    if antal.height == 0:
        raise ValueError(f"Inget utfall för år {ar}.")
    if ofullstandiga:
        raise ValueError(
            f"År {ar} är inte stängt för enheterna {', '.join(sorted(ofullstandiga))}."
        )
    faktiskt = dict(aret.group_by("enhet").agg(pl.col("utfall").sum()).iter_rows())

    budget_manad = None
    if budget is not None:
        _krav_kolumner(budget, ["enhet", "period", "budget"], "budget")
        budget_manad = _ar_och_manad(
            budget.select(
                pl.col("enhet").cast(pl.String), "period", pl.col("budget").cast(pl.Float64)
            )
        ).filter(pl.col("ar") == ar)

    rader = []
    for manad in manader:
        period = f"{ar}-{manad:02d}"
        statistisk = statistisk_helarsprognos(utfall, period, niva=niva)
        historisk_andel = _sasongsandel_historik(manadsdata, ar, manad)
        budget_ack: dict[str, tuple[float, float]] = {}
        if budget_manad is not None:
            for enhet, b_ack, b_ar in (
                budget_manad.group_by("enhet")
                .agg(
                    pl.col("budget").filter(pl.col("manad") <= manad).sum(),
                    pl.col("budget").sum().alias("arsbudget"),
                )
                .iter_rows()
            ):
                budget_ack[enhet] = (b_ack, b_ar)
        for rad in statistisk.iter_rows(named=True):
            enhet, ack = rad["enhet"], rad["utfall_ack"]
            bas = {"enhet": enhet, "ar": ar, "manad": manad, "faktiskt": faktiskt[enhet]}
            rader.append(
                bas
                | {
                    "metod": "statistisk",
                    "modell": rad["metod"],
                    "prognos": rad["helarsprognos"],
                    "prognos_lag": rad["helarsprognos_lag"],
                    "prognos_hog": rad["helarsprognos_hog"],
                }
            )
            rader.append(bas | {"metod": "naiv", "modell": "naiv", "prognos": ack * 12 / manad})
            if enhet in budget_ack and budget_ack[enhet][1] != 0:
                andel = budget_ack[enhet][0] / budget_ack[enhet][1]
                modell_takt = "takt_budgetandel"
            elif enhet in historisk_andel:
                andel, modell_takt = historisk_andel[enhet], "takt_utfallsprofil"
            else:
                andel, modell_takt = manad / 12, "takt_jamn"
            rader.append(
                bas | {"metod": "takt", "modell": modell_takt, "prognos": takt(ack, andel)}
            )
            if enhet in budget_ack:
                b_ack, b_ar = budget_ack[enhet]
                rader.append(
                    bas
                    | {
                        "metod": "budgetbaserad",
                        "modell": "budgetbaserad",
                        "prognos": budgetbaserad(ack, b_ack, b_ar),
                    }
                )
    schema = {
        "enhet": pl.String,
        "ar": pl.Int64,
        "manad": pl.Int64,
        "metod": pl.String,
        "modell": pl.String,
        "prognos": pl.Float64,
        "faktiskt": pl.Float64,
        "prognos_lag": pl.Float64,
        "prognos_hog": pl.Float64,
    }
    df = pl.DataFrame(rader, schema=schema)
    df = felmatt(df).with_columns(
        pl.when(pl.col("prognos_lag").is_not_null())
        .then(pl.col("faktiskt").is_between(pl.col("prognos_lag"), pl.col("prognos_hog")))
        .alias("inom_intervall")
    )
    return df.select(
        "enhet",
        "ar",
        "manad",
        "metod",
        "modell",
        "prognos",
        "faktiskt",
        "fel",
        "abs_fel",
        "abs_fel_procent",
        "prognos_lag",
        "prognos_hog",
        "inom_intervall",
    ).sort("enhet", "manad", "metod")
