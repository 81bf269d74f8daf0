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

from .reference import KON, MAX_ALDER

FORSTA_AR = 2019
SISTA_UTFALL = 2025
SISTA_PROGNOS = 2036

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
PROGNOS_TILLVAXT: dict[int, float] = {
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

_ALDER = np.arange(MAX_ALDER + 1, dtype=float)


def _dodsrisk(ar: int) -> np.ndarray:
    """Yearly death probability [kön, ålder]; falls 1 % a year from 2019."""
    q = np.empty((2, MAX_ALDER + 1))
    for k, a in ((0, -10.8), (1, -11.3)):
        q[k] = np.exp(a + 0.1 * _ALDER)
    q[:, 0] = 0.0022
    q[:, 1:15] = 0.0001
    q[:, 15:30] = np.array([0.0005, 0.0002])[:, None]
    q = np.clip(q, 0.0, 0.45)
    q[:, MAX_ALDER] = 0.42
    return q * 0.99 ** (ar - FORSTA_AR)


def _fruktsamhet() -> np.ndarray:
    """Births per woman and year by age (summed fertility 1.62)."""
    f = np.exp(-0.5 * ((_ALDER - 31.0) / 5.2) ** 2)
    f[:15] = 0.0
    f[50:] = 0.0
    return 1.62 * f / f.sum()


def _flyttprofil() -> np.ndarray:
    """Share of a year's net migration per [kön, ålder]: young adults most, children with them."""
    p = (
        0.35 * np.exp(-0.5 * ((_ALDER - 23.0) / 4.0) ** 2)
        + 0.10 * np.exp(-0.5 * ((_ALDER - 33.0) / 6.0) ** 2)
        + 0.06 * np.exp(-0.5 * ((_ALDER - 3.0) / 3.0) ** 2)
        + 0.004
    )
    p[80:] *= 0.2
    prof = np.vstack([p * 1.03, p])
    return prof / prof.sum()


def _fordela(totalt: int, andelar: np.ndarray) -> np.ndarray:
    """Split an integer over cells by shares, exactly (largest remainder)."""
    tecken = 1 if totalt >= 0 else -1
    raw = abs(totalt) * andelar.ravel()
    heltal = np.floor(raw).astype(np.int64)
    rest = abs(totalt) - int(heltal.sum())
    if rest:
        ordning = np.argsort(-(raw - heltal), kind="stable")[:rest]
        heltal[ordning] += 1
    return tecken * heltal.reshape(andelar.shape)


def _ett_ar(pop: np.ndarray, ar: int, mal: int, rng: np.random.Generator | None) -> np.ndarray:
    q = _dodsrisk(ar)
    doda = rng.binomial(pop, q) if rng is not None else np.rint(pop * q).astype(np.int64)
    overlevande = pop - doda
    ny = np.zeros_like(pop)
    ny[:, 1:MAX_ALDER] = overlevande[:, : MAX_ALDER - 1]
    ny[:, MAX_ALDER] = overlevande[:, MAX_ALDER - 1] + overlevande[:, MAX_ALDER]
    fodda = float((pop[1] * _fruktsamhet()).sum())
    pojkar = round(fodda * 0.512)
    ny[0, 0] = pojkar
    ny[1, 0] = round(fodda) - pojkar
    flytt = _fordela(mal - int(ny.sum()), _flyttprofil())
    ny = ny + flytt
    if (ny < 0).any():  # a large out-migration cannot empty a cell; move the rest to age 25
        brist = int(-ny[ny < 0].sum())
        ny[ny < 0] = 0
        ny[1, 25] -= brist
    return ny


def befolkning(bas_2019: np.ndarray, seed: int) -> dict[int, np.ndarray]:
    """Population [kön, ålder] at 31 Dec per year, 2019–2036 (2019 the real SCB figures)."""
    rng = np.random.default_rng([seed, 2019])
    per_ar = {FORSTA_AR: bas_2019.astype(np.int64)}
    pop = per_ar[FORSTA_AR]
    for ar in range(FORSTA_AR + 1, SISTA_PROGNOS + 1):
        if ar <= SISTA_UTFALL:
            mal = UTFALL_TOTAL[ar]
            pop = _ett_ar(pop, ar, mal, rng)
        else:
            mal = round(int(pop.sum()) * (1 + PROGNOS_TILLVAXT[ar]))
            pop = _ett_ar(pop, ar, mal, None)
        per_ar[ar] = pop
    return per_ar


def befolkning_rader(per_ar: dict[int, np.ndarray], region: str) -> list[list[str]]:
    rader: list[list[str]] = []
    for ar in sorted(per_ar):
        typ = "utfall" if ar <= SISTA_UTFALL else "prognos"
        pop = per_ar[ar]
        for alder in range(MAX_ALDER + 1):
            for k, kon in enumerate(KON):
                rader.append([region, str(ar), str(alder), kon, str(int(pop[k, alder])), typ])
    return rader


def totaler(per_ar: dict[int, np.ndarray]) -> dict[int, int]:
    return {ar: int(p.sum()) for ar, p in per_ar.items()}
