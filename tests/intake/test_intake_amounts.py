"""The one Swedish number rule: a table of real-world forms with hand-written expectations."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from pipelines.lib.intake.amounts import (
    BELOPP_DTYPE,
    belopp_expr,
    integer_expr,
    number_expr,
    parse_belopp,
    parse_number,
)

NBSP = "\u00a0"
NNBSP = "\u202f"
THIN = "\u2009"
MINUS = "\u2212"
EN_DASH = "\u2013"

BELOPP_CASES = [
    # accepted
    ("0", Decimal("0.00")),
    ("1234", Decimal("1234.00")),
    ("1234,5", Decimal("1234.50")),
    ("1234,50", Decimal("1234.50")),
    ("1234.50", Decimal("1234.50")),
    ("1234567.50", Decimal("1234567.50")),
    ("-1 234 567,50", Decimal("-1234567.50")),
    (f"1{NBSP}234{NBSP}567,50", Decimal("1234567.50")),
    (f"-1{NNBSP}234,00", Decimal("-1234.00")),
    (f"1{THIN}234", Decimal("1234.00")),
    ("1 234.50", Decimal("1234.50")),
    (f"{MINUS}1 234,50", Decimal("-1234.50")),
    (f"{EN_DASH}500", Decimal("-500.00")),
    ("+250,75", Decimal("250.75")),
    ("1234-", Decimal("-1234.00")),
    ("1 234,50-", Decimal("-1234.50")),
    (f"1 234,50{MINUS}", Decimal("-1234.50")),
    ("  42,10\t", Decimal("42.10")),
    (f"{NBSP}-7{NBSP}", Decimal("-7.00")),
    ("1.234.567,50", Decimal("1234567.50")),
    ("1.234,5", Decimal("1234.50")),
    ("0,05", Decimal("0.05")),
    ("-0,5", Decimal("-0.50")),
    ("007", Decimal("7.00")),
    ("9999999999999999,99", Decimal("9999999999999999.99")),
    ("12 345 678 901", Decimal("12345678901.00")),
    # rejected: ambiguous, malformed, more than two decimals, too large, or empty
    ("12,3,4", None),
    ("1,234,567.50", None),
    ("1,234.5", None),
    ("1.234.567", None),
    ("1,234", None),
    ("1.234", None),
    ("12,345", None),
    ("1 2 3,4,5", None),
    ("12 34", None),
    ("1234 567", None),
    ("1  234", None),
    ("12 kr", None),
    ("1,5 kr", None),
    ("abc", None),
    ("1E6", None),
    ("(100)", None),
    ("--5", None),
    ("-5-", None),
    ("+-5", None),
    ("- 5", None),
    ("1'234", None),
    ("5,", None),
    (",5", None),
    ("\u0661\u0662", None),  # Arabic-Indic digits
    ("10000000000000000", None),  # 17 integer digits do not fit DECIMAL(18,2)
    ("", None),
    ("   ", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), BELOPP_CASES)
def test_parse_belopp(text, expected):
    assert parse_belopp(text) == expected


def test_belopp_expr_is_decimal_and_agrees_with_parse_belopp():
    texts = [text for text, _ in BELOPP_CASES]
    frame = pl.DataFrame({"belopp": texts}, schema={"belopp": pl.String})
    parsed = frame.select(belopp_expr("belopp")).to_series()
    assert parsed.dtype == BELOPP_DTYPE == pl.Decimal(18, 2)
    assert parsed.to_list() == [expected for _, expected in BELOPP_CASES]


def test_belopp_sum_is_exact():
    frame = pl.DataFrame({"b": ["0,10", "0,20", "-0,30", "1 000 000,01"]})
    assert frame.select(belopp_expr("b").sum()).item() == Decimal("1000000.01")


NUMBER_CASES = [
    ("0,0833", 0.0833),
    ("0.0833333333", 0.0833333333),
    ("1,234", 1.234),  # decimal comma: any number of decimals for non-money numbers
    ("1.234", 1.234),
    ("-1 234,5678", -1234.5678),
    ("1.234.567,891", 1234567.891),
    (f"{MINUS}2,5", -2.5),
    ("3", 3.0),
    ("12,3,4", None),
    ("1,234,567.50", None),
    ("1e-3", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_number_expr_is_float64():
    frame = pl.DataFrame({"andel": ["0,5", "0,25"]})
    series = frame.select(number_expr("andel")).to_series()
    assert series.dtype == pl.Float64
    assert series.to_list() == [0.5, 0.25]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", 2026),
        ("12 345", 12345),
        (f"12{NBSP}345", 12345),
        ("-3", -3),
        ("2026.0", None),
        ("1,5", None),
        ("tre", None),
        ("", None),
    ],
)
def test_integer_expr(text, expected):
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    series = frame.select(integer_expr("v", pl.Int32)).to_series()
    assert series.dtype == pl.Int32
    assert series.item() == expected


def test_integer_expr_out_of_range_is_null():
    frame = pl.DataFrame({"v": ["3000000000", "2147483647"]})
    assert frame.select(integer_expr("v", pl.Int32)).to_series().to_list() == [None, 2147483647]
