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
FAST_TIDPUNKT = dt.datetime(2026, 1, 1)


@dataclass(frozen=True)
class Textformat:
    encoding: str = "utf-8"  # "utf-8", "utf-8-sig" (with BOM) or "cp1252"
    delimiter: str = ";"
    decimal: str = ","
    tusental: str = ""  # "", " " or NBSP
    radslut: str = "\n"
    citera: frozenset[int] = frozenset()  # columns always quoted (text columns of some exports)


def belopp(ore: int, fmt: Textformat) -> str:
    """Öre as an amount string: -123456750 → '-1 234 567,50' with NBSP thousands."""
    tecken = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(int(ore)), 100)
    heltal = f"{kronor:,}".replace(",", fmt.tusental) if fmt.tusental else str(kronor)
    return f"{tecken}{heltal}{fmt.decimal}{rest:02d}"


def _falt(varde: str, kolumn: int, fmt: Textformat) -> str:
    if (
        kolumn in fmt.citera
        or fmt.delimiter in varde
        or '"' in varde
        or "\n" in varde
        or "\r" in varde
    ):
        return '"' + varde.replace('"', '""') + '"'
    return varde


def skriv_text(
    path: Path, header: Sequence[str], rader: Iterable[Sequence[str]], fmt: Textformat
) -> int:
    """Write a delimited text file; returns the number of data rows."""
    antal = 0
    delar = [fmt.delimiter.join(_falt(h, i, fmt) for i, h in enumerate(header))]
    for rad in rader:
        delar.append(fmt.delimiter.join(_falt(v, i, fmt) for i, v in enumerate(rad)))
        antal += 1
    text = fmt.radslut.join(delar) + fmt.radslut
    path.write_bytes(text.encode(fmt.encoding))
    return antal


def skriv_xlsx(
    path: Path,
    blad: str,
    header: Sequence[str],
    rader: Iterable[Sequence[str | float | None]],
) -> int:
    """First sheet, header in row 1; str cells as text, float cells as numbers (kr format)."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": FAST_TIDPUNKT, "author": "Styrhjul demo"})
    ws = wb.add_worksheet(blad)
    rubrik = wb.add_format({"bold": True})
    kronor = wb.add_format({"num_format": "#,##0.00"})
    for c, h in enumerate(header):
        ws.write_string(0, c, h, rubrik)
    antal = 0
    for r, rad in enumerate(rader, start=1):
        for c, v in enumerate(rad):
            if isinstance(v, float):
                ws.write_number(r, c, v, kronor)
            elif v:
                ws.write_string(r, c, v)
        antal += 1
    wb.close()
    return antal


def skriv_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def skriv_yaml(path: Path, data: object, rubrik: str = "") -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(rubrik + text, encoding="utf-8")
