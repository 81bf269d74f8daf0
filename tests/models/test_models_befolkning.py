"""Demographic cost pressure: docs/rules.md sanity checks, by hand."""

from __future__ import annotations

import polars as pl
import pytest

from models.befolkning import (
    ALDERSGRUPPER,
    ENHETSKOSTNAD_SJOBO,
    demografisk_kostnad,
    demografiskt_volymindex,
    enhetskostnader,
    medelbefolkning,
)


def _pop(rader: dict[int, dict[int, float]]) -> pl.DataFrame:
    """{ar: {alder: antal}} -> ar, alder, kon, antal (split evenly on two sexes)."""
    ut = [
        (ar, alder, kon, antal / 2)
        for ar, aldrar in rader.items()
        for alder, antal in aldrar.items()
        for kon in ("K", "M")
    ]
    return pl.DataFrame(ut, schema=["ar", "alder", "kon", "antal"], orient="row")


def _bred_befolkning(ar: list[int]) -> dict[int, dict[int, float]]:
    return {a: {alder: 100.0 + alder for alder in range(101)} for a in ar}


def test_default_age_groups_are_the_published_ones():
    """Read from the seed; the bounds and Sjöbo's unit costs as published (tkr per inhabitant)."""
    groups = dict(zip(ALDERSGRUPPER["aldersgrupp"], ALDERSGRUPPER["alder_fran"], strict=True))
    assert groups == {"1-5": 1, "6": 6, "7-9": 7, "10-12": 10, "13-15": 13, "16-18": 16,
                      "65-79": 65, "80-89": 80, "90+": 90}  # fmt: skip
    assert ALDERSGRUPPER.filter(pl.col("aldersgrupp") == "90+")["alder_till"].item() == 100
    costs = dict(zip(*ENHETSKOSTNAD_SJOBO.get_columns(), strict=True))
    assert costs["80-89"] == 137.3 and costs["65-79"] == 21.9 and costs["90+"] == 381.1


def test_medelbefolkning_is_the_mean_of_two_year_ends():
    pop = _pop({2023: {0: 40.0, 3: 150.0, 100: 10.0}, 2024: {3: 200.0, 95: 30.0}})
    m = {(r["ar"], r["aldersgrupp"]): r["medelbefolkning"] for r in medelbefolkning(pop).to_dicts()}
    assert m[(2024, "1-5")] == 175.0  # (150 + 200) / 2; age 0 belongs to no group
    assert m[(2024, "90+")] == 20.0  # (10 at age 100+ + 30) / 2
    assert m[(2024, "7-9")] == 0.0  # empty groups are 0, not missing
    assert {a for a, _ in m} == {2024}  # 2023 has no previous year end


def test_constant_population_gives_zero_pressure():
    pop = _pop(_bred_befolkning([2022, 2023, 2024, 2025]))
    dk = demografisk_kostnad(pop, ENHETSKOSTNAD_SJOBO, bas_ar=2023)
    assert dk["ar"].unique().sort().to_list() == [2023, 2024, 2025]
    assert dk["forandring_tkr"].abs().max() == 0.0
    # and the cost itself is c_g x P_g: 1-5 has ages 1..5 of 101..105 people
    rad = dk.filter((pl.col("ar") == 2024) & (pl.col("aldersgrupp") == "1-5")).row(0, named=True)
    assert rad["kostnad_tkr"] == pytest.approx(125.9 * (101 + 102 + 103 + 104 + 105))
    vi = demografiskt_volymindex(pop, 2023)
    assert vi["volymindex"].to_list() == pytest.approx([1.0, 1.0, 1.0])


def test_moving_100_people_from_65_79_to_80_89_costs_11_54_mnkr():
    fore = {70: 1000.0, 85: 500.0}
    efter = {70: 900.0, 85: 600.0}  # 100 people moved at the end of 2025
    pop = _pop({2023: fore, 2024: fore, 2025: efter, 2026: efter})
    total = (
        demografisk_kostnad(pop, ENHETSKOSTNAD_SJOBO, bas_ar=2024)
        .group_by("ar")
        .agg(pl.col("forandring_tkr").sum())
        .sort("ar")
    )
    forandring = dict(total.iter_rows())
    assert forandring[2024] == 0.0
    # 2025 sees half of the move (mean of 31 Dec 2024 and 2025): 50 x (137.3 - 21.9)
    assert forandring[2025] == pytest.approx(50 * (137.3 - 21.9))
    # a full year later: 100 x 115.4 tkr = 11 540 tkr = 11.54 mnkr
    assert forandring[2026] == pytest.approx(11_540.0)
    assert forandring[2026] / 1000 == pytest.approx(11.54)


def test_volymindex_lets_the_rest_follow_the_total_population():
    pop = _pop(
        {
            2023: {30: 1000.0, 70: 1000.0},
            2024: {30: 1000.0, 70: 1000.0},
            2025: {30: 2000.0, 70: 1000.0},
        }
    )
    # DemoCost = 1000 x 21.9 = 21 900 tkr in every year; the rest R = 50 000 - 21 900 = 28 100
    # follows the mean population 2000 -> 2500: (21 900 + 28 100 x 1.25) / 50 000 = 1.1405
    vi = demografiskt_volymindex(pop, 2024, bas_nettokostnad_tkr=50_000.0)
    assert dict(vi.select("ar", "volymindex").iter_rows()) == pytest.approx(
        {2024: 1.0, 2025: 1.1405}
    )
    utan_rest = demografiskt_volymindex(pop, 2024)
    assert utan_rest["volymindex"].to_list() == pytest.approx([1.0, 1.0])
    with pytest.raises(ValueError, match="större än verksamhetens nettokostnad"):
        demografiskt_volymindex(pop, 2024, bas_nettokostnad_tkr=20_000.0)


def test_enhetskostnader_from_the_municipalitys_own_costs():
    pop = _pop({2023: {70: 1000.0, 85: 200.0, 95: 50.0}, 2024: {70: 1000.0, 85: 200.0, 95: 50.0}})
    nk = pl.DataFrame({"verksamhet": ["Äldreomsorg"], "nettokostnad_tkr": [125_000.0]})
    ut = enhetskostnader(nk, pop, 2024)
    c = dict(ut.select("aldersgrupp", "enhetskostnad_tkr").iter_rows())
    kalla = dict(ut.select("aldersgrupp", "kalla").iter_rows())
    # one verksamhet serves 65-79, 80-89 and 90+: the reference gradient 21.9 : 137.3 : 381.1
    # scaled to the own cost, 125 000 / (21.9 x 1000 + 137.3 x 200 + 381.1 x 50 = 68 415)
    skala = 125_000 / 68_415
    assert c["65-79"] == pytest.approx(21.9 * skala)  # 40.01 tkr
    assert c["80-89"] == pytest.approx(137.3 * skala)  # 250.86 tkr
    assert c["90+"] == pytest.approx(381.1 * skala)  # 696.30 tkr
    assert c["65-79"] * 1000 + c["80-89"] * 200 + c["90+"] * 50 == pytest.approx(125_000)
    assert kalla["80-89"] == "egen_niva_referensgradient"
    assert kalla["1-5"] == "egen" and c["1-5"] is None  # no cost given for förskola


def test_own_cost_per_age_group_where_the_ledger_has_it():
    pop = _pop({2023: {70: 1000.0, 85: 200.0}, 2024: {70: 1000.0, 85: 200.0}})
    nk = pl.DataFrame(
        {
            "verksamhet": ["Äldreomsorg", "Äldreomsorg"],
            "aldersgrupp": ["65-79", "80-89"],
            "nettokostnad_tkr": [30_000.0, 50_000.0],
        }
    )
    ut = enhetskostnader(nk, pop, 2024).filter(pl.col("aldersgrupp").is_in(["65-79", "80-89"]))
    assert ut.sort("aldersgrupp").rows() == [
        ("65-79", pytest.approx(30.0), "egen_per_aldersgrupp"),
        ("80-89", pytest.approx(250.0), "egen_per_aldersgrupp"),
    ]


def test_moving_100_people_from_65_79_to_80_89_costs_the_gradient():
    aldre = ALDERSGRUPPER.filter(pl.col("verksamhet") == "Äldreomsorg")
    fore = {70: 1000.0, 85: 200.0, 95: 50.0}
    efter = {70: 900.0, 85: 300.0, 95: 50.0}
    pop = _pop({2023: fore, 2024: fore, 2025: efter, 2026: efter})
    nk = pl.DataFrame({"verksamhet": ["Äldreomsorg"], "nettokostnad_tkr": [125_000.0]})
    c = enhetskostnader(nk, pop, 2024, grupper=aldre)
    k = dict(c.select("aldersgrupp", "enhetskostnad_tkr").iter_rows())
    d = demografisk_kostnad(pop, c, bas_ar=2024, grupper=aldre)
    forandring = d.filter(pl.col("ar") == 2026)["forandring_tkr"].sum()
    assert forandring == pytest.approx(100 * (k["80-89"] - k["65-79"]))
    assert forandring > 0  # 100 x (250.86 - 40.01) = 21 085 tkr
    # constant population: no demographic pressure
    konstant = _pop({a: fore for a in (2023, 2024, 2025)})
    d0 = demografisk_kostnad(konstant, c, bas_ar=2024, grupper=aldre)
    assert d0["forandring_tkr"].to_list() == pytest.approx([0.0] * d0.height)


def test_missing_base_year_or_unit_cost_raises():
    pop = _pop(_bred_befolkning([2023, 2024]))
    with pytest.raises(ValueError, match="Basåret 2023"):
        demografisk_kostnad(pop, ENHETSKOSTNAD_SJOBO, bas_ar=2023)
    with pytest.raises(ValueError, match="90\\+"):
        demografisk_kostnad(pop, ENHETSKOSTNAD_SJOBO.filter(pl.col("aldersgrupp") != "90+"), 2024)
