"""Population by year × age × sex: the real 2019 base, aged forward, then a forecast.

Each year: deaths by an age- and sex-specific mortality (Gompertz above age 30), everyone one year
older (100 means 100+), births from age-specific fertility of women 15–49, then net migration with
a typical age profile (young adults most), sized so the total hits the year's target. The
targets are demo figures close to Jönköping's published ones (147 654 in 2024, docs/rules.md);
the forecast grows about 0.8–1 % a year, and the older ages grow faster because the large
cohorts age and mortality keeps falling.
"""

from __future__ import annotations

import numpy as np

from .reference import MAX_AGE, SEXES

FIRST_YEAR = 2019
LAST_UTFALL_YEAR = 2025
LAST_PROGNOS_YEAR = 2036

# Totals at 31 Dec for the outcome years after 2019 (2024 as published, the rest demo figures).
UTFALL_TOTAL: dict[int, int] = {
    2020: 142_427,
    2021: 143_171,
    2022: 144_290,
    2023: 145_960,
    2024: 147_654,
    2025: 148_910,
}
# Forecast growth per year.
PROGNOS_GROWTH: dict[int, float] = {
    2026: 0.0098,
    2027: 0.0095,
    2028: 0.0092,
    2029: 0.0090,
    2030: 0.0088,
    2031: 0.0086,
    2032: 0.0084,
    2033: 0.0082,
    2034: 0.0081,
    2035: 0.0080,
    2036: 0.0080,
}

_AGES = np.arange(MAX_AGE + 1, dtype=float)


def _death_risk(year: int) -> np.ndarray:
    """Yearly death probability [kön, ålder]; falls 1 % a year from 2019."""
    q = np.empty((2, MAX_AGE + 1))
    for k, a in ((0, -10.8), (1, -11.3)):
        q[k] = np.exp(a + 0.1 * _AGES)
    q[:, 0] = 0.0022
    q[:, 1:15] = 0.0001
    q[:, 15:30] = np.array([0.0005, 0.0002])[:, None]
    q = np.clip(q, 0.0, 0.45)
    q[:, MAX_AGE] = 0.42
    return q * 0.99 ** (year - FIRST_YEAR)


def _fertility() -> np.ndarray:
    """Births per woman and year by age (summed fertility 1.62)."""
    f = np.exp(-0.5 * ((_AGES - 31.0) / 5.2) ** 2)
    f[:15] = 0.0
    f[50:] = 0.0
    return 1.62 * f / f.sum()


def _migration_profile() -> np.ndarray:
    """Share of a year's net migration per [kön, ålder]: young adults most, children with them."""
    p = (
        0.35 * np.exp(-0.5 * ((_AGES - 23.0) / 4.0) ** 2)
        + 0.10 * np.exp(-0.5 * ((_AGES - 33.0) / 6.0) ** 2)
        + 0.06 * np.exp(-0.5 * ((_AGES - 3.0) / 3.0) ** 2)
        + 0.004
    )
    p[80:] *= 0.2
    prof = np.vstack([p * 1.03, p])
    return prof / prof.sum()


def _distribute(total: int, shares: np.ndarray) -> np.ndarray:
    """Split an integer over cells by shares, exactly (largest remainder)."""
    sign = 1 if total >= 0 else -1
    raw = abs(total) * shares.ravel()
    whole = np.floor(raw).astype(np.int64)
    rest = abs(total) - int(whole.sum())
    if rest:
        order = np.argsort(-(raw - whole), kind="stable")[:rest]
        whole[order] += 1
    return sign * whole.reshape(shares.shape)


def _one_year(
    pop: np.ndarray, year: int, target: int, rng: np.random.Generator | None
) -> np.ndarray:
    q = _death_risk(year)
    deaths = rng.binomial(pop, q) if rng is not None else np.rint(pop * q).astype(np.int64)
    survivors = pop - deaths
    next_pop = np.zeros_like(pop)
    next_pop[:, 1:MAX_AGE] = survivors[:, : MAX_AGE - 1]
    next_pop[:, MAX_AGE] = survivors[:, MAX_AGE - 1] + survivors[:, MAX_AGE]
    births = float((pop[1] * _fertility()).sum())
    boys = round(births * 0.512)
    next_pop[0, 0] = boys
    next_pop[1, 0] = round(births) - boys
    migration = _distribute(target - int(next_pop.sum()), _migration_profile())
    next_pop = next_pop + migration
    if (
        next_pop < 0
    ).any():  # a large out-migration cannot empty a cell; migration the rest to age 25
        shortfall = int(-next_pop[next_pop < 0].sum())
        next_pop[next_pop < 0] = 0
        next_pop[1, 25] -= shortfall
    return next_pop


def befolkning(base_2019: np.ndarray, seed: int) -> dict[int, np.ndarray]:
    """Population [kön, ålder] at 31 Dec per year, 2019–2036 (2019 the real SCB figures)."""
    rng = np.random.default_rng([seed, 2019])
    per_year = {FIRST_YEAR: base_2019.astype(np.int64)}
    pop = per_year[FIRST_YEAR]
    for year in range(FIRST_YEAR + 1, LAST_PROGNOS_YEAR + 1):
        if year <= LAST_UTFALL_YEAR:
            target = UTFALL_TOTAL[year]
            pop = _one_year(pop, year, target, rng)
        else:
            target = round(int(pop.sum()) * (1 + PROGNOS_GROWTH[year]))
            pop = _one_year(pop, year, target, None)
        per_year[year] = pop
    return per_year


def befolkning_rows(per_year: dict[int, np.ndarray], region: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for year in sorted(per_year):
        kind = "utfall" if year <= LAST_UTFALL_YEAR else "prognos"
        pop = per_year[year]
        for age in range(MAX_AGE + 1):
            for k, sex in enumerate(SEXES):
                rows.append([region, str(year), str(age), sex, str(int(pop[k, age])), kind])
    return rows


def totals(per_year: dict[int, np.ndarray]) -> dict[int, int]:
    return {year: int(p.sum()) for year, p in per_year.items()}
