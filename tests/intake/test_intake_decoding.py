"""Explicit decoding (strict UTF-8, then Windows-1252) and delimiter sniffing."""

from __future__ import annotations

import pytest

from pipelines.lib.intake.decoding import DecodingError, decode_bytes, sniff_delimiter

SWEDISH = "Nämnd;Belopp\nÖstra förvaltningen;1 234,50\nÅtgärd;-5\n"


def test_cp1252_with_swedish_letters():
    data = SWEDISH.encode("cp1252")
    assert b"\xe4" in data  # ä is one byte, 0xE4, in Windows-1252: not valid UTF-8
    text, encoding = decode_bytes(data)
    assert encoding == "cp1252"
    assert text == SWEDISH
    assert "\ufffd" not in text


def test_utf8_with_bom_strips_bom():
    data = b"\xef\xbb\xbf" + SWEDISH.encode("utf-8")
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8-sig"
    assert text == SWEDISH
    assert text.startswith("Nämnd")


def test_utf8_without_bom():
    text, encoding = decode_bytes(SWEDISH.encode("utf-8"))
    assert (text, encoding) == (SWEDISH, "utf-8")


def test_utf8_is_not_mistaken_for_cp1252():
    # "å" in UTF-8 is C3 A5, which Windows-1252 would read as "Ã¥".
    text, encoding = decode_bytes("Kostnad för lokaler å".encode())
    assert encoding == "utf-8"
    assert text.endswith("å")


def test_euro_sign_and_dashes_in_cp1252():
    text, encoding = decode_bytes(b"\x80 \x96 \x97")
    assert (text, encoding) == ("\u20ac \u2013 \u2014", "cp1252")


def test_utf16_with_bom():
    data = "Nämnd\tBelopp\n".encode("utf-16")
    assert decode_bytes(data) == ("Nämnd\tBelopp\n", "utf-16")


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_bytes_undefined_in_both_raise_clear_error(byte):
    with pytest.raises(DecodingError) as error:
        decode_bytes(b"Belopp\n" + byte + b"\xe5\n")
    message = str(error.value)
    assert "varken" in message and "UTF-8" in message and "Windows-1252" in message
    assert f"0x{byte[0]:02X}" in message


def test_binary_file_is_refused():
    with pytest.raises(DecodingError, match="binära data"):
        decode_bytes(b"PK\x03\x04\x00\x00abc")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("period;ansvar;konto", ";"),
        ("period,ansvar,konto", ","),
        ("period\tansvar\tkonto", "\t"),
        ("a;b,c", ";"),  # a tie: ';' wins
        ("a\tb;c", ";"),  # a tie: ';' wins
        ("a,b;c,d", ","),
        ("a\tb;c\td", "\t"),
        ('"Belopp, tkr, netto";konto', ";"),  # commas inside quotes do not count
        ("belopp", ";"),  # one column
    ],
)
def test_sniff_delimiter(header, expected):
    assert sniff_delimiter(header) == expected
