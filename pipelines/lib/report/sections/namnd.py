"""What the per-nämnd yearly reports (kvalitetsrapport, verksamhetsberättelse) share: the
report's header, the nämnd's organisation in the year, its goals with the målkedja, and its
written analyses (marts.analys).

The nämnd's organisation in a year (docs/rules.md §22) is the nämnd itself and the förvaltningar
and verksamhetsområden of every ansvar under it in force some day of the year
(marts.dim_organisation, effective-dated); a förvaltning that serves several nämnder belongs to
each of them. The SQL below takes the named parameters `$namnd` and `$ar`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pipelines.lib import labels
from pipelines.lib.report import data
from pipelines.lib.report.model import (
    COUNT,
    LIGHT,
    VARDE,
    YEAR,
    Column,
    Item,
    Report,
    Section,
    Text,
)
from pipelines.lib.report.warehouse import Warehouse
from pipelines.lib.workspace import Workspace

# A CTE list's first members: `orgar` (niva, org) of the nämnd in the year, and `namn` (org,
# org_namn) by each org's latest name in marts.budgetavvikelse (as the månadsrapport names
# them). A query continues with ", next as (...)" or its select.
ORGAR_OCH_NAMN = """
    with ansvar as (
        select forvaltning, verksamhetsomrade
        from marts.dim_organisation
        where namnd = $namnd
            and giltig_from <= make_date($ar, 12, 31)
            and (giltig_tom is null or giltig_tom >= make_date($ar, 1, 1))
    ),

    orgar as (
        select 'namnd' as niva, $namnd as org
        union
        select 'forvaltning' as niva, forvaltning as org from ansvar
        union
        select 'verksamhet' as niva, verksamhetsomrade as org
        from ansvar where verksamhetsomrade is not null
    ),

    namn as (
        select org, arg_max(org_namn, period) as org_namn
        from marts.budgetavvikelse group by org
    )
"""


def params(year: int, namnd: str) -> dict[str, Any]:
    return {"ar": year, "namnd": namnd}


def check_year(wh: Warehouse, year: int, namnd: str) -> str:
    """The nämnd's name; ValueError in Swedish for a warehouse without the marts every refresh
    publishes, a year it does not hold, or a nämnd without figures in the year."""
    missing = wh.missing_marts()
    if missing:
        raise ValueError(
            f"Det publicerade lagret saknar {', '.join(missing)}; "
            "kör 'styrhjul refresh' så att lagret byggs om."
        )
    row = wh.row(
        "select count(*) filter (where ar = ?) as antal, min(ar) as forsta, max(ar) as senaste "
        "from marts.budgetavvikelse",
        [year],
    )
    if row is None or not row["antal"]:
        span = f"; lagret har åren {row['forsta']}–{row['senaste']}" if row["senaste"] else ""
        raise ValueError(f"Året {year} finns inte i det publicerade lagret{span}.")
    return data.namnd_namn(wh, str(year), namnd)


def year_report(
    ws: Workspace,
    wh: Warehouse,
    *,
    typ: str,
    title: str,
    subtitle: str,
    year: int,
    namnd: str,
    namn: str,
    summary: list[Item],
    summary_text: list[str],
    summary_title: str,
    summary_source: str,
    sections: list[Section],
) -> Report:
    """The Report of a per-nämnd yearly type: the header as the månadsrapport's, for the year
    (its periodstatus is December's: "stängd …" once the year is closed)."""
    run = data._latest_run(wh)
    return Report(
        kommun=data._kommun_name(wh),
        period=str(year),
        period_text=str(year),
        published=datetime.fromtimestamp(ws.published_db.stat().st_mtime),
        created=datetime.now().replace(microsecond=0),
        run_id=run["run_id"],
        run_period=run["period"],
        run_started=run["startad"],
        period_status=data._period_status(wh, f"{year}-12"),
        summary=summary,
        summary_text=summary_text,
        sections=sections,
        typ=typ,
        title=title,
        subtitle=subtitle,
        scope="ar",
        namnd=namnd,
        namnd_namn=namn,
        file_stem=f"{typ}_{namnd}",
        summary_title=summary_title,
        summary_source=summary_source,
    )


# ---------------------------------------------------------------------------------------------
# Written analyses: the nämnd's text for an avsnitt in the year.


def analys(wh: Warehouse, year: int, namnd: str, avsnitt: str) -> dict[str, Any] | None:
    """The nämnd's text for `avsnitt` in the year: the one of the latest period of the year that
    has one (normally December's; docs/rules.md §22), or None."""
    return wh.row(
        "select period, text from marts.analys "
        "where niva = 'namnd' and org = ? and avsnitt = ? and ar = ? "
        "order by period desc limit 1",
        [namnd, avsnitt, year],
    )


def add_message(section: Section, text: str) -> None:
    section.message = f"{section.message} {text}" if section.message else text


def add_analys(
    section: Section, wh: Warehouse, year: int, namnd: str, avsnitt: str, heading: str
) -> bool:
    """Put the nämnd's text for `avsnitt` under the section's figures, or say it is missing;
    True when it was there."""
    found = analys(wh, year, namnd, avsnitt)
    if found is None:
        add_message(section, missing_analys(year, avsnitt, heading))
        return False
    section.texts.append(Text(f"{heading} ({found['period']})", found["text"]))
    return True


def missing_analys(year: int, avsnitt: str, heading: str) -> str:
    return (
        f"{heading} saknas: nämnden har inte lämnat någon text för {year} "
        f"(analys_ med avsnitt {avsnitt})."
    )


# ---------------------------------------------------------------------------------------------
# Goals: the nämnd's goals of the year with the målkedja, their indicators, and the defects.

MAL_SQL = (
    ORGAR_OCH_NAMN
    + """
    select m.mal_id, m.titel, m.niva, m.org, coalesce(namn.org_namn, m.org) as org_namn,
           m.perspektiv, m.foralder, m.foralder_titel, m.status, m.trafikljus,
           m.antal_indikatorer, m.indikatorstatus, m.antal_delmal
    from marts.maluppfyllelse as m
    inner join orgar on orgar.niva = m.niva and orgar.org = m.org
    left join namn on namn.org = m.org
    where m.ar = $ar
    order by m.niva = 'namnd' desc, m.niva, m.org, m.mal_id
"""
)


def maluppfyllelse(wh: Warehouse, year: int, namnd: str) -> Section:
    section = Section(
        id="maluppfyllelse",
        title="Måluppfyllelse och målkedja",
        sheet="Måluppfyllelse",
        columns=[
            Column("titel", "Mål"),
            Column("mal_id", "Id"),
            Column("org_namn", "Organisation"),
            Column("perspektiv", "Perspektiv", codes="perspektiv"),
            # The målkedja: the goal one level up that this goal contributes to.
            Column("foralder_titel", "Bidrar till (mål på nivån ovanför)"),
            Column("status", "Status", codes="malstatus"),
            Column("trafikljus", "Trafikljus", LIGHT),
            Column("antal_indikatorer", "Indikatorer", COUNT, part=1),
            Column("antal_delmal", "Delmål", COUNT, part=1),
            Column("indikatorstatus", "Indikatorernas status", part=1),
        ],
        description=f"Nämndens mål {year} och målen för dess förvaltningar och verksamheter, "
        "med målet på nivån ovanför som vart och ett bidrar till.",
        source="marts.maluppfyllelse",
    )
    section.rows = wh.rows(MAL_SQL, params(year, namnd))
    if not section.rows:
        section.message = f"Nämnden har inga mål för {year} i målregistret."
    return section


INDIKATOR_SQL = (
    ORGAR_OCH_NAMN
    + """
    select i.mal_id, i.indikator, i.kalla, i.riktning, i.utgangsvarde, i.malvarde, i.varde,
           i.varde_ar, i.status, i.trafikljus
    from marts.maluppfyllelse_indikator as i
    inner join marts.maluppfyllelse as m using (ar, mal_id)
    inner join orgar on orgar.niva = m.niva and orgar.org = m.org
    where i.ar = $ar
    order by i.mal_id, i.indikator
"""
)


def indikatorer(wh: Warehouse, year: int, namnd: str) -> Section:
    section = Section(
        id="malindikatorer",
        title="Målens indikatorer",
        sheet="Indikatorer",
        columns=[
            Column("indikator", "Indikator"),
            Column("mal_id", "Mål"),
            Column("riktning", "Riktning", codes="riktning"),
            Column("utgangsvarde", "Utgångsvärde", VARDE),
            Column("malvarde", "Målvärde", VARDE),
            Column("varde", "Värde", VARDE),
            Column("varde_ar", "Värdets år", YEAR),
            Column("status", "Status", codes="malstatus"),
            Column("trafikljus", "Trafikljus", LIGHT),
        ],
        description="Varje indikator bedöms mot sitt målvärde med hänsyn till riktningen; "
        "värdet är målets år eller året före.",
        source="marts.maluppfyllelse_indikator",
    )
    section.rows = wh.rows(INDIKATOR_SQL, params(year, namnd))
    if not section.rows:
        section.message = f"Nämndens mål för {year} har inga indikatorer."
    return section


BRIST_SQL = (
    ORGAR_OCH_NAMN
    + """
    select b.mal_id, b.titel, coalesce(namn.org_namn, b.org) as org_namn, b.brist
    from marts.malkedja_brister as b
    inner join orgar on orgar.niva = b.niva and orgar.org = b.org
    left join namn on namn.org = b.org
    where b.ar = $ar
    order by b.mal_id, b.brist
"""
)


def malkedja_brister(wh: Warehouse, year: int, namnd: str) -> Section:
    section = Section(
        id="malkedja_brister",
        title="Brister i målkedjan",
        sheet="Målkedjan",
        columns=[
            Column("mal_id", "Mål"),
            Column("titel", "Titel"),
            Column("org_namn", "Organisation"),
            Column("brist", "Brist", codes="malkedja_brist"),
        ],
        description="Mål utan indikator och nämndmål som inte bidrar till något mål på "
        "kommunnivå: rättas i målregistret (mal_…).",
        source="marts.malkedja_brister",
    )
    section.rows = wh.rows(BRIST_SQL, params(year, namnd))
    if not section.rows:
        section.message = f"Inga brister i målkedjan för nämndens mål {year}."
    return section


def status_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many goals per status code (for the summary)."""
    counts: dict[str, int] = {code: 0 for code in labels.MALSTATUS}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return counts
