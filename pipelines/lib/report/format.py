"""Swedish number and period formatting shared by the renderers and the run status."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MANADER = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def period_text(period: str) -> str:
    ar, manad = int(period[:4]), int(period[5:7])
    if manad == 1:
        return f"januari {ar}"
    return f"januari–{MANADER[manad - 1]} {ar}"


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _gruppera(heltal: str) -> str:
    delar = []
    while len(heltal) > 3:
        delar.insert(0, heltal[-3:])
        heltal = heltal[:-3]
    delar.insert(0, heltal)
    return " ".join(delar)


def format_tal(value: Any, decimaler: int = 1, tecken: bool = False) -> str:
    """Swedish number: space thousands, decimal comma, minus sign (−); '–' when missing."""
    if value is None:
        return "–"
    d = _decimal(value).quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)
    text = f"{abs(d):.{decimaler}f}"
    heltal, _, decimal = text.partition(".")
    kropp = _gruppera(heltal) + (f",{decimal}" if decimal else "")
    if d < 0:
        return "−" + kropp
    return ("+" if tecken and d > 0 else "") + kropp


def format_mnkr(kronor: Any, tecken: bool = False) -> str:
    """Kronor as mnkr with one decimal: 1234567 → '1,2'."""
    if kronor is None:
        return "–"
    return format_tal(_decimal(kronor) / 1_000_000, 1, tecken)


def format_procent(andel: Any, decimaler: int = 1) -> str:
    """A ratio as a percentage: 0.0234 → '2,3 %'."""
    if andel is None:
        return "–"
    return f"{format_tal(_decimal(andel) * 100, decimaler)} %"
