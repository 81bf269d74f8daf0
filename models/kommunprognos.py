"""Kommun level helårsprognos: the sum of the nämnder, with an interval and P(underskott) from a
joint simulation of their errors.

The nämnder's errors are not independent (a pay settlement or an inflation surprise hits them
all), so the kommun's interval is not the root sum of squares. Each nämnd's error is drawn from
its own calibrated distribution (`models.kalibrering`: skala · sigma · d_u · z, z from the pooled
empirical scores) and the draws are tied together by a Gaussian copula whose correlation is that
of the nämnder's backtest scores, shrunk halfway to their mean correlation (with a handful of
closed years a pairwise estimate alone is mostly noise) and made positive semi-definite.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy import stats

SIMULATIONS = 10_000
SEED = 20240101
SHRINKAGE = 0.5


def error_correlation(scores: pl.DataFrame) -> tuple[list[str], np.ndarray]:
    """The nämnder (sorted) and the shrunk correlation of their ``score`` over the (ar, manad)
    cases they share; a pair without three shared cases counts as the mean correlation."""
    wide = scores.pivot(on="enhet", index=["ar", "manad"], values="score").sort("ar", "manad")
    names = sorted(c for c in wide.columns if c not in ("ar", "manad"))
    k = len(names)
    raw = np.full((k, k), np.nan)
    values = {n: wide[n].to_numpy().astype(float) for n in names}
    for i in range(k):
        raw[i, i] = 1.0
        for j in range(i + 1, k):
            a, b = values[names[i]], values[names[j]]
            ok = np.isfinite(a) & np.isfinite(b)
            if ok.sum() >= 3 and np.std(a[ok]) > 0 and np.std(b[ok]) > 0:
                raw[i, j] = raw[j, i] = float(np.corrcoef(a[ok], b[ok])[0, 1])
    off = raw[~np.eye(k, dtype=bool)]
    mean = float(np.nanmean(off)) if np.isfinite(off).any() else 0.0
    raw = np.where(np.isfinite(raw), raw, mean)
    target = np.full((k, k), mean)
    np.fill_diagonal(target, 1.0)
    shrunk = (1 - SHRINKAGE) * raw + SHRINKAGE * target
    # Nearest positive semi-definite matrix by clipping eigenvalues, rescaled to unit diagonal.
    w, v = np.linalg.eigh(shrunk)
    psd = (v * np.clip(w, 1e-9, None)) @ v.T
    d = np.sqrt(np.diag(psd))
    return names, psd / np.outer(d, d)


def simulate_total(
    spreads: np.ndarray,
    z_pools: list[np.ndarray],
    correlation: np.ndarray,
    simulations: int = SIMULATIONS,
    seed: int = SEED,
) -> np.ndarray:
    """`simulations` draws of the sum of the nämnder's errors (faktiskt − prognos).

    Nämnd i's error is spreads[i] · Q_i(u_i), Q_i the empirical quantile function of its sorted
    z pool and u the copula's uniforms (u = Φ(x), x ~ N(0, correlation)).
    """
    rng = np.random.default_rng(seed)
    x = rng.multivariate_normal(np.zeros(len(spreads)), correlation, size=simulations)
    u = stats.norm.cdf(x)
    total = np.zeros(simulations)
    for i, (spread, z) in enumerate(zip(spreads, z_pools, strict=True)):
        if z.size == 0 or not np.isfinite(spread):
            continue
        total += spread * np.quantile(z, u[:, i])
    return total


def kommun_interval(
    point: float, arsbudget: float, errors: np.ndarray, levels=(0.80, 0.95)
) -> dict[str, float]:
    """The kommun's interval columns and P(nettokostnad > årsbudget) from simulated errors."""
    out = {}
    for level in levels:
        tag = round(level * 100)
        lo, hi = np.quantile(point + errors, [(1 - level) / 2, (1 + level) / 2])
        out[f"helarsprognos_lag{tag}"], out[f"helarsprognos_hog{tag}"] = float(lo), float(hi)
    out["sannolikhet_underskott"] = float(np.mean(point + errors > arsbudget))
    return out
