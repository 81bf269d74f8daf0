"""Writing files the way ledger and statistics systems export them.

Text files: a chosen encoding (UTF-8, UTF-8 with BOM, Windows-1252), delimiter, line ending and
amount format (decimal comma or point, no/space/non-breaking-space thousands separators).
Excel: xlsxwriter with a fixed creation date, so the same data gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
import yaml

NBSP = "\u00a0"
FIXED_TIMESTAMP = dt.datetime(2026, 1, 1)


@dataclass(frozen=True)
class TextFormat:
    encoding: str = "utf-8"  # "utf-8", "utf-8-sig" (with BOM) or "cp1252"
    delimiter: str = ";"
    decimal: str = ","
    thousands: str = ""  # "", " " or NBSP
    line_end: str = "\n"
    quoted: frozenset[int] = frozenset()  # columns always quoted (text columns of some exports)


def format_amount(ore: int, fmt: TextFormat) -> str:
    """Öre as an amount string: -123456750 → '-1 234 567,50' with NBSP thousands."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(int(ore)), 100)
    whole = f"{kronor:,}".replace(",", fmt.thousands) if fmt.thousands else str(kronor)
    return f"{sign}{whole}{fmt.decimal}{rest:02d}"


def _cell(value: str, column: int, fmt: TextFormat) -> str:
    if (
        column in fmt.quoted
        or fmt.delimiter in value
        or '"' in value
        or "\n" in value
        or "\r" in value
    ):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_delimited(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], fmt: TextFormat
) -> int:
    """Write a delimited text file; returns the number of data rows."""
    written = 0
    lines = [fmt.delimiter.join(_cell(h, i, fmt) for i, h in enumerate(header))]
    for row in rows:
        lines.append(fmt.delimiter.join(_cell(v, i, fmt) for i, v in enumerate(row)))
        written += 1
    text = fmt.line_end.join(lines) + fmt.line_end
    path.write_bytes(text.encode(fmt.encoding))
    return written


def write_xlsx(
    path: Path,
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str | float | None]],
) -> int:
    """First sheet, header in row 1; str cells as text, float cells as numbers (kr format)."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": FIXED_TIMESTAMP, "author": "Styrhjul demo"})
    ws = wb.add_worksheet(sheet)
    heading = wb.add_format({"bold": True})
    kronor = wb.add_format({"num_format": "#,##0.00"})
    for c, h in enumerate(header):
        ws.write_string(0, c, h, heading)
    written = 0
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if isinstance(v, float):
                ws.write_number(r, c, v, kronor)
            elif v:
                ws.write_string(r, c, v)
        written += 1
    wb.close()
    return written


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_yaml(path: Path, data: object, heading: str = "") -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(heading + text, encoding="utf-8")
