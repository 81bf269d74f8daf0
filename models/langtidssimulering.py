"""Coherent uncertainty and sensitivity of the 10-year projection (docs/rules.md).

Both act on the deterministic projection of `models.langtidsprognos.langtidsprognos` (its
per-year, per-scenario path) through one formula, `_bana`, that turns deviations of the drivers
into the result. With deviations in skatteunderlag growth e_su, PKV e_pkv, real cost drift e_d
(per year k = 0 … H−1) and a population level factor M (31 Dec of the year before the first
projection year, M[0], and of each projection year, M[k+1]):

    su(k)    = su_det(k)   × Π_{j≤k} (1 + g_su(j) + e_su(j)) / (1 + g_su(j)) × M[k]
    skatt(k) = su(k) × (skattesats(k) + Δskattesats) / 100
    sb(k)    = sb_det(k)   × M[k]                          (per inhabitant at 31 Dec k−1)
    cost(k)  = cost_det(k) × Π_{j≤k} (1+pkv+e_pkv)(1+d+e_d) / ((1+pkv)(1+d))
                           × (M[k] + M[k+1]) / 2 × (1 + lonetillagg) + extra_kostnad(k)
    result   = skatt + sb − cost − avskrivningar + finansnetto − Δränta × låneskuld

A population shock scales the tax base (SKR: own population relative to the nation's), the
per-inhabitant grants and the demographic cost volume alike, so it is not counted as risk on
one side only; an inflation shock lifts both cost (PKV) and, through the correlation with
skatteunderlag growth, revenue.

Simulation (`simulera`): `Osakerhet.antal_banor` seeded paths. The standard normals are drawn
once, for the horizon, independent of the scenarios, and every scenario gets the same draws
(common random numbers): adding a scenario leaves the others' quantiles unchanged. Real cost
drift has two parts: its estimate's standard error from history (one draw per path, constant
over the years: the drift itself is uncertain) and the yearly residual spread. A first year at
the official helårsprognos gets no deviation (most of the year has happened; its uncertainty is
the helårsprognos's own interval).

Sensitivity (`kanslighetsanalys`): the same formula with one deterministic deviation at a time
on scenario bas; positive = better result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

KVANTILER = (10, 25, 50, 75, 90)


@dataclass(frozen=True)
class Osakerhet:
    """Spread of the drivers per year (fractions). The defaults are documented judgements, not
    estimates: SKR's skatteunderlag forecasts for the next year have moved about one percentage
    point between circulars, PKV likewise, and a municipality's population forecast misses its
    yearly growth by a few tenths of a percent. Real cost drift is estimated from history
    (`skatta_kostnadsdrift`); `sd_kostnadsdrift` is used only when the history is too short."""

    sd_skatteunderlag: float = 0.01
    sd_pkv: float = 0.01
    korrelation_skatteunderlag_pkv: float = 0.5
    sd_befolkning: float = 0.003
    sd_kostnadsdrift: float = 0.01
    antal_banor: int = 1000
    seed: int = 20_261


OSAKERHET_STANDARD = Osakerhet()
"""The default spreads (one place)."""


@dataclass(frozen=True)
class Kostnadsdrift:
    """Real cost drift estimated from history: mean of the yearly real volume-adjusted changes,
    its standard error (sd / √n) and the yearly residual sd; n = number of yearly changes."""

    skattning: float | None
    medelfel: float
    sd: float
    n: int


MIN_AR_DRIFT = 3
"""Yearly changes needed to estimate real cost drift (else the default spread is used)."""


def skatta_kostnadsdrift(
    nettokostnad: dict[int, float],
    volymindex: dict[int, float],
    pkv: dict[int, float],
    osakerhet: Osakerhet = OSAKERHET_STANDARD,
) -> Kostnadsdrift:
    """Real drift r(t) = ln(cost(t)/cost(t−1)) − ln(1 + pkv(t)) − ln(vol(t)/vol(t−1)) for each
    year t where all five values exist; mean, standard error and sd. Fewer than `MIN_AR_DRIFT`
    changes: no estimate, standard error 0 and `osakerhet.sd_kostnadsdrift` as the spread."""
    r = [
        np.log(nettokostnad[t] / nettokostnad[t - 1])
        - np.log1p(pkv[t])
        - np.log(volymindex[t] / volymindex[t - 1])
        for t in sorted(nettokostnad)
        if t - 1 in nettokostnad and t in pkv and t in volymindex and t - 1 in volymindex
    ]
    if len(r) < MIN_AR_DRIFT:
        return Kostnadsdrift(None, 0.0, osakerhet.sd_kostnadsdrift, len(r))
    x = np.asarray(r)
    sd = float(x.std(ddof=1))
    return Kostnadsdrift(float(x.mean()), sd / np.sqrt(x.size), sd, x.size)


def _bana(
    det: dict[str, np.ndarray],
    *,
    e_su: np.ndarray | float = 0.0,
    e_pkv: np.ndarray | float = 0.0,
    e_d: np.ndarray | float = 0.0,
    m: np.ndarray | None = None,
    d_skattesats: float = 0.0,
    lonetillagg: float = 0.0,
    extra_kostnad: np.ndarray | float = 0.0,
    d_ranta: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Result, resultatandel and skatteunderlag (paths × years) for the deviations (see the
    module docstring); `det` holds one scenario's deterministic arrays (years)."""
    h = det["skatteunderlag"].size
    su_dev = np.cumprod((1 + det["g_su"] + e_su) / (1 + det["g_su"]), axis=-1)
    kostnad_dev = np.cumprod(
        (1 + det["pkv"] + e_pkv)
        * (1 + det["drift"] + e_d)
        / ((1 + det["pkv"]) * (1 + det["drift"])),
        axis=-1,
    )
    if m is None:
        m = np.ones((1, h + 1))
    su = det["skatteunderlag"] * su_dev * m[:, :-1]
    skatt = su * (det["skattesats"] + d_skattesats) / 100.0
    sb = det["statsbidrag"] * m[:, :-1]
    kostnad = (
        det["kostnad"] * kostnad_dev * (m[:, :-1] + m[:, 1:]) / 2 * (1 + lonetillagg)
        + extra_kostnad
    )
    resultat = (
        skatt
        + sb
        - kostnad
        - det["avskrivningar"]
        + det["finansnetto"]
        - d_ranta * det["laneskuld"]
    )
    return resultat, resultat / (skatt + sb), su


def _deterministisk(df: pl.DataFrame) -> dict[str, np.ndarray]:
    df = df.sort("ar")
    return {
        "skatteunderlag": df["skatteunderlag"].to_numpy(),
        "g_su": df["skatteunderlag_tillvaxt"].to_numpy(),
        "pkv": df["pkv"].to_numpy(),
        "drift": df["real_kostnadsdrift"].to_numpy(),
        "skattesats": df["skattesats"].to_numpy(),
        "statsbidrag": df["generella_statsbidrag"].to_numpy(),
        "kostnad": df["verksamhetens_nettokostnad"].to_numpy(),
        "avskrivningar": df["avskrivningar"].to_numpy(),
        "finansnetto": df["finansnetto"].to_numpy(),
        "laneskuld": df["laneskuld"].to_numpy(),
        "kostnadsniva": df["kostnadsniva"].to_numpy(),
    }


def simulera(
    projektion: pl.DataFrame,
    drift: Kostnadsdrift,
    finansiellt_mal: float,
    *,
    forankrat_forsta_ar: bool,
    osakerhet: Osakerhet = OSAKERHET_STANDARD,
) -> pl.DataFrame:
    """Quantiles of årets resultat and resultatandel and P(resultatandel < goal) per year and
    scenario: ``ar, scenario, arets_resultat_p10 … _p90, resultatandel_p10 … _p90,
    sannolikhet_under_mal``. `projektion` is the deterministic frame with the internal driver
    columns (`models.langtidsprognos.langtidsprognos(..., med_drivare=True)`)."""
    ar = sorted(projektion["ar"].unique().to_list())
    h, n = len(ar), osakerhet.antal_banor
    rng = np.random.default_rng(osakerhet.seed)
    z = rng.standard_normal((5, n, h))
    rho = osakerhet.korrelation_skatteunderlag_pkv
    e_su = osakerhet.sd_skatteunderlag * z[0]
    e_pkv = osakerhet.sd_pkv * (rho * z[0] + np.sqrt(1 - rho**2) * z[1])
    e_d = drift.medelfel * z[2][:, :1] + drift.sd * z[3]
    e_pop = osakerhet.sd_befolkning * z[4]
    if forankrat_forsta_ar:
        for e in (e_su, e_pkv, e_d, e_pop):
            e[:, 0] = 0.0
    m = np.concatenate([np.ones((n, 1)), np.cumprod(1 + e_pop, axis=1)], axis=1)
    q = np.asarray(KVANTILER) / 100.0
    delar = []
    for (scenario,), df in projektion.group_by("scenario", maintain_order=True):
        resultat, andel, _ = _bana(_deterministisk(df), e_su=e_su, e_pkv=e_pkv, e_d=e_d, m=m)
        rq, aq = np.quantile(resultat, q, axis=0), np.quantile(andel, q, axis=0)
        delar.append(
            pl.DataFrame(
                {"ar": ar, "scenario": [scenario] * h}
                | {f"arets_resultat_p{k}": rq[i] for i, k in enumerate(KVANTILER)}
                | {f"resultatandel_p{k}": aq[i] for i, k in enumerate(KVANTILER)}
                | {"sannolikhet_under_mal": (andel < finansiellt_mal).mean(axis=0)}
            )
        )
    return pl.concat(delar).with_columns(pl.col("ar").cast(pl.Int64))


FAKTORER: dict[str, str] = {
    "skattesats_1_ore": "Skattesatsen höjs med 1 öre från första prognosåret.",
    "skatteunderlag_1pp_ett_ar": "Skatteunderlaget växer 1 procentenhet mer första prognosåret "
    "(nivån blir sedan kvar).",
    "skatteunderlag_1pp_varaktig": "Skatteunderlaget växer 1 procentenhet mer varje år.",
    "loner_1_procent": "Lönerna (personalkostnader, kontoklass 5) blir 1 procent högre från "
    "första prognosåret.",
    "pkv_1pp": "Priserna (PKV) stiger 1 procentenhet mer första prognosåret (nivån blir sedan "
    "kvar).",
    "befolkning_1_procent": "Befolkningen är 1 procent större i alla åldrar: skatteunderlag, "
    "statsbidrag och demografisk kostnad följer med.",
    "aldre_80_plus_100": "100 fler invånare 80 år och äldre: deras kostnad i äldreomsorgen "
    "(enhetskostnad 80+, prisuppräknad); intäkterna antas oförändrade.",
    "ranta_1pp": "Räntan på låneskulden är 1 procentenhet högre.",
}
"""The sensitivity factors and their Swedish descriptions (the mart's `beskrivning`)."""


def kanslighetsanalys(
    projektion: pl.DataFrame,
    *,
    personalandel: float,
    enhetskostnad_80_plus_tkr: float,
    scenario: str = "bas",
) -> pl.DataFrame:
    """Effect on årets resultat (mnkr) in the first and the last projection year of each factor
    in `FAKTORER`, on `scenario`: ``faktor, beskrivning, ar1_mnkr, ar10_mnkr`` (ar10 = the last
    year of the horizon). `personalandel`: personnel costs (kontoklass 5) / verksamhetens
    nettokostnad in the base year. `enhetskostnad_80_plus_tkr`: tkr per inhabitant 80+ in the
    base year's prices."""
    df = projektion.filter(pl.col("scenario") == scenario)
    if df.height == 0:
        raise ValueError(f"Långtidsprognosen saknar scenariot {scenario}.")
    det = _deterministisk(df)
    h = det["skatteunderlag"].size
    forsta = np.zeros(h)
    forsta[0] = 0.01
    avvikelser = {
        "skattesats_1_ore": {"d_skattesats": 0.01},
        "skatteunderlag_1pp_ett_ar": {"e_su": forsta},
        "skatteunderlag_1pp_varaktig": {"e_su": np.full(h, 0.01)},
        "loner_1_procent": {"lonetillagg": 0.01 * personalandel},
        "pkv_1pp": {"e_pkv": forsta},
        "befolkning_1_procent": {"m": np.full((1, h + 1), 1.01)},
        "aldre_80_plus_100": {
            "extra_kostnad": 100 * enhetskostnad_80_plus_tkr / 1000 * det["kostnadsniva"]
        },
        "ranta_1pp": {"d_ranta": 0.01},
    }
    bas, _, _ = _bana(det)
    rader = []
    for faktor, avvikelse in avvikelser.items():
        resultat, _, _ = _bana(det, **avvikelse)
        effekt = (resultat - bas)[0]
        rader.append((faktor, FAKTORER[faktor], float(effekt[0]), float(effekt[-1])))
    return pl.DataFrame(
        rader, schema=["faktor", "beskrivning", "ar1_mnkr", "ar10_mnkr"], orient="row"
    )
