"""The municipality's economy per year: revenue, finansnetto, pensions and the nämnder's frames.

Calibration (all amounts in kronor, at any scale):
- skatteintäkter start from the real 2019 figure (47 600 kr/inv × 141 081) and grow with the
  skatteunderlag (2020 +2.1 %, 2021 +5.3 %, 2022 +5.8 % as in docs/rules.md; later years SKR-like
  demo figures), which gives about 55 000 kr/inv in 2023; the tax base is skatteintäkter / 21.64 %;
- generella statsbidrag och utjämning: 8 829 kr/inv in 2019, 9 200–10 000 kr/inv 2022–2026;
- every year's frames are what the revenue budget leaves for the budgeted result (resultatandel
  1.3 / 1.0 / 0.8 / 0.7 % for 2022–2025, 1.0 / 1.5 / 2.0 % for 2026–2028);
- past years (2022 .. current−1): the outcome's net cost (klass 3–7) is what leaves the target
  result (3.0 / 2.3 / 2.0 / 1.8 % for 2022–2025), about 61 000–68 000 kr/inv; each nämnd ends a
  little under its frame (margins drawn per nämnd, then scaled so the total fits, at least 0.3 %).

Nämnder share the operating net cost by fixed shares with slow trends (äldreomsorg growing,
barn och utbildning shrinking slightly); Valnämnden, Överförmyndarnämnden and
Krisledningsnämnden have their own amounts (elections in 2022, 2024 and 2026).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SKATTESATS = 21.64

SKATTEUNDERLAG_TILLVAXT: dict[int, float] = {
    2020: 0.021,
    2021: 0.053,
    2022: 0.058,
    2023: 0.054,
    2024: 0.043,
    2025: 0.036,
    2026: 0.034,
    2027: 0.037,
    2028: 0.039,
    2029: 0.040,
    2030: 0.040,
    2031: 0.040,
    2032: 0.040,
    2033: 0.040,
    2034: 0.040,
    2035: 0.040,
    2036: 0.040,
}
STATSBIDRAG_PER_INV: dict[int, float] = {
    2019: 8_829,
    2020: 9_640,
    2021: 9_480,
    2022: 9_250,
    2023: 9_350,
    2024: 9_760,
    2025: 9_900,
    2026: 10_000,
    2027: 10_150,
    2028: 10_320,
}
PKV: dict[int, float] = {2026: 0.029, 2027: 0.030, 2028: 0.031}
# Target resultatandel of the outcome (past years) and of the budget (all years).
RESULTAT_UTFALL: dict[int, float] = {2022: 0.030, 2023: 0.023, 2024: 0.020, 2025: 0.018}
RESULTAT_BUDGET: dict[int, float] = {
    2022: 0.013,
    2023: 0.010,
    2024: 0.008,
    2025: 0.007,
    2026: 0.010,
    2027: 0.015,
    2028: 0.020,
}
# How much the revenue budget undershot the outcome in past years (inflation surprised).
INTAKT_BUDGET_UNDERSKATTNING: dict[int, float] = {2022: 0.005, 2023: 0.002}
# Finansiella intäkter and kostnader (kr, both positive); finansnetto = intäkter − kostnader.
FINANS_INTAKTER: dict[int, float] = {
    2022: 110e6,
    2023: 125e6,
    2024: 135e6,
    2025: 140e6,
    2026: 140e6,
    2027: 140e6,
    2028: 142e6,
}
FINANSNETTO: dict[int, float] = {
    2022: 60e6,
    2023: 35e6,
    2024: 20e6,
    2025: 30e6,
    2026: 25e6,
    2027: 15e6,
    2028: 10e6,
}
# Pension costs carried by Finansförvaltningen (klass 5), 2022, growing 5 % a year.
PENSION_2022 = 210e6
# Realisationsvinster (klass 3, unbudgeted) on FIN: (year, month, kr).
REALISATIONSVINSTER: tuple[tuple[int, int, float], ...] = (
    (2023, 6, 18.5e6),
    (2025, 11, 7.2e6),
    (2026, 5, 3.1e6),
)
# Nämnder with their own amounts rather than a share (kr per year).
VALN_BUDGET: dict[int, float] = {
    2022: 13.5e6,
    2023: 1.4e6,
    2024: 7.8e6,
    2025: 1.5e6,
    2026: 15.2e6,
    2027: 1.6e6,
    2028: 1.7e6,
}
VALAR: frozenset[int] = frozenset({2022, 2024, 2026})
OFN_2022 = 18e6
KRIS_BUDGET = 0.2e6

# Shares of the operating net cost (sum 1) and their yearly relative trend.
ANDELAR: dict[str, float] = {
    "BUN": 0.335,
    "UAN": 0.105,
    "SBN": 0.009,
    "TN": 0.050,
    "MHN": 0.004,
    "SOC": 0.148,
    "IFO": 0.072,
    "AEN": 0.205,
    "KFN": 0.036,
    "KS": 0.036,
}
ANDEL_TREND: dict[str, float] = {"AEN": 0.015, "SOC": 0.010, "IFO": 0.005, "BUN": -0.008}

FASTA = ("VALN", "OFN", "KRIS")


@dataclass
class Ekonomi:
    """Per year: revenue (outcome and budget), finans, pensions and nämnd frames (budget)."""

    befolkning: dict[int, int]
    forsta_ar: int
    aktuellt_ar: int
    skatteintakter: dict[int, float] = field(default_factory=dict)
    statsbidrag: dict[int, float] = field(default_factory=dict)
    skatteintakter_budget: dict[int, float] = field(default_factory=dict)
    statsbidrag_budget: dict[int, float] = field(default_factory=dict)
    finans_intakter: dict[int, float] = field(default_factory=dict)
    finans_kostnader: dict[int, float] = field(default_factory=dict)
    pension: dict[int, float] = field(default_factory=dict)
    ram: dict[tuple[str, int], float] = field(default_factory=dict)
    marginal: dict[tuple[str, int], float] = field(default_factory=dict)

    @property
    def ar(self) -> list[int]:
        return list(range(self.forsta_ar, self.aktuellt_ar + 3))

    def skatteunderlag(self, ar: int) -> float:
        return self.skatteintakter[ar] / (SKATTESATS / 100)


def _pension(ar: int) -> float:
    return PENSION_2022 * 1.05 ** (ar - 2022)


def _ofn(ar: int) -> float:
    return OFN_2022 * 1.03 ** (ar - 2022)


def _andelar(ar: int) -> dict[str, float]:
    raw = {n: a * (1 + ANDEL_TREND.get(n, 0.0)) ** (ar - 2023) for n, a in ANDELAR.items()}
    total = sum(raw.values())
    return {n: a / total for n, a in raw.items()}


def _marginal(namnd: str, rng) -> float:
    """A nämnd's surplus share for a year: small for the large ones, larger for the small."""
    if namnd == "KRIS":
        return float(rng.uniform(0.25, 0.45))
    if namnd in ("VALN", "OFN", "MHN", "SBN"):
        return float(rng.uniform(0.025, 0.045))
    return float(rng.uniform(0.008, 0.016))


def bygg_ekonomi(befolkning: dict[int, int], aktuellt_ar: int, rng) -> Ekonomi:
    eko = Ekonomi(befolkning=befolkning, forsta_ar=2022, aktuellt_ar=aktuellt_ar)
    si = 47_600 * befolkning[2019]
    for ar in range(2020, aktuellt_ar + 3):
        si *= 1 + SKATTEUNDERLAG_TILLVAXT[ar]
        eko.skatteintakter[ar] = si
        per_inv = STATSBIDRAG_PER_INV.get(ar, STATSBIDRAG_PER_INV[2028] * 1.015 ** (ar - 2028))
        eko.statsbidrag[ar] = per_inv * befolkning[ar]

    namnder = list(ANDELAR) + list(FASTA)
    for ar in eko.ar:
        fin_int = FINANS_INTAKTER.get(ar, 142e6)
        netto = FINANSNETTO.get(ar, 10e6)
        eko.finans_intakter[ar] = fin_int
        eko.finans_kostnader[ar] = fin_int - netto
        eko.pension[ar] = _pension(ar)
        for n in namnder:
            eko.marginal[(n, ar)] = _marginal(n, rng)
        valn = VALN_BUDGET.get(ar, 1.7e6)
        fasta_budget = {"VALN": valn, "OFN": _ofn(ar), "KRIS": KRIS_BUDGET}
        andelar = _andelar(ar)
        if ar < aktuellt_ar:
            # The budget as KF decided it, then the outcome: revenue a little above budget,
            # the nämnder a little under their frames, so the result lands on its target.
            under = INTAKT_BUDGET_UNDERSKATTNING.get(ar, 0.0)
            eko.skatteintakter_budget[ar] = eko.skatteintakter[ar] * (1 - under)
            eko.statsbidrag_budget[ar] = eko.statsbidrag[ar] * (1 - under / 2)
            intakter_b = eko.skatteintakter_budget[ar] + eko.statsbidrag_budget[ar]
            netto_b = 0.95 * fin_int - eko.finans_kostnader[ar]
            kostnad_b = intakter_b * (1 - RESULTAT_BUDGET.get(ar, 0.01)) + netto_b
            drift_b = kostnad_b - eko.pension[ar] - sum(fasta_budget.values())
            for n, andel in andelar.items():
                eko.ram[(n, ar)] = drift_b * andel

            intakter = eko.skatteintakter[ar] + eko.statsbidrag[ar]
            rv = sum(b for (a, _, b) in REALISATIONSVINSTER if a == ar)
            kostnad = intakter * (1 - RESULTAT_UTFALL.get(ar, 0.018)) + netto
            fasta_utfall = sum(fasta_budget[n] * (1 - eko.marginal[(n, ar)]) for n in FASTA)
            drift = kostnad - eko.pension[ar] * 0.98 + rv - fasta_utfall
            k = drift / sum(eko.ram[(n, ar)] * (1 - eko.marginal[(n, ar)]) for n in andelar)
            for n in andelar:
                eko.marginal[(n, ar)] = max(0.003, 1 - (1 - eko.marginal[(n, ar)]) * k)
        else:
            if ar == aktuellt_ar:
                si_b = eko.skatteintakter[ar - 1] * (1 + SKATTEUNDERLAG_TILLVAXT[ar])
                eko.skatteintakter_budget[ar] = si_b
                eko.skatteintakter[ar] = si_b * 1.002
            else:
                eko.skatteintakter_budget[ar] = eko.skatteintakter_budget[ar - 1] * (
                    1 + SKATTEUNDERLAG_TILLVAXT[ar]
                )
            per_inv = STATSBIDRAG_PER_INV.get(ar, STATSBIDRAG_PER_INV[2028] * 1.015 ** (ar - 2028))
            eko.statsbidrag_budget[ar] = per_inv * befolkning[ar - 1]
            eko.statsbidrag[ar] = eko.statsbidrag_budget[ar]
            intakter = eko.skatteintakter_budget[ar] + eko.statsbidrag_budget[ar]
            netto_b = 0.95 * fin_int - eko.finans_kostnader[ar]
            netto_kostnad = intakter * (1 - RESULTAT_BUDGET.get(ar, 0.02)) + netto_b
            drift = netto_kostnad - eko.pension[ar] - sum(fasta_budget.values())
            for n, andel in andelar.items():
                eko.ram[(n, ar)] = drift * andel
        for n in FASTA:
            eko.ram[(n, ar)] = fasta_budget[n]
    return eko
