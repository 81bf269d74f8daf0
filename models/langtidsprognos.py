"""The 10-year economic projection per scenario (docs/rules.md), and its backtest.

Units and signs (inputs and output): amounts in **mnkr**, all positive as amounts —
``skatteintakter`` and ``generella_statsbidrag`` are revenues, ``verksamhetens_nettokostnad``
and ``avskrivningar`` are costs — except ``finansnetto``, which is signed (positive = net
financial income) and ``arets_resultat`` (positive = surplus):

    arets_resultat = skatteintakter + generella_statsbidrag
                     − verksamhetens_nettokostnad − avskrivningar + finansnetto

``verksamhetens_nettokostnad`` here is *before* avskrivningar (the resultaträkning's
verksamhetens nettokostnad is this plus avskrivningar), so that the demographic and price model
acts on operating cost and the capital cost comes from the investment plan.

Projection for t = bas_ar+1 … bas_ar+ar and each scenario:

- skatteunderlag(bas) = skatteintakter(bas) / (skattesats(bas)/100); SKR's method:
  skatteunderlag(t) = skatteunderlag(t−1) × (1 + skatteunderlag_tillvaxt(t)) × (1 + own
  population growth, 31 Dec t−1 over 31 Dec t−2) / (1 + befolkning_riket_tillvaxt(t));
  skatteintakter(t) = skatteunderlag(t) × skattesats(t)/100.
- generella_statsbidrag(t) = statsbidrag_per_inv(t) [kr] × inhabitants at 31 Dec t−1 / 1e6
  (the 1 Nov count approximated by 31 Dec); the kr/inv assumption carries its own indexation.
- verksamhetens_nettokostnad(t) = nettokostnad(bas) × volymindex(t) × Π(1 + pkv) ×
  Π(1 + real_kostnadsdrift), products over bas_ar+1 … t; volymindex from
  `models.befolkning.demografiskt_volymindex` (age-group costs at `enhetskostnad`, the rest
  following the total population).
- avskrivningar(t) = the existing assets' + the new investments'. Each krona of investment
  depreciates once: the existing assets (bought before bas_ar, whose depreciation is the base
  year's avskrivningar) are taken as evenly aged with the mix of depreciation periods of the
  investments given, so their depreciation runs off linearly: avskrivningar(bas) × max(0, 1 −
  (t − bas_ar) / L), L = the amount-weighted mean avskrivningstid of `investeringar`; each
  investment from year ≥ bas_ar adds belopp / avskrivningstid from the year after its year, for
  avskrivningstid years. Reinvestment is whatever the plan holds (it is not assumed on top of
  it); a year after the plan's last year invests nothing. Without investments (the backtests)
  nothing is known of the assets' age and the base year's avskrivningar stay flat.
- debt and interest: laneskuld(bas) is the loan debt at the end of the base year (the
  assumption ``laneskuld`` of that year); each year's lånebehov adds to it, laneskuld(t) =
  laneskuld(t−1) + lanebehov(t), and the interest on what the projection has borrowed enters the
  following year: finansnetto(t) = the assumption ``finansnetto`` (which holds the interest on
  the base year's debt) − ranta(t) × (laneskuld(t−1) − laneskuld(bas)). lanebehov(t) = max(0,
  investeringar(t) − (arets_resultat(t) + avskrivningar(t))); a surplus beyond the year's
  investments is not assumed to amortise.
- resultatandel = arets_resultat / (skatteintakter + generella_statsbidrag) (a fraction);
  effektiviseringsbehov_mnkr = max(0, finansiellt_mal × (skatteintakter + statsbidrag) −
  arets_resultat), the cut in net cost that reaches the goal; effektiviseringsbehov_procent =
  that as a percentage of verksamhetens_nettokostnad.

The year in progress (``forsta_ar``, optional): when the first projection year bas_ar+1 is the
year being followed up, its official helårsprognos is that year's row, the same in every
scenario, so the projection and the resultaträkning show one årets resultat and resultatandel:
skatteintakter, generella_statsbidrag, finansnetto and arets_resultat as given; avskrivningar
as given, else projected as above; verksamhetens_nettokostnad the remainder (skatteintakter +
statsbidrag + finansnetto − avskrivningar − arets_resultat); its lånebehov is the projection's
first borrowing. The later years grow from that
year instead of from the base year: skatteunderlag(first) = skatteintakter(first) /
(skattesats(first)/100); nettokostnad(t) = nettokostnad(first) × volymindex(t) /
volymindex(first) × Π(1 + pkv)(1 + real_kostnadsdrift) over first+1 … t; the existing assets'
depreciation is what the first year's avskrivningar leave after the new investments', running
off from there at the same rate. The simulation leaves
that year at the forecast (the scenarios agree on it, and most of the year has happened).

Assumptions: ``antaganden`` is a long table ``ar, parameter, varde`` (other columns ignored)
with the parameters in `PARAMETRAR`; a rate (or skattesats) without a value for a year takes the
last earlier value, a level (`NIVAPARAMETRAR`) is uprated by its explicit index
``<parameter>_index`` or is an error, and a missing parameter raises ValueError. Scenarios are
additive adjustments on those parameters, ``scenario, parameter, justering``, applied to the
projection years; `SCENARIER_STANDARD` is
the one place for the defaults (bas; lag/hog = skatteunderlag growth −/+ 1 percentage point).

Uncertainty: `models.langtidssimulering.simulera`, a seeded joint simulation of the drivers
around each scenario's path, with the same draws for every scenario (see that module); the
quantile columns ``arets_resultat_p10 … _p90``, ``resultatandel_p10 … _p90`` and
``sannolikhet_under_mal``. The real cost drift estimated from history
(`models.langtidssimulering.skatta_kostnadsdrift`) is shown beside the assumption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from models.backtest import naive_drift, rolling_origins, summarise, with_errors
from models.befolkning import (
    ALDERSGRUPPER,
    ENHETSKOSTNAD_KALLA_REFERENS,
    ENHETSKOSTNAD_SJOBO,
    demografiskt_volymindex,
)
from models.langtidssimulering import (
    KVANTILER,
    OSAKERHET_STANDARD,
    Osakerhet,
    simulera,
    skatta_kostnadsdrift,
)

PARAMETRAR = (
    "skatteunderlag_tillvaxt",
    "befolkning_riket_tillvaxt",
    "pkv",
    "skattesats",
    "statsbidrag_per_inv",
    "real_kostnadsdrift",
    "finansnetto",
    "ranta",
)
"""Assumption parameters required for every projection year: growth rates and ``ranta`` (the
interest rate on new loans) as fractions (0.04), skattesats in percent (21.64), statsbidrag in
kr per inhabitant, finansnetto (signed) in mnkr."""

BASARSPARAMETRAR = ("laneskuld",)
"""Assumption parameters required for the base year only: ``laneskuld`` (mnkr), the loan debt
at its end, from which the projection carries the debt forward with the lånebehov."""

NIVAPARAMETRAR = ("statsbidrag_per_inv", "finansnetto")
"""Level parameters: never carried flat in silence. A year after the last given value takes
the previous year's value × (1 + the index ``<parameter>_index`` of that year, a fraction); the
index itself carries forward like a rate, and without an index such a year is an error (an
index of 0 states "unchanged" explicitly)."""


def indexparameter(parameter: str) -> str:
    """The name of the index a level parameter is carried forward with."""
    return f"{parameter}_index"


SCENARIER_STANDARD = pl.DataFrame(
    {
        "scenario": ["bas", "lag", "hog"],
        "parameter": ["skatteunderlag_tillvaxt"] * 3,
        "justering": [0.0, -0.01, 0.01],
    }
)
"""Default scenarios: additive adjustments to the assumptions in the projection years."""

HISTORIK_KOLUMNER = (
    "ar",
    "skatteintakter",
    "generella_statsbidrag",
    "verksamhetens_nettokostnad",
    "avskrivningar",
    "finansnetto",
)

_UTDATA = {
    "ar": pl.Int64,
    "scenario": pl.String,
    "invanare": pl.Float64,
    "volymindex": pl.Float64,
    "skatteunderlag": pl.Float64,
    "skatteintakter": pl.Float64,
    "generella_statsbidrag": pl.Float64,
    "verksamhetens_nettokostnad": pl.Float64,
    "avskrivningar": pl.Float64,
    "finansnetto": pl.Float64,
    "arets_resultat": pl.Float64,
    **{f"arets_resultat_p{k}": pl.Float64 for k in KVANTILER},
    "resultatandel": pl.Float64,
    **{f"resultatandel_p{k}": pl.Float64 for k in KVANTILER},
    "sannolikhet_under_mal": pl.Float64,
    "finansiellt_mal": pl.Float64,
    "effektiviseringsbehov_mnkr": pl.Float64,
    "effektiviseringsbehov_procent": pl.Float64,
    "investeringar": pl.Float64,
    "sjalvfinansieringsgrad": pl.Float64,
    "lanebehov_mnkr": pl.Float64,
    "laneskuld_mnkr": pl.Float64,
    "real_kostnadsdrift": pl.Float64,
    "real_kostnadsdrift_skattad": pl.Float64,
    "real_kostnadsdrift_medelfel": pl.Float64,
    "enhetskostnad_kalla": pl.String,
    "metod": pl.String,
}

DRIVARE = ("skatteunderlag_tillvaxt", "pkv", "skattesats", "laneskuld", "kostnadsniva")
"""Internal driver columns kept with ``med_drivare=True`` (for the sensitivity analysis)."""


def _krav(df: pl.DataFrame, kolumner: Sequence[str], namn: str) -> None:
    saknas = [k for k in kolumner if k not in df.columns]
    if saknas:
        raise ValueError(f"{namn} saknar kolumnerna {', '.join(saknas)}.")


def antagande(antaganden: pl.DataFrame, parameter: str, ar: Sequence[int]) -> dict[int, float]:
    """The value of `parameter` for each year in `ar`: the given value, else the last earlier
    one. Raises ValueError (in Swedish, naming the parameter) if it is missing."""
    _krav(antaganden, ["ar", "parameter", "varde"], "antaganden")
    rader = antaganden.filter(pl.col("parameter") == parameter).select(
        pl.col("ar").cast(pl.Int64), pl.col("varde").cast(pl.Float64)
    )
    if rader.height == 0:
        raise ValueError(f"Antagandet '{parameter}' saknas i antagandetabellen.")
    dubbletter = rader.group_by("ar").len().filter(pl.col("len") > 1)["ar"].to_list()
    if dubbletter:
        raise ValueError(
            f"Antagandet '{parameter}' har flera värden för år {', '.join(map(str, dubbletter))}."
        )
    givna = dict(rader.sort("ar").iter_rows())
    forsta = min(givna)
    varden = {}
    for t in ar:
        tidigare = [a for a in givna if a <= t]
        if not tidigare:
            raise ValueError(
                f"Antagandet '{parameter}' saknas för år {t} (första angivna år är {forsta})."
            )
        varden[t] = givna[max(tidigare)]
    return varden


def antagande_niva(antaganden: pl.DataFrame, parameter: str, ar: Sequence[int]) -> dict[int, float]:
    """A level parameter per year in `ar` (sorted ascending): the given value, else the previous
    year's × (1 + its index, `indexparameter`). Raises ValueError in Swedish when a year has
    neither a value nor an index."""
    index_namn = indexparameter(parameter)
    givna = dict(
        antaganden.filter(pl.col("parameter") == parameter)
        .select(pl.col("ar").cast(pl.Int64), pl.col("varde").cast(pl.Float64))
        .iter_rows()
    )
    har_index = antaganden.filter(pl.col("parameter") == index_namn).height > 0
    if not givna:
        raise ValueError(f"Antagandet '{parameter}' saknas i antagandetabellen.")
    varden: dict[int, float] = {}
    for t in ar:
        tidigare = [a for a in givna if a <= t]
        if not tidigare:
            raise ValueError(
                f"Antagandet '{parameter}' saknas för år {t} (första angivna år är {min(givna)})."
            )
        senast = max(tidigare)
        varde = givna[senast]
        if senast < t and not har_index:
            raise ValueError(
                f"Antagandet '{parameter}' saknas för år {t} och ingen uppräkning "
                f"'{index_namn}' är angiven: ange '{parameter}' för varje år eller en "
                "uppräkning i procent per år (0 för oförändrad nivå)."
            )
        for s in range(senast + 1, t + 1):
            varde *= 1.0 + antagande(antaganden, index_namn, [s])[s]
        varden[t] = varde
    return varden


def _scenarier(scenarier: pl.DataFrame) -> dict[str, dict[str, float]]:
    _krav(scenarier, ["scenario", "parameter", "justering"], "scenarier")
    okanda = set(scenarier["parameter"].to_list()) - set(PARAMETRAR)
    if okanda:
        raise ValueError(f"Okända parametrar i scenarierna: {', '.join(sorted(okanda))}.")
    ut: dict[str, dict[str, float]] = {}
    for scenario, parameter, justering in scenarier.select(
        "scenario", "parameter", "justering"
    ).iter_rows():
        ut.setdefault(str(scenario), {})
        ut[str(scenario)][parameter] = ut[str(scenario)].get(parameter, 0.0) + float(justering)
    return ut


def _invanare_31_dec(befolkning: pl.DataFrame) -> dict[int, float]:
    _krav(befolkning, ["ar", "alder", "kon", "antal"], "befolkning")
    return dict(
        befolkning.group_by(pl.col("ar").cast(pl.Int64))
        .agg(pl.col("antal").sum().cast(pl.Float64))
        .iter_rows()
    )


def _avskrivningar_nya(investeringar: pl.DataFrame | None, bas_ar: int, ar: Sequence[int]):
    """The depreciation (mnkr) of the investments from the base year on, per projection year:
    straight line from the year after the investment's, for its avskrivningstid."""
    tillagg = dict.fromkeys(ar, 0.0)
    if investeringar is None or investeringar.height == 0:
        return tillagg
    _krav(investeringar, ["ar", "belopp", "avskrivningstid"], "investeringar")
    if investeringar["avskrivningstid"].null_count() > 0:
        raise ValueError("investeringar: avskrivningstid saknas på någon rad.")
    for inv_ar, belopp, tid in investeringar.select("ar", "belopp", "avskrivningstid").iter_rows():
        if tid <= 0:
            raise ValueError(f"investeringar: ogiltig avskrivningstid {tid} (år {inv_ar}).")
        if inv_ar < bas_ar:
            continue  # an existing asset: in the base year's avskrivningar, running off
        for t in ar:
            if inv_ar < t <= inv_ar + tid:
                tillagg[t] += float(belopp) / float(tid)
    return tillagg


def existing_assets_runoff(
    investeringar: pl.DataFrame | None, bas_ar: int, ar: Sequence[int]
) -> dict[int, float]:
    """The share of the base year's avskrivningar the existing assets still carry each year:
    evenly aged assets with the investments' mix of depreciation periods (their amount-weighted
    mean L) run off linearly, 1 − (t − bas_ar) / L, floored at 0. Without investments the age
    of the assets is unknown and the share stays 1 (the base year's avskrivningar held flat)."""
    if investeringar is None or investeringar.height == 0:
        return dict.fromkeys(ar, 1.0)
    belopp = investeringar["belopp"].cast(pl.Float64)
    total = float(belopp.sum())
    if total <= 0:
        return dict.fromkeys(ar, 1.0)
    livslangd = float((belopp * investeringar["avskrivningstid"].cast(pl.Float64)).sum()) / total
    return {t: max(0.0, 1.0 - (t - bas_ar) / livslangd) for t in ar}


FORSTA_AR_KOLUMNER = (
    "skatteintakter",
    "generella_statsbidrag",
    "finansnetto",
    "arets_resultat",
)
"""What the official forecast of the first projection year must give (mnkr); avskrivningar is
optional."""


def _investeringar_per_ar(investeringar: pl.DataFrame | None, ar: Sequence[int]):
    """The investments (mnkr) of each projection year."""
    per_ar = dict.fromkeys(ar, 0.0)
    if investeringar is None or investeringar.height == 0:
        return per_ar
    for inv_ar, belopp in investeringar.select("ar", "belopp").iter_rows():
        if inv_ar in per_ar:
            per_ar[inv_ar] += float(belopp)
    return per_ar


def _forsta_aret(
    forsta_ar: Mapping[str, float | None] | None, avskrivningar_projicerade: float
) -> dict[str, float] | None:
    """The first projection year from its official helårsprognos, completed: avskrivningar
    default to the projection's own (existing assets + new investments), and the net cost before
    avskrivningar is what makes the year's result the forecast's result."""
    if forsta_ar is None:
        return None
    saknas = [k for k in FORSTA_AR_KOLUMNER if forsta_ar.get(k) is None]
    if saknas:
        raise ValueError(f"Helårsprognosen för första prognosåret saknar {', '.join(saknas)}.")
    ut = {k: float(forsta_ar[k]) for k in FORSTA_AR_KOLUMNER}
    avskr = forsta_ar.get("avskrivningar")
    ut["avskrivningar"] = avskrivningar_projicerade if avskr is None else float(avskr)
    ut["verksamhetens_nettokostnad"] = (
        ut["skatteintakter"]
        + ut["generella_statsbidrag"]
        + ut["finansnetto"]
        - ut["avskrivningar"]
        - ut["arets_resultat"]
    )
    return ut


def _enhetskostnad_kalla(enhetskostnad: pl.DataFrame) -> str:
    """Where the unit costs come from, recorded in the mart: the sources `enhetskostnader`
    names, the published reference figures, or ``angiven`` (a table passed in)."""
    if "kalla" in enhetskostnad.columns:
        return ",".join(sorted(set(enhetskostnad["kalla"].drop_nulls().to_list())))
    if enhetskostnad is ENHETSKOSTNAD_SJOBO:
        return ENHETSKOSTNAD_KALLA_REFERENS
    return "angiven"


def _laneskuld_basar(antaganden: pl.DataFrame, bas_ar: int) -> float:
    """The loan debt (mnkr) at the end of the base year: the assumption ``laneskuld`` stated for
    that very year (a level is never carried in silence; later years are projected)."""
    givna = _givna(antaganden, "laneskuld")
    if bas_ar not in givna:
        raise ValueError(
            f"Antagandet 'laneskuld' saknas för basåret {bas_ar}: ange låneskulden vid "
            f"utgången av {bas_ar}; senare år räknas fram med lånebehovet."
        )
    return givna[bas_ar]


def _givna(antaganden: pl.DataFrame, parameter: str) -> dict[int, float]:
    return dict(
        antaganden.filter(pl.col("parameter") == parameter)
        .select(pl.col("ar").cast(pl.Int64), pl.col("varde").cast(pl.Float64))
        .iter_rows()
    )


def langtidsprognos(
    historik: pl.DataFrame,
    befolkning: pl.DataFrame,
    antaganden: pl.DataFrame,
    investeringar: pl.DataFrame | None,
    bas_ar: int,
    ar: int = 10,
    scenarier: pl.DataFrame = SCENARIER_STANDARD,
    *,
    finansiellt_mal: float = 0.02,
    enhetskostnad: pl.DataFrame = ENHETSKOSTNAD_SJOBO,
    grupper: pl.DataFrame = ALDERSGRUPPER,
    forsta_ar: Mapping[str, float | None] | None = None,
    osakerhet: Osakerhet = OSAKERHET_STANDARD,
    med_drivare: bool = False,
) -> pl.DataFrame:
    """Project the municipality's economy `ar` years from `bas_ar` (see the module docstring).

    historik: annual ``ar, skatteintakter, generella_statsbidrag, verksamhetens_nettokostnad,
    avskrivningar, finansnetto`` (mnkr), must include `bas_ar`. befolkning: ``ar, alder, kon,
    antal`` at 31 Dec, history and forecast, from bas_ar−1 to bas_ar+ar. antaganden: ``ar,
    parameter, varde``. investeringar: ``ar, belopp`` (mnkr), ``avskrivningstid`` (years), or
    None. enhetskostnad in tkr per inhabitant. finansiellt_mal: resultatandel goal (0.02 = 2 %).
    forsta_ar: the official helårsprognos of the first projection year bas_ar+1 (the year in
    progress): ``skatteintakter, generella_statsbidrag, finansnetto, arets_resultat`` and
    optionally ``avskrivningar`` (mnkr); see the module docstring. None: every year projected.
    med_drivare: keep the drivers (growth rates, skattesats, laneskuld, kostnadsniva) that
    `models.langtidssimulering.kanslighetsanalys` needs.

    Returns one row per year × scenario with the columns of `_UTDATA`.
    """
    _krav(historik, HISTORIK_KOLUMNER, "historik")
    bas_rader = historik.filter(pl.col("ar") == bas_ar)
    if bas_rader.height != 1:
        raise ValueError(f"historik måste ha exakt en rad för basåret {bas_ar}.")
    bas = bas_rader.row(0, named=True)
    if ar < 1:
        raise ValueError("ar (antal prognosår) måste vara minst 1.")
    prognosar = list(range(bas_ar + 1, bas_ar + ar + 1))

    invanare = _invanare_31_dec(befolkning)
    saknade = [t for t in range(bas_ar - 1, bas_ar + ar + 1) if t not in invanare]
    if saknade:
        raise ValueError(
            f"befolkning saknar år {', '.join(map(str, saknade))} "
            f"(behövs 31 dec {bas_ar - 1}–{bas_ar + ar})."
        )
    volym = dict(
        demografiskt_volymindex(
            befolkning,
            bas_ar,
            enhetskostnad,
            grupper,
            bas_nettokostnad_tkr=float(bas["verksamhetens_nettokostnad"]) * 1000.0,
        )
        .select("ar", "volymindex")
        .iter_rows()
    )
    param = {
        p: (antagande_niva if p in NIVAPARAMETRAR else antagande)(antaganden, p, prognosar)
        for p in PARAMETRAR
    }
    skattesats_bas = antagande(antaganden, "skattesats", [bas_ar])[bas_ar]
    if skattesats_bas <= 0:
        raise ValueError(f"skattesats för basåret {bas_ar} måste vara positiv.")
    nya_avskrivningar = _avskrivningar_nya(investeringar, bas_ar, prognosar)
    kvar = {bas_ar: 1.0} | existing_assets_runoff(investeringar, bas_ar, prognosar)
    investerat = _investeringar_per_ar(investeringar, prognosar)
    laneskuld_bas = _laneskuld_basar(antaganden, bas_ar)
    justeringar = _scenarier(scenarier)
    kostnad_basar = float(bas["verksamhetens_nettokostnad"])
    if kostnad_basar <= 0:
        raise ValueError(f"verksamhetens nettokostnad för basåret {bas_ar} måste vara positiv.")

    forsta = _forsta_aret(
        forsta_ar,
        float(bas["avskrivningar"]) * kvar[prognosar[0]] + nya_avskrivningar[prognosar[0]],
    )
    rader = []
    for scenario, just in justeringar.items():
        # The running state each year is projected from: the base year's, or after an official
        # first year, that year's (so year 2 grows from the forecast, not from the base).
        skatteunderlag = float(bas["skatteintakter"]) / (skattesats_bas / 100.0)
        kostnad_bas = kostnad_basar
        volym_bas = 1.0
        # the existing assets' depreciation in the year `ar_bas` the later years run off from
        befintliga, ar_bas = float(bas["avskrivningar"]), bas_ar
        prisfaktor = 1.0
        laneskuld = laneskuld_bas
        for t in prognosar:
            v = {p: param[p][t] + just.get(p, 0.0) for p in PARAMETRAR}
            if v["skattesats"] <= 0:
                raise ValueError(f"skattesats för år {t} måste vara positiv.")
            skuld_ingaende = laneskuld
            if forsta is not None and t == prognosar[0]:
                # The year in progress is the official helårsprognos in every scenario; the
                # scenarios adjust the years after it.
                skatt = forsta["skatteintakter"]
                statsbidrag = forsta["generella_statsbidrag"]
                kostnad = forsta["verksamhetens_nettokostnad"]
                avskr = forsta["avskrivningar"]
                finansnetto = forsta["finansnetto"]
                resultat = forsta["arets_resultat"]  # exactly the forecast, no float residue
                skatteunderlag = skatt / (v["skattesats"] / 100.0)
                kostnad_bas, volym_bas, prisfaktor = kostnad, volym[t], 1.0
                befintliga, ar_bas = avskr - nya_avskrivningar[t], t
            else:
                # SKR's method: the national growth, corrected by how much faster the own
                # population grows than the nation's (1 Nov counts approximated by 31 Dec t-1).
                egen = invanare[t - 1] / invanare[t - 2] - 1.0
                skatteunderlag *= (
                    (1.0 + v["skatteunderlag_tillvaxt"])
                    * (1.0 + egen)
                    / (1.0 + v["befolkning_riket_tillvaxt"])
                )
                prisfaktor *= (1.0 + v["pkv"]) * (1.0 + v["real_kostnadsdrift"])
                skatt = skatteunderlag * v["skattesats"] / 100.0
                statsbidrag = v["statsbidrag_per_inv"] * invanare[t - 1] / 1e6
                kostnad = kostnad_bas * volym[t] / volym_bas * prisfaktor
                andel = kvar[t] / kvar[ar_bas] if kvar[ar_bas] > 0 else 0.0
                avskr = befintliga * andel + nya_avskrivningar[t]
                # the assumption holds the base year's debt's interest; the projection's own
                # borrowing until last year costs this year's rate
                finansnetto = v["finansnetto"] - v["ranta"] * (skuld_ingaende - laneskuld_bas)
                resultat = skatt + statsbidrag - kostnad - avskr + finansnetto
            intakter = skatt + statsbidrag
            behov = max(0.0, finansiellt_mal * intakter - resultat)
            # The year's own financing of its investments: result + avskrivningar (cash).
            egen_finansiering = resultat + avskr
            inv = investerat[t]
            lanebehov = max(0.0, inv - egen_finansiering)
            laneskuld = skuld_ingaende + lanebehov
            rader.append(
                {
                    "ar": t,
                    "scenario": scenario,
                    "invanare": invanare[t],
                    "volymindex": volym[t],
                    "skatteunderlag": skatteunderlag,
                    "skatteintakter": skatt,
                    "generella_statsbidrag": statsbidrag,
                    "verksamhetens_nettokostnad": kostnad,
                    "avskrivningar": avskr,
                    "finansnetto": finansnetto,
                    "arets_resultat": resultat,
                    "resultatandel": resultat / intakter if intakter else None,
                    "finansiellt_mal": finansiellt_mal,
                    "effektiviseringsbehov_mnkr": behov,
                    "effektiviseringsbehov_procent": behov / kostnad * 100.0 if kostnad else None,
                    "investeringar": inv,
                    "sjalvfinansieringsgrad": egen_finansiering / inv if inv > 0 else None,
                    "lanebehov_mnkr": lanebehov,
                    "laneskuld_mnkr": laneskuld,
                    # drivers, for the simulation and the sensitivity analysis
                    "skatteunderlag_tillvaxt": v["skatteunderlag_tillvaxt"],
                    "pkv": v["pkv"],
                    "real_kostnadsdrift": v["real_kostnadsdrift"],
                    "skattesats": v["skattesats"],
                    # the debt the year's interest is paid on (owed from its start)
                    "laneskuld": skuld_ingaende,
                    # the net cost per volume unit relative to the base year's: price level
                    "kostnadsniva": kostnad / (kostnad_basar * volym[t]),
                }
            )
    df = pl.DataFrame(rader)

    drift = skatta_kostnadsdrift(
        {
            a: k
            for a, k in historik.select(pl.col("ar").cast(pl.Int64), "verksamhetens_nettokostnad")
            .filter(pl.col("ar") <= bas_ar)
            .iter_rows()
            if k and k > 0
        },
        volym,
        _givna(antaganden, "pkv"),
        osakerhet,
    )
    kvantiler = simulera(
        df, drift, finansiellt_mal, forankrat_forsta_ar=forsta is not None, osakerhet=osakerhet
    )
    ordning = {s: i for i, s in enumerate(justeringar)}
    df = (
        df.join(kvantiler, on=["ar", "scenario"])
        .with_columns(
            pl.lit(drift.skattning, dtype=pl.Float64).alias("real_kostnadsdrift_skattad"),
            pl.lit(drift.medelfel).alias("real_kostnadsdrift_medelfel"),
            pl.lit(_enhetskostnad_kalla(enhetskostnad)).alias("enhetskostnad_kalla"),
            pl.lit(f"simulering_{osakerhet.antal_banor}_banor").alias("metod"),
            pl.col("scenario").replace_strict(ordning, return_dtype=pl.Int64).alias("_ordning"),
        )
        .sort("ar", "_ordning")
    )
    kolumner = list(_UTDATA) + (list(DRIVARE) if med_drivare else [])
    return df.select([pl.col(k).cast(_UTDATA.get(k, pl.Float64)) for k in kolumner])


# The components the backtests compare, in this order.
BACKTEST_VARIABLER = (
    "skatteintakter",
    "generella_statsbidrag",
    "verksamhetens_nettokostnad",
    "arets_resultat",
)


def _historik_med_resultat(historik: pl.DataFrame) -> pl.DataFrame:
    """The history by year with its årets resultat, as both backtests read it."""
    _krav(historik, HISTORIK_KOLUMNER, "historik")
    return (
        historik.with_columns(pl.col("ar").cast(pl.Int64))
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
    historik: pl.DataFrame,
    befolkning: pl.DataFrame,
    antaganden: pl.DataFrame,
    *,
    min_traning: int = 3,
    max_horisont: int = 5,
    enhetskostnad: pl.DataFrame = ENHETSKOSTNAD_SJOBO,
    grupper: pl.DataFrame = ALDERSGRUPPER,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rolling-origin backtest of the projection (scenario ``bas``) against a naive random walk
    with drift on each series, over the years in `historik`.

    This is an *ex post* test: the projection gets the real population and the assumptions
    for the past years (so `antaganden` must cover them), so it measures the model's structure,
    not the error of the assumptions themselves. No investments are passed (avskrivningar stay
    at the origin's level) and only the series below are scored.

    Returns ``(detaljer, sammanfattning)``: detaljer has ``origo, horisont, ar, variabel, metod,
    prognos, faktiskt, fel, abs_fel, abs_fel_procent``; sammanfattning per ``variabel, metod,
    horisont``: ``n, mae, mape`` (mape is not meaningful for arets_resultat, read mae there).
    """
    variabler = BACKTEST_VARIABLER
    hist = _historik_med_resultat(historik)
    faktiskt = {r["ar"]: r for r in hist.iter_rows(named=True)}
    rader = []
    fall = rolling_origins(hist["ar"].to_list(), min_traning, max_horisont)
    for origo in sorted({f[0] for f in fall}):
        horisont = max(h for o, h, _ in fall if o == origo)
        tidigare = hist.filter(pl.col("ar") <= origo)
        projektion = langtidsprognos(
            tidigare.select(HISTORIK_KOLUMNER),
            befolkning,
            _utan_skuld(antaganden, origo),
            None,
            bas_ar=origo,
            ar=horisont,
            scenarier=SCENARIER_STANDARD.filter(pl.col("scenario") == "bas"),
            enhetskostnad=enhetskostnad,
            grupper=grupper,
        )
        for rad in projektion.iter_rows(named=True):
            h = rad["ar"] - origo
            for variabel in variabler:
                bas = {"origo": origo, "horisont": h, "ar": rad["ar"], "variabel": variabel}
                rader.append(
                    bas
                    | {
                        "metod": "projektion",
                        "prognos": rad[variabel],
                        "faktiskt": faktiskt[rad["ar"]][variabel],
                    }
                )
                rader.append(
                    bas
                    | {
                        "metod": "naiv_drift",
                        "prognos": naive_drift(tidigare[variabel].to_list(), h),
                        "faktiskt": faktiskt[rad["ar"]][variabel],
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
    detaljer = with_errors(pl.DataFrame(rader, schema=schema))
    return detaljer, summarise(detaljer, ["variabel", "metod", "horisont"])


def _utan_skuld(antaganden: pl.DataFrame, origo: int) -> pl.DataFrame:
    """The assumptions with no loan debt at `origo`: the ex-post backtest invests nothing, so
    it borrows nothing and the debt plays no part in what it scores."""
    return pl.concat(
        [
            antaganden.filter(pl.col("parameter") != "laneskuld").select(
                "ar", "parameter", "varde"
            ),
            pl.DataFrame({"ar": [origo], "parameter": ["laneskuld"], "varde": [0.0]}),
        ],
        how="vertical_relaxed",
    )


def ex_ante_antaganden(
    historik: pl.DataFrame, befolkning: pl.DataFrame, antaganden: pl.DataFrame, origo: int
) -> pl.DataFrame:
    """The assumptions a projection made at `origo` could have had, from what was known then:
    the skattesats in force; skatteunderlag growth net of the own population's, the PKV and the
    growth of the grants per inhabitant as their means over the history up to `origo`; the real
    cost drift as estimated from that history (0 without an estimate); finansnetto held at its
    level (index 0). National population growth is set to 0, since the growth assumed is
    already net of the own population's. Returns ``ar, parameter, varde`` for year `origo`."""
    hist = historik.filter(pl.col("ar") <= origo).sort("ar")
    inv = _invanare_31_dec(befolkning)
    ar = hist["ar"].to_list()
    skattesats = antagande(antaganden, "skattesats", ar)
    rad = {r["ar"]: r for r in hist.iter_rows(named=True)}
    su = {t: rad[t]["skatteintakter"] / (skattesats[t] / 100.0) for t in ar}
    su_netto, sb_tillvaxt = [], []
    for t in ar:
        if t - 1 in su and t - 2 in inv and t - 1 in inv:
            su_netto.append(su[t] / su[t - 1] / (inv[t - 1] / inv[t - 2]) - 1.0)
        if t - 1 in rad and t - 1 in inv and t - 2 in inv:
            sb_tillvaxt.append(
                (rad[t]["generella_statsbidrag"] / inv[t - 1])
                / (rad[t - 1]["generella_statsbidrag"] / inv[t - 2])
                - 1.0
            )
    if not su_netto:
        raise ValueError(f"Backtesten från {origo} behöver minst två år av historik.")
    pkv = [v for a, v in _givna(antaganden, "pkv").items() if a <= origo]
    volym = dict(
        demografiskt_volymindex(
            befolkning,
            origo,
            bas_nettokostnad_tkr=float(rad[origo]["verksamhetens_nettokostnad"]) * 1000.0,
        )
        .select("ar", "volymindex")
        .iter_rows()
    )
    drift = skatta_kostnadsdrift(
        {t: rad[t]["verksamhetens_nettokostnad"] for t in ar},
        volym,
        _givna(antaganden, "pkv"),
    )
    varden = {
        "skattesats": skattesats[origo],
        "skatteunderlag_tillvaxt": float(np.mean(su_netto)),
        "befolkning_riket_tillvaxt": 0.0,
        "pkv": float(np.mean(pkv)) if pkv else 0.0,
        "real_kostnadsdrift": drift.skattning or 0.0,
        "statsbidrag_per_inv": rad[origo]["generella_statsbidrag"] * 1e6 / inv[origo - 1],
        indexparameter("statsbidrag_per_inv"): float(np.mean(sb_tillvaxt)) if sb_tillvaxt else 0.0,
        "finansnetto": rad[origo]["finansnetto"],
        indexparameter("finansnetto"): 0.0,
        # no investments in the backtest, so nothing is borrowed and the rate plays no part
        "laneskuld": 0.0,
        "ranta": 0.0,
    }
    return pl.DataFrame(
        {"ar": [origo] * len(varden), "parameter": list(varden), "varde": list(varden.values())}
    )


def precision_ex_ante(
    historik: pl.DataFrame,
    befolkning: pl.DataFrame,
    antaganden: pl.DataFrame,
    *,
    min_traning: int = 3,
    max_horisont: int = 5,
) -> pl.DataFrame:
    """Ex-ante rolling-origin backtest of the projection's components against a random walk
    with drift: at each origin the projection gets only `ex_ante_antaganden` (the population is
    the outcome, so its own forecast error is not measured). Per ``variabel, horisont``: ``n,
    mae_projektion, mae_naiv_drift, relativ_mae`` (= mae_projektion / mae_naiv_drift; below 1
    the projection beats the naive forecast)."""
    variabler = BACKTEST_VARIABLER
    hist = _historik_med_resultat(historik)
    faktiskt = {r["ar"]: r for r in hist.iter_rows(named=True)}
    invanare = _invanare_31_dec(befolkning)
    fall = [
        f
        for f in rolling_origins(hist["ar"].to_list(), min_traning, max_horisont)
        if f[0] - 2 in invanare
    ]
    rader = []
    for origo in sorted({f[0] for f in fall}):
        horisont = max(h for o, h, _ in fall if o == origo)
        tidigare = hist.filter(pl.col("ar") <= origo)
        projektion = langtidsprognos(
            tidigare.select(HISTORIK_KOLUMNER),
            befolkning,
            ex_ante_antaganden(tidigare, befolkning, antaganden, origo),
            None,
            bas_ar=origo,
            ar=horisont,
            scenarier=SCENARIER_STANDARD.filter(pl.col("scenario") == "bas"),
        )
        for rad in projektion.iter_rows(named=True):
            h = rad["ar"] - origo
            for variabel in variabler:
                utfall = faktiskt[rad["ar"]][variabel]
                naiv = naive_drift(tidigare[variabel].to_list(), h)
                rader.append((variabel, h, abs(rad[variabel] - utfall), abs(naiv - utfall)))
    schema = {
        "variabel": pl.String,
        "horisont": pl.Int64,
        "fel_projektion": pl.Float64,
        "fel_naiv": pl.Float64,
    }
    return (
        pl.DataFrame(rader, schema=schema, orient="row")
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
