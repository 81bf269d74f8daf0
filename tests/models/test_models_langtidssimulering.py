"""SKR's revenue method, level indexing, the joint simulation and the sensitivity table, on tiny
constructed cases computed by hand."""

from __future__ import annotations

import time

import numpy as np
import polars as pl
import pytest

from models.langtidsprognos import langtidsprognos
from models.langtidsprognos_assumptions import DEFAULT_SCENARIOS, level_assumption
from models.langtidssimulering import (
    FAKTORER,
    OSAKERHET_STANDARD,
    Osakerhet,
    kanslighetsanalys,
    skatta_kostnadsdrift,
)
from tests.models.test_models_langtidsprognos import (
    BAS,
    FORSTA_AR,
    HISTORIK,
    INVESTERINGAR,
    _antaganden,
    _pop,
    _rad,
)


def _kor(**kw) -> pl.DataFrame:
    args = (
        dict(
            history=HISTORIK,
            population=_pop(range(2023, 2027)),
            assumptions=_antaganden(),
            investments=INVESTERINGAR,
            base_year=2024,
            years=2,
        )
        | kw
    )
    return langtidsprognos(**args)


def test_tax_base_follows_own_population_relative_to_the_nation():
    # own population 1000 at 31 Dec 2023, 1020 at 31 Dec 2024 (+2 %), the nation's +1 %
    pop = pl.concat([_pop(range(2023, 2024)), _pop(range(2024, 2027), 1020.0)])
    df = _kor(population=pop, assumptions=_antaganden(befolkning_riket_tillvaxt=0.01))
    # 5000 x 1.04 x 1.02 / 1.01 x 0.20
    assert _rad(df, 2025)["skatteunderlag"] == pytest.approx(5000 * 1.04 * 1.02 / 1.01)
    assert _rad(df, 2025)["skatteintakter"] == pytest.approx(5000 * 1.04 * 1.02 / 1.01 * 0.2)
    # 2026: own population flat (1020 -> 1020), the nation +1 %: below the national growth
    assert _rad(df, 2026)["skatteunderlag"] == pytest.approx(
        5000 * 1.04 * 1.02 / 1.01 * 1.04 / 1.01
    )


def test_equal_population_growth_gives_the_national_growth():
    pop = pl.concat([_pop(range(2023, 2024)), _pop(range(2024, 2027), 1010.0)])
    df = _kor(population=pop, assumptions=_antaganden(befolkning_riket_tillvaxt=0.01))
    assert _rad(df, 2025)["skatteunderlag"] == pytest.approx(5000 * 1.04)


def test_level_parameter_is_indexed_explicitly():
    ant = _antaganden(statsbidrag_per_inv_index=0.02)
    assert level_assumption(ant, "statsbidrag_per_inv", [2024, 2025, 2026]) == pytest.approx(
        {2024: 100_000.0, 2025: 102_000.0, 2026: 104_040.0}
    )
    df = _kor(assumptions=ant)
    # 102 000 kr x 1000 inhabitants at 31 Dec 2024
    assert _rad(df, 2025)["generella_statsbidrag"] == pytest.approx(102.0)
    # a given value wins over the index, and the index continues from it
    ant = pl.concat(
        [ant, pl.DataFrame({"ar": [2025], "parameter": ["statsbidrag_per_inv"], "varde": [1.0]})]
    )
    assert level_assumption(ant, "statsbidrag_per_inv", [2025, 2026]) == pytest.approx(
        {2025: 1.0, 2026: 1.02}
    )


def test_level_parameter_without_index_is_a_swedish_error():
    ant = _antaganden().filter(pl.col("parameter") != "finansnetto_index")
    with pytest.raises(ValueError, match="'finansnetto' saknas för år 2025 och ingen uppräkning"):
        _kor(assumptions=ant)
    # every year given: no index needed
    alla = pl.concat(
        [
            ant,
            pl.DataFrame(
                {"ar": [2025, 2026], "parameter": ["finansnetto"] * 2, "varde": [5.0, 5.0]}
            ),
        ]
    )
    assert _rad(_kor(assumptions=alla), 2026)["finansnetto"] == 5.0


def _tio_ar(scenarios=DEFAULT_SCENARIOS, uncertainty=OSAKERHET_STANDARD, **kw) -> pl.DataFrame:
    return langtidsprognos(
        HISTORIK,
        _pop(range(2023, 2035)),
        _antaganden(),
        INVESTERINGAR,
        2024,
        years=10,
        scenarios=scenarios,
        uncertainty=uncertainty,
        **kw,
    )


KVANT = [f"arets_resultat_p{k}" for k in (10, 25, 50, 75, 90)]
ANDEL = [f"resultatandel_p{k}" for k in (10, 25, 50, 75, 90)]


def test_adding_a_scenario_leaves_bas_unchanged():
    bara_bas = _tio_ar(scenarios=BAS.with_columns(pl.lit("bas").alias("scenario")))
    ny = pl.concat(
        [
            DEFAULT_SCENARIOS,
            pl.DataFrame({"scenario": ["stress"], "parameter": ["pkv"], "justering": [0.02]}),
        ]
    )
    alla = _tio_ar(scenarios=ny)
    kol = ["ar", *KVANT, *ANDEL, "sannolikhet_under_mal"]
    a = bara_bas.filter(pl.col("scenario") == "bas").select(kol)
    b = alla.filter(pl.col("scenario") == "bas").select(kol)
    assert a.equals(b)
    # and the new scenario is worse: a higher probability of missing the goal in year 10
    s10 = alla.filter(pl.col("ar") == 2034)
    p = dict(s10.select("scenario", "sannolikhet_under_mal").iter_rows())
    assert p["stress"] > p["bas"]


def test_quantiles_are_ordered_and_probability_is_a_share():
    df = _tio_ar()
    for rad in df.iter_rows(named=True):
        r = [rad[k] for k in KVANT]
        a = [rad[k] for k in ANDEL]
        assert r == sorted(r) and a == sorted(a)
        assert 0.0 <= rad["sannolikhet_under_mal"] <= 1.0
    # the spread grows with the horizon
    bas = df.filter(pl.col("scenario") == "bas").sort("ar")
    bredd = (bas["arets_resultat_p90"] - bas["arets_resultat_p10"]).to_list()
    assert bredd[0] < bredd[4] < bredd[9]
    # scenario order: lag below bas below hog at the median
    r10 = {
        r["scenario"]: r["arets_resultat_p50"]
        for r in df.filter(pl.col("ar") == 2034).iter_rows(named=True)
    }
    assert r10["lag"] < r10["bas"] < r10["hog"]


def test_tax_base_spread_alone_gives_the_normal_quantile_by_hand():
    # Only skatteunderlag growth varies (sd 1 %): year 1's result is normal with sd
    # skatteunderlag(1) x 0.01 x skattesats = 5200 x 0.01 x 0.20 = 10.4 mnkr.
    enbart = Osakerhet(
        sd_skatteunderlag=0.01, sd_pkv=0.0, sd_befolkning=0.0, sd_kostnadsdrift=0.0,
        antal_banor=20_000,
    )  # fmt: skip
    r = _rad(_tio_ar(uncertainty=enbart, scenarios=BAS), 2025)
    sd = 5000 * 1.04 * 0.2 * 0.01 / 1.04  # the deviation is relative to 1 + growth
    z90 = 1.2815516
    assert r["arets_resultat_p50"] == pytest.approx(r["arets_resultat"], abs=0.03 * sd)
    assert r["arets_resultat_p90"] - r["arets_resultat_p50"] == pytest.approx(z90 * sd, rel=0.03)
    assert r["arets_resultat_p50"] - r["arets_resultat_p10"] == pytest.approx(z90 * sd, rel=0.03)
    # P(resultatandel < 2 %): resultat < 0.02 x 1140 = 22.8, with mean 34.685
    from scipy import stats

    forvantad = stats.norm.cdf((0.02 * 1140 - 34.685) / sd)
    assert r["sannolikhet_under_mal"] == pytest.approx(forvantad, abs=0.01)


def test_first_year_at_the_forecast_has_no_spread_later_years_do():
    df = _tio_ar(first_year=FORSTA_AR)
    r1, r2 = _rad(df, 2025), _rad(df, 2026)
    assert {r1[k] for k in KVANT} == {12.0}
    assert r2["arets_resultat_p90"] > r2["arets_resultat_p10"]


def test_seeded_and_fast():
    start = time.perf_counter()
    a = _tio_ar()
    tid = time.perf_counter() - start
    assert a.equals(_tio_ar())
    assert tid < 2.0, f"1 000 banor x 10 år x 3 scenarier tog {tid:.2f} s"
    assert a["metod"].unique().to_list() == ["simulering_1000_banor"]


def test_cost_drift_estimated_from_history_by_hand():
    # real changes after pkv and volume: ln(1.05 / 1.02) - ... built to be 1 %, 2 %, 3 %
    pkv = {2022: 0.02, 2023: 0.02, 2024: 0.02}
    vol = {2021: 1.0, 2022: 1.0, 2023: 1.0, 2024: 1.0}
    r = [0.01, 0.02, 0.03]
    k = {2021: 1000.0}
    for t, x in zip((2022, 2023, 2024), r, strict=True):
        k[t] = k[t - 1] * 1.02 * np.exp(x)
    d = skatta_kostnadsdrift(k, vol, pkv)
    assert d.n == 3
    # mean log change 0.02 -> a yearly rate e^0.02 - 1; sd 0.01 scaled by e^0.02
    assert d.skattning == pytest.approx(np.expm1(0.02))
    assert d.sd == pytest.approx(0.01 * np.exp(0.02))
    assert d.medelfel == pytest.approx(0.01 * np.exp(0.02) / np.sqrt(3))
    # too short: no estimate, the default spread
    kort = skatta_kostnadsdrift({2023: 1.0, 2024: 1.1}, vol, pkv)
    assert kort.skattning is None and kort.sd == Osakerhet().sd_kostnadsdrift


def test_estimated_drift_is_shown_beside_the_assumption():
    r = _rad(_kor(), 2025)
    assert r["real_kostnadsdrift"] == 0.01
    assert r["real_kostnadsdrift_skattad"] is None  # one history year
    assert r["real_kostnadsdrift_medelfel"] == 0.0


# ---- sensitivity ---------------------------------------------------------------------------


def _kanslighet(**kw) -> dict[str, tuple[float, float]]:
    df = _kor(scenarios=BAS.with_columns(pl.lit("bas").alias("scenario")), with_drivers=True, **kw)
    k = kanslighetsanalys(df, personalandel=0.6, enhetskostnad_80_plus_tkr=200.0)
    assert k["faktor"].to_list() == list(FAKTORER)
    return {r[0]: (r[2], r[3]) for r in k.iter_rows()}


def test_one_ore_is_the_tax_base_over_10_000():
    df = _kor(scenarios=BAS, with_drivers=True)
    k = _kanslighet()
    ar1, ar2 = k["skattesats_1_ore"]
    assert ar1 == pytest.approx(_rad(df, 2025)["skatteunderlag"] / 10_000)  # 5200 / 10 000
    assert ar1 == pytest.approx(0.52)
    assert ar2 == pytest.approx(5000 * 1.04**2 / 10_000)


def test_sensitivity_by_hand():
    k = _kanslighet()
    # +1 pp growth in 2025 only: skatteunderlag x 1.05 / 1.04 from then on
    assert k["skatteunderlag_1pp_ett_ar"][0] == pytest.approx(5200 * (1.05 / 1.04 - 1) * 0.2)
    assert k["skatteunderlag_1pp_ett_ar"][1] == pytest.approx(5408 * (1.05 / 1.04 - 1) * 0.2)
    # +1 pp every year: (1.05 / 1.04)^2 in year 2
    assert k["skatteunderlag_1pp_varaktig"][1] == pytest.approx(
        5408 * ((1.05 / 1.04) ** 2 - 1) * 0.2
    )
    # wages 1 % higher on a personnel share of 60 %: -0.006 x net cost
    assert k["loner_1_procent"][0] == pytest.approx(-0.006 * 1092.315)
    # pkv +1 pp in year 1: cost x 1.04 / 1.03
    assert k["pkv_1pp"][0] == pytest.approx(-1092.315 * (1.04 / 1.03 - 1))
    # population +1 %: tax base, grants and cost all 1 % higher
    assert k["befolkning_1_procent"][0] == pytest.approx(0.01 * (1040 + 100 - 1092.315))
    # 100 people 80+ at 200 tkr, in year-1 prices (1.03 x 1.01): -20 mnkr x 1.0403
    assert k["aldre_80_plus_100"][0] == pytest.approx(-20.0 * 1.0403)
    assert k["aldre_80_plus_100"][1] == pytest.approx(-20.0 * 1.0403**2)
    # 1 pp on the loan debt owed during the year: 500 mnkr, then 500 + 2025's 47.315 borrowed
    assert k["ranta_1pp"] == (pytest.approx(-5.0), pytest.approx(-5.47315))


def test_the_unit_cost_source_is_recorded():
    assert set(_kor()["enhetskostnad_kalla"]) == {"referens_sjobo_budget_2024"}


# ---- ex-ante precision ---------------------------------------------------------------------


def test_ex_ante_precision_by_hand():
    # Constant population; tax base +4 % a year, grants flat, cost exactly x 1.03 x 1.01 (pkv
    # given 3 %, so the estimated real drift is 1 %): the ex-ante projection is exact, the
    # random walk with drift (linear) is not on the compounding series.
    from models.langtidsprognos_precision import ex_ante_assumptions, ex_ante_precision

    ar = list(range(2015, 2025))
    historik = pl.DataFrame(
        {
            "ar": ar,
            "skatteintakter": [1000.0 * 1.04**i for i in range(10)],
            "generella_statsbidrag": [100.0] * 10,
            "verksamhetens_nettokostnad": [1050.0 * (1.03 * 1.01) ** i for i in range(10)],
            "avskrivningar": [20.0] * 10,
            "finansnetto": [5.0] * 10,
        }
    )
    ant = pl.concat(
        [
            pl.DataFrame({"ar": [2015], "parameter": ["skattesats"], "varde": [20.0]}),
            pl.DataFrame({"ar": ar, "parameter": ["pkv"] * 10, "varde": [0.03] * 10}),
        ]
    )
    pop = _pop(range(2013, 2025))
    a = dict(ex_ante_assumptions(historik, pop, ant, 2019).select("parameter", "varde").iter_rows())
    assert a["skatteunderlag_tillvaxt"] == pytest.approx(0.04)
    assert a["pkv"] == pytest.approx(0.03)
    assert a["real_kostnadsdrift"] == pytest.approx(0.01)
    assert a["statsbidrag_per_inv"] == pytest.approx(100_000.0)  # 100 mnkr / 1000 inhabitants
    p = ex_ante_precision(historik, pop, ant, min_training=3, max_horizon=3)
    skatt = p.filter(pl.col("variabel") == "skatteintakter")
    assert skatt["horisont"].to_list() == [1, 2, 3]
    assert skatt["n"].to_list() == [7, 6, 5]  # origins 2017..2023
    assert skatt["mae_projektion"].max() == pytest.approx(0.0, abs=1e-6)
    assert (skatt["mae_naiv_drift"] > 0).all()
    assert skatt["relativ_mae"].max() == pytest.approx(0.0, abs=1e-6)
    # a shock the projection cannot know: the 2022 tax base 5 % lower
    stord = historik.with_columns(
        pl.when(pl.col("ar") == 2022)
        .then(pl.col("skatteintakter") * 0.95)
        .otherwise(pl.col("skatteintakter"))
        .alias("skatteintakter")
    )
    p2 = ex_ante_precision(stord, pop, ant, min_training=3, max_horizon=1)
    assert p2.filter(pl.col("variabel") == "skatteintakter")["mae_projektion"].item() > 0
