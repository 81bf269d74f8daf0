"""Periodisation keys (shares of the year per month) and period helpers.

The ledger is shaped by these keys. The files deliver the municipality's own keys only
(PERSONAL and, in election years, VAL; six decimals summing to exactly 1): the even key JAMN is
the product's standard key, exactly 1/12 a month, which a delivered six-decimal JAMN
(0.083333 × 11 + 0.083337) would replace. PERSONAL follows the salary pattern (July about 55 %
of a normal month, semesterlön in June and August); VAL concentrates Valnämnden's costs around
the election (September 2022 and 2026, the EU election in June 2024). A nämnd on budget so has
utfall ack close to budget ack every month.
"""

from __future__ import annotations

import re

from .economy import ELECTION_YEARS

JAMN = (0.083333,) * 11 + (0.083337,)
PERSONAL = (0.084, 0.084, 0.086, 0.084, 0.086, 0.089, 0.046, 0.092, 0.087, 0.087, 0.086, 0.089)
ELECTION_RIKSDAG = (0.02, 0.02, 0.03, 0.04, 0.05, 0.06, 0.04, 0.22, 0.40, 0.08, 0.02, 0.02)
ELECTION_EU = (0.03, 0.03, 0.05, 0.10, 0.30, 0.35, 0.02, 0.02, 0.02, 0.02, 0.03, 0.03)


def period_keys(year: int) -> dict[str, tuple[float, ...]]:
    keys = {"JAMN": JAMN, "PERSONAL": PERSONAL}
    if year in ELECTION_YEARS:
        keys["VAL"] = ELECTION_EU if year % 4 == 0 else ELECTION_RIKSDAG
    return keys


def periodisering_rows(year: int) -> list[list[str]]:
    return [
        [str(year), key, str(m + 1), f"{share:.6f}".replace(".", ",")]
        for key, shares in sorted(period_keys(year).items())
        if key != "JAMN"
        for m, share in enumerate(shares)
    ]


def parse_period(period: str) -> tuple[int, int]:
    """'YYYY-MM' → (year, month); raises ValueError for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"Perioden måste anges som ÅÅÅÅ-MM, inte {period!r}")
    return int(match.group(1)), int(match.group(2))
