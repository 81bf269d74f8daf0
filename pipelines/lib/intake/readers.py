"""The generic table reader: .csv/.txt and .xlsx into an all-text polars frame.

No type is inferred here: every column is `pl.String` (empty or blank cells are null), so a code
like 0123 keeps its zero and an amount is parsed once, by amounts.py. Each row carries
`source_row`, the line number the user sees in the file or sheet (header = 1), which every
problem message refers to.

Text files are decoded explicitly (decoding.py) and split with Python's csv module rather than
polars' CSV reader: it reports exactly on which physical line a record starts, also when a quoted
field spans lines or blank lines are skipped, and it refuses a broken quote instead of guessing.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from .decoding import DecodingError, decode_bytes, sniff_delimiter
from .problems import IntakeError, Problem

SOURCE_ROW = "source_row"

# Normalised header names that mean a canonical column.
HEADER_ALIASES = {
    "giltig_fran": "giltig_from",
    "giltig_fr_o_m": "giltig_from",
    "giltig_till": "giltig_tom",
    "giltig_t_o_m": "giltig_tom",
}


@dataclass(frozen=True)
class RawTable:
    frame: pl.DataFrame  # all pl.String columns with normalised names, plus source_row (Int64)
    encoding: str | None  # the text encoding, or None for .xlsx


def normalise_header(name: str) -> str:
    """'Nämnd' -> 'namnd', 'Giltig från' -> 'giltig_from', ' Ansvar-namn ' -> 'ansvar_namn'."""
    text = name.replace("\ufeff", "").strip().lower()
    # Fold å/ä/ö/é/ü...: decompose and drop the combining marks.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = "".join("_" if c.isspace() or c in "-." else c for c in text)
    while "__" in text:
        text = text.replace("__", "_")
    text = text.strip("_")
    return HEADER_ALIASES.get(text, text)


def read_table(path: Path) -> pl.DataFrame:
    """Read a .csv/.txt or .xlsx file into an all-text frame; raises IntakeError."""
    return read_raw(path).frame


def read_raw(path: Path) -> RawTable:
    """As `read_table`, also telling which text encoding was found."""
    path = Path(path)
    with _no_cyclic_gc():
        return _read_raw(path)


@contextlib.contextmanager
def _no_cyclic_gc():
    # Hundreds of thousands of row lists trigger the cyclic garbage collector over and over; it
    # then scans them all each time and takes more time than the reading itself. Nothing here
    # makes reference cycles, so pausing it is safe.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_raw(path: Path) -> RawTable:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        text, encoding = _decode(path)
        frame = _plain_frame(path.name, text)
        if frame is None:
            frame = _rows_to_frame(path.name, _csv_records(path.name, text))
        return RawTable(frame, encoding)
    if suffix == ".xlsx":
        return RawTable(_rows_to_frame(path.name, _xlsx_records(path)), None)
    raise IntakeError(
        [Problem(path.name, f"Filtypen {suffix or '(ingen)'} kan inte läsas som en tabell.")]
    )


def cell_text(value: object) -> str | None:
    """An Excel cell value as the text the user sees: 4110 -> '4110', 1234.5 -> '1234.5'.

    Floats are written with 15 significant digits, as Excel displays and stores typed numbers, so
    a computed 1234.3000000000002 reads '1234.3'; never in exponent form. Dates become ISO
    'YYYY-MM-DD' (a time of day, if any, follows). Blank text becomes None.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def table_records(path: Path) -> list[tuple[int, list[str | None]]]:
    """(row number as the user sees it, cells) of every record of a CSV or the first sheet of
    an .xlsx, header included: the file as delivered, before any column is interpreted."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_records(path)
    return _csv_records(path.name, _decode(path)[0])


def _decode(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    try:
        return decode_bytes(data)
    except DecodingError as exc:
        raise IntakeError([Problem(path.name, str(exc))]) from exc


def _csv_records(file_name: str, text: str) -> list[tuple[int, list[str | None]]]:
    """(line number, fields) for every record."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise IntakeError([Problem(file_name, "Filen är tom.")])
    # Excel's 'sep=;' hint line names the delimiter and is not the header.
    first_line = lines[first]
    skip_hint = first_line.lower().startswith("sep=") and len(first_line) == 5
    delimiter = first_line[4] if skip_hint else sniff_delimiter(first_line)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str | None]]] = []
    previous_line = 0
    try:
        for fields in reader:
            start = previous_line + 1
            previous_line = reader.line_num
            if skip_hint and any(f.strip() for f in fields):
                skip_hint = False
                continue
            records.append((start, fields))
    except csv.Error as exc:
        raise IntakeError(
            [
                Problem(
                    file_name,
                    'Raden går inte att dela upp i kolumner: ett citattecken (") är inte avslutat '
                    f"eller står fel ({exc})",
                    row=previous_line + 1,
                )
            ]
        ) from exc
    return records


def _plain_frame(file_name: str, text: str) -> pl.DataFrame | None:
    """The common large file, read by polars' CSV reader instead of row by row in Python.

    Only for text where the two readers cannot differ: no quote character anywhere and no
    blank or lone-CR line, so every record is one physical line and line numbers follow from
    the row index. Anything else (or a record wider than the header) returns None, and the
    csv-module path above reads it with its exact line numbers and messages.
    """
    if '"' in text:
        return None
    body_start = 0
    while True:  # skip leading blank lines, as _rows_to_frame does
        end = text.find("\n", body_start)
        if end == -1 or text[body_start:end].strip():
            break
        body_start = end + 1
    first_line_no = text.count("\n", 0, body_start) + 1
    header_end = text.find("\n", body_start)
    header_line = text[body_start : header_end if header_end != -1 else len(text)].rstrip("\r")
    body = text[header_end + 1 :] if header_end != -1 else ""
    if not header_line.strip() or header_line.lower().startswith("sep=") or not body.strip():
        return None
    if "\n\n" in body or "\n\r\n" in body or body.count("\r") != body.count("\r\n"):
        return None
    delimiter = sniff_delimiter(header_line)
    header: list[str | None] = header_line.split(delimiter)
    positions = [f"__{i}" for i in range(len(header))]
    try:
        frame = pl.read_csv(
            body.encode("utf-8"),
            has_header=False,
            separator=delimiter,
            quote_char=None,
            new_columns=positions,
            schema_overrides=dict.fromkeys(positions, pl.String),
            infer_schema=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if frame.width != len(header):
        return None
    frame = frame.with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_line_no + 1).alias(SOURCE_ROW)
    )
    # A whitespace-only line is a blank row to the csv path: it would be dropped there too.
    return _finish_frame(file_name, first_line_no, header, frame, positions)


def _xlsx_records(path: Path) -> list[tuple[int, list[str | None]]]:
    import openpyxl  # only needed for Excel files
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise IntakeError(
            [
                Problem(
                    path.name,
                    "Excelfilen går inte att öppna; spara den som en vanlig .xlsx-arbetsbok "
                    f"och försök igen ({type(exc).__name__})",
                )
            ]
        ) from exc
    try:
        if not workbook.worksheets:
            raise IntakeError([Problem(path.name, "Excelfilen har inget kalkylblad.")])
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; reading without it gets every cell.
        sheet.reset_dimensions()
        return [
            (number, [cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
        ]
    finally:
        workbook.close()


def _rows_to_frame(file_name: str, records: list[tuple[int, list[str | None]]]) -> pl.DataFrame:
    """The first non-blank record is the header; blank cells become null, blank rows go."""
    start = next((i for i, (_, fields) in enumerate(records) if _has_text(fields)), None)
    if start is None:
        raise IntakeError([Problem(file_name, "Filen är tom.")])
    header_row, header = records[start]
    data = records[start + 1 :]
    width = max([len(header), *(len(fields) for _, fields in data)])
    positions = [f"__{i}" for i in range(width)]
    frame = pl.DataFrame(
        [fields if len(fields) == width else _padded(fields, width) for _, fields in data],
        schema=dict.fromkeys(positions, pl.String),
        orient="row",
    ).with_columns(pl.Series(SOURCE_ROW, [n for n, _ in data], dtype=pl.Int64))
    return _finish_frame(file_name, header_row, header, frame, positions)


def _finish_frame(
    file_name: str,
    header_row: int,
    header: list[str | None],
    frame: pl.DataFrame,
    positions: list[str],
) -> pl.DataFrame:
    """Blank cells to null, blank rows dropped, header names checked and applied."""
    width = len(positions)
    frame = frame.with_columns(
        pl.when(pl.col(positions).str.strip_chars() != "").then(pl.col(positions)).name.keep(),
    ).filter(~pl.all_horizontal(pl.col(positions).is_null()))

    names = [normalise_header(h) if h is not None else "" for h in header]
    names += [""] * (width - len(names))
    problems: list[Problem] = []
    keep: dict[str, str] = {}  # position -> name
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        position = positions[index]
        if not name:
            with_value = frame.filter(pl.col(position).is_not_null())
            if with_value.height:
                problems.append(
                    Problem(
                        file_name,
                        f"Kolumn nummer {index + 1} saknar rubrik men innehåller värden "
                        "(alla kolumner med värden måste ha en rubrik i första raden)",
                        row=with_value.item(0, SOURCE_ROW),
                    )
                )
            continue
        if name == SOURCE_ROW:
            problems.append(
                Problem(file_name, f"Kolumnnamnet {SOURCE_ROW} är reserverat.", row=header_row)
            )
            continue
        if name in seen:
            problems.append(
                Problem(
                    file_name,
                    f"Kolumnen {name} finns två gånger i rubrikraden "
                    f"(kolumn nummer {seen[name] + 1} och {index + 1})",
                    row=header_row,
                    column=name,
                )
            )
            continue
        seen[name] = index
        keep[position] = name
    if problems:
        raise IntakeError(problems)
    return frame.select(*(pl.col(p).alias(n) for p, n in keep.items()), pl.col(SOURCE_ROW))


def _padded(fields: list[str | None], width: int) -> list[str | None]:
    return fields + [None] * (width - len(fields))


def _has_text(fields: list[str | None]) -> bool:
    return any(f is not None and f.strip() for f in fields)
