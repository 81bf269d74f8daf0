"""A report (the månadsrapport or another report type) as an Excel workbook: one sheet per
section, amounts as numbers in kronor.

Every table is an Excel table (a ListObject: filter buttons, banded rows, structured
references for the controller's own formulas); the traffic-light column is coloured by
conditional formatting, so a value the controller types in is coloured too; the nämnd sheet has
native Excel charts of its own cells; the last sheet names each sheet's mart and description.

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

from pipelines.lib.labels import TRAFIKLJUS, label
from pipelines.lib.report.model import (
    ANDEL,
    AVVIKELSE,
    COUNT,
    DATE,
    KR,
    LIGHT,
    MNKR,
    PROBABILITY,
    VARDE,
    YEAR,
    Column,
    ExcelChart,
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
    # An indicator's value in its own unit: as delivered (Excel's General shows its decimals).
    VARDE: "General",
    DATE: "yyyy-mm-dd",
}
UNIT_SUFFIX = {KR: "kr", AVVIKELSE: "kr", MNKR: "mnkr"}
LIGHT_COLOURS = {"gron": "#1A7F37", "gul": "#9A6700", "rod": "#B42318", "gra": "#6B7280"}
# The conditional formats' fills behind the traffic light's text (light tints of its colour).
LIGHT_FILLS = {"gron": "#DCFCE7", "gul": "#FEF3C7", "rod": "#FEE2E2", "gra": "#F3F4F6"}
TABLE_STYLE = "Table Style Light 9"
SOURCES_SHEET = "Källor och definitioner"
CHART_SIZE = {"x_scale": 1.4, "y_scale": 1.2}
# An Excel cell holds at most 32 767 characters; a longer written analysis is cut with a note
# (xlsxwriter would cut it silently), and the HTML shows it whole.
CELL_MAX = 32_767
CUT_NOTE = (
    " … [texten är avkortad här: en Excel-cell rymmer 32 767 tecken; hela texten finns i "
    "HTML-rapporten]"
)


def _cell_text(text: str) -> str:
    if len(text) <= CELL_MAX:
        return text
    return text[: CELL_MAX - len(CUT_NOTE)] + CUT_NOTE


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
        self.light_fill = {
            code: wb.add_format({"bg_color": fill, "font_color": LIGHT_COLOURS[code]})
            for code, fill in LIGHT_FILLS.items()
        }
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})


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


def _unique(headers: list[str]) -> list[str]:
    """An Excel table refuses two columns of the same name: the second gets " (2)"."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


def _table(
    ws: Worksheet,
    fmt: _Formats,
    name: str,
    top: int,
    columns: list[Column],
    rows: list[dict[str, Any]],
) -> int:
    """Rows under a header at `top` as an Excel table named `name`; returns the row below it.
    A table has at least one data row, so an empty one gets a blank row."""
    last = top + max(len(rows), 1)
    headers = _unique([_header(c) for c in columns])
    ws.add_table(
        top,
        0,
        last,
        len(columns) - 1,
        {
            "name": name,
            "style": TABLE_STYLE,
            "columns": [{"header": h, "header_format": fmt.header} for h in headers],
        },
    )
    for nr, row in enumerate(rows, start=top + 1):
        for col, column in enumerate(columns):
            _write_cell(ws, nr, col, row.get(column.key), column.kind, fmt, column.codes)
    for col, column in enumerate(columns):
        if column.kind == LIGHT:
            _light_rules(ws, fmt, top + 1, col, last, col)
    return last + 1


def _light_rules(ws: Worksheet, fmt: _Formats, first: int, col: int, last: int, col2: int) -> None:
    for code, text in TRAFIKLJUS.items():
        ws.conditional_format(
            first,
            col,
            last,
            col2,
            {"type": "cell", "criteria": "==", "value": f'"{text}"'}
            | {"format": fmt.light_fill[code]},
        )


def _chart(
    wb: Workbook,
    ws: Worksheet,
    spec: ExcelChart,
    top: int,
    columns: list[Column],
    n_rows: int,
    anchor_col: int,
) -> None:
    """A native chart of the table at `top`'s columns, anchored to the right of the table."""
    keys = [c.key for c in columns]
    first, last = top + 1, top + max(n_rows, 1)
    cat = keys.index(spec.category)
    chart = wb.add_chart({"type": spec.kind})
    for key in spec.series:
        col = keys.index(key)
        series = {
            "name": [ws.name, top, col],
            "categories": [ws.name, first, cat, last, cat],
            "values": [ws.name, first, col, last, col],
        }
        if spec.kind == "bar":
            # Överskott green, underskott red (Excel inverts the fill of negative bars).
            series |= {
                "fill": {"color": LIGHT_COLOURS["gron"]},
                "invert_if_negative": True,
                "invert_if_negative_color": LIGHT_COLOURS["rod"],
            }
        else:
            series["marker"] = {"type": "circle"}
        chart.add_series(series)
    value_axis = {"name": spec.y_title, "num_format": NUMBER_FORMATS[KR]}
    category_axis = {"name": columns[cat].header}
    if spec.kind == "bar":  # horizontal: the values run along x
        chart.set_x_axis(value_axis)
        chart.set_y_axis(category_axis | {"reverse": True})
    else:
        chart.set_x_axis(category_axis)
        chart.set_y_axis(value_axis)
    chart.set_title({"name": spec.title})
    chart.set_legend({"position": "bottom" if len(spec.series) > 1 else "none"})
    ws.insert_chart(top, anchor_col, chart, CHART_SIZE)


def _section_sheet(wb: Workbook, fmt: _Formats, section: Section, key: str) -> None:
    ws = wb.add_worksheet(section.sheet)
    if not section.available:
        ws.write_string(0, 0, section.message or "", fmt.italic)
        ws.set_column(0, 0, 40)
        return
    for col, column in enumerate(section.columns):
        ws.set_column(col, col, _width(column, section.rows))
    below = _table(ws, fmt, f"tabell_{section.id}", 0, section.columns, section.rows) + 1
    ws.freeze_panes(1, 0)
    anchor = len(section.columns) + 1
    for i, spec in enumerate(section.excel_charts):
        _chart(wb, ws, spec, 0, section.columns, len(section.rows), anchor + 9 * i)
    if section.message:
        ws.write_string(below, 0, section.message, fmt.italic)
        below += 1
    for line in section.lines:
        ws.write_string(below, 0, line)
        below += 1
    for item in section.key_figures:
        ws.write_string(below, 0, _header(Column("", item.label, item.kind)))
        _write_cell(ws, below, 1, item.value, item.kind, fmt)
        below += 1
    if section.source:
        ws.write_string(below + 1, 0, f"Källa: {section.source}, {key}", fmt.italic)
        below += 2
    for text in section.texts:
        # The controller's text as written (Markdown); the HTML shows it formatted.
        below += 1
        ws.write_string(below, 0, text.heading, fmt.header)
        ws.write_string(below + 1, 0, _cell_text(text.markdown), fmt.wrap)
        below += 2
    for n, table in enumerate(section.excel_tables, start=1):
        # A further table below the main one, its charts to its right.
        below += 2
        ws.write_string(below, 0, table.title, fmt.header)
        top = below + 1
        below = _table(ws, fmt, f"tabell_{section.id}_{n}", top, table.columns, table.rows)
        for i, spec in enumerate(table.charts):
            anchor_col = len(table.columns) + 1 + 9 * i
            _chart(wb, ws, spec, top, table.columns, len(table.rows), anchor_col)


def _summary_sheet(wb: Workbook, fmt: _Formats, report: Report) -> None:
    ws = wb.add_worksheet("Sammanfattning")
    header = [
        *(Item("Varning", text) for text in report.warnings),
        Item("Kommun", report.kommun),
        *(
            [Item("Nämnd", f"{report.namnd_namn or report.namnd} ({report.namnd})")]
            if report.namnd
            else []
        ),
        Item(report.scope_label, report.period),
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
    ws.add_table(
        0,
        0,
        row - 1,
        4,
        {
            "name": "tabell_sammanfattning",
            "style": TABLE_STYLE,
            "columns": [
                {"header": text, "header_format": fmt.header}
                for text in ("Post", "Värde", "Enhet", "Trafikljus", "Kommentar")
            ],
        },
    )
    _light_rules(ws, fmt, 1, 3, row - 1, 3)
    ws.freeze_panes(1, 0)
    for text in report.summary_text:
        row += 1
        ws.write_string(row, 0, text)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 3, 11)
    ws.set_column(4, 4, 30)


def _sources_sheet(wb: Workbook, fmt: _Formats, report: Report) -> None:
    """Each sheet's mart and what it shows, for the reader who asks where a figure comes from."""
    ws = wb.add_worksheet(SOURCES_SHEET)
    columns = [
        Column("flik", "Flik"),
        Column("rubrik", "Avsnitt"),
        Column("kalla", "Källa"),
        Column("beskrivning", "Beskrivning"),
    ]
    rows = [
        {
            "flik": "Sammanfattning",
            "rubrik": "Sammanfattning",
            "kalla": "marts.budgetavvikelse m.fl.",
            "beskrivning": "Periodens nyckeltal med trafikljus; varje nyckeltal finns med "
            "sin källa på avsnittets egen flik.",
        },
        *(
            {
                "flik": s.sheet,
                "rubrik": s.title,
                "kalla": s.source,
                "beskrivning": s.description,
            }
            for s in report.sections
        ),
        {
            "flik": SOURCES_SHEET,
            "rubrik": "Belopp",
            "kalla": None,
            "beskrivning": "Belopp står i kronor (rubriken säger kr) eller i mnkr; en positiv "
            "avvikelse är ett överskott. "
            + (
                "Året är räkenskapsåret ÅÅÅÅ."
                if report.scope == "ar"
                else "Perioden är rapportmånaden ÅÅÅÅ-MM."
            ),
        },
    ]
    _table(ws, fmt, "tabell_kallor", 0, columns, rows)
    ws.set_column(0, 1, 30)
    ws.set_column(2, 2, 42)
    ws.set_column(3, 3, 90, fmt.wrap)
    ws.freeze_panes(1, 0)


def write_excel(report: Report, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    try:
        wb.set_properties(
            {
                "title": report.heading,
                "company": report.kommun,
                "comments": f"Körning {report.run_id or '–'}",
            }
        )
        fmt = _Formats(wb)
        _summary_sheet(wb, fmt, report)
        for section in report.sections:
            _section_sheet(wb, fmt, section, f"{report.scope_label.lower()} {report.period}")
        _sources_sheet(wb, fmt, report)
    finally:
        wb.close()
