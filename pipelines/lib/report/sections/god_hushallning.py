"""God ekonomisk hushållning: KF's financial goals and the balanskrav, for the delårsrapport
(the year's helårsprognos at the period) and the årsredovisning (the closed year's outcome).

The financial goals are read from marts.resultatrakning at the report's month: the mart holds
each month's value and goal, so a delårsrapport for an earlier month shows that month's
prognosis (marts.finansiella_mal judges only the warehouse's report period). A goal is met when
the value reaches the goal, as in the månadsrapport's summary.
"""

from __future__ import annotations

from typing import Any

from pipelines.lib.report.model import ANDEL, KR, LIGHT, YEAR, Column, Item, Section
from pipelines.lib.report.sections.resultatrakning import _number
from pipelines.lib.report.warehouse import Warehouse

# (goal, value column, goal column) in marts.resultatrakning.
FINANSIELLA_MAL = [
    (
        "Resultatandel (årets resultat / skatteintäkter och generella statsbidrag)",
        "resultatandel_prognos",
        "resultatandel_mal",
    ),
    (
        "Självfinansieringsgrad av investeringar",
        "sjalvfinansieringsgrad_prognos",
        "sjalvfinansieringsgrad_mal",
    ),
]


def goal_light(value: Any, goal: Any) -> str:
    """gron when the value reaches the goal, rod below it, gra when either is missing."""
    if value is None or goal is None:
        return "gra"
    return "gron" if float(value) >= float(goal) else "rod"


def finansiella_mal(wh: Warehouse, month: str, closed_year: bool = False) -> Section:
    """KF's financial goals at `month`: the helårsprognos's value against the goal; for a
    closed year (`closed_year`, month = its December) the outcome's."""
    basis = "årets utfall" if closed_year else f"helårsprognosen i {month}"
    section = Section(
        id="finansiella_mal",
        title="Finansiella mål",
        sheet="Finansiella mål",
        columns=[
            Column("mal", "Mål"),
            Column("varde", "Värde", ANDEL),
            Column("malvarde", "Målvärde", ANDEL),
            Column("trafikljus", "Trafikljus", LIGHT),
        ],
        description=f"Kommunfullmäktiges finansiella mål för god ekonomisk hushållning, bedömda "
        f"på {basis} i resultaträkningen. Grön: värdet når målvärdet; röd: under målvärdet; "
        "grå: värde eller målvärde saknas.",
        source="marts.resultatrakning",
    )
    row = wh.row(
        "select resultatandel_prognos, resultatandel_mal, sjalvfinansieringsgrad_prognos, "
        "sjalvfinansieringsgrad_mal from marts.resultatrakning where period = ? limit 1",
        [month],
    )
    if row is None:
        section.message = f"Resultaträkningen saknar perioden {month}."
        return section
    for title, value, goal in FINANSIELLA_MAL:
        v, g = _number(row[value]), _number(row[goal])
        section.rows.append(
            {"mal": title, "varde": v, "malvarde": g, "trafikljus": goal_light(v, g)}
        )
    return section


BALANSKRAV_LINES = [
    ("arets_resultat", "Årets resultat", 1),
    ("realisationsvinster", "Avgår realisationsvinster", -1),
    ("undantag", "Justeringar enligt undantagsmöjligheter", 1),
    ("resultat_efter_balanskravsjusteringar", "Årets resultat efter balanskravsjusteringar", 1),
    ("resultatreserv_reservation", "Reservation till resultatutjämningsreserv", -1),
    ("resultatreserv_disposition", "Disposition från resultatutjämningsreserv", 1),
    ("balanskravsresultat", "Balanskravsresultat", 1),
    ("att_aterstalla", "Underskott kvar att återställa", 1),
]

UNDERLAG = {"utfall": "årets utfall", "prognos": "helårsprognosen i årets senaste månad"}


def balanskrav(wh: Warehouse, month: str, closed_year: bool = False) -> Section:
    """The balanskrav's reconciliation for the year of `month` (marts.balanskrav), line by line.

    The mart judges a year once: a closed year on its outcome (the section says so when it is
    not), any other year on the helårsprognos at its latest month. A report for an earlier
    month says so and shows that month's balanskravsresultat from marts.resultatrakning."""
    year = int(month[:4])
    section = Section(
        id="balanskrav",
        title="Balanskravsutredning",
        sheet="Balanskrav",
        columns=[Column("post", "Post"), Column("belopp", "Belopp", KR)],
        description="Balanskravsutredningen enligt kommunallagen 11 kap.: årets resultat "
        "minus realisationsvinster, plus justeringar enligt undantagsmöjligheterna, minus "
        "reservation till och plus disposition från resultatutjämningsreserven. Ett negativt "
        "balanskravsresultat ska återställas inom tre år.",
        source="marts.balanskrav",
    )
    row = wh.row("select * from marts.balanskrav where ar = ?", [year])
    if row is None:
        section.message = f"Balanskravsutredningen saknar året {year}."
        return section
    section.rows = [
        {"post": label, "belopp": None if row[c] is None else row[c] * sign}
        for c, label, sign in BALANSKRAV_LINES
    ]
    if row["aterstalls_senast"] is not None:
        section.key_figures_title = "Återställande"
        section.key_figures = [Item("Återställs senast år", row["aterstalls_senast"], YEAR)]
    underlag = UNDERLAG.get(row["underlag"], row["underlag"])
    section.description += f" Underlag: {underlag}."
    if closed_year and row["underlag"] != "utfall":
        # marts.balanskrav judges a year by its twelve delivered months (int_utfallsar), the
        # report by the closed year (closing.py): say so rather than show a prognosis as outcome.
        section.message = (
            f"Året {year} är stängt men balanskravsutredningen bygger på {underlag}; "
            "kör 'styrhjul refresh' så att lagret byggs om."
        )
    section.extra = {"balanskravsresultat": row["balanskravsresultat"]}
    if not closed_year:
        rr = wh.row(
            "select max(period) as senaste, max(balanskravsresultat_prognos) filter "
            "(where period = ?) as resultat from marts.resultatrakning where ar = ?",
            [month, year],
        )
        if rr and rr["senaste"] and rr["senaste"] != month:
            section.source += ", marts.resultatrakning"
            section.message = (
                f"Balanskravsutredningen bygger på helårsprognosen i {rr['senaste']}, den "
                f"senaste månaden i lagret, inte på {month}."
            )
            section.key_figures_title = f"Balanskravsresultat enligt helårsprognosen i {month}"
            section.key_figures = [
                Item("Balanskravsresultat, helårsprognos", rr["resultat"], KR),
                *section.key_figures,
            ]
            section.extra["balanskravsresultat"] = rr["resultat"]
    return section


def balanskrav_text(section: Section, basis: str) -> str | None:
    """One summary line on the balanskrav ("... enligt helårsprognosen"), or None when the
    section has no figures."""
    result = section.extra.get("balanskravsresultat")
    if result is None:
        return None
    if result >= 0:
        return f"Balanskravet uppfylls {basis}."
    return f"Balanskravet uppfylls inte {basis}: underskottet ska återställas inom tre år."
