"""The 10-year economic projection per scenario (docs/rules.md); its backtests are in
`models.langtidsprognos_precision`.

Units and signs (inputs and output): amounts in **mnkr**, all positive as amounts —
``skatteintakter`` and ``generella_statsbidrag`` are revenues, ``verksamhetens_nettokostnad``
and ``avskrivningar`` are costs — except ``finansnetto``, which is signed (positive = net
financial income) and ``arets_resultat`` (positive = surplus):

    arets_resultat = skatteintakter + generella_statsbidrag
                     − verksamhetens_nettokostnad − avskrivningar + finansnetto

``verksamhetens_nettokostnad`` here is *before* avskrivningar (the resultaträkning's
verksamhetens nettokostnad is this plus avskrivningar), so that the demographic and price model
acts on operating cost and the capital cost comes from the investment plan.

Projection for t = base_year+1 … base_year+years and each scenario:

- skatteunderlag(bas) = skatteintakter(bas) / (skattesats(bas)/100); SKR's method:
  skatteunderlag(t) = skatteunderlag(t−1) × (1 + skatteunderlag_tillvaxt(t)) × (1 + own
  population growth, 31 Dec t−1 over 31 Dec t−2) / (1 + befolkning_riket_tillvaxt(t));
  skatteintakter(t) = skatteunderlag(t) × skattesats(t)/100.
- generella_statsbidrag(t) = statsbidrag_per_inv(t) [kr] × inhabitants at 31 Dec t−1 / 1e6
  (the 1 Nov count approximated by 31 Dec); the kr/inv assumption carries its own indexation.
- verksamhetens_nettokostnad(t) = nettokostnad(bas) × volymindex(t) × Π(1 + pkv) ×
  Π(1 + real_kostnadsdrift), products over base_year+1 … t; volymindex from
  `models.befolkning.demografiskt_volymindex` (age-group costs at `unit_costs`, the rest
  following the total population).
- avskrivningar(t) = the existing assets' + the new investments'. Each krona of investment
  depreciates once: the existing assets (bought before base_year, whose depreciation is the base
  year's avskrivningar) are taken as evenly aged with the mix of depreciation periods of the
  investments given, so their depreciation runs off linearly: avskrivningar(bas) × max(0, 1 −
  (t − base_year) / L), L = the amount-weighted mean avskrivningstid of `investments`; each
  investment from year ≥ base_year adds belopp / avskrivningstid from the year after its year, for
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
  effektiviseringsbehov_mnkr = max(0, financial_goal × (skatteintakter + statsbidrag) −
  arets_resultat), the cut in net cost that reaches the goal; effektiviseringsbehov_procent =
  that as a percentage of verksamhetens_nettokostnad.

The year in progress (``first_year``, optional): when the first projection year base_year+1 is the
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

Assumptions and scenarios (``ar, parameter, varde`` and ``scenario, parameter, justering``):
`models.langtidsprognos_assumptions`, which reads them per projection year.

Uncertainty: `models.langtidssimulering.simulera`, a seeded joint simulation of the drivers
around each scenario's path, with the same draws for every scenario (see that module); the
quantile columns ``arets_resultat_p10 … _p90``, ``resultatandel_p10 … _p90`` and
``sannolikhet_under_mal``. The real cost drift estimated from history
(`models.langtidssimulering.skatta_kostnadsdrift`) is shown beside the assumption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from models.befolkning import (
    ALDERSGRUPPER,
    ENHETSKOSTNAD_KALLA_REFERENS,
    ENHETSKOSTNAD_SJOBO,
    demografiskt_volymindex,
)
from models.langtidsprognos_assumptions import (
    DEFAULT_SCENARIOS,
    LEVEL_PARAMETERS,
    PARAMETERS,
    _base_year_debt,
    _given,
    _require,
    _scenarios,
    assumption,
    level_assumption,
)
from models.langtidssimulering import (
    KVANTILER,
    OSAKERHET_STANDARD,
    Osakerhet,
    simulera,
    skatta_kostnadsdrift,
)

HISTORY_COLUMNS = (
    "ar",
    "skatteintakter",
    "generella_statsbidrag",
    "verksamhetens_nettokostnad",
    "avskrivningar",
    "finansnetto",
)

_OUTPUT_SCHEMA = {
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

DRIVERS = ("skatteunderlag_tillvaxt", "pkv", "skattesats", "laneskuld", "kostnadsniva")
"""Internal driver columns kept with ``with_drivers=True`` (for the sensitivity analysis)."""


def _inhabitants_31_dec(population: pl.DataFrame) -> dict[int, float]:
    _require(population, ["ar", "alder", "kon", "antal"], "befolkning")
    return dict(
        population.group_by(pl.col("ar").cast(pl.Int64))
        .agg(pl.col("antal").sum().cast(pl.Float64))
        .iter_rows()
    )


def _new_avskrivningar(investments: pl.DataFrame | None, base_year: int, years: Sequence[int]):
    """The depreciation (mnkr) of the investments from the base year on, per projection year:
    straight line from the year after the investment's, for its avskrivningstid."""
    added = dict.fromkeys(years, 0.0)
    if investments is None or investments.height == 0:
        return added
    _require(investments, ["ar", "belopp", "avskrivningstid"], "investeringar")
    if investments["avskrivningstid"].null_count() > 0:
        raise ValueError("investeringar: avskrivningstid saknas på någon rad.")
    for inv_year, amount, period in investments.select(
        "ar", "belopp", "avskrivningstid"
    ).iter_rows():
        if period <= 0:
            raise ValueError(f"investeringar: ogiltig avskrivningstid {period} (år {inv_year}).")
        if inv_year < base_year:
            continue  # an existing asset: in the base year's avskrivningar, running off
        for t in years:
            if inv_year < t <= inv_year + period:
                added[t] += float(amount) / float(period)
    return added


def existing_assets_runoff(
    investments: pl.DataFrame | None, base_year: int, years: Sequence[int]
) -> dict[int, float]:
    """The share of the base year's avskrivningar the existing assets still carry each year:
    evenly aged assets with the investments' mix of depreciation periods (their amount-weighted
    mean L) run off linearly, 1 − (t − base_year) / L, floored at 0. Without investments the age
    of the assets is unknown and the share stays 1 (the base year's avskrivningar held flat)."""
    if investments is None or investments.height == 0:
        return dict.fromkeys(years, 1.0)
    amount = investments["belopp"].cast(pl.Float64)
    total = float(amount.sum())
    if total <= 0:
        return dict.fromkeys(years, 1.0)
    lifetime = float((amount * investments["avskrivningstid"].cast(pl.Float64)).sum()) / total
    return {t: max(0.0, 1.0 - (t - base_year) / lifetime) for t in years}


FIRST_YEAR_COLUMNS = (
    "skatteintakter",
    "generella_statsbidrag",
    "finansnetto",
    "arets_resultat",
)
"""What the official forecast of the first projection year must give (mnkr); avskrivningar is
optional."""


def _investments_per_year(investments: pl.DataFrame | None, years: Sequence[int]):
    """The investments (mnkr) of each projection year."""
    per_year = dict.fromkeys(years, 0.0)
    if investments is None or investments.height == 0:
        return per_year
    for inv_year, amount in investments.select("ar", "belopp").iter_rows():
        if inv_year in per_year:
            per_year[inv_year] += float(amount)
    return per_year


def _complete_first_year(
    first_year: Mapping[str, float | None] | None, projected_avskrivningar: float
) -> dict[str, float] | None:
    """The first projection year from its official helårsprognos, completed: avskrivningar
    default to the projection's own (existing assets + new investments), and the net cost before
    avskrivningar is what makes the year's result the forecast's result."""
    if first_year is None:
        return None
    missing = [k for k in FIRST_YEAR_COLUMNS if first_year.get(k) is None]
    if missing:
        raise ValueError(f"Helårsprognosen för första prognosåret saknar {', '.join(missing)}.")
    out = {k: float(first_year[k]) for k in FIRST_YEAR_COLUMNS}
    avskrivningar = first_year.get("avskrivningar")
    out["avskrivningar"] = (
        projected_avskrivningar if avskrivningar is None else float(avskrivningar)
    )
    out["verksamhetens_nettokostnad"] = (
        out["skatteintakter"]
        + out["generella_statsbidrag"]
        + out["finansnetto"]
        - out["avskrivningar"]
        - out["arets_resultat"]
    )
    return out


def _unit_cost_source(unit_costs: pl.DataFrame) -> str:
    """Where the unit costs come from, recorded in the mart: the sources `enhetskostnader`
    names, the published reference figures, or ``angiven`` (a table passed in)."""
    if "kalla" in unit_costs.columns:
        return ",".join(sorted(set(unit_costs["kalla"].drop_nulls().to_list())))
    if unit_costs is ENHETSKOSTNAD_SJOBO:
        return ENHETSKOSTNAD_KALLA_REFERENS
    return "angiven"


def langtidsprognos(
    history: pl.DataFrame,
    population: pl.DataFrame,
    assumptions: pl.DataFrame,
    investments: pl.DataFrame | None,
    base_year: int,
    years: int = 10,
    scenarios: pl.DataFrame = DEFAULT_SCENARIOS,
    *,
    financial_goal: float = 0.02,
    unit_costs: pl.DataFrame = ENHETSKOSTNAD_SJOBO,
    age_groups: pl.DataFrame = ALDERSGRUPPER,
    first_year: Mapping[str, float | None] | None = None,
    uncertainty: Osakerhet = OSAKERHET_STANDARD,
    with_drivers: bool = False,
) -> pl.DataFrame:
    """Project the municipality's economy `years` years from `base_year` (see the module
    docstring).

    history: annual ``ar, skatteintakter, generella_statsbidrag, verksamhetens_nettokostnad,
    avskrivningar, finansnetto`` (mnkr), must include `base_year`. population: ``ar, alder, kon,
    antal`` at 31 Dec, history and forecast, from base_year−1 to base_year+years. assumptions:
    ``ar, parameter, varde`` (`models.langtidsprognos_assumptions`). investments: ``ar, belopp``
    (mnkr), ``avskrivningstid`` (years), or None. unit_costs: ``aldersgrupp,
    enhetskostnad_tkr`` in tkr per inhabitant. financial_goal: resultatandel goal (0.02 = 2 %).
    first_year: the official helårsprognos of the first projection year base_year+1 (the year in
    progress): ``skatteintakter, generella_statsbidrag, finansnetto, arets_resultat`` and
    optionally ``avskrivningar`` (mnkr); see the module docstring. None: every year projected.
    with_drivers: keep the drivers (growth rates, skattesats, laneskuld, kostnadsniva) that
    `models.langtidssimulering.kanslighetsanalys` needs.

    Returns one row per year × scenario with the columns of `_OUTPUT_SCHEMA`.
    """
    _require(history, HISTORY_COLUMNS, "historik")
    base_rows = history.filter(pl.col("ar") == base_year)
    if base_rows.height != 1:
        raise ValueError(f"historik måste ha exakt en rad för basåret {base_year}.")
    base = base_rows.row(0, named=True)
    if years < 1:
        raise ValueError("ar (antal prognosår) måste vara minst 1.")
    projection_years = list(range(base_year + 1, base_year + years + 1))

    inhabitants = _inhabitants_31_dec(population)
    missing = [t for t in range(base_year - 1, base_year + years + 1) if t not in inhabitants]
    if missing:
        raise ValueError(
            f"befolkning saknar år {', '.join(map(str, missing))} "
            f"(behövs 31 dec {base_year - 1}–{base_year + years})."
        )
    volume = dict(
        demografiskt_volymindex(
            population,
            base_year,
            unit_costs,
            age_groups,
            bas_nettokostnad_tkr=float(base["verksamhetens_nettokostnad"]) * 1000.0,
        )
        .select("ar", "volymindex")
        .iter_rows()
    )
    param = {
        p: (level_assumption if p in LEVEL_PARAMETERS else assumption)(
            assumptions, p, projection_years
        )
        for p in PARAMETERS
    }
    base_tax_rate = assumption(assumptions, "skattesats", [base_year])[base_year]
    if base_tax_rate <= 0:
        raise ValueError(f"skattesats för basåret {base_year} måste vara positiv.")
    new_avskrivningar = _new_avskrivningar(investments, base_year, projection_years)
    remaining = {base_year: 1.0} | existing_assets_runoff(investments, base_year, projection_years)
    invested = _investments_per_year(investments, projection_years)
    base_debt = _base_year_debt(assumptions, base_year)
    adjustments = _scenarios(scenarios)
    base_year_cost = float(base["verksamhetens_nettokostnad"])
    if base_year_cost <= 0:
        raise ValueError(f"verksamhetens nettokostnad för basåret {base_year} måste vara positiv.")

    first = _complete_first_year(
        first_year,
        float(base["avskrivningar"]) * remaining[projection_years[0]]
        + new_avskrivningar[projection_years[0]],
    )
    rows = []
    for scenario, adjustment in adjustments.items():
        # The running state each year is projected from: the base year's, or after an official
        # first year, that year's (so year 2 grows from the forecast, not from the base).
        skatteunderlag = float(base["skatteintakter"]) / (base_tax_rate / 100.0)
        cost_base = base_year_cost
        volume_base = 1.0
        # the existing assets' depreciation in the year `ar_bas` the later years run off from
        existing, runoff_from = float(base["avskrivningar"]), base_year
        price_factor = 1.0
        debt = base_debt
        for t in projection_years:
            v = {p: param[p][t] + adjustment.get(p, 0.0) for p in PARAMETERS}
            if v["skattesats"] <= 0:
                raise ValueError(f"skattesats för år {t} måste vara positiv.")
            opening_debt = debt
            if first is not None and t == projection_years[0]:
                # The year in progress is the official helårsprognos in every scenario; the
                # scenarios adjust the years after it.
                tax_revenue = first["skatteintakter"]
                statsbidrag = first["generella_statsbidrag"]
                cost = first["verksamhetens_nettokostnad"]
                avskrivningar = first["avskrivningar"]
                finansnetto = first["finansnetto"]
                result = first["arets_resultat"]  # exactly the forecast, no float residue
                skatteunderlag = tax_revenue / (v["skattesats"] / 100.0)
                cost_base, volume_base, price_factor = cost, volume[t], 1.0
                existing, runoff_from = avskrivningar - new_avskrivningar[t], t
            else:
                # SKR's method: the national growth, corrected by how much faster the own
                # population grows than the nation's (1 Nov counts approximated by 31 Dec t-1).
                own_growth = inhabitants[t - 1] / inhabitants[t - 2] - 1.0
                skatteunderlag *= (
                    (1.0 + v["skatteunderlag_tillvaxt"])
                    * (1.0 + own_growth)
                    / (1.0 + v["befolkning_riket_tillvaxt"])
                )
                price_factor *= (1.0 + v["pkv"]) * (1.0 + v["real_kostnadsdrift"])
                tax_revenue = skatteunderlag * v["skattesats"] / 100.0
                statsbidrag = v["statsbidrag_per_inv"] * inhabitants[t - 1] / 1e6
                cost = cost_base * volume[t] / volume_base * price_factor
                share = remaining[t] / remaining[runoff_from] if remaining[runoff_from] > 0 else 0.0
                avskrivningar = existing * share + new_avskrivningar[t]
                # the assumption holds the base year's debt's interest; the projection's own
                # borrowing until last year costs this year's rate
                finansnetto = v["finansnetto"] - v["ranta"] * (opening_debt - base_debt)
                result = tax_revenue + statsbidrag - cost - avskrivningar + finansnetto
            revenue = tax_revenue + statsbidrag
            efficiency_need = max(0.0, financial_goal * revenue - result)
            # The year's own financing of its investments: result + avskrivningar (cash).
            self_financing = result + avskrivningar
            inv = invested[t]
            lanebehov = max(0.0, inv - self_financing)
            debt = opening_debt + lanebehov
            rows.append(
                {
                    "ar": t,
                    "scenario": scenario,
                    "invanare": inhabitants[t],
                    "volymindex": volume[t],
                    "skatteunderlag": skatteunderlag,
                    "skatteintakter": tax_revenue,
                    "generella_statsbidrag": statsbidrag,
                    "verksamhetens_nettokostnad": cost,
                    "avskrivningar": avskrivningar,
                    "finansnetto": finansnetto,
                    "arets_resultat": result,
                    "resultatandel": result / revenue if revenue else None,
                    "finansiellt_mal": financial_goal,
                    "effektiviseringsbehov_mnkr": efficiency_need,
                    "effektiviseringsbehov_procent": efficiency_need / cost * 100.0
                    if cost
                    else None,
                    "investeringar": inv,
                    "sjalvfinansieringsgrad": self_financing / inv if inv > 0 else None,
                    "lanebehov_mnkr": lanebehov,
                    "laneskuld_mnkr": debt,
                    # drivers, for the simulation and the sensitivity analysis
                    "skatteunderlag_tillvaxt": v["skatteunderlag_tillvaxt"],
                    "pkv": v["pkv"],
                    "real_kostnadsdrift": v["real_kostnadsdrift"],
                    "skattesats": v["skattesats"],
                    # the debt the year's interest is paid on (owed from its start)
                    "laneskuld": opening_debt,
                    # the net cost per volume unit relative to the base year's: price level
                    "kostnadsniva": cost / (base_year_cost * volume[t]),
                }
            )
    df = pl.DataFrame(rows)

    drift = skatta_kostnadsdrift(
        {
            a: k
            for a, k in history.select(pl.col("ar").cast(pl.Int64), "verksamhetens_nettokostnad")
            .filter(pl.col("ar") <= base_year)
            .iter_rows()
            if k and k > 0
        },
        volume,
        _given(assumptions, "pkv"),
        uncertainty,
    )
    quantiles = simulera(
        df, drift, financial_goal, forankrat_forsta_ar=first is not None, osakerhet=uncertainty
    )
    order = {s: i for i, s in enumerate(adjustments)}
    df = (
        df.join(quantiles, on=["ar", "scenario"])
        .with_columns(
            pl.lit(drift.skattning, dtype=pl.Float64).alias("real_kostnadsdrift_skattad"),
            pl.lit(drift.medelfel).alias("real_kostnadsdrift_medelfel"),
            pl.lit(_unit_cost_source(unit_costs)).alias("enhetskostnad_kalla"),
            pl.lit(f"simulering_{uncertainty.antal_banor}_banor").alias("metod"),
            pl.col("scenario").replace_strict(order, return_dtype=pl.Int64).alias("_ordning"),
        )
        .sort("ar", "_ordning")
    )
    columns = list(_OUTPUT_SCHEMA) + (list(DRIVERS) if with_drivers else [])
    return df.select([pl.col(k).cast(_OUTPUT_SCHEMA.get(k, pl.Float64)) for k in columns])
