"""Turning the bytes of a delivered text file into text, and finding its delimiter.

Ledger and statistics systems deliver UTF-8 (with or without BOM) or Windows-1252. Bytes are decoded
here, explicitly, because the alternatives fail quietly: polars' `utf8-lossy` turns å/ä/ö into
replacement characters and DuckDB's windows-1252 needs an extension downloaded at run time.

Strict UTF-8 is tried first: Windows-1252 text with å/ä/ö is (practically) never valid UTF-8, while
UTF-8 text decoded as Windows-1252 would silently become "Ã¥". A UTF-16 file with a BOM (Excel's
"Unicode-text" export) is decoded as UTF-16, since it cannot be mistaken for anything else.
"""

from __future__ import annotations

import codecs

UTF8_BOM = codecs.BOM_UTF8
DELIMITERS = (";", "\t", ",")  # in order of preference on a tie: Swedish exports use ';'


class DecodingError(ValueError):
    """The bytes are neither UTF-8 nor Windows-1252 text. The message is Swedish; `row` is the
    line of the first undecodable byte, when known."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding): 'utf-8-sig' (BOM stripped), 'utf-8', 'utf-16' or 'cp1252'."""
    if data.startswith(UTF8_BOM):
        return _decode_utf8(data[len(UTF8_BOM) :], "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _no_nul(data.decode("utf-16"), "utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DecodingError(
                f"Filen börjar som UTF-16 men går inte att avkoda (byte {exc.start})."
            ) from exc
    # Text in UTF-8 or Windows-1252 never holds a NUL byte: a binary file is said to be one,
    # rather than reported by the first byte neither encoding knows.
    if b"\x00" in data:
        _no_nul("\x00", "binary")
    try:
        return _decode_utf8(data, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        row = data[: exc.start].count(b"\n") + 1
        raise DecodingError(
            "Filen går varken att läsa som UTF-8 eller som Windows-1252: "
            f"tecknet 0x{byte:02X} på rad {row} finns inte i någon av dem. "
            "Spara filen som CSV (UTF-8) och försök igen.",
            row=row,
        ) from exc
    return _no_nul(text, "cp1252"), "cp1252"


def _decode_utf8(data: bytes, name: str) -> str:
    return _no_nul(data.decode("utf-8"), name)


def _no_nul(text: str, name: str) -> str:
    # A NUL character means a binary file (an .xls or .zip renamed to .csv), not text.
    if "\x00" in text:
        raise DecodingError(
            "Filen innehåller binära data och är ingen textfil (är det en Excelfil som bytt namn "
            "till .csv?). Spara den som CSV (UTF-8) eller .xlsx."
        )
    return text


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ';', tab and ',' outside quotes in the header line; ';' wins ties.

    A header with none of them (a single column) gives ';'.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    for char in header_line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    # max() keeps the first of equal counts, and DELIMITERS is in order of preference.
    return max(DELIMITERS, key=lambda d: counts[d])
