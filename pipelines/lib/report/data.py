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

from datetime import datetime
from typing import Any

from pipelines.lib import labels
from pipelines.lib.report.format import period_text
from pipelines.lib.report.model import Report
from pipelines.lib.report.sections import (
    ekonomi,
    forandring,
    helarsprognos,
    langtidsprognos,
    resultatrakning,
    styrning,
    underlag,
)
from pipelines.lib.report.warehouse import Warehouse
from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace


def check_warehouse(wh: Warehouse, period: str) -> None:
    """Refuse a warehouse without the marts every refresh publishes, or without the period."""
    missing = wh.missing_marts()
    if missing:
        raise ValueError(
            f"Det publicerade lagret saknar {', '.join(missing)}; "
            "kör 'styrhjul refresh' så att lagret byggs om."
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
    row = wh.row("select varde from raw.installningar where parameter = 'kommun.namn' limit 1")
    return str(row["varde"]) if row and row["varde"] else "Kommunen"


def _latest_run(wh: Warehouse) -> dict[str, Any]:
    row = wh.row("select run_id, period, startad from raw.korningar order by startad desc limit 1")
    return row or {"run_id": None, "period": None, "startad": None}


def _period_status(wh: Warehouse, period: str) -> str | None:
    row = wh.row(
        "select status, stangd_tid, versioner from marts.perioder where period = ?", [period]
    )
    if not row or not row["status"]:
        return None
    if row["status"] == "stangd" and row["stangd_tid"] is not None:
        text = f"{labels.label('periodstatus', 'stangd')} {row['stangd_tid']:%Y-%m-%d}"
        if (row["versioner"] or 0) > 1:
            # Current figures differ from what was reported; the reported ones are kept.
            text += (
                f"; rättad efter stängningen (version {row['versioner']}), de rapporterade "
                "siffrorna finns i marts.budgetavvikelse_rapporterad"
            )
        return text
    return labels.label("periodstatus", str(row["status"]))


def read_report(ws: Workspace, period: str) -> Report:
    """Everything the report shows for `period`, read from the published warehouse."""
    con = open_published(ws)
    try:
        wh = Warehouse(con)
        check_warehouse(wh, period)
        status = ekonomi.atgardsplan_status_by_namnd(wh, period)
        namnder = ekonomi.namnder(wh, period, status)
        forvaltningar = ekonomi.forvaltningar(wh, period, status)
        atgardsplaner = ekonomi.atgardsplaner(wh, period)
        rr = resultatrakning.resultatrakning(wh, period)
        sections = [
            namnder,
            forvaltningar,
            atgardsplaner,
            forandring.forandringsanalys(wh, period),
            rr,
            helarsprognos.statistisk_prognos(wh, period),
            helarsprognos.prognosprecision(wh),
            styrning.maluppfyllelse(wh, period),
            langtidsprognos.langtidsprognos(wh, period),
            langtidsprognos.langtidsprognos_scenarier(wh),
            langtidsprognos.kanslighetsanalys(wh),
            styrning.intern_kontroll(wh, period),
            underlag.underlag(wh, period, [p.name for p in ws.quarantined_files()]),
        ]
        items, text = ekonomi.summary(wh, period, namnder, atgardsplaner, rr)
        return Report(
            **header(ws, wh, period, period_text(period)),
            summary=items,
            summary_text=text,
            sections=sections,
        )
    finally:
        con.close()


def header(
    ws: Workspace, wh: Warehouse, key: str, key_text: str, month: str | None = None
) -> dict[str, Any]:
    """The header fields every report type shares, as keyword arguments of `Report`: kommun,
    the key (a period or a year) in figures and words, publication, run, and the status of the
    month whose figures the report shows (`month`, by default the key: a yearly report shows
    its December's)."""
    run = _latest_run(wh)
    return {
        "kommun": _kommun_name(wh),
        "period": key,
        "period_text": key_text,
        "published": datetime.fromtimestamp(ws.published_db.stat().st_mtime),
        "created": datetime.now().replace(microsecond=0),
        "run_id": run["run_id"],
        "run_period": run["period"],
        "run_started": run["startad"],
        "period_status": _period_status(wh, month or key),
    }


def namnder_for(ws: Workspace, key: str) -> list[str]:
    """The nämnder (codes) with figures in the period ÅÅÅÅ-MM or the year ÅÅÅÅ, from
    marts.budgetavvikelse: the nämnder a per-nämnd report type is written for."""
    con = open_published(ws)
    try:
        rows = con.execute(
            # A key is a year ÅÅÅÅ or a period ÅÅÅÅ-MM: the one parameter matches either.
            "select distinct org from marts.budgetavvikelse where niva = 'namnd' "
            "and (cast(ar as varchar) = ? or period = ?) order by org",
            [key, key],
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def namnd_namn(wh: Warehouse, key: str, namnd: str) -> str:
    """The nämnd's name in the period or year `key`; ValueError in Swedish when the nämnd has
    no figures there."""
    row = wh.row(
        "select arg_max(org_namn, period) as namn from marts.budgetavvikelse "
        "where niva = 'namnd' and org = ? and (cast(ar as varchar) = ? or period = ?)",
        [namnd, key, key],
    )
    if row is None or row["namn"] is None:
        raise ValueError(f"Nämnden {namnd} finns inte i det publicerade lagret för {key}.")
    return str(row["namn"])
