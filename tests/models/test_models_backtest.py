"""Rolling-origin helpers, hand-computed."""

from __future__ import annotations

import polars as pl
import pytest

from models.backtest import naive_drift, rolling_origins, summarise, with_errors


def test_rolling_origins_lists_every_origin_and_horizon():
    # Years 2020-2024, at least 3 years of training, at most 2 years ahead.
    assert rolling_origins([2020, 2021, 2022, 2023, 2024], min_training=3, max_horizon=2) == [
        (2022, 1, 2023),
        (2022, 2, 2024),
        (2023, 1, 2024),
    ]


def test_rolling_origins_rejects_gaps():
    with pytest.raises(ValueError, match="obruten"):
        rolling_origins([2020, 2022], 1, 1)


def test_naive_drift_extends_the_average_step():
    # drift = (120 - 100) / 2 = 10 per step
    assert naive_drift([100.0, 110.0, 120.0], 1) == 130.0
    assert naive_drift([100.0, 110.0, 120.0], 2) == 140.0
    assert naive_drift([7.0], 3) == 7.0


def test_errors_and_their_summary():
    df = pl.DataFrame(
        {
            "metod": ["a", "a", "b"],
            "prognos": [110.0, 90.0, 5.0],
            "faktiskt": [100.0, 100.0, 0.0],
            "inom_intervall": [True, False, None],
        }
    )
    ut = with_errors(df)
    assert ut["fel"].to_list() == [10.0, -10.0, 5.0]
    assert ut["abs_fel"].to_list() == [10.0, 10.0, 5.0]
    # percentage undefined when the outcome is 0
    assert ut["abs_fel_procent"].to_list() == [10.0, 10.0, None]
    s = summarise(ut, ["metod"])
    assert s.filter(pl.col("metod") == "a").row(0, named=True) == {
        "metod": "a",
        "n": 2,
        "mae": 10.0,
        "mape": 10.0,
        "tackning": 0.5,
    }
    assert s.filter(pl.col("metod") == "b")["tackning"].to_list() == [None]


def test_wilson_interval_of_a_proportion():
    from models.backtest import wilson

    # 8 of 10 at z = 1.96: centre (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.71675, half-width
    # 1.96 √(0.016 + 1.96²/400) / 1.38415 = 0.22648
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.49016, abs=1e-4) and high == pytest.approx(0.94331, abs=1e-4)
    # ~26 cases cannot tell 87 % from 95 %: both lie in the interval of 23 of 26
    low, high = wilson(23, 26)
    assert low < 0.87 < 0.95 < high
    assert wilson(0, 0) == (0.0, 1.0)


def test_brier_skill_against_the_base_rate():
    from models.backtest import brier_skill

    # Brier 0.01 against the base rate's 0.25: 1 − 0.01 / 0.25 = 0.96
    assert brier_skill([0.9, 0.1], [True, False], [0.5, 0.5]) == pytest.approx(0.96)
    # worse than the base rate: negative
    assert brier_skill([0.1, 0.9], [True, False], [0.5, 0.5]) < 0
    # a perfect reference (no underskott ever, base rate 0) leaves nothing to beat
    assert brier_skill([0.1], [False], [0.0]) is None
