"""The månadsrapport (docs/contract.md): reports/<period>/manadsrapport.html and .xlsx.

`write_reports` reads the published warehouse read-only and (re)writes both files atomically:
each is written to a temporary name in the same folder and then renamed over the old one, so a
reader never sees half a report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pipelines.lib.report.data import Report, read_report
from pipelines.lib.report.excel import write_excel
from pipelines.lib.report.html import render_html
from pipelines.lib.workspace import Workspace

HTML_NAME = "manadsrapport.html"
XLSX_NAME = "manadsrapport.xlsx"

__all__ = ["write_reports", "HTML_NAME", "XLSX_NAME"]


def _atomically(target: Path, write: Callable[[Path], None]) -> Path:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def write_reports(ws: Workspace, period: str) -> list[Path]:
    """Write the period's månadsrapport (HTML and Excel) from the published warehouse.

    Raises FileNotFoundError when nothing is published, and ValueError when the period is not
    in the published warehouse (the message names the latest period).
    """
    report: Report = read_report(ws, period)
    folder = ws.reports / period
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(report)
    return [
        _atomically(folder / HTML_NAME, lambda p: p.write_text(html, encoding="utf-8")),
        _atomically(folder / XLSX_NAME, lambda p: write_excel(report, p)),
    ]
