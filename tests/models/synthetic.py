"""A seeded municipality-like ledger for the helårsprognos tests: a known truth to calibrate on.

Per unit: a net budget that steps up every January (the ram), a monthly profile with a July dip
and December accruals, a yearly deviation from the budget (unit-specific spread) that shows from
the first month on, month noise (larger in December, the accruals), and for a fifth of the units
a budget revision decided in June (in force from month 6 only). Amounts in kronor.
"""

from __future__ import annotations

import numpy as np
import polars as pl

PROFILE = np.array([0.95, 0.95, 1.02, 1.0, 1.0, 0.97, 0.62, 0.9, 1.03, 1.04, 1.06, 1.46])
PROFILE = PROFILE / PROFILE.sum()
YEARS = (2022, 2023, 2024, 2025)  # three years of history and a held-out year
ELECTION_YEARS = (2022, 2024, 2026)


def ledger(n_units: int = 220, seed: int = 20261203) -> pl.DataFrame:
    """Columns ``enhet, ar, manad, utfall, budget_ack, arsbudget, forvaltningens`` (null)."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(n_units):
        level = float(np.exp(rng.uniform(np.log(2e6), np.log(4e8))))
        spread = float(np.exp(rng.normal(np.log(0.025), 0.4)))
        profile = PROFILE * np.exp(rng.normal(0, 0.05, 12))
        profile /= profile.sum()
        key = PROFILE if u % 2 else np.full(12, 1 / 12)  # half the budgets periodised evenly
        growth = rng.normal(0.03, 0.01)
        revised = u % 5 == 0
        for i, ar in enumerate(YEARS):
            budget = level * (1 + growth) ** i
            deviation = rng.normal(0, spread)
            noise = rng.normal(0, 0.03, 12)
            noise[11] = rng.normal(0, 0.08)
            months = budget * (1 + deviation) * profile * (1 + noise)
            revision = budget * 0.02 if revised else 0.0
            for m in range(1, 13):
                in_force = budget + (revision if m >= 6 else 0.0)
                rows.append(
                    (
                        f"E{u:03d}",
                        ar,
                        m,
                        float(months[m - 1]),
                        float(in_force * key[:m].sum()),
                        float(in_force),
                    )
                )
    df = pl.DataFrame(
        rows, schema=["enhet", "ar", "manad", "utfall", "budget_ack", "arsbudget"], orient="row"
    )
    return df.with_columns(pl.lit(None, dtype=pl.Float64).alias("forvaltningens"))


def valnamnden(years=YEARS, election_years=ELECTION_YEARS, seed: int = 5) -> pl.DataFrame:
    """Valnämnden: 12 mnkr in an election year (most of it in August–September), 1.5 otherwise."""
    rng = np.random.default_rng(seed)
    valar_profile = np.array([2, 2, 3, 3, 4, 5, 3, 20, 45, 6, 4, 3], dtype=float)
    valar_profile /= valar_profile.sum()
    rows = []
    for ar in years:
        budget = 12e6 if ar in election_years else 1.5e6
        profile = valar_profile if ar in election_years else np.full(12, 1 / 12)
        months = budget * rng.normal(1.0, 0.03) * profile * (1 + rng.normal(0, 0.02, 12))
        for m in range(1, 13):
            rows.append(
                ("VALN", ar, m, float(months[m - 1]), float(budget * profile[:m].sum()), budget)
            )
    df = pl.DataFrame(
        rows, schema=["enhet", "ar", "manad", "utfall", "budget_ack", "arsbudget"], orient="row"
    )
    return df.with_columns(pl.lit(None, dtype=pl.Float64).alias("forvaltningens"))
