"""Swedish number formatting: space thousands, decimal comma, minus sign (−), mnkr."""

from decimal import Decimal

import pytest

from pipelines.lib.report.format import format_mnkr, format_number, format_percent


@pytest.mark.parametrize(
    ("kronor", "signed", "text"),
    [
        (-1_500_000, False, "−1,5"),
        (Decimal("1000000.25"), True, "+1,0"),
        (1_250_000_000, False, "1 250,0"),
        (Decimal("-1234567890.00"), False, "−1 234,6"),
        (750_000, False, "0,8"),  # half up, not to even
        (-49_999, False, "0,0"),  # an amount (not signed) rounds to zero: no sign
        (-49_999, True, "−0,05"),  # a deviation keeps sign and size: not a red "0,0"
        (-26_000, True, "−0,03"),
        (Decimal("0.25"), True, "0,0"),  # below 1 kr is no deviation to show
        (-1, True, "−0,000001"),  # six decimals at most
        (-400, True, "−0,0004"),
        (50_000, True, "+0,1"),  # half up at one decimal: no extra decimals needed
        (0, True, "0,0"),
        (None, False, "–"),
        (12_345_678_901_234, False, "12 345 678,9"),
    ],
)
def test_mnkr(kronor, signed, text):
    assert format_mnkr(kronor, signed=signed) == text


@pytest.mark.parametrize(
    ("kronor", "text"),
    [
        (-12_400_000, "−12,4 mnkr"),
        (-26_000, "−26 tkr"),
        (49_999, "+50 tkr"),
        (50_000, "+0,1 mnkr"),
        (-300, "−300 kr"),
        (0, "0,0 mnkr"),
        (None, "–"),
    ],
)
def test_amounts_in_words_keep_sign_and_size(kronor, text):
    from pipelines.lib.report.format import format_belopp

    assert format_belopp(kronor, signed=True) == text


def test_numbers_and_percentages():
    assert format_number(1234567.891, 2) == "1 234 567,89"
    assert format_number(-999.5, 0) == "−1 000"
    assert format_percent(0.018) == "1,8 %"
    assert format_percent(Decimal("-0.0075")) == "−0,8 %"
    assert format_percent(0.734, 0) == "73 %"
    assert format_percent(None) == "–"


def test_amounts_are_shown_by_the_unit_their_mart_declares():
    from pipelines.lib.report.html import cell_text
    from pipelines.lib.report.model import KR, MNKR
    from pipelines.lib.report.warehouse import amount_kind

    # marts.langtidsprognos declares mnkr: 12.34 mnkr is shown as it is
    kind = amount_kind("marts.langtidsprognos", "arets_resultat")
    assert kind == MNKR and cell_text(12.34, kind) == "12,3"
    # marts.resultatrakning declares kr: 12 340 000 kr is divided by 1e6
    kind = amount_kind("marts.resultatrakning", "arets_resultat")
    assert kind == KR and cell_text(Decimal("12340000"), kind) == "12,3"


def test_a_column_without_an_amount_unit_is_not_taken_for_kronor():
    from pipelines.lib.report.warehouse import amount_kind

    with pytest.raises(KeyError, match="scenario"):
        amount_kind("marts.langtidsprognos", "scenario")
    with pytest.raises(KeyError):
        amount_kind("marts.langtidsprognos", "finns_inte")


def test_an_indicator_value_keeps_at_most_two_decimals_and_no_trailing_zero():
    from pipelines.lib.report.format import format_varde

    assert format_varde(12.5) == "12,5"
    assert format_varde(1500) == "1 500"
    assert format_varde(0.834) == "0,83"
    assert format_varde(3.0) == "3"
    assert format_varde(-2.456) == "−2,46"
    assert format_varde(99.999) == "100"
    assert format_varde(None) == "–"
