"""The one rule for reading Swedish numbers: amounts (belopp), other numbers, integers.

Every number in every input file goes through the polars expressions here; `parse_belopp` is a
thin wrapper that evaluates `belopp_expr` on a one-element Series, so there is one implementation.

Accepted (after stripping surrounding whitespace):

- decimal comma or decimal point: ``1234,50``, ``1234.50``;
- thousands separated by a space, a non-breaking space (U+00A0), a narrow non-breaking space
  (U+202F) or a thin space (U+2009), in groups of exactly three: ``-1 234 567,50``;
- Swedish dot thousands, **only together with a decimal comma**: ``1.234.567,50``, ``1.234,5``;
- a sign: leading ``-`` or ``+``, the Unicode minus U+2212 or an en dash U+2013 (word processors
  turn ``-`` into one), or a trailing minus as some ledger systems print it: ``1234-``.

Rejected (null, which the caller reports as unparseable), because a wrong guess about money is
worse than a rejected file:

- both ``,`` and ``.`` other than in the Swedish dot-thousands form: ``1,234,567.50`` (English);
- several dots without a decimal comma: ``1.234.567`` (could only be thousands, but no ledger
  system we know writes it, and accepting it would make ``1.234`` alone ambiguous);
- irregular groups or several decimal separators: ``12,3,4``, ``1 2 3,4,5``, ``12 34``;
- letters, currency, exponent, parentheses: ``12 kr``, ``1E6``, ``(100)``;
- for amounts, more than two decimals: ``1,234`` or ``1.234`` is not silently rounded (it may be
  an English thousands separator); `number_expr` accepts any number of decimals, so ``0,0833``
  is a share and ``1,234`` is 1.234.
- empty or blank gives null; the caller treats that as a missing value.

Amounts are `Decimal(18, 2)`: 16 integer digits; larger values are rejected, never a float.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

BELOPP_DTYPE = pl.Decimal(18, 2)
# An exact non-money number that may be money (an assumption in kronor or in percent).
DECIMAL_DTYPE = pl.Decimal(18, 4)

_SPACES = "\u0020\u00a0\u202f\u2009"
_SEP = f"[{_SPACES}]"
_D = "[0-9]"  # not \d: the regex engine's \d also matches Arabic-Indic and other digits
_INTEGER_PART = rf"(?:{_D}+|{_D}{{1,3}}(?:{_SEP}{_D}{{3}})+)"
_DOT_THOUSANDS = rf"{_D}{{1,3}}(?:\.{_D}{{3}})+"


def _full_pattern(body: str) -> str:
    return rf"^(?:[+-]?{body}|{body}-)$"


def _body(decimals: str) -> str:
    return rf"(?:{_INTEGER_PART}(?:[.,]{decimals})?|{_DOT_THOUSANDS},{decimals})"


BELOPP_PATTERN = _full_pattern(_body(rf"{_D}{{1,2}}"))
NUMBER_PATTERN = _full_pattern(_body(rf"{_D}+"))
DECIMAL_PATTERN = _full_pattern(_body(rf"{_D}{{1,4}}"))
INTEGER_PATTERN = _full_pattern(_INTEGER_PART)


def _column(col: str | pl.Expr) -> pl.Expr:
    return pl.col(col) if isinstance(col, str) else col


def _normalised(col: str | pl.Expr, pattern: str) -> pl.Expr:
    """A plain '-1234567.50' string where the text matches `pattern`, else null."""
    # Series operations inside one batch function: each step runs once, where the same steps
    # as nested when/then expressions evaluated the shared parts several times (3x slower).
    return _column(col).map_batches(
        lambda series: _normalise(series, pattern), return_dtype=pl.String, is_elementwise=True
    )


def _normalise(series: pl.Series, pattern: str) -> pl.Series:
    text = series.cast(pl.String).str.strip_chars().str.replace_all("[\u2212\u2013]", "-")
    digits = text.str.replace_all(f"[+\\-{_SPACES}]", "")
    # The pattern guarantees that a text with a comma uses it as the decimal separator, and that
    # any dots beside it are Swedish thousands separators.
    has_comma = digits.str.contains(",", literal=True).fill_null(False)
    swedish = digits.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    digits = swedish.zip_with(has_comma, digits)
    negative = (text.str.starts_with("-") | text.str.ends_with("-")).fill_null(False)
    signed = ("-" + digits).zip_with(negative, digits)
    valid = text.str.contains(pattern).fill_null(False)
    return pl.select(pl.when(valid).then(signed)).to_series().alias(series.name)


def belopp_expr(col: str | pl.Expr) -> pl.Expr:
    """Money: Decimal(18, 2); null where empty or unparseable (see the module doc)."""
    return _normalised(col, BELOPP_PATTERN).cast(BELOPP_DTYPE, strict=False)


def number_expr(col: str | pl.Expr) -> pl.Expr:
    """A non-money number (share, indicator value): Float64, same rule, any decimals."""
    return _normalised(col, NUMBER_PATTERN).cast(pl.Float64, strict=False)


def decimal_expr(col: str | pl.Expr) -> pl.Expr:
    """An exact number: Decimal(18, 4), same rule, at most four decimals (more are rejected,
    never rounded)."""
    return _normalised(col, DECIMAL_PATTERN).cast(DECIMAL_DTYPE, strict=False)


def integer_expr(col: str | pl.Expr, dtype: pl.DataType = pl.Int64) -> pl.Expr:
    """A whole number (year, month, count): same rule without decimals; null if out of range."""
    return _normalised(col, INTEGER_PATTERN).cast(dtype, strict=False)


def parse_belopp(text: str | None) -> Decimal | None:
    """One amount, by evaluating `belopp_expr` on a one-element Series."""
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    return frame.select(belopp_expr("v")).item()


def parse_number(text: str | None) -> float | None:
    """One non-money number, by evaluating `number_expr` on a one-element Series."""
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    return frame.select(number_expr("v")).item()
