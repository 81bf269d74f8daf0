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
from demo_lasare import SCB_FIXTURES, las_frame, ore_uttryck

from pipelines.lib.demo.ramar import SKATTESATS, SKATTEUNDERLAG_TILLVAXT
from pipelines.lib.demo.reference import REFERENCE_DIR, convert_scb, load_kommuner


def _pop(befolkning: pl.DataFrame, ar: int) -> int:
    return int(befolkning.filter(pl.col("ar") == ar)["antal"].sum())


def _ar(utfall: pl.DataFrame, ar: int) -> pl.DataFrame:
    return utfall.filter(pl.col("ar") == ar)


def _kr(frame: pl.DataFrame) -> float:
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
    for ar in range(2026, 2037):
        tillvaxt = _pop(befolkning, ar) / _pop(befolkning, ar - 1) - 1
        assert 0.005 <= tillvaxt <= 0.012, (ar, tillvaxt)

    def aldre(ar: int) -> int:
        return int(befolkning.filter((pl.col("ar") == ar) & (pl.col("alder") >= 80))["antal"].sum())

    total_tillvaxt = _pop(befolkning, 2036) / _pop(befolkning, 2025)
    assert aldre(2036) / aldre(2025) > total_tillvaxt


def test_net_cost_per_inhabitant_2023(utfall, befolkning):
    netto = _kr(_ar(utfall, 2023).filter(pl.col("klass").is_between(3, 7)))
    per_inv = netto / _pop(befolkning, 2023)
    assert 60_000 <= per_inv <= 68_000, per_inv
    assert 9.0e9 <= netto <= 9.7e9


def test_tax_revenue_follows_the_tax_base_and_rate(utfall, befolkning):
    skatt_2023 = -_kr(_ar(utfall, 2023).filter(pl.col("konto").str.starts_with("80")))
    assert abs(skatt_2023 / _pop(befolkning, 2023) - 55_037) <= 1_500
    # The tax base grows from 2019's real skatteintäkter with the skatteunderlag growth;
    # skatteintäkter are that base × 21.64 %.
    jkpg = load_kommuner()["0680"]
    assert jkpg.skatteintakter_per_inv == 47_600 and jkpg.skattesats == SKATTESATS == 21.64
    underlag = 47_600 * 141_081 / (SKATTESATS / 100)
    for ar in range(2020, 2024):
        underlag *= 1 + SKATTEUNDERLAG_TILLVAXT[ar]
    assert skatt_2023 == pytest.approx(underlag * SKATTESATS / 100, rel=1e-6)


def test_general_grants_per_inhabitant(utfall, befolkning):
    for ar in range(2022, 2026):
        gs = -_kr(_ar(utfall, ar).filter(pl.col("konto").str.slice(0, 2).is_in(["82", "83"])))
        assert 8_800 <= gs / _pop(befolkning, ar) <= 10_000, ar


def test_the_result_is_positive_and_modest(utfall, budget):
    for ar in range(2022, 2025):
        y = _ar(utfall, ar)
        resultat = -_kr(y.filter(pl.col("klass").is_between(3, 8)))
        intakter = -_kr(y.filter(pl.col("konto").str.slice(0, 2).is_in(["80", "82", "83"])))
        assert 0.01 <= resultat / intakter <= 0.035, (ar, resultat / intakter)
    b = budget.filter((pl.col("ar") == 2026) & (pl.col("version") == "internbudget"))
    resultat = -_kr(b.filter(pl.col("klass").is_between(3, 8)))
    intakter = -_kr(b.filter(pl.col("konto").str.slice(0, 2).is_in(["80", "82", "83"])))
    assert 0.0 <= resultat / intakter <= 0.015


def test_internal_trade_nets_to_zero_in_every_period_but_one(utfall):
    intern = utfall.filter(pl.col("motpart") == "INT")
    per_period = intern.group_by("period").agg(pl.col("ore").sum(), pl.len())
    assert per_period.height == utfall["period"].n_unique()
    obalans = dict(per_period.filter(pl.col("ore") != 0).select("period", "ore").iter_rows())
    # April 2026: Kultur- och fritidsnämnden's purchase of 185 000,00 kr that no sale matches.
    assert obalans == {"2026-04": 18_500_000}
    assert (per_period["len"] > 10).all()
    assert set(utfall["motpart"]) == {"INT", "EXT"}


def test_periodisation_keys_sum_to_one(periodisering):
    summor = periodisering.group_by("ar", "nyckel").agg(pl.col("andel").sum(), pl.len())
    assert (summor["len"] == 12).all()
    assert ((summor["andel"] - 1).abs() < 1e-4).all()
    # The even key is the product's standard key (exactly 1/12): the demo delivers only its own.
    assert "PERSONAL" in set(summor["nyckel"]) and "JAMN" not in set(summor["nyckel"])
    personal = periodisering.filter((pl.col("ar") == 2026) & (pl.col("nyckel") == "PERSONAL"))
    andel = dict(zip(personal["manad"], personal["andel"], strict=True))
    normal = sum(andel[m] for m in (1, 2, 3, 4, 5, 9, 10, 11)) / 8
    assert 0.50 <= andel[7] / normal <= 0.60
    assert andel[6] > normal and andel[8] > normal


def test_ledger_amounts_have_oren_and_the_signs_of_the_ledger(utfall):
    assert (utfall["ore"] % 100 != 0).mean() > 0.9
    klass3 = utfall.filter(pl.col("klass") == 3)
    klass5 = utfall.filter(pl.col("klass") == 5)
    assert klass3["ore"].sum() < 0 and klass5["ore"].sum() > 0
    skatt = utfall.filter(pl.col("konto").str.starts_with("80"))
    assert (skatt["ore"] < 0).all()
    finans_kostnad = utfall.filter(pl.col("konto").str.starts_with("85"))
    assert (finans_kostnad["ore"] > 0).all()


def test_july_personnel_is_about_55_percent_of_a_normal_month(utfall):
    personal = utfall.filter((pl.col("ar") == 2024) & (pl.col("klass") == 5))
    per_manad = dict(personal.group_by("manad").agg(pl.col("ore").sum()).iter_rows())  # month → öre
    normal = sum(per_manad[m] for m in (1, 2, 3, 4, 5, 9, 10, 11)) / 8
    assert 0.50 <= per_manad[7] / normal <= 0.60


def test_investment_volume_is_jonkoping_like(inbox):
    inv = las_frame(next(inbox.glob("investering_*"))).with_columns(
        ore_uttryck("belopp").alias("ore")
    )
    per_ar = dict(inv.group_by("ar").agg(pl.col("ore").sum()).iter_rows())
    assert sorted(per_ar) == [str(a) for a in range(2022, 2031)]
    for ar, ore in per_ar.items():
        assert 1.0e9 <= ore / 100 <= 1.5e9, ar
    assert set(inv.filter(pl.col("ar") <= "2025")["typ"]) == {"utfall"}
    assert set(inv.filter(pl.col("ar") >= "2026")["typ"]) == {"plan"}
    assert inv["projekt"].n_unique() >= 20


def test_reference_csvs_match_the_scb_fixtures(tmp_path):
    scb = SCB_FIXTURES
    assert scb.is_dir(), f"{scb} saknas"
    made = convert_scb(scb, tmp_path)
    for path in made:
        assert path.read_bytes() == (REFERENCE_DIR / path.name).read_bytes(), path.name
    kommuner = load_kommuner()
    assert set(kommuner) == {"0680", "0580", "0581", "0780", "1880", "1980"}
    jkpg = kommuner["0680"]
    assert (jkpg.folkmangd, jkpg.man, jkpg.kvinnor) == (141_081, 70_816, 70_265)
    assert (jkpg.skattesats, jkpg.skattesats_region) == (21.64, 11.76)
    assert (jkpg.skatteintakter_per_inv, jkpg.statsbidrag_per_inv) == (47_600, 8_829)
    assert (REFERENCE_DIR / "README.md").is_file()
