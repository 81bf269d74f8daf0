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

SKATTEUNDERLAG_GROWTH: dict[int, float] = {
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
RESULT_UTFALL: dict[int, float] = {2022: 0.030, 2023: 0.023, 2024: 0.020, 2025: 0.018}
RESULT_BUDGET: dict[int, float] = {
    2022: 0.013,
    2023: 0.010,
    2024: 0.008,
    2025: 0.007,
    2026: 0.010,
    2027: 0.015,
    2028: 0.020,
}
# How much the revenue budget undershot the outcome in past years (inflation surprised).
REVENUE_BUDGET_SHORTFALL: dict[int, float] = {2022: 0.005, 2023: 0.002}
# Finansiella intäkter and kostnader (kr, both positive); finansnetto = intäkter − kostnader.
FINANCIAL_INCOME: dict[int, float] = {
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
CAPITAL_GAINS: tuple[tuple[int, int, float], ...] = (
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
ELECTION_YEARS: frozenset[int] = frozenset({2022, 2024, 2026})
OFN_2022 = 18e6
KRIS_BUDGET = 0.2e6

# Shares of the operating net cost (sum 1) and their yearly relative trend.
NAMND_SHARES: dict[str, float] = {
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
SHARE_TREND: dict[str, float] = {"AEN": 0.015, "SOC": 0.010, "IFO": 0.005, "BUN": -0.008}

FIXED_NAMNDER = ("VALN", "OFN", "KRIS")


@dataclass
class Economy:
    """Per year: revenue (outcome and budget), finans, pensions and nämnd frames (budget)."""

    befolkning: dict[int, int]
    first_year: int
    current_year: int
    skatteintakter: dict[int, float] = field(default_factory=dict)
    statsbidrag: dict[int, float] = field(default_factory=dict)
    skatteintakter_budget: dict[int, float] = field(default_factory=dict)
    statsbidrag_budget: dict[int, float] = field(default_factory=dict)
    financial_income: dict[int, float] = field(default_factory=dict)
    financial_costs: dict[int, float] = field(default_factory=dict)
    pension: dict[int, float] = field(default_factory=dict)
    frame: dict[tuple[str, int], float] = field(default_factory=dict)
    margin: dict[tuple[str, int], float] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.current_year + 3))

    def skatteunderlag(self, year: int) -> float:
        return self.skatteintakter[year] / (SKATTESATS / 100)


def _pension(year: int) -> float:
    return PENSION_2022 * 1.05 ** (year - 2022)


def _ofn(year: int) -> float:
    return OFN_2022 * 1.03 ** (year - 2022)


def _shares(year: int) -> dict[str, float]:
    raw = {n: a * (1 + SHARE_TREND.get(n, 0.0)) ** (year - 2023) for n, a in NAMND_SHARES.items()}
    total = sum(raw.values())
    return {n: a / total for n, a in raw.items()}


def _margin(namnd: str, rng) -> float:
    """A nämnd's surplus share for a year: small for the large ones, larger for the small."""
    if namnd == "KRIS":
        return float(rng.uniform(0.25, 0.45))
    if namnd in ("VALN", "OFN", "MHN", "SBN"):
        return float(rng.uniform(0.025, 0.045))
    return float(rng.uniform(0.008, 0.016))


def build_economy(befolkning: dict[int, int], current_year: int, rng) -> Economy:
    econ = Economy(befolkning=befolkning, first_year=2022, current_year=current_year)
    si = 47_600 * befolkning[2019]
    for year in range(2020, current_year + 3):
        si *= 1 + SKATTEUNDERLAG_GROWTH[year]
        econ.skatteintakter[year] = si
        per_inv = STATSBIDRAG_PER_INV.get(year, STATSBIDRAG_PER_INV[2028] * 1.015 ** (year - 2028))
        econ.statsbidrag[year] = per_inv * befolkning[year]

    namnder = list(NAMND_SHARES) + list(FIXED_NAMNDER)
    for year in econ.years:
        fin_income = FINANCIAL_INCOME.get(year, 142e6)
        net = FINANSNETTO.get(year, 10e6)
        econ.financial_income[year] = fin_income
        econ.financial_costs[year] = fin_income - net
        econ.pension[year] = _pension(year)
        for n in namnder:
            econ.margin[(n, year)] = _margin(n, rng)
        valn = VALN_BUDGET.get(year, 1.7e6)
        fixed_budget = {"VALN": valn, "OFN": _ofn(year), "KRIS": KRIS_BUDGET}
        shares = _shares(year)
        if year < current_year:
            # The budget as KF decided it, then the outcome: revenue a little above budget,
            # the nämnder a little under their frames, so the result lands on its target.
            shortfall = REVENUE_BUDGET_SHORTFALL.get(year, 0.0)
            econ.skatteintakter_budget[year] = econ.skatteintakter[year] * (1 - shortfall)
            econ.statsbidrag_budget[year] = econ.statsbidrag[year] * (1 - shortfall / 2)
            revenue_budget = econ.skatteintakter_budget[year] + econ.statsbidrag_budget[year]
            net_budget = 0.95 * fin_income - econ.financial_costs[year]
            cost_budget = revenue_budget * (1 - RESULT_BUDGET.get(year, 0.01)) + net_budget
            operating_budget = cost_budget - econ.pension[year] - sum(fixed_budget.values())
            for n, share in shares.items():
                econ.frame[(n, year)] = operating_budget * share

            revenue = econ.skatteintakter[year] + econ.statsbidrag[year]
            gains = sum(b for (a, _, b) in CAPITAL_GAINS if a == year)
            cost = revenue * (1 - RESULT_UTFALL.get(year, 0.018)) + net
            fixed_utfall = sum(
                fixed_budget[n] * (1 - econ.margin[(n, year)]) for n in FIXED_NAMNDER
            )
            operating = cost - econ.pension[year] * 0.98 + gains - fixed_utfall
            k = operating / sum(
                econ.frame[(n, year)] * (1 - econ.margin[(n, year)]) for n in shares
            )
            for n in shares:
                econ.margin[(n, year)] = max(0.003, 1 - (1 - econ.margin[(n, year)]) * k)
        else:
            if year == current_year:
                si_b = econ.skatteintakter[year - 1] * (1 + SKATTEUNDERLAG_GROWTH[year])
                econ.skatteintakter_budget[year] = si_b
                econ.skatteintakter[year] = si_b * 1.002
            else:
                econ.skatteintakter_budget[year] = econ.skatteintakter_budget[year - 1] * (
                    1 + SKATTEUNDERLAG_GROWTH[year]
                )
            per_inv = STATSBIDRAG_PER_INV.get(
                year, STATSBIDRAG_PER_INV[2028] * 1.015 ** (year - 2028)
            )
            econ.statsbidrag_budget[year] = per_inv * befolkning[year - 1]
            econ.statsbidrag[year] = econ.statsbidrag_budget[year]
            revenue = econ.skatteintakter_budget[year] + econ.statsbidrag_budget[year]
            net_budget = 0.95 * fin_income - econ.financial_costs[year]
            net_cost = revenue * (1 - RESULT_BUDGET.get(year, 0.02)) + net_budget
            operating = net_cost - econ.pension[year] - sum(fixed_budget.values())
            for n, share in shares.items():
                econ.frame[(n, year)] = operating * share
        for n in FIXED_NAMNDER:
            econ.frame[(n, year)] = fixed_budget[n]
    return econ
