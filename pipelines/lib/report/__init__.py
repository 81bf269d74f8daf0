"""The reports (docs/contract.md): reports/<period or year>/<type>[_<nämnd>].html and .xlsx;
the månadsrapport is reports/<period>/manadsrapport.html and .xlsx. The types are in types.py.

`write_reports` reads the published warehouse read-only and (re)writes both files atomically:
each is written to a temporary name in the same folder and then renamed over the old one, so a
reader never sees half a report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pipelines.lib.report.excel import write_excel
from pipelines.lib.report.html import render_html
from pipelines.lib.report.model import Report
from pipelines.lib.report.types import AR, report_type
from pipelines.lib.run import demo_files
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


def write_reports(ws: Workspace, typ: str, key: str, namnd: str | None = None) -> list[Path]:
    """Write the report of type `typ` for `key` (a period ÅÅÅÅ-MM or a year ÅÅÅÅ, by the
    type's scope) from the published warehouse: HTML and Excel, [html, xlsx] per report. A
    per-nämnd type without `namnd` writes one report per nämnd.

    Raises FileNotFoundError when nothing is published, and ValueError (in Swedish) for an
    unknown type, a key of the wrong scope or one not in the published warehouse.
    """
    kind = report_type(typ)
    if (kind.scope == AR) != (len(key) == 4 and key.isdigit()):
        wanted = "ett år ÅÅÅÅ (--year)" if kind.scope == AR else "en period ÅÅÅÅ-MM (--period)"
        raise ValueError(f"Rapporttypen {typ} gäller {wanted}, inte '{key}'.")
    if namnd is not None and not kind.per_namnd:
        raise ValueError(f"Rapporttypen {typ} gäller hela kommunen, inte en nämnd (--namnd).")
    if kind.requires_closed_year:
        _require_closed_year(ws, kind.title, int(key))
    paths: list[Path] = []
    if kind.per_namnd and namnd is None:
        from pipelines.lib.report.data import namnder_for

        for code in namnder_for(ws, key):
            paths += _write(ws, kind.read(ws, key, code))
        return paths
    return _write(ws, kind.read(ws, key, namnd))


def _require_closed_year(ws: Workspace, title: str, year: int) -> None:
    """ValueError in Swedish unless `styrhjul close --year` has closed the year (the one
    definition: pipelines/lib/run/closing.py)."""
    from pipelines.lib.run.closing import closed_years
    from pipelines.lib.warehouse.build_db import open_published

    con = open_published(ws)
    try:
        closed = closed_years(con)
    finally:
        con.close()
    if year not in closed:
        stangda = f" Stängda år: {', '.join(map(str, closed))}." if closed else ""
        raise ValueError(
            f"{title} för {year} kan inte skrivas: året {year} är inte stängt. Stäng det med "
            f"'styrhjul close --year {year}' när december och bokslutsposterna (period "
            f"{year}13) är publicerade.{stangda}"
        )


def _write(ws: Workspace, report: Report) -> list[Path]:
    warning = demo_files.published_warning(ws)
    if warning:
        report.warnings.append(warning)
    folder = ws.reports / report.period
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(report)
    return [
        _atomically(folder / f"{report.file_stem}.html", lambda p: p.write_text(html, "utf-8")),
        _atomically(folder / f"{report.file_stem}.xlsx", lambda p: write_excel(report, p)),
    ]
