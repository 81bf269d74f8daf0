"""What the månadsrapport shows, read from the published warehouse (read-only).

`read_report` assembles the report: its header (kommun, period, run, periodstatus), the summary
and the sections (`sections/`), as plain structures (`model.py`) both renderers share. Amounts
stay in the unit the warehouse holds them in, and every amount column says which (`KR` or
`MNKR`, from the unit its mart declares in dbt); the renderers decide how to show them (mnkr in
HTML, kronor in Excel where the mart is in kronor).

The kommun's helårsprognos is read from one place per figure: net cost from the kommun row of
marts.budgetavvikelse, årets resultat and resultatandel from marts.resultatrakning at the period.
The summary shows those same values; the långtidsprognos's first year is built from them.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import duckdb

from pipelines.lib import labels
from pipelines.lib.report.format import period_text
from pipelines.lib.report.model import Report, Section
from pipelines.lib.report.sections import (
    ekonomi,
    helarsprognos,
    langtidsprognos,
    resultatrakning,
    styrning,
)
from pipelines.lib.report.warehouse import EmptyWarehouse, Warehouse
from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

log = logging.getLogger(__name__)


def _check_period(wh: Warehouse, period: str) -> None:
    if not wh.has_columns("marts.budgetavvikelse", ["period"]):
        raise ValueError(
            "Det publicerade lagret saknar marts.budgetavvikelse; kör 'styrhjul refresh' först."
        )
    row = wh.row(
        "select max(period) as senaste, count(*) filter (where period = ?) as antal "
        "from marts.budgetavvikelse",
        [period],
    )
    if row is None or row["senaste"] is None:
        raise ValueError("Det publicerade lagret innehåller inga perioder i marts.budgetavvikelse.")
    if row["antal"] == 0:
        raise ValueError(
            f"Perioden {period} finns inte i det publicerade lagret; "
            f"senaste period är {row['senaste']}."
        )


def _kommun_name(wh: Warehouse) -> str:
    if wh.has_columns("raw.installningar", ["parameter", "varde"]):
        row = wh.row("select varde from raw.installningar where parameter = 'kommun.namn' limit 1")
        if row and row["varde"]:
            return str(row["varde"])
    return "Kommunen"


def _latest_run(wh: Warehouse) -> dict[str, Any]:
    if wh.has_columns("raw.korningar", ["run_id", "period", "startad"]):
        row = wh.row(
            "select run_id, period, startad from raw.korningar order by startad desc limit 1"
        )
        if row:
            return row
    return {"run_id": None, "period": None, "startad": None}


def _period_status(wh: Warehouse, period: str) -> str | None:
    if not wh.has_columns("marts.perioder", ["period", "status", "stangd_tid"]):
        return None
    versions = wh.has_column("marts.perioder", "versioner")
    row = wh.row(
        f"select status, stangd_tid{', versioner' if versions else ''} "
        "from marts.perioder where period = ?",
        [period],
    )
    if not row or not row["status"]:
        return None
    if row["status"] == "stangd" and row["stangd_tid"] is not None:
        text = f"{labels.label('periodstatus', 'stangd')} {row['stangd_tid']:%Y-%m-%d}"
        if (row.get("versioner") or 0) > 1:
            # Current figures differ from what was reported; the reported ones are kept.
            text += (
                f"; rättad efter stängningen (version {row['versioner']}), de rapporterade "
                "siffrorna finns i marts.budgetavvikelse_rapporterad"
            )
        return text
    return labels.label("periodstatus", str(row["status"]))


def _optional(build, *args) -> Section:
    """Build an optional section; a query error on an unexpected mart shape skips it."""
    try:
        return build(*args)
    except duckdb.Error as exc:
        log.warning("Rapportavsnittet %s hoppas över: %s", build.__name__, exc)
        return build(EmptyWarehouse(), *args[1:])


def read_report(ws: Workspace, period: str) -> Report:
    """Everything the report shows for `period`, read from the published warehouse."""
    con = open_published(ws)
    try:
        wh = Warehouse(con)
        _check_period(wh, period)
        status = ekonomi.atgardsplan_status_by_namnd(wh, period)
        namnder = ekonomi.namnder(wh, period, status)
        forvaltningar = ekonomi.forvaltningar(wh, period, status)
        atgardsplaner = _optional(ekonomi.atgardsplaner, wh, period)
        rr = _optional(resultatrakning.resultatrakning, wh, period)
        sections = [
            namnder,
            forvaltningar,
            atgardsplaner,
            rr,
            _optional(helarsprognos.statistisk_prognos, wh, period),
            _optional(helarsprognos.prognosprecision, wh),
            _optional(styrning.maluppfyllelse, wh, period),
            _optional(langtidsprognos.langtidsprognos, wh, period),
            _optional(styrning.intern_kontroll, wh, period),
        ]
        items, text = ekonomi.summary(wh, period, namnder, atgardsplaner, rr)
        run = _latest_run(wh)
        return Report(
            kommun=_kommun_name(wh),
            period=period,
            period_text=period_text(period),
            published=datetime.fromtimestamp(ws.published_db.stat().st_mtime),
            created=datetime.now().replace(microsecond=0),
            run_id=run["run_id"],
            run_period=run["period"],
            run_started=run["startad"],
            period_status=_period_status(wh, period),
            summary=items,
            summary_text=text,
            sections=sections,
        )
    finally:
        con.close()
