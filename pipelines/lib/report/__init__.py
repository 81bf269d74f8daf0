"""The månadsrapport (docs/contract.md): reports/<period>/manadsrapport.html and .xlsx.

`write_reports` reads the published warehouse read-only and (re)writes both files atomically:
each is written to a temporary name in the same folder and then renamed over the old one, so a
reader never sees half a report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pipelines.lib.report.data import Rapport, las_rapport
from pipelines.lib.report.excel import write_excel
from pipelines.lib.report.html import render_html
from pipelines.lib.workspace import Workspace

HTML_NAMN = "manadsrapport.html"
XLSX_NAMN = "manadsrapport.xlsx"

__all__ = ["write_reports", "HTML_NAMN", "XLSX_NAMN"]


def _atomiskt(mal: Path, skriv: Callable[[Path], None]) -> Path:
    tmp = mal.with_name(f".{mal.name}.{os.getpid()}.tmp")
    try:
        skriv(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, mal)
    finally:
        tmp.unlink(missing_ok=True)
    return mal


def write_reports(ws: Workspace, period: str) -> list[Path]:
    """Write the period's månadsrapport (HTML and Excel) from the published warehouse.

    Raises FileNotFoundError when nothing is published, and ValueError when the period is not
    in the published warehouse (the message names the latest period).
    """
    rapport: Rapport = las_rapport(ws, period)
    mapp = ws.reports / period
    mapp.mkdir(parents=True, exist_ok=True)
    html = render_html(rapport)
    return [
        _atomiskt(mapp / HTML_NAMN, lambda p: p.write_text(html, encoding="utf-8")),
        _atomiskt(mapp / XLSX_NAMN, lambda p: write_excel(rapport, p)),
    ]
