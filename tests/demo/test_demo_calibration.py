"""Calibration against Jönköping's real figures, computed from the files the generator wrote.

Tolerances (hand-stated):
- population 31 Dec 2019 exactly SCB's 141 081 (70 816 men, 70 265 women); 2024 within
  147 000 ± 1 500 (published: 147 654); the forecast grows 0.5–1.2 % a year;
- net cost (klass 3–7, all ansvar) per inhabitant 2023 within 60 000–68 000 kr (docs/rules.md:
  kostnader 64 336 kr/inv);
- skatteintäkter per inhabitant 2023 within 55 037 ± 1 500 kr, and skatteintäkter 2023 equal to the
  tax base implied by 21.64 % (checked through the growth chain from 2019's real 47 600 kr/inv);
- generella statsbidrag och utjämning 8 800–10 000 kr/inv in 2022–2025;
- resultatandel positive and 1–3.5 % in 2022–2024; the 2026 budget 0–1.5 %;
- internal trade (motpart INT) exactly 0.00 per period, but for the one unbalanced month;
- periodisation keys sum to 1 within 0.0001.
"""

from __future__ import annotations

import polars as pl
import pytest
from demo_readers import SCB_FIXTURES, ore_expr, read_frame

from pipelines.lib.demo.economy import SKATTESATS, SKATTEUNDERLAG_GROWTH
from pipelines.lib.demo.reference import REFERENCE_DIR, convert_scb, load_municipalities


def _pop(befolkning: pl.DataFrame, year: int) -> int:
    return int(befolkning.filter(pl.col("ar") == year)["antal"].sum())


def _year(utfall: pl.DataFrame, year: int) -> pl.DataFrame:
    return utfall.filter(pl.col("ar") == year)


def _kronor(frame: pl.DataFrame) -> float:
    return frame["ore"].sum() / 100


def test_population_2019_is_scbs_and_2024_is_jonkoping_like(befolkning):
    b2019 = befolkning.filter(pl.col("ar") == 2019)
    assert set(b2019["typ"]) == {"utfall"}
    assert _pop(befolkning, 2019) == 141_081
    assert int(b2019.filter(pl.col("kon") == "M")["antal"].sum()) == 70_816
    assert int(b2019.filter(pl.col("kon") == "K")["antal"].sum()) == 70_265
    assert abs(_pop(befolkning, 2024) - 147_000) <= 1_500
    assert befolkning.filter(pl.col("ar") == 2019).height == 202  # ages 0–100 × 2
    assert befolkning["antal"].min() >= 0


def test_population_forecast_grows_and_the_old_grow_faster(befolkning):
    prognos = befolkning.filter(pl.col("typ") == "prognos")
    assert sorted(set(prognos["ar"])) == list(range(2026, 2037))
    assert sorted(set(befolkning.filter(pl.col("typ") == "utfall")["ar"])) == list(
        range(2019, 2026)
    )
    for year in range(2026, 2037):
        growth = _pop(befolkning, year) / _pop(befolkning, year - 1) - 1
        assert 0.005 <= growth <= 0.012, (year, growth)

    def elderly(year: int) -> int:
        return int(
            befolkning.filter((pl.col("ar") == year) & (pl.col("alder") >= 80))["antal"].sum()
        )

    total_growth = _pop(befolkning, 2036) / _pop(befolkning, 2025)
    assert elderly(2036) / elderly(2025) > total_growth


def test_net_cost_per_inhabitant_2023(utfall, befolkning):
    net = _kronor(_year(utfall, 2023).filter(pl.col("klass").is_between(3, 7)))
    per_inv = net / _pop(befolkning, 2023)
    assert 60_000 <= per_inv <= 68_000, per_inv
    assert 9.0e9 <= net <= 9.7e9


def test_tax_revenue_follows_the_tax_base_and_rate(utfall, befolkning):
    tax_2023 = -_kronor(_year(utfall, 2023).filter(pl.col("konto").str.starts_with("80")))
    assert abs(tax_2023 / _pop(befolkning, 2023) - 55_037) <= 1_500
    # The tax base grows from 2019's real skatteintäkter with the skatteunderlag growth;
    # skatteintäkter are that base × 21.64 %.
    jkpg = load_municipalities()["0680"]
    assert jkpg.skatteintakter_per_inv == 47_600 and jkpg.skattesats == SKATTESATS == 21.64
    tax_base = 47_600 * 141_081 / (SKATTESATS / 100)
    for year in range(2020, 2024):
        tax_base *= 1 + SKATTEUNDERLAG_GROWTH[year]
    assert tax_2023 == pytest.approx(tax_base * SKATTESATS / 100, rel=1e-6)


def test_general_grants_per_inhabitant(utfall, befolkning):
    for year in range(2022, 2026):
        gs = -_kronor(
            _year(utfall, year).filter(pl.col("konto").str.slice(0, 2).is_in(["82", "83"]))
        )
        assert 8_800 <= gs / _pop(befolkning, year) <= 10_000, year


def test_the_result_is_positive_and_modest(utfall, budget):
    for year in range(2022, 2025):
        y = _year(utfall, year)
        result = -_kronor(y.filter(pl.col("klass").is_between(3, 8)))
        revenue = -_kronor(y.filter(pl.col("konto").str.slice(0, 2).is_in(["80", "82", "83"])))
        assert 0.01 <= result / revenue <= 0.035, (year, result / revenue)
    b = budget.filter((pl.col("ar") == 2026) & (pl.col("version") == "internbudget"))
    result = -_kronor(b.filter(pl.col("klass").is_between(3, 8)))
    revenue = -_kronor(b.filter(pl.col("konto").str.slice(0, 2).is_in(["80", "82", "83"])))
    assert 0.0 <= result / revenue <= 0.015


def test_internal_trade_nets_to_zero_in_every_period_but_one(utfall):
    internal = utfall.filter(pl.col("motpart") == "INT")
    per_period = internal.group_by("period").agg(pl.col("ore").sum(), pl.len())
    assert per_period.height == utfall["period"].n_unique()
    imbalance = dict(per_period.filter(pl.col("ore") != 0).select("period", "ore").iter_rows())
    # April 2026: Kultur- och fritidsnämnden's purchase of 185 000,00 kr that no sale matches.
    assert imbalance == {"2026-04": 18_500_000}
    assert (per_period["len"] > 10).all()
    assert set(utfall["motpart"]) == {"INT", "EXT"}


def test_periodisation_keys_sum_to_one(periodisering):
    sums = periodisering.group_by("ar", "nyckel").agg(pl.col("andel").sum(), pl.len())
    assert (sums["len"] == 12).all()
    assert ((sums["andel"] - 1).abs() < 1e-4).all()
    # The even key is the product's standard key (exactly 1/12): the demo delivers only its own.
    assert "PERSONAL" in set(sums["nyckel"]) and "JAMN" not in set(sums["nyckel"])
    staff = periodisering.filter((pl.col("ar") == 2026) & (pl.col("nyckel") == "PERSONAL"))
    share = dict(zip(staff["manad"], staff["andel"], strict=True))
    normal = sum(share[m] for m in (1, 2, 3, 4, 5, 9, 10, 11)) / 8
    assert 0.50 <= share[7] / normal <= 0.60
    assert share[6] > normal and share[8] > normal


def test_ledger_amounts_have_oren_and_the_signs_of_the_ledger(utfall):
    assert (utfall["ore"] % 100 != 0).mean() > 0.9
    class3 = utfall.filter(pl.col("klass") == 3)
    class5 = utfall.filter(pl.col("klass") == 5)
    assert class3["ore"].sum() < 0 and class5["ore"].sum() > 0
    tax = utfall.filter(pl.col("konto").str.starts_with("80"))
    assert (tax["ore"] < 0).all()
    financial_costs = utfall.filter(pl.col("konto").str.starts_with("85"))
    assert (financial_costs["ore"] > 0).all()


def test_july_personnel_is_about_55_percent_of_a_normal_month(utfall):
    staff = utfall.filter((pl.col("ar") == 2024) & (pl.col("klass") == 5))
    per_month = dict(staff.group_by("manad").agg(pl.col("ore").sum()).iter_rows())  # month → öre
    normal = sum(per_month[m] for m in (1, 2, 3, 4, 5, 9, 10, 11)) / 8
    assert 0.50 <= per_month[7] / normal <= 0.60


def test_investment_volume_is_jonkoping_like(inbox):
    inv = read_frame(inbox / "investering_2022-2030.csv").with_columns(
        ore_expr("belopp").alias("ore")
    )
    per_year = dict(inv.group_by("ar").agg(pl.col("ore").sum()).iter_rows())
    assert sorted(per_year) == [str(a) for a in range(2022, 2031)]
    for year, ore in per_year.items():
        assert 1.0e9 <= ore / 100 <= 1.5e9, year
    assert set(inv.filter(pl.col("ar") <= "2025")["typ"]) == {"utfall"}
    assert set(inv.filter(pl.col("ar") >= "2026")["typ"]) == {"plan"}
    assert inv["projekt"].n_unique() >= 20


def test_reference_csvs_match_the_scb_fixtures(tmp_path):
    scb = SCB_FIXTURES
    assert scb.is_dir(), f"{scb} saknas"
    made = convert_scb(scb, tmp_path)
    for path in made:
        assert path.read_bytes() == (REFERENCE_DIR / path.name).read_bytes(), path.name
    municipalities = load_municipalities()
    assert set(municipalities) == {"0680", "0580", "0581", "0780", "1880", "1980"}
    jkpg = municipalities["0680"]
    assert (jkpg.folkmangd, jkpg.men, jkpg.women) == (141_081, 70_816, 70_265)
    assert (jkpg.skattesats, jkpg.skattesats_region) == (21.64, 11.76)
    assert (jkpg.skatteintakter_per_inv, jkpg.statsbidrag_per_inv) == (47_600, 8_829)
    assert (REFERENCE_DIR / "README.md").is_file()
