"""The kvalitetsrapport (per nämnd, per year): the nämnd's kvalitetsfaktorer in the four
perspectives with their values over the years and the comparison with similar municipalities,
and the nämnd's written conclusions and proposals (marts.analys, avsnitt kvalitet).

The förvaltning writes it to the nämnd in the autumn; it is an input to next year's
verksamhetsplan. Which indicators are the nämnd's: sections/kvalitet.py (docs/rules.md §22).
"""

from __future__ import annotations

from pipelines.lib import labels
from pipelines.lib.report.model import COUNT, TEXT, Column, Item, Report, Section
from pipelines.lib.report.sections import kvalitet
from pipelines.lib.report.sections import namnd as namnd_sections
from pipelines.lib.report.warehouse import Warehouse
from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

TYP = "kvalitetsrapport"
TITLE = "Kvalitetsrapport"


def no_indicators(namnd_namn: str, year: int) -> str:
    """What the report says instead of empty tables when the nämnd has no indicator at all."""
    return (
        f"{namnd_namn} har inga kvalitetsfaktorer för {year}: varken nämndens mål eller dess "
        "förvaltningars och verksamheters mål har indikatorer i målregistret, och inga egna "
        "mått (indikator_) är levererade för nämnden."
    )


def _slutsatser(wh: Warehouse, year: int, namnd: str) -> Section:
    section = Section(
        id="slutsatser",
        title="Nämndens slutsatser och förslag",
        sheet="Slutsatser",
        columns=[Column("avsnitt", "Avsnitt")],
        description="Förvaltningens analys av kvaliteten och förslagen till nästa års "
        "verksamhetsplan.",
        source="marts.analys (avsnitt kvalitet)",
    )
    namnd_sections.add_analys(section, wh, year, namnd, "kvalitet", "Slutsatser och förslag")
    return section


def read_kvalitetsrapport(ws: Workspace, year: int | str, namnd: str) -> Report:
    """The nämnd's kvalitetsrapport for `year`, read from the published warehouse."""
    year = int(year)
    con = open_published(ws)
    try:
        wh = Warehouse(con)
        namn = namnd_sections.check_year(wh, year, namnd)
        rows = kvalitet.kvalitetsfaktorer(wh, year, namnd)
        if rows:
            sections = kvalitet.perspektiv_sections(rows, year, namn)
        else:
            sections = [
                Section(
                    id="kvalitetsfaktorer",
                    title="Kvalitetsfaktorer",
                    sheet="Kvalitetsfaktorer",
                    columns=[Column("indikator", "Indikator", TEXT)],
                    # Not a table without rows: the sentence alone (HTML and Excel).
                    available=False,
                    message=no_indicators(namn, year),
                    source="marts.kvalitetsindikatorer, marts.maluppfyllelse",
                )
            ]
        slutsatser = _slutsatser(wh, year, namnd)
        sections.append(slutsatser)
        summary = [Item("Kvalitetsfaktorer", len(rows), COUNT)]
        summary += [
            Item(
                f"– perspektiv {name.lower()}",
                sum(1 for r in rows if r["perspektiv"] == code),
                COUNT,
            )
            for code, name in labels.PERSPEKTIV.items()
        ]
        summary.append(
            Item(
                "Med jämförelse med liknande kommuner",
                sum(1 for r in rows if r["rang"] is not None),
                COUNT,
            )
        )
        text = [
            f"Kvalitetsfaktorerna är indikatorerna för nämndens mål {year} (och för dess "
            "förvaltningars och verksamheters mål) och nämndens egna mått."
        ]
        if not rows:
            text.append(no_indicators(namn, year))
        if not slutsatser.texts:
            text.append(slutsatser.message or "")
        return namnd_sections.year_report(
            ws,
            wh,
            typ=TYP,
            title=TITLE,
            subtitle="kvalitetsfaktorer och slutsatser till nämnden",
            year=year,
            namnd=namnd,
            namn=namn,
            summary=summary,
            summary_text=text,
            summary_title="Kvalitetsfaktorer",
            summary_source="marts.kvalitetsindikatorer, marts.maluppfyllelse, "
            "marts.maluppfyllelse_indikator, marts.dim_organisation",
            sections=sections,
        )
    finally:
        con.close()
