"""The förvaltningar's helårsprognoser and the decided åtgärdsplan for the current year.

Prognos per nämnd and month: the full-year net cost the förvaltning reports (kronor, rounded to
thousands). Nämnder on budget report a small surplus. Socialnämnden reports a deficit from
April and Äldrenämnden from May, both growing; Barn- och utbildningsnämnden reports a deficit in
April and May and is back within its frame from June. Socialnämnden decides an åtgärdsplan on
20 May (so its flag becomes "beslutad"); Äldrenämnden decides none (its flag goes "försenad").
"""

from __future__ import annotations

from datetime import date

from .huvudbok import ATERHAMTARE

PLAN_NAMND = "SOC"
PLAN_DIARIENUMMER = "SOCN {ar}/0123"
PLAN_BELOPP = 40_000_000
PLAN_KOMMENTAR = (
    "Åtgärdsplan för budget i balans: översyn av externa placeringar och köpta LSS-platser, "
    "bemanningsplanering och anställningsprövning inom funktionsstöd"
)


def _prognosandel(namnd: str, manad: int, marginal: float) -> float:
    """Forecast net cost as a share of the annual budget, as of a month."""
    if namnd == "SOC":
        return 0.999 if manad < 4 else 1.014 + 0.003 * (manad - 4)
    if namnd == "AEN":
        return 0.999 if manad < 5 else 1.012 + 0.003 * (manad - 5)
    if namnd == ATERHAMTARE:
        if manad < 4:
            return 0.999
        if manad in (4, 5):
            return 1.006 if manad == 4 else 1.004
        return 0.997 - 0.0008 * (manad - 6)
    return 1.0 - max(0.001, 0.7 * marginal * min(1.0, manad / 6))


def prognos_rader(
    arsbudget: dict[int, dict[str, int]], marginal: dict[str, float], ar: int, sista_manad: int
) -> list[list[str]]:
    """`arsbudget`: per month the årsbudget per nämnd in force then (a revision changes it)."""
    rader: list[list[str]] = []
    for manad in range(1, sista_manad + 1):
        for namnd in sorted(arsbudget[manad]):
            andel = _prognosandel(namnd, manad, marginal.get(namnd, 0.01))
            prognos = int(round(arsbudget[manad][namnd] * andel / 1000.0)) * 1000
            rader.append([f"{ar}-{manad:02d}", namnd, f"{prognos},00"])
    return rader


def atgardsplan_rader(ar: int, sista_manad: int) -> list[list[str]]:
    if sista_manad < 5:
        return []
    return [
        [
            PLAN_NAMND,
            date(ar, 5, 20).isoformat(),
            PLAN_DIARIENUMMER.format(ar=ar),
            f"{PLAN_BELOPP},00",
            PLAN_KOMMENTAR,
        ]
    ]
