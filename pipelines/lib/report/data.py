"""What the månadsrapport shows, read from the published warehouse (read-only).

`las_rapport` assembles the report: its header (kommun, period, run, periodstatus), the summary
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
from pipelines.lib.report.model import Avsnitt, Rapport
from pipelines.lib.report.sections import (
    ekonomi,
    helarsprognos,
    langtidsprognos,
    resultatrakning,
    styrning,
)
from pipelines.lib.report.warehouse import Lager, TomtLager
from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

log = logging.getLogger(__name__)


def _kontrollera_period(lager: Lager, period: str) -> None:
    if not lager.finns("marts.budgetavvikelse", ["period"]):
        raise ValueError(
            "Det publicerade lagret saknar marts.budgetavvikelse; kör 'styrhjul refresh' först."
        )
    row = lager.rad(
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


def _kommun_namn(lager: Lager) -> str:
    if lager.finns("raw.installningar", ["parameter", "varde"]):
        row = lager.rad(
            "select varde from raw.installningar where parameter = 'kommun.namn' limit 1"
        )
        if row and row["varde"]:
            return str(row["varde"])
    return "Kommunen"


def _korning(lager: Lager) -> dict[str, Any]:
    if lager.finns("raw.korningar", ["run_id", "period", "startad"]):
        row = lager.rad(
            "select run_id, period, startad from raw.korningar order by startad desc limit 1"
        )
        if row:
            return row
    return {"run_id": None, "period": None, "startad": None}


def _periodstatus(lager: Lager, period: str) -> str | None:
    if not lager.finns("marts.perioder", ["period", "status", "stangd_tid"]):
        return None
    versioner = lager.har_kolumn("marts.perioder", "versioner")
    row = lager.rad(
        f"select status, stangd_tid{', versioner' if versioner else ''} "
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


def _valfritt(bygg, *args) -> Avsnitt:
    """Build an optional section; a query error on an unexpected mart shape skips it."""
    try:
        return bygg(*args)
    except duckdb.Error as exc:
        log.warning("Rapportavsnittet %s hoppas över: %s", bygg.__name__, exc)
        avsnitt = bygg(TomtLager(), *args[1:])
        return avsnitt


def las_rapport(ws: Workspace, period: str) -> Rapport:
    """Everything the report shows for `period`, read from the published warehouse."""
    con = open_published(ws)
    try:
        lager = Lager(con)
        _kontrollera_period(lager, period)
        status = ekonomi.atgardsstatus_per_namnd(lager, period)
        namnder = ekonomi.namnder(lager, period, status)
        forvaltningar = ekonomi.forvaltningar(lager, period, status)
        atgardsplaner = _valfritt(ekonomi.atgardsplaner, lager, period)
        rr = _valfritt(resultatrakning.resultatrakning, lager, period)
        avsnitt = [
            namnder,
            forvaltningar,
            atgardsplaner,
            rr,
            _valfritt(helarsprognos.statistisk_prognos, lager, period),
            _valfritt(helarsprognos.prognosprecision, lager),
            _valfritt(styrning.maluppfyllelse, lager, period),
            _valfritt(langtidsprognos.langtidsprognos, lager, period),
            _valfritt(styrning.intern_kontroll, lager, period),
        ]
        poster, text = ekonomi.sammanfattning(lager, period, namnder, atgardsplaner, rr)
        korning = _korning(lager)
        return Rapport(
            kommun=_kommun_namn(lager),
            period=period,
            period_text=period_text(period),
            publicerad=datetime.fromtimestamp(ws.published_db.stat().st_mtime),
            skapad=datetime.now().replace(microsecond=0),
            run_id=korning["run_id"],
            korning_period=korning["period"],
            korning_startad=korning["startad"],
            periodstatus=_periodstatus(lager, period),
            sammanfattning=poster,
            sammanfattning_text=text,
            avsnitt=avsnitt,
        )
    finally:
        con.close()
