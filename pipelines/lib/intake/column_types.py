"""How one column of a kind is typed: the polars expression per column type (kinds.py's table).

`column_rule` gives, for one column, the typed value computed from the stripped text and the
reasons a present value is rejected; `parse.type_table` evaluates every column's rule in one
pass. Numbers go through the one number rule (amounts.py), coded values through codes.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from .amounts import (
    BELOPP_DTYPE,
    DECIMAL_DTYPE,
    belopp_expr,
    decimal_expr,
    integer_expr,
    number_expr,
)
from .codes import KON_VALUES, RIKTNING_VALUES
from .kinds import FileKind


@dataclass(frozen=True)
class ColumnRule:
    """How one column is typed: the typed value and the reasons a present value is rejected."""

    value: pl.Expr  # from the stripped text; null when unparseable
    dtype: pl.DataType
    invalid_reason: str
    # Extra checks, on the typed value once computed: (flag true for a bad row, reason).
    checks: tuple[tuple[pl.Expr, str], ...] = ()
    # When the value can be null for a reason a check reports (a month 13), the flag for
    # `invalid_reason`; by default "present but the typed value is null".
    invalid: pl.Expr | None = None


def _range_checks(value: pl.Expr, bounds: tuple[int | None, int | None] | None):
    if bounds is None:
        return ()
    low, high = bounds
    if low is not None and high is not None:
        return (
            (~value.is_between(low, high), f"Värdet måste vara ett heltal från {low} till {high}"),
        )
    if low is not None:
        return ((value < low, f"Värdet får inte vara mindre än {low}"),)
    return ((value > high, f"Värdet får inte vara större än {high}"),)


def column_rule(
    kind: FileKind, column: str, text: pl.Expr, typed: pl.Expr, today: date
) -> ColumnRule:
    """`text` is the stripped raw column; `typed` refers to the typed value once computed, so
    that checks do not compute it again."""
    type_name = kind.type_of(column)
    this_month = f"{today.year:04d}-{today.month:02d}"
    if type_name in ("text", "fritext"):
        return ColumnRule(text, pl.String, "")
    if type_name == "belopp":
        return ColumnRule(
            belopp_expr(text),
            BELOPP_DTYPE,
            "Beloppet går inte att tolka som ett tal (skriv till exempel -1 234 567,50, "
            "med högst två decimaler)",
        )
    if type_name == "number":
        return ColumnRule(
            number_expr(text),
            pl.Float64,
            "Värdet går inte att tolka som ett tal (skriv till exempel 0,0833 eller 12,5)",
        )
    if type_name == "decimal":
        return ColumnRule(
            decimal_expr(text),
            DECIMAL_DTYPE,
            "Värdet går inte att tolka som ett tal (skriv till exempel 3,4 eller -1 234 567,50, "
            "med högst fyra decimaler)",
        )
    if type_name in ("integer", "integer64"):
        dtype = pl.Int32 if type_name == "integer" else pl.Int64
        value = integer_expr(text, dtype)
        return ColumnRule(
            value,
            dtype,
            "Värdet går inte att tolka som ett heltal",
            _range_checks(typed, kind.ranges.get(column)),
        )
    if type_name == "ar":
        value = integer_expr(text, pl.Int32)
        reason = "Året ska vara ett årtal med fyra siffror, till exempel 2026"
        return ColumnRule(value, pl.Int32, reason, ((~typed.is_between(1900, 2100), reason),))
    if type_name in ("period", "bokslutsperiod"):
        # bokslutsperiod: the ledger's period, where 13 holds the year-end closing entries
        # (booked after December; '2026-13' sorts after '2026-12' and before '2027-01').
        last_month = 13 if type_name == "bokslutsperiod" else 12
        parts = text.str.extract_groups(r"^((?:19|20)[0-9]{2})-?([0-9]{2})$")
        year, month = parts.struct.field("1"), parts.struct.field("2")
        month_ok = month.cast(pl.Int32).is_between(1, last_month)
        value = pl.when(month_ok).then(pl.concat_str([year, pl.lit("-"), month]))
        month_reason = (
            "Månaden i perioden måste vara 01–12, eller 13 för bokslutsposter"
            if last_month == 13
            else "Månaden i perioden måste vara 01–12"
        )
        return ColumnRule(
            value,
            pl.String,
            "Perioden ska anges som ÅÅÅÅMM eller ÅÅÅÅ-MM, till exempel 202610 eller 2026-10",
            (
                (month.is_not_null() & ~month_ok, month_reason),
                (typed > this_month, _future_reason(this_month)),
            ),
            invalid=year.is_null(),
        )
    if type_name == "indikatorperiod":
        parts = text.str.extract_groups(r"^((?:19|20)[0-9]{2})(?:-?([0-9]{2}))?$")
        year, month = parts.struct.field("1"), parts.struct.field("2")
        month_ok = month.cast(pl.Int32).is_between(1, 12)
        value = (
            pl.when(year.is_not_null() & month.is_null())
            .then(year)
            .when(month_ok)
            .then(pl.concat_str([year, pl.lit("-"), month]))
        )
        in_future = (
            pl.when(month.is_null()).then(year > str(today.year)).otherwise(typed > this_month)
        )
        return ColumnRule(
            value,
            pl.String,
            "Perioden ska anges som ÅÅÅÅ, ÅÅÅÅMM eller ÅÅÅÅ-MM, till exempel 2025 eller 2025-10",
            (
                (
                    year.is_not_null() & month.is_not_null() & ~month_ok,
                    "Månaden i perioden måste vara 01–12",
                ),
                (in_future, _future_reason(this_month)),
            ),
            invalid=year.is_null(),
        )
    if type_name == "date":
        iso = (
            pl.when(text.str.contains(r"^[0-9]{8}$"))
            .then(
                pl.concat_str(
                    [text.str.slice(0, 4), text.str.slice(4, 2), text.str.slice(6, 2)],
                    separator="-",
                )
            )
            .when(text.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .then(text)
        )
        return ColumnRule(
            iso.str.to_date("%Y-%m-%d", strict=False),
            pl.Date,
            "Datumet går inte att tolka: skriv det som ÅÅÅÅ-MM-DD och kontrollera att dagen finns",
        )
    if type_name == "kon":
        return ColumnRule(
            _mapped(text, KON_VALUES),
            pl.String,
            "Kön ska vara M (män) eller K (kvinnor)",
        )
    if type_name == "riktning":
        return ColumnRule(
            _mapped(text, RIKTNING_VALUES),
            pl.String,
            "Riktningen ska vara högre (högre värde är bättre) eller lägre (lägre värde är bättre)",
        )
    if type_name == "alder":
        parts = text.str.extract_groups(r"^([0-9]{1,3})\s*(\+?)\s*(?:år)?$")
        number, plus = parts.struct.field("1"), parts.struct.field("2")
        value = integer_expr(number, pl.Int32)
        value = pl.when((plus == "+") & (value != 100)).then(None).otherwise(value)
        reason = (
            "Åldern ska vara ett heltal från 0 till 100 (100 eller 100+ betyder 100 år och äldre)"
        )
        return ColumnRule(value, pl.Int32, reason, ((typed > 100, reason),))
    if type_name == "val":
        allowed = kind.choices[column]
        lowered = text.str.to_lowercase()
        return ColumnRule(
            pl.when(lowered.is_in(allowed)).then(lowered),
            pl.String,
            f"Värdet måste vara ett av: {', '.join(allowed)}",
        )
    raise ValueError(f"unknown column type {type_name!r} for {kind.name}.{column}")


def _mapped(text: pl.Expr, mapping: dict[str, str]) -> pl.Expr:
    return text.str.to_lowercase().replace_strict(mapping, default=None, return_dtype=pl.String)


def _future_reason(this_month: str) -> str:
    return f"Perioden ligger i framtiden (den senaste möjliga perioden är {this_month})"
