"""The delårsrapport (kommun, per period, normally August): kommunstyrelsen's report to
kommunfullmäktige on the year's prognosis, read from the published warehouse (read-only).

It is built from the månadsrapport's sections with the period's data (the resultaträkning, the
nämnder's helårsavvikelse, the åtgärdsplaner, the summary) and the year's follow-up sections
(financial goals, balanskrav, KF's goals, investments, uppdrag, the written analyses).
"""

from __future__ import annotations

from pipelines.lib.report.data import check_warehouse, header
from pipelines.lib.report.format import period_text
from pipelines.lib.report.model import Report
from pipelines.lib.report.sections import (
    ekonomi,
    god_hushallning,
    resultatrakning,
    styrning,
    uppfoljning,
)
from pipelines.lib.report.warehouse import Warehouse
from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

SUMMARY_SOURCE = (
    "marts.budgetavvikelse (nivå kommun), marts.atgardsplan, marts.resultatrakning, "
    "marts.balanskrav"
)


def read_delarsrapport(ws: Workspace, period: str) -> Report:
    """The delårsrapport for `period` (ÅÅÅÅ-MM) from the published warehouse."""
    con = open_published(ws)
    try:
        wh = Warehouse(con)
        check_warehouse(wh, period)
        year = int(period[:4])
        status = ekonomi.atgardsplan_status_by_namnd(wh, period)
        namnder = ekonomi.namnder(wh, period, status)
        namnder.texts = uppfoljning.analys_texts(wh, period, "namnd", avsnitt="ekonomi")
        atgardsplaner = ekonomi.atgardsplaner(wh, period)
        rr = resultatrakning.resultatrakning(wh, period)
        balanskrav = god_hushallning.balanskrav(wh, period)
        sections = [
            uppfoljning.analyser(wh, period),
            rr,
            god_hushallning.finansiella_mal(wh, period),
            balanskrav,
            namnder,
            atgardsplaner,
            styrning.kf_mal(wh, year),
            uppfoljning.investeringar(wh, year),
            uppfoljning.uppdrag(wh, period),
        ]
        items, text = ekonomi.summary(wh, period, namnder, atgardsplaner, rr)
        line = god_hushallning.balanskrav_text(balanskrav, "enligt helårsprognosen")
        if line:
            text.append(line)
        return Report(
            **header(ws, wh, period, period_text(period)),
            summary=items,
            summary_text=text,
            sections=sections,
            typ="delarsrapport",
            title="Delårsrapport",
            subtitle="kommunstyrelsens delårsrapport till kommunfullmäktige",
            file_stem="delarsrapport",
            summary_title="Kommunen, helårsprognos",
            summary_source=SUMMARY_SOURCE,
        )
    finally:
        con.close()
