"""Helårsprognos: the simple methods, the statistical model and its backtest."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from models.backtest import sammanfatta
from models.helarsprognos import (
    backtest_helarsprognos,
    budgetbaserad,
    statistisk_helarsprognos,
    takt,
)

T_3_0975 = 3.182446305284263  # Student's t, 3 degrees of freedom, 97.5 % quantile (tables)


def _frame(enhet: str, start_ar: int, varden: list[float]) -> pl.DataFrame:
    perioder = [f"{start_ar + i // 12}-{i % 12 + 1:02d}" for i in range(len(varden))]
    return pl.DataFrame({"enhet": [enhet] * len(varden), "period": perioder, "utfall": varden})


def _sasongsserie(n: int, niva: float = 100.0, brus: float = 0.3, seed: int = 7) -> np.ndarray:
    """A clean seasonal monthly series: low in July (holiday), high in December."""
    rng = np.random.default_rng(seed)
    manad = np.arange(n) % 12
    profil = np.array([1.0, 1.0, 1.05, 1.0, 1.0, 0.95, 0.6, 0.9, 1.05, 1.05, 1.1, 1.35])
    return niva * profil[manad] + rng.normal(0.0, brus, n)


# --- the simple methods (the dbt mart is checked against these) ---------------------------------


def test_budgetbaserad_adds_the_remaining_budget():
    # 300 spent, 250 budgeted so far of 1000: 300 + (1000 - 250)
    assert budgetbaserad(300.0, 250.0, 1000.0) == 1050.0
    # an underspend carries through: 200 + (1000 - 250)
    assert budgetbaserad(200.0, 250.0, 1000.0) == 950.0


def test_takt_divides_by_the_seasonal_share():
    assert takt(300.0, 0.25) == 1200.0
    assert takt(450.0, 0.5) == 900.0
    assert takt(450.0, 0.0) is None  # as the SQL's nullif


# --- the statistical model -----------------------------------------------------------------------


def test_ets_on_a_seasonal_series_is_within_one_percent_and_covered():
    y = _sasongsserie(48)  # 2021-01 .. 2024-12
    utfall = _frame("BUN", 2021, y.tolist())
    truth = float(y[36:].sum())
    ut = statistisk_helarsprognos(utfall, "2024-06")
    rad = ut.row(0, named=True)
    assert rad["metod"] == "ets_a_ad_a"
    assert rad["utfall_ack"] == pytest.approx(float(y[36:42].sum()))
    assert abs(rad["helarsprognos"] - truth) / truth < 0.01
    assert rad["helarsprognos_lag"] <= truth <= rad["helarsprognos_hog"]
    assert rad["helarsprognos_lag"] < rad["helarsprognos"] < rad["helarsprognos_hog"]
    assert rad["sannolikhet_underskott"] is None


def test_probability_of_deficit_follows_the_budget():
    utfall = _frame("BUN", 2021, _sasongsserie(42).tolist())
    prognos = statistisk_helarsprognos(utfall, "2024-06")["helarsprognos"][0]
    budget = pl.DataFrame({"enhet": ["BUN"], "arsbudget": [0.8 * prognos]})
    assert statistisk_helarsprognos(utfall, "2024-06", budget)["sannolikhet_underskott"][0] > 0.99
    budget = pl.DataFrame({"enhet": ["BUN"], "arsbudget": [1.2 * prognos]})
    assert statistisk_helarsprognos(utfall, "2024-06", budget)["sannolikhet_underskott"][0] < 0.01


def test_fallback_seasonal_naive_scaled_by_ytd_ratio():
    # 16 months: all of 2023 and Jan-Apr 2024.
    fjol = [10.0, 10.0, 10.0, 10.0, 20.0, 20.0, 20.0, 20.0, 10.0, 10.0, 10.0, 10.0]
    i_ar = [11.0, 12.0, 10.0, 11.0]
    utfall = _frame("SN", 2023, fjol + i_ar)
    rad = statistisk_helarsprognos(
        utfall, "2024-04", pl.DataFrame({"enhet": ["SN"], "arsbudget": [176.0]})
    ).row(0, named=True)
    assert rad["metod"] == "sasongsnaiv_skalad"
    # k = 44 / 40 = 1.1; rest of last year 120 -> 44 + 1.1 * 120 = 176
    assert rad["utfall_ack"] == 44.0
    assert rad["helarsprognos"] == pytest.approx(176.0)
    # residuals y - 1.1 p = 0, 1, -1, 0 -> s2 = 2/3; var = s2 * (4 * 120^2 / 40^2 + 8) = 29.33
    sd = math.sqrt(2 / 3 * (4 * 120**2 / 40**2 + 8))
    assert rad["helarsprognos_hog"] == pytest.approx(176.0 + T_3_0975 * sd, rel=1e-9)
    assert rad["helarsprognos_lag"] == pytest.approx(176.0 - T_3_0975 * sd, rel=1e-9)
    # the budget equals the forecast: a symmetric distribution gives one half
    assert rad["sannolikhet_underskott"] == pytest.approx(0.5)


def test_fallback_flat_run_rate_without_a_previous_year():
    rad = statistisk_helarsprognos(_frame("NY", 2024, [10.0, 12.0, 14.0]), "2024-03").row(
        0, named=True
    )
    assert rad["metod"] == "jamn_takt"
    assert rad["helarsprognos"] == pytest.approx(36.0 * 12 / 3)
    # residuals -2, 0, 2 -> s2 = 4; var = 4 * (3 * 9^2 / 3^2 + 9) = 144 -> sd 12; t(2) = 4.3027
    assert rad["helarsprognos_hog"] - rad["helarsprognos"] == pytest.approx(4.302652729749464 * 12)


def test_one_month_has_no_interval():
    rad = statistisk_helarsprognos(_frame("NY", 2024, [10.0]), "2024-01").row(0, named=True)
    assert rad["helarsprognos"] == 120.0
    assert rad["helarsprognos_lag"] is None and rad["sannolikhet_underskott"] is None


def test_december_is_the_outcome():
    utfall = _frame("BUN", 2022, _sasongsserie(36).tolist())
    budget = pl.DataFrame({"enhet": ["BUN"], "arsbudget": [1.0]})
    rad = statistisk_helarsprognos(utfall, "2024-12", budget).row(0, named=True)
    assert rad["metod"] == "utfall_helar"
    assert rad["helarsprognos"] == rad["utfall_ack"] == rad["helarsprognos_hog"]
    assert rad["sannolikhet_underskott"] == 1.0


def test_deterministic_and_later_rows_ignored():
    y = _sasongsserie(60).tolist()
    lang = pl.concat([_frame("A", 2020, y), _frame("B", 2020, [v * 2 for v in y])])
    kort = lang.filter(pl.col("period") <= "2023-05")
    a = statistisk_helarsprognos(lang, "2023-05")
    b = statistisk_helarsprognos(kort, "2023-05")
    assert a.equals(b)
    assert a["enhet"].to_list() == ["A", "B"]
    # additive ETS is scale-equivariant: doubling the series doubles the forecast
    assert a["helarsprognos"][1] == pytest.approx(2 * a["helarsprognos"][0], rel=1e-3)


def test_units_gone_before_the_year_are_left_out_and_gaps_raise():
    utfall = pl.concat([_frame("KVAR", 2023, [1.0] * 15), _frame("NEDLAGD", 2022, [1.0] * 12)])
    assert statistisk_helarsprognos(utfall, "2024-03")["enhet"].to_list() == ["KVAR"]
    lucka = _frame("L", 2023, [1.0] * 15).filter(pl.col("period") != "2023-07")
    with pytest.raises(ValueError, match="2023-07"):
        statistisk_helarsprognos(lucka, "2024-03")
    # a month without rows may instead mean a net cost of 0
    fylld = statistisk_helarsprognos(lucka, "2024-03", fyll_saknade_manader=True)
    assert fylld["metod"][0] == "sasongsnaiv_skalad"
    # k = 3 / 3 = 1; Apr-Dec 2023 sum to 8 (the empty July counts 0): 3 + 1 x 8
    assert fylld["helarsprognos"][0] == pytest.approx(3.0 + 8.0)
    with pytest.raises(ValueError, match="ÅÅÅÅ-MM"):
        statistisk_helarsprognos(lucka, "2024-3")


# --- backtest ------------------------------------------------------------------------------------


def test_backtest_simple_methods_by_hand():
    historik = _sasongsserie(24, niva=10.0).tolist()  # 2022-2023
    utfall = _frame("A", 2022, historik + [10.0] * 12)  # 2024: 10 a month, year-end 120
    budget = pl.DataFrame(
        {
            "enhet": ["A"] * 12,
            "period": [f"2024-{m:02d}" for m in range(1, 13)],
            "budget": [9.0] * 6 + [11.0] * 6,  # arsbudget 120
        }
    )
    bt = backtest_helarsprognos(utfall, 2024, manader=(3, 6), budget=budget)
    assert bt.height == 2 * 4
    m3 = {r["metod"]: r for r in bt.filter(pl.col("manad") == 3).iter_rows(named=True)}
    assert set(m3) == {"statistisk", "naiv", "takt", "budgetbaserad"}
    assert m3["naiv"]["prognos"] == 120.0 and m3["naiv"]["fel"] == 0.0
    # budget share at March 27/120 -> 30 / 0.225
    assert m3["takt"]["prognos"] == pytest.approx(30 / 0.225)
    assert m3["takt"]["modell"] == "takt_budgetandel"
    assert m3["takt"]["abs_fel_procent"] == pytest.approx((30 / 0.225 - 120) / 120 * 100)
    # 30 + (120 - 27)
    assert m3["budgetbaserad"]["prognos"] == 123.0 and m3["budgetbaserad"]["fel"] == 3.0
    assert m3["statistisk"]["modell"] == "ets_a_ad_a"
    assert m3["statistisk"]["inom_intervall"] is not None
    assert m3["naiv"]["inom_intervall"] is None
    s = sammanfatta(bt, ["metod", "manad"])
    assert s.filter((pl.col("metod") == "budgetbaserad") & (pl.col("manad") == 6))["mae"][0] == 6.0


def test_backtest_takt_uses_earlier_profile_without_budget():
    # 2023: 6 a month in Jan-Jun, 14 in Jul-Dec -> share at June 36/120 = 0.3
    utfall = _frame("A", 2023, [6.0] * 6 + [14.0] * 6 + [5.0] * 12)
    bt = backtest_helarsprognos(utfall, 2024, manader=(6,))
    rad = bt.filter(pl.col("metod") == "takt").row(0, named=True)
    assert rad["modell"] == "takt_utfallsprofil"
    assert rad["prognos"] == pytest.approx(30.0 / 0.3)
    assert rad["faktiskt"] == 60.0
    assert "budgetbaserad" not in bt["metod"].to_list()


def test_backtest_needs_a_closed_year():
    with pytest.raises(ValueError, match="inte stängt"):
        backtest_helarsprognos(_frame("A", 2024, [1.0] * 11), 2024)
