"""Helårsprognos: the point methods, the robustness per unit, and the calibration of the
intervals and P(underskott) on a seeded municipality-like fixture (tests/models/synthetic.py)."""

from __future__ import annotations

import polars as pl
import pytest

from models.backtest import wilson
from models.helarsprognos import (
    backtest_points,
    budgetbaserad,
    closed_years,
    forecast_points,
    takt,
)
from models.kalibrering import _order_statistic, cross_calibrate, forecast_with_intervals
from models.precision import summarise, with_outcomes
from tests.models import synthetic


def _ledger(enhet: str, start: tuple[int, int], utfall: list[float], arsbudget: float):
    """Months from `start` on; budget periodised evenly, arsbudget the same every year."""
    rows = []
    ar, manad = start
    for value in utfall:
        rows.append((enhet, ar, manad, value, arsbudget * manad / 12, arsbudget, None))
        ar, manad = (ar + 1, 1) if manad == 12 else (ar, manad + 1)
    return pl.DataFrame(
        rows,
        schema=["enhet", "ar", "manad", "utfall", "budget_ack", "arsbudget", "forvaltningens"],
        orient="row",
    )


def _row(points: pl.DataFrame, metod: str, manad: int | None = None) -> dict:
    rows = points.filter(pl.col("metod") == metod)
    if manad is not None:
        rows = rows.filter(pl.col("manad") == manad)
    assert rows.height == 1, rows
    return rows.row(0, named=True)


# --- the simple methods (the dbt mart is checked against these) ---------------------------------


def test_budgetbaserad_adds_the_remaining_budget():
    # 300 spent, 250 budgeted so far of 1000: 300 + (1000 - 250)
    assert budgetbaserad(300.0, 250.0, 1000.0) == 1050.0
    assert budgetbaserad(200.0, 250.0, 1000.0) == 950.0


def test_takt_divides_by_the_seasonal_share():
    assert takt(300.0, 0.25) == 1200.0
    assert takt(450.0, 0.0) is None  # as the SQL's nullif


# --- the statistical method ----------------------------------------------------------------------


def test_statistisk_divides_utfall_ack_by_the_units_own_profile():
    # Two earlier years of 10 a month and 30 in December (140 a year), then 12 a month.
    year = [10.0] * 11 + [30.0]
    df = _ledger("BUN", (2023, 1), year + year + [12.0, 12.0, 12.0], 1680.0)
    points = forecast_points(df, 2025, [3])
    stat = _row(points, "statistisk")
    # share to date = (30 + 30) / 280; 36 / (60/280) = 168
    assert stat["modell"] == "utfallsprofil"
    assert stat["prognos"] == pytest.approx(168.0)
    assert stat["utfall_ack"] == 36.0
    # benchmark: 36 + last year's April–December (8 × 10 + 30)
    assert stat["sasongsnaiv"] == pytest.approx(146.0)
    # budgetbaserad: 36 + (1680 − 420); takt: 36 / (420 / 1680)
    assert _row(points, "budgetbaserad")["prognos"] == pytest.approx(1296.0)
    assert _row(points, "takt")["prognos"] == pytest.approx(144.0)
    # the months were never negative: the rest of the year cannot lower the net cost
    assert stat["golv"] == 36.0


def test_a_unit_starting_in_march_falls_back_to_budgetbaserad_with_the_reason():
    df = pl.concat(
        [
            _ledger("NY", (2026, 3), [5.0] * 4, 60.0),
            _ledger("BUN", (2024, 1), [10.0] * 30, 120.0),
        ]
    )
    points = forecast_points(df, 2026, [3, 6])
    new = points.filter(pl.col("enhet") == "NY")
    assert new["manad"].unique().sort().to_list() == [3, 6]
    stat = _row(new, "statistisk", 6)
    assert stat["modell"] == "budgetbaserad"
    assert "inget helt tidigare år" in stat["kommentar"]
    assert stat["prognos"] == _row(new, "budgetbaserad", 6)["prognos"] == 20.0 + (60 - 30)
    # the other unit is forecast by its profile as usual
    assert _row(points.filter(pl.col("enhet") == "BUN"), "statistisk", 6)["modell"] == (
        "utfallsprofil"
    )


def test_a_gap_is_a_month_without_net_cost_not_a_crash():
    gaps = _ledger("MHN", (2023, 1), [10.0] * 36, 120.0).filter(
        ~(pl.col("ar").is_in([2024, 2025]) & pl.col("manad").is_in([5, 6, 7]))
    )
    df = pl.concat([gaps, _ledger("BUN", (2023, 1), [20.0] * 36, 240.0)])
    points = backtest_points(df, 2025, [6]).filter(pl.col("enhet") == "MHN")
    stat = _row(points, "statistisk")
    # profile year 2024: 90 with three zero months; its January–June share is 40 / 90, and
    # 2025's ack is 40 (May, June missing): 40 / (40 / 90); the year ends at 90 (gaps are 0)
    assert stat["prognos"] == pytest.approx(90.0)
    assert stat["faktiskt"] == 90.0
    assert closed_years(df, before=2026) == [2023, 2024, 2025]


def test_a_unit_without_net_cost_in_its_earlier_years_falls_back():
    df = _ledger("KRIS", (2023, 1), [1.0, -1.0] * 12 + [1.0, 2.0, 3.0], 12.0)
    stat = _row(forecast_points(df, 2025, [3]), "statistisk")
    assert stat["modell"] == "budgetbaserad"
    assert "ingen nettokostnad" in stat["kommentar"]
    assert stat["golv"] is None  # it has had negative months


def test_valnamnden_in_an_election_year_stays_near_its_budget_and_above_zero():
    valar = (2018, 2019, 2022, 2024)
    valn = synthetic.valnamnden(years=range(2017, 2025), election_years=valar)
    units = synthetic.ledger(n_units=60).filter(pl.col("ar") <= 2024)
    df = pl.concat([valn, units])
    backtest = pl.concat([backtest_points(df, a, election_years=valar) for a in (2022, 2023)])
    points = forecast_points(df, 2024, [3, 6, 9], valar)
    out = forecast_with_intervals(backtest, points).filter(pl.col("enhet") == "VALN")
    for row in out.iter_rows(named=True):
        assert abs(row["prognos"] - 12e6) <= 0.10 * 12e6, row
        assert row["helarsprognos_lag95"] >= 0, row
    stat = out.filter(pl.col("metod") == "statistisk")
    assert set(stat["modell"]) == {"budgetbaserad"}
    assert "valcykeln" in stat["kommentar"][0]
    # In a year without election it is profiled on the last such year (2023).
    off_year = forecast_points(df, 2023, [6], valar).filter(
        (pl.col("enhet") == "VALN") & (pl.col("metod") == "statistisk")
    )
    assert off_year["modell"].to_list() == ["utfallsprofil_valcykel"]


# --- calibration ---------------------------------------------------------------------------------


def test_the_conformal_order_statistic():
    values = [float(v) for v in range(1, 20)]  # n = 19
    import numpy as np

    assert _order_statistic(np.array(values), 0.80) == 16.0  # ⌈20 × 0.8⌉ = 16th
    assert _order_statistic(np.array(values), 0.95) == 19.0  # ⌈20 × 0.95⌉ = 19th
    assert _order_statistic(np.array(values[:10]), 0.95) is None  # ⌈11 × 0.95⌉ = 11 > 10


@pytest.fixture(scope="module")
def held_out():
    """The synthetic municipality's 2025 forecast from months 3, 6, 9, calibrated on the
    backtest of 2022–2024, with the truth."""
    df = synthetic.ledger()
    backtest = pl.concat([backtest_points(df, a) for a in (2022, 2023, 2024)])
    truth = backtest_points(df, 2025, [3, 6, 9])
    points = truth.drop("faktiskt")
    out = forecast_with_intervals(backtest, points).join(
        truth.select("enhet", "manad", "faktiskt").unique(), on=["enhet", "manad"]
    )
    return with_outcomes(out), backtest


@pytest.mark.parametrize("metod", ["budgetbaserad", "kombination"])
@pytest.mark.parametrize("manad", [3, 6, 9])
def test_nominal_coverage_is_inside_the_wilson_interval_of_the_held_out_year(
    held_out, metod, manad
):
    rows = held_out[0].filter((pl.col("metod") == metod) & (pl.col("manad") == manad))
    assert rows.height == 220
    for level in (80, 95):
        inside = rows[f"inom_{level}"]
        low, high = wilson(float(inside.sum()), inside.len())
        assert low <= level / 100 <= high, (metod, manad, level, inside.mean())


def test_the_probability_of_underskott_beats_the_base_rate_in_the_backtest(held_out):
    summary = summarise(with_outcomes(cross_calibrate(held_out[1])))
    skill = summary.filter(pl.col("manad").is_in([6, 9]) & (pl.col("metod") == "kombination"))
    assert (skill["brier_skill"] > 0).all(), skill
    assert skill["sannolikhet_visas"].all()
