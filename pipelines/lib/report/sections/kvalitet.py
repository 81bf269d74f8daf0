"""The kvalitetsrapport's kvalitetsfaktorer: the nämnd's indicators per perspective, their values
over the years and the comparison with similar municipalities (marts.kvalitetsindikatorer).

Which indicators are the nämnd's (docs/rules.md §22): the indicators of the nämnd's goals of the
year and of its förvaltningars and verksamheters goals (marts.maluppfyllelse with
maluppfyllelse_indikator), each with the values of the goal's organisation where it has any and
otherwise the kommun's (as maluppfyllelse_indikator judges the goal); and the own measures
(kalla `egen`) delivered for the nämnd or one of its förvaltningar or verksamheter up to the
year. One row per indicator and organisation.
"""

from __future__ import annotations

from typing import Any

from pipelines.lib import labels
from pipelines.lib.report import charts
from pipelines.lib.report.model import COUNT, VARDE, YEAR, Column, Section
from pipelines.lib.report.sections.namnd import ORGAR_OCH_NAMN, params
from pipelines.lib.report.warehouse import Warehouse

# The years the table and the chart show: the report's year and the four before it.
TREND_YEARS = 5
# An indicator without a perspective (an own measure no goal uses) is shown apart.
UTAN_PERSPEKTIV = "utan_perspektiv"

KVALITET_SQL = (
    ORGAR_OCH_NAMN
    + """,

    malindikatorer as (
        select i.indikator, m.org, m.mal_id, m.perspektiv
        from marts.maluppfyllelse as m
        inner join marts.maluppfyllelse_indikator as i using (ar, mal_id)
        inner join orgar on orgar.niva = m.niva and orgar.org = m.org
        where m.ar = $ar
    ),

    med_varden as (
        select distinct indikator, org
        from marts.kvalitetsindikatorer
        where ar <= $ar and varde is not null
    ),

    valda as (
        select
            mi.indikator,
            case when med_varden.org is null then 'KOMMUN' else mi.org end as org,
            mi.mal_id,
            mi.perspektiv
        from malindikatorer as mi
        left join med_varden on med_varden.indikator = mi.indikator and med_varden.org = mi.org
        union all
        select distinct k.indikator, k.org, null as mal_id, null as perspektiv
        from marts.kvalitetsindikatorer as k
        where k.kalla = 'egen' and k.ar <= $ar and k.org in (select org from orgar)
    ),

    per_indikator as (
        select
            indikator,
            org,
            string_agg(distinct mal_id, ', ' order by mal_id) as mal,
            min(perspektiv) as mal_perspektiv
        from valda
        group by indikator, org
    )

    select
        p.indikator, p.org, coalesce(namn.org_namn, p.org) as org_namn, p.mal,
        coalesce(p.mal_perspektiv, k.perspektiv) as perspektiv,
        k.kalla, k.riktning, k.ar, k.varde, k.jamforelsegrupp_median, k.rang, k.antal_jamforda
    from per_indikator as p
    left join marts.kvalitetsindikatorer as k
        on k.indikator = p.indikator and k.org = p.org and k.ar <= $ar
    left join namn on namn.org = p.org
    order by p.indikator, p.org, k.ar
"""
)


def kvalitetsfaktorer(wh: Warehouse, year: int, namnd: str) -> list[dict[str, Any]]:
    """The nämnd's kvalitetsfaktorer: one dict per indicator and organisation with its values
    by year (`varden`: {år: värde}) and the latest comparison up to the year."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for r in wh.rows(KVALITET_SQL, params(year, namnd)):
        key = (r["indikator"], r["org"])
        row = found.setdefault(
            key,
            {
                "indikator": r["indikator"],
                "org": r["org"],
                "org_namn": r["org_namn"],
                "underlag": f"mål {r['mal']}" if r["mal"] else "eget mått",
                "perspektiv": None,
                "kalla": None,
                "riktning": None,
                "varden": {},
                "medianer": {},
                "jamforelsear": None,
                "jamforelsegrupp_median": None,
                "rang": None,
                "antal_jamforda": None,
            },
        )
        if r["ar"] is None:  # an indicator without any value up to the year
            row["perspektiv"] = row["perspektiv"] or r["perspektiv"]
            continue
        # The rows come by year: the latest year's perspective, direction and comparison win.
        row["perspektiv"] = r["perspektiv"] or row["perspektiv"]
        row["kalla"] = r["kalla"] or row["kalla"]
        row["riktning"] = r["riktning"] or row["riktning"]
        row["varden"][r["ar"]] = r["varde"]
        if r["jamforelsegrupp_median"] is not None:
            row["medianer"][r["ar"]] = r["jamforelsegrupp_median"]
        if r["rang"] is not None:
            row["jamforelsear"] = r["ar"]
            row["jamforelsegrupp_median"] = r["jamforelsegrupp_median"]
            row["rang"] = r["rang"]
            row["antal_jamforda"] = r["antal_jamforda"]
    rows = list(found.values())
    for row in rows:
        if row["perspektiv"] not in labels.PERSPEKTIV:
            row["perspektiv"] = UTAN_PERSPEKTIV
        for ar in trend_years(year):
            row[f"v{ar}"] = row["varden"].get(ar)
    return rows


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def _columns(year: int) -> list[Column]:
    return [
        Column("indikator", "Indikator"),
        Column("org_namn", "Organisation"),
        Column("underlag", "Underlag"),
        Column("riktning", "Riktning", codes="riktning"),
        *(Column(f"v{ar}", str(ar), VARDE) for ar in trend_years(year)),
        # The comparison with similar municipalities (Kolada): a second table in the HTML.
        Column("jamforelsear", "Jämförelseår", YEAR, part=1),
        Column("jamforelsegrupp_median", "Median i jämförelsegruppen", VARDE, part=1),
        Column("rang", "Rang (1 = bäst)", COUNT, part=1),
        Column("antal_jamforda", "Antal jämförda kommuner", COUNT, part=1),
    ]


def perspektiv_sections(rows: list[dict[str, Any]], year: int, namnd_namn: str) -> list[Section]:
    """One section per perspective (and one for indicators without a perspective, if any);
    a perspective without indicators says so."""
    groups = [*labels.PERSPEKTIV, UTAN_PERSPEKTIV]
    sections = []
    for code in groups:
        own = [r for r in rows if r["perspektiv"] == code]
        if code == UTAN_PERSPEKTIV and not own:
            continue
        name = labels.PERSPEKTIV.get(code, "Utan perspektiv")
        section = Section(
            id=f"kvalitet_{code}",
            title=f"Kvalitetsfaktorer: {name.lower()}"
            if code != UTAN_PERSPEKTIV
            else "Kvalitetsfaktorer utan perspektiv",
            sheet=f"Kvalitet {name.lower()}"[:31],
            columns=_columns(year),
            rows=own,
            description=f"Värdena {year - TREND_YEARS + 1}–{year} per indikator och "
            "organisation; för Kolada-nyckeltal medianen i jämförelsegruppen (liknande "
            "kommuner) och kommunens rang i gruppen, det senaste året med jämförelse.",
            source="marts.kvalitetsindikatorer",
        )
        if not own:
            section.message = (
                f"{namnd_namn} har inga kvalitetsfaktorer i perspektivet {name.lower()} för {year}."
            )
        else:
            section.charts = [
                charts.kvalitetsfaktorer_over_aren(
                    own, trend_years(year), f"diagram-kvalitet-{code}", name
                )
            ]
        sections.append(section)
    return sections
