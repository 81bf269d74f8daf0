"""Kommun level: the joint simulation of the nämnder's errors (models/kommunprognos.py)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from models.kommunprognos import error_correlation, kommun_interval, simulate_total

Z = np.sort(np.random.default_rng(1).normal(size=2000))  # a standard normal pool


def test_correlated_errors_widen_the_kommuns_interval():
    spreads = np.array([10.0, 10.0])
    independent = simulate_total(spreads, [Z, Z], np.eye(2))
    together = simulate_total(spreads, [Z, Z], np.array([[1.0, 0.999], [0.999, 1.0]]))
    # sd of the sum: √2 · 10 ≈ 14.1 independent, 2 · 10 = 20 perfectly correlated
    assert np.std(independent) == pytest.approx(np.sqrt(2) * 10, rel=0.05)
    assert np.std(together) == pytest.approx(20, rel=0.05)


def test_the_interval_and_probability_come_from_the_simulated_total():
    errors = np.array([-2.0, -1.0, 0.0, 1.0, 2.0] * 200)
    out = kommun_interval(100.0, 101.5, errors)
    assert out["helarsprognos_lag80"] == pytest.approx(98.0)
    assert out["helarsprognos_hog95"] == pytest.approx(102.0)
    assert out["sannolikhet_underskott"] == pytest.approx(0.2)  # only 100 + 2 > 101.5


def test_error_correlation_is_shrunk_to_the_mean_and_a_valid_correlation():
    rng = np.random.default_rng(3)
    common = rng.normal(size=30)
    rows = []
    for enhet, weight in (("A", 1.0), ("B", 1.0), ("C", 0.0)):
        noise = rng.normal(size=30)
        for i in range(30):
            rows.append((enhet, 2020 + i // 11, i % 11 + 1, weight * common[i] + noise[i]))
    scores = pl.DataFrame(rows, schema=["enhet", "ar", "manad", "score"], orient="row")
    names, r = error_correlation(scores)
    assert names == ["A", "B", "C"]
    assert np.allclose(np.diag(r), 1.0) and np.allclose(r, r.T)
    assert np.all(np.linalg.eigvalsh(r) >= -1e-9)
    # A and B share a common factor (true correlation 0.5); C shares none
    assert r[0, 1] > r[0, 2] and r[0, 1] > r[1, 2]
