"""The förvaltningar's helårsprognoser and the decided åtgärdsplan for the current year.

Prognos per nämnd and month: the full-year net cost the förvaltning reports (kronor, rounded to
thousands). Nämnder on budget report a small surplus. Socialnämnden reports a deficit from
April and Äldrenämnden from May, both growing; Barn- och utbildningsnämnden reports a deficit in
April and May and is back within its frame from June. Socialnämnden decides an åtgärdsplan on
20 May (so its flag becomes "beslutad"); Äldrenämnden decides none (its flag goes "försenad").
"""

from __future__ import annotations

from datetime import date

from .ledger import RECOVERING_NAMND

PLAN_NAMND = "SOC"
PLAN_DIARIENUMMER = "SOCN {year}/0123"
PLAN_AMOUNT = 40_000_000
PLAN_COMMENT = (
    "Åtgärdsplan för budget i balans: översyn av externa placeringar och köpta LSS-platser, "
    "bemanningsplanering och anställningsprövning inom funktionsstöd"
)


def _prognos_share(namnd: str, month: int, margin: float) -> float:
    """Forecast net cost as a share of the annual budget, as of a month."""
    if namnd == "SOC":
        return 0.999 if month < 4 else 1.014 + 0.003 * (month - 4)
    if namnd == "AEN":
        return 0.999 if month < 5 else 1.012 + 0.003 * (month - 5)
    if namnd == RECOVERING_NAMND:
        if month < 4:
            return 0.999
        if month in (4, 5):
            return 1.006 if month == 4 else 1.004
        return 0.997 - 0.0008 * (month - 6)
    return 1.0 - max(0.001, 0.7 * margin * min(1.0, month / 6))


def prognos_rows(
    annual_budget: dict[int, dict[str, int]], margin: dict[str, float], year: int, last_month: int
) -> list[list[str]]:
    """`annual_budget`: per month the årsbudget per nämnd in force then (a revision changes it)."""
    rows: list[list[str]] = []
    for month in range(1, last_month + 1):
        for namnd in sorted(annual_budget[month]):
            share = _prognos_share(namnd, month, margin.get(namnd, 0.01))
            prognos = int(round(annual_budget[month][namnd] * share / 1000.0)) * 1000
            rows.append([f"{year}-{month:02d}", namnd, f"{prognos},00"])
    return rows


def atgardsplan_rows(year: int, last_month: int) -> list[list[str]]:
    if last_month < 5:
        return []
    return [
        [
            PLAN_NAMND,
            date(year, 5, 20).isoformat(),
            PLAN_DIARIENUMMER.format(year=year),
            f"{PLAN_AMOUNT},00",
            PLAN_COMMENT,
        ]
    ]
