"""Swedish number and period formatting shared by the renderers and the run status."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MONTHS = (
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
    year, month = int(period[:4]), int(period[5:7])
    if month == 1:
        return f"januari {year}"
    return f"januari–{MONTHS[month - 1]} {year}"


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _group_thousands(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return " ".join(groups)


def format_number(value: Any, decimals: int = 1, signed: bool = False) -> str:
    """Swedish number: space thousands, decimal comma, minus sign (−); '–' when missing."""
    if value is None:
        return "–"
    d = _decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)
    text = f"{abs(d):.{decimals}f}"
    integer_part, _, fraction = text.partition(".")
    body = _group_thousands(integer_part) + (f",{fraction}" if fraction else "")
    if d < 0:
        return "−" + body
    return ("+" if signed and d > 0 else "") + body


def format_mnkr(kronor: Any, signed: bool = False) -> str:
    """Kronor as mnkr with one decimal: 1234567 → '1,2'.

    A signed amount (an avvikelse) keeps its sign and size through rounding: one that one
    decimal would show as 0,0 gets the decimals its first significant digit needs (−26 000 kr →
    '−0,03', −400 kr → '−0,0004'), so a small underskott is never a red "0,0".
    """
    if kronor is None:
        return "–"
    value = _decimal(kronor) / 1_000_000
    decimals = 1
    if signed and abs(value) >= Decimal("0.0000005"):  # from 1 kr (half up): below is 0,0
        while decimals < 6 and abs(value) < Decimal("0.05") * Decimal(10) ** (1 - decimals):
            decimals += 1
    return format_number(value, decimals, signed)


def format_belopp(kronor: Any, signed: bool = False) -> str:
    """An amount in words with its unit: mnkr with one decimal, or tkr (kr below 500 kr) when
    mnkr would round it to zero: '−12,4 mnkr', '−26 tkr', '+300 kr'."""
    if kronor is None:
        return "–"
    value = _decimal(kronor)
    if value == 0 or abs(value) >= 50_000:
        return f"{format_number(value / 1_000_000, 1, signed)} mnkr"
    if abs(value) >= 500:
        return f"{format_number(value / 1_000, 0, signed)} tkr"
    return f"{format_number(value, 0, signed)} kr"


def format_varde(value: Any) -> str:
    """An indicator's value in its own unit (a share in percent, days, a count): at most two
    decimals, none that are zero: 12.50 → '12,5', 1500 → '1 500', 0.834 → '0,83'."""
    if value is None:
        return "–"
    d = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 2 if d != d.quantize(Decimal("0.1")) else 1 if d != d.to_integral_value() else 0
    return format_number(d, decimals)


def format_percent(ratio: Any, decimals: int = 1) -> str:
    """A ratio as a percentage: 0.0234 → '2,3 %'."""
    if ratio is None:
        return "–"
    return f"{format_number(_decimal(ratio) * 100, decimals)} %"
