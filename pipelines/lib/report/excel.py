"""The månadsrapport as an Excel workbook: one sheet per section, amounts as numbers in kronor.

Amounts are numeric cells in kronor (column headers say "kr"), so controllers can sum and pivot
them. The number format is stored as `#,##0`, Excel's locale-neutral code: Swedish Excel shows it
as `# ##0` (space thousands). A literal `# ##0` in the file would instead insert one fixed space.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipelines.lib.labels import label
from pipelines.lib.report.model import (
    ANDEL,
    AVVIKELSE,
    COUNT,
    DATE,
    KR,
    LIGHT,
    MNKR,
    PROBABILITY,
    YEAR,
    Column,
    Item,
    Report,
    Section,
)

NUMBER_FORMATS = {
    KR: "#,##0",
    AVVIKELSE: "[Color10]#,##0;[Red]-#,##0;#,##0",
    MNKR: "#,##0.0",
    ANDEL: "0.0%",
    PROBABILITY: "0%",
    COUNT: "0",
    YEAR: "0",
    DATE: "yyyy-mm-dd",
}
UNIT_SUFFIX = {KR: "kr", AVVIKELSE: "kr", MNKR: "mnkr"}
LIGHT_COLOURS = {"gron": "#1A7F37", "gul": "#9A6700", "rod": "#B42318", "gra": "#6B7280"}


def _header(column: Column) -> str:
    unit = UNIT_SUFFIX.get(column.kind)
    return f"{column.header}, {unit}" if unit else column.header


def _width(column: Column, rows: list[dict[str, Any]]) -> float:
    length = len(_header(column))
    for row in rows:
        value = row.get(column.key)
        if column.kind in (KR, AVVIKELSE, MNKR):
            length = max(length, 15)
        elif value is not None:
            text = label(column.codes, value) if column.codes else value
            length = max(length, len(str(text)))
    return min(max(length + 2, 8), 60)


class _Formats:
    def __init__(self, wb: Workbook):
        self.header = wb.add_format({"bold": True, "bg_color": "#F3F4F6", "bottom": 1})
        self.italic = wb.add_format({"italic": True, "font_color": "#57606A"})
        self.kind = {
            kind: wb.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()
        }
        self.light = {
            code: wb.add_format({"font_color": colour, "bold": True})
            for code, colour in LIGHT_COLOURS.items()
        }


def _write_cell(
    ws: Worksheet,
    row: int,
    col: int,
    value: Any,
    kind: str,
    fmt: _Formats,
    codes: str | None = None,
) -> None:
    if value is None:
        ws.write_blank(row, col, None)
    elif kind == LIGHT:
        ws.write_string(row, col, str(label("trafikljus", value)), fmt.light.get(value))
    elif codes is not None:
        ws.write_string(row, col, str(label(codes, value)))
    elif kind == DATE and isinstance(value, date | datetime):
        ws.write_datetime(row, col, value, fmt.kind[DATE])
    elif kind in NUMBER_FORMATS and isinstance(value, int | float | Decimal):
        ws.write_number(row, col, float(value), fmt.kind[kind])
    else:
        ws.write_string(row, col, str(value))


def _section_sheet(wb: Workbook, fmt: _Formats, section: Section, period: str) -> None:
    ws = wb.add_worksheet(section.sheet)
    if not section.available:
        ws.write_string(0, 0, section.message or "", fmt.italic)
        ws.set_column(0, 0, 40)
        return
    for col, column in enumerate(section.columns):
        ws.write_string(0, col, _header(column), fmt.header)
        ws.set_column(col, col, _width(column, section.rows))
    for nr, row in enumerate(section.rows, start=1):
        for col, column in enumerate(section.columns):
            _write_cell(ws, nr, col, row.get(column.key), column.kind, fmt, column.codes)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(section.rows), 1), len(section.columns) - 1)
    below = len(section.rows) + 2
    if section.message:
        ws.write_string(below, 0, section.message, fmt.italic)
        below += 1
    for item in section.key_figures:
        ws.write_string(below, 0, _header(Column("", item.label, item.kind)))
        _write_cell(ws, below, 1, item.value, item.kind, fmt)
        below += 1
    if section.source:
        ws.write_string(below + 1, 0, f"Källa: {section.source}, period {period}", fmt.italic)


def _summary_sheet(wb: Workbook, fmt: _Formats, report: Report) -> None:
    ws = wb.add_worksheet("Sammanfattning")
    for col, text in enumerate(("Post", "Värde", "Enhet", "Trafikljus", "Kommentar")):
        ws.write_string(0, col, text, fmt.header)
    header = [
        Item("Kommun", report.kommun),
        Item("Period", report.period),
        Item("Periodstatus", report.period_status),
        Item(
            "Lagret publicerat",
            None if report.published is None else f"{report.published:%Y-%m-%d %H:%M}",
        ),
        Item("Körning", report.run_id),
        Item(
            "Körningen startad",
            None if report.run_started is None else f"{report.run_started:%Y-%m-%d %H:%M}",
        ),
    ]
    row = 1
    for item in [*header, *report.summary]:
        ws.write_string(row, 0, item.label)
        _write_cell(ws, row, 1, item.value, item.kind, fmt)
        unit = {KR: "kr", AVVIKELSE: "kr", ANDEL: "%", COUNT: "antal"}.get(item.kind)
        if unit:
            ws.write_string(row, 2, unit)
        if item.light:
            ws.write_string(row, 3, str(label("trafikljus", item.light)), fmt.light.get(item.light))
        if item.comment:
            ws.write_string(row, 4, item.comment)
        row += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, row - 1, 4)
    for text in report.summary_text:
        row += 1
        ws.write_string(row, 0, text)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 3, 11)
    ws.set_column(4, 4, 30)


def write_excel(report: Report, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    try:
        wb.set_properties(
            {
                "title": f"Månadsrapport {report.period}",
                "company": report.kommun,
                "comments": f"Körning {report.run_id or '–'}",
            }
        )
        fmt = _Formats(wb)
        _summary_sheet(wb, fmt, report)
        for section in report.sections:
            _section_sheet(wb, fmt, section, report.period)
    finally:
        wb.close()
