"""The verksamhetsberättelse (per nämnd, per closed year): the year's ekonomi outcome against
budget, måluppfyllelse with the målkedja, the intern kontroll's results with the nämnd's
assessment of whether its intern kontroll is sufficient, the uppdrag it received, and its
written analyses (sammanfattning, ekonomi, mal, kvalitet, intern_kontroll).

The year must be closed (`styrhjul close --year`): `write_reports` refuses it otherwise
(types.py: requires_closed_year; the one definition is pipelines/lib/run/closing.py).
"""

from __future__ import annotations

from pipelines.lib.report.model import AVVIKELSE, COUNT, KR, TEXT, Column, Item, Report, Section
from pipelines.lib.report.sections import namnd as namnd_sections
from pipelines.lib.report.sections import verksamhet
from pipelines.lib.report.sections.ekonomi import helarsavvikelse_light
from pipelines.lib.report.warehouse import Warehouse
from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

TYP = "verksamhetsberattelse"
TITLE = "Verksamhetsberättelse"

# The written analyses the report shows (avsnitt → heading), each under what it comments.
HEADINGS = {
    "sammanfattning": "Nämndens sammanfattning",
    "ekonomi": "Nämndens analys av ekonomin",
    "mal": "Nämndens analys av måluppfyllelsen",
    "kvalitet": "Nämndens slutsatser om kvaliteten",
    # The styrmodell: in the verksamhetsberättelse the nämnd "bedömer om nämnden har en
    # tillräcklig intern kontroll".
    "intern_kontroll": "Nämndens bedömning av om den interna kontrollen är tillräcklig",
}


def _text_section(section_id: str, title: str, sheet: str, avsnitt: str) -> Section:
    return Section(
        id=section_id,
        title=title,
        sheet=sheet,
        columns=[Column("avsnitt", "Avsnitt", TEXT)],
        source=f"marts.analys (avsnitt {avsnitt})",
    )


def read_verksamhetsberattelse(ws: Workspace, year: int | str, namnd: str) -> Report:
    """The nämnd's verksamhetsberättelse for the closed `year`, from the published warehouse."""
    year = int(year)
    con = open_published(ws)
    try:
        wh = Warehouse(con)
        namn = namnd_sections.check_year(wh, year, namnd)
        sammanfattning = _text_section(
            "namndens_sammanfattning",
            "Nämndens sammanfattning",
            "Nämndens sammanfattning",
            avsnitt="sammanfattning",
        )
        ekonomi = verksamhet.ekonomi(wh, year, namnd)
        mal = namnd_sections.maluppfyllelse(wh, year, namnd)
        indikatorer = namnd_sections.indikatorer(wh, year, namnd)
        brister = namnd_sections.malkedja_brister(wh, year, namnd)
        kontroll = verksamhet.intern_kontroll(wh, year, namnd)
        uppdrag = verksamhet.uppdrag(wh, year, namnd)
        kvalitet = _text_section("kvalitet", "Kvalitet", "Kvalitet", avsnitt="kvalitet")
        kvalitet.description = (
            "Kvalitetsfaktorerna och deras utveckling finns i nämndens kvalitetsrapport."
        )
        commented = {
            "sammanfattning": sammanfattning,
            "ekonomi": ekonomi,
            "mal": mal,
            "kvalitet": kvalitet,
            "intern_kontroll": kontroll,
        }
        missing = [
            HEADINGS[avsnitt]
            for avsnitt, section in commented.items()
            if not namnd_sections.add_analys(section, wh, year, namnd, avsnitt, HEADINGS[avsnitt])
        ]
        sections = [sammanfattning, ekonomi, mal, indikatorer, brister, kontroll, uppdrag, kvalitet]

        summary: list[Item] = []
        row = ekonomi.extra["namnd"]
        if row is not None:
            summary += [
                Item("Budget helår", row["budget_ack"], KR),
                Item("Utfall helår", row["utfall_ack"], KR),
                Item(
                    "Avvikelse",
                    row["avvikelse_ack"],
                    AVVIKELSE,
                    light=helarsavvikelse_light(row["avvikelse_ack"]),
                    comment="bokslutsposterna inräknade",
                ),
            ]
        counts = namnd_sections.status_counts(mal.rows)
        bedomning = namnd_sections.analys(wh, year, namnd, "intern_kontroll")
        summary += [
            Item("Mål", len(mal.rows), COUNT),
            Item("– uppfyllda", counts["uppfyllt"], COUNT),
            Item("– delvis uppfyllda", counts["delvis_uppfyllt"], COUNT),
            Item("– ej uppfyllda", counts["ej_uppfyllt"], COUNT),
            Item("Brister i målkedjan", len(brister.rows), COUNT),
            Item("Risker i den interna kontrollen", len(kontroll.rows), COUNT),
            Item(
                "Bedömning av den interna kontrollen",
                "finns" if bedomning else "saknas",
                light="gron" if bedomning else "rod",
                comment=(
                    f"text för {bedomning['period']}"
                    if bedomning
                    else "analys_ med avsnitt intern_kontroll"
                ),
            ),
        ]
        antal, forsenade = verksamhet.uppdrag_counts(uppdrag.rows)
        summary += [
            Item("Uppdrag", antal, COUNT),
            Item(
                "– försenade",
                forsenade,
                COUNT,
                light="rod" if forsenade else "gron",
            ),
        ]
        text = []
        if missing:
            listed = ", ".join(m[:1].lower() + m[1:] for m in missing)
            text.append(f"Saknas för {year}: {listed}.")
        return namnd_sections.year_report(
            ws,
            wh,
            typ=TYP,
            title=TITLE,
            subtitle="nämndens verksamhetsberättelse för det stängda året",
            year=year,
            namnd=namnd,
            namn=namn,
            summary=summary,
            summary_text=text,
            summary_title="Nämnden",
            summary_source="marts.budgetavvikelse (december, bokslutsposterna inräknade), "
            "marts.maluppfyllelse, marts.malkedja_brister, marts.intern_kontroll, marts.uppdrag, "
            "marts.analys",
            sections=sections,
        )
    finally:
        con.close()
