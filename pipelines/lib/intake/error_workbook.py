"""`<fil>.fel.xlsx`: a rejected table's problems as a workbook a controller fixes the file from.

Beside the `.fel.txt` (which stays the full account), for a table file whose problems name rows:
sheet "Fel" lists every problem (rad, kolumn, värde, orsak); sheet "Rader" holds the header and
the offending rows as delivered, each with its row number in the file, the offending cells filled
red with the reason as a comment. Only offending rows are copied (a year's ledger has more rows
than a sheet holds), every cell with personnummer masked, as in every other message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from .personnummer import mask_personnummer
from .problems import Problem
from .readers import normalise_header, table_records

ERROR_WORKBOOK_SUFFIX = ".fel.xlsx"
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx")
# Rows copied to "Rader" at most; the "Fel" sheet lists every problem regardless.
MAX_ROWS = 5_000
# Excel's limit on a sheet, less the header.
MAX_PROBLEMS = 1_048_575
_RED = "FFC7CE"


def error_workbook_path(quarantined: Path) -> Path:
    return quarantined.with_name(quarantined.name + ERROR_WORKBOOK_SUFFIX)


def write_error_workbook(source: Path, problems: Sequence[Problem], target: Path) -> Path | None:
    """Write the workbook for ``source`` (already in quarantine) to ``target``; None when the
    file is not a table or no problem names a row (then the .fel.txt says it all)."""
    located = [p for p in problems if p.row is not None]
    if source.suffix.lower() not in TABLE_SUFFIXES or not located:
        return None
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    records = table_records(source)
    header_row, header = next(
        ((n, fields) for n, fields in records if any((f or "").strip() for f in fields)),
        (None, []),
    )
    columns = {normalise_header(name or ""): i for i, name in enumerate(header)}
    by_row: dict[int, list[Problem]] = defaultdict(list)
    for problem in located:
        by_row[problem.row].append(problem)

    workbook = openpyxl.Workbook()
    fel = workbook.active
    fel.title = "Fel"
    fel.append(["Rad", "Kolumn", "Värde", "Orsak"])
    for problem in problems[:MAX_PROBLEMS]:
        _append(fel, [problem.row, problem.column, problem.value, problem.reason])
    _finish(fel, [10, 20, 30, 100], Font)

    rows = workbook.create_sheet("Rader")
    _append(rows, ["Rad i filen", *(_masked(name) for name in header)])
    fill = PatternFill(start_color=_RED, end_color=_RED, fill_type="solid")
    wanted = sorted(by_row)[:MAX_ROWS]
    if header_row in by_row:  # a problem with the header itself: marked on the header
        _mark(rows, 1, by_row[header_row], columns, fill, Comment)
    fields_of = dict(records)
    for number in wanted:
        if number == header_row or number not in fields_of:
            continue
        _append(rows, [number, *(_masked(value) for value in fields_of[number])])
        _mark(rows, rows.max_row, by_row[number], columns, fill, Comment)
    if len(by_row) > MAX_ROWS:
        rows.append([f"... och {len(by_row) - MAX_ROWS} rader till med fel (se bladet Fel)"])
    _finish(rows, [12] + [18] * len(header), Font)

    workbook.save(target)
    return target


def _mark(sheet, row: int, problems: list[Problem], columns: dict[str, int], fill, comment_cls):
    """Fill each problem's cell (or the row number, for a problem of the whole row) red and
    put the reasons in its comment."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for problem in problems:
        index = columns.get(problem.column or "")
        reasons[index + 2 if index is not None else 1].append(problem.reason)
    for column, texts in reasons.items():
        cell = sheet.cell(row=row, column=column)
        cell.fill = fill
        cell.comment = comment_cls("\n".join(texts), "Styrhjul")


def _finish(sheet, widths: list[int], font_cls) -> None:
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = font_cls(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _append(sheet, values: list) -> None:
    """A row of text as text: a delivered '=HYPERLINK(…)' stays a string, never a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _masked(value: str | None) -> str | None:
    """Personnummer masked; characters a workbook cannot hold (control characters) as '?'."""
    if value is None:
        return None
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("?", mask_personnummer(value))
