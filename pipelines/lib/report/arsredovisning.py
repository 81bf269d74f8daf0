"""The årsredovisning underlag (kommun, per closed year): the closed year's resultaträkning,
financial goals and balanskrav, KF's goals and every nämnd's summary, read from the published
warehouse (read-only), as kommunstyrelsen's basis for the årsredovisning.

The year's figures are its December's: the closing entries (period 13) count in December in
every mart (docs/rules.md §21), and marts.bokslutsposter shows how much of it they are. The
year must be closed (`styrhjul close --year`); write_reports refuses it before this is read.
"""

from __future__ import annotations

from typing import Any

from pipelines.lib.report.data import check_warehouse, header
from pipelines.lib.report.model import (
    ANDEL,
    AVVIKELSE,
    COUNT,
    KR,
    LIGHT,
    Column,
    Item,
    Report,
    Section,
)
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
    "marts.budgetavvikelse (nivå kommun), marts.resultatrakning, marts.balanskrav, "
    "marts.atgardsplan"
)


def _resultatrakning(wh: Warehouse, year: int) -> Section:
    """The month report's resultaträkning at December, as the year's outcome: its helårsprognos
    column is the outcome itself in a closed year, so it is left out."""
    section = resultatrakning.resultatrakning(wh, f"{year}-12")
    section.title = f"Resultaträkning {year}"
    section.columns = [Column("post", "Post"), Column("belopp", f"Utfall {year}", KR)]
    section.description = (
        f"Kommunens resultaträkning för {year}, interna poster eliminerade: årets utfall, "
        "december inklusive bokslutsposterna (period 13). Kostnader visas med minustecken."
    )
    section.key_figures_title = "Årets resultat"
    section.key_figures = [
        Item("Årets resultat", section.rows[-1]["belopp"] if section.rows else None, KR),
        Item("Resultatandel", section.extra.get("resultatandel_prognos"), ANDEL),
        Item("Resultatandel, mål", section.extra.get("resultatandel_mal"), ANDEL),
    ]
    return section


def _bokslutsposter(wh: Warehouse, year: int) -> Section:
    section = Section(
        id="bokslutsposter",
        title=f"Bokslutsposter {year}",
        sheet="Bokslutsposter",
        columns=[
            Column("org_namn", "Organisation"),
            Column("antal_rader", "Huvudboksrader", COUNT),
            Column("nettokostnad", "Nettokostnad", KR),
        ],
        description="Bokslutsposterna (huvudbokens period 13) räknas in i december i alla "
        "siffror i rapporten; här syns hur stor del av årets nettokostnad de är. Per nämnd med "
        "intern handel, för kommunen utan.",
        source="marts.bokslutsposter",
    )
    section.rows = wh.rows(
        "select org, org_namn, niva, antal_rader, nettokostnad from marts.bokslutsposter "
        "where ar = ? order by niva = 'kommun', org",
        [year],
    )
    if not section.rows:
        section.message = f"Inga bokslutsposter (period {year}13) är inlästa för {year}."
    return section


def _namnder(wh: Warehouse, year: int) -> Section:
    """Every nämnd's year: budget, utfall and avvikelse at December, the closing entries'
    share and the åtgärdsplan's status at the year's end."""
    december = f"{year}-12"
    rows = wh.rows(
        """
        select b.org, b.org_namn, b.arsbudget, b.budget_ack, b.utfall_ack, b.avvikelse_ack,
               p.nettokostnad as bokslutsposter, a.status as atgardsplan_status
        from marts.budgetavvikelse as b
        left join marts.bokslutsposter as p
            on p.niva = 'namnd' and p.org = b.org and p.ar = b.ar
        left join marts.atgardsplan as a on a.namnd = b.org and a.period = b.period
        where b.niva = 'namnd' and b.period = ?
        order by b.org
        """,
        [december],
    )
    for r in rows:
        r["trafikljus"] = ekonomi.helarsavvikelse_light(r["avvikelse_ack"])
    return Section(
        id="namnder",
        title=f"Nämndernas ekonomi {year}",
        sheet="Nämnder",
        columns=[
            Column("org_namn", "Nämnd"),
            Column("arsbudget", "Årsbudget", KR),
            Column("budget_ack", "Budget helår", KR),
            Column("utfall_ack", "Utfall helår", KR),
            Column("avvikelse_ack", "Avvikelse", AVVIKELSE),
            Column("bokslutsposter", "Varav bokslutsposter", KR),
            Column("trafikljus", "Trafikljus", LIGHT),
            Column("atgardsplan_status", "Åtgärdsplan", codes="atgardsplan_status"),
        ],
        rows=rows,
        message=None if rows else f"Inga nämnder i lagret för {december}.",
        description="Nettokostnad per nämnd för året: periodiserad budget och utfall till och "
        "med december (bokslutsposterna inräknade). Avvikelse = budget − utfall; positiv är ett "
        "överskott. Trafikljus: grön när avvikelsen är noll eller positiv, röd när den är "
        "negativ. Åtgärdsplanens status vid årets slut.",
        source="marts.budgetavvikelse, marts.bokslutsposter, marts.atgardsplan",
    )


def _summary(
    wh: Warehouse, year: int, rr: Section, balanskrav: Section, namnder: Section
) -> tuple[list[Item], list[str]]:
    kommun = wh.row(
        "select utfall_ack, budget_ack, avvikelse_ack, arsbudget from marts.budgetavvikelse "
        "where niva = 'kommun' and period = ? limit 1",
        [f"{year}-12"],
    )
    items: list[Item] = []
    text: list[str] = []
    if kommun is None:
        text.append(f"Kommunnivån saknas för {year}-12 i marts.budgetavvikelse.")
    else:
        items += [
            Item("Nettokostnad, utfall", kommun["utfall_ack"], KR),
            Item("Nettokostnad, budget", kommun["budget_ack"], KR),
            Item(
                "Avvikelse",
                kommun["avvikelse_ack"],
                AVVIKELSE,
                light=ekonomi.helarsavvikelse_light(kommun["avvikelse_ack"]),
            ),
        ]
    if rr.rows:
        share, goal = rr.extra.get("resultatandel_prognos"), rr.extra.get("resultatandel_mal")
        items += [
            Item("Årets resultat", rr.rows[-1]["belopp"], KR),
            Item(
                "Resultatandel",
                share,
                ANDEL,
                light=god_hushallning.goal_light(share, goal),
                comment=None if goal is None else "mål enligt kommunfullmäktige",
            ),
        ]
    if balanskrav.rows:
        items.append(Item("Balanskravsresultat", balanskrav.extra["balanskravsresultat"], KR))
        line = god_hushallning.balanskrav_text(balanskrav, f"för {year}")
        if line:
            text.append(line)
    negative: list[dict[str, Any]] = sorted(
        (r for r in namnder.rows if r["avvikelse_ack"] is not None and r["avvikelse_ack"] < 0),
        key=lambda r: r["avvikelse_ack"],
    )
    if negative:
        text.append(
            "Nämnder med underskott mot budget: " + ", ".join(r["org_namn"] for r in negative) + "."
        )
    elif namnder.rows:
        text.append("Ingen nämnd har underskott mot budget för året.")
    return items, text


def read_arsredovisning(ws: Workspace, year: int) -> Report:
    """The årsredovisning underlag for the closed year `year` from the published warehouse."""
    december = f"{year}-12"
    con = open_published(ws)
    try:
        wh = Warehouse(con)
        check_warehouse(wh, december)
        rr = _resultatrakning(wh, year)
        balanskrav = god_hushallning.balanskrav(wh, december, closed_year=True)
        namnder = _namnder(wh, year)
        namnder.texts = uppfoljning.analys_texts(wh, december, "namnd", avsnitt="ekonomi")
        sections = [
            rr,
            _bokslutsposter(wh, year),
            god_hushallning.finansiella_mal(wh, december, closed_year=True),
            balanskrav,
            styrning.kf_mal(wh, year, closed_year=True),
            namnder,
            ekonomi.atgardsplaner(wh, december),
            uppfoljning.investeringar(wh, year),
        ]
        texts = uppfoljning.analys_texts(wh, december, "kommun")
        if texts:
            rr.texts = texts
        items, text = _summary(wh, year, rr, balanskrav, namnder)
        return Report(
            **header(ws, wh, str(year), str(year), month=december),
            summary=items,
            summary_text=text,
            sections=sections,
            typ="arsredovisning",
            title="Årsredovisning, underlag",
            subtitle="underlag till kommunstyrelsens årsredovisning",
            scope="ar",
            file_stem="arsredovisning_underlag",
            summary_title="Kommunen",
            summary_source=SUMMARY_SOURCE,
        )
    finally:
        con.close()
