"""The budget follow-up: the summary, nämnder, förvaltningar and åtgärdsplaner."""

from __future__ import annotations

from typing import Any

from pipelines.lib import labels
from pipelines.lib.report import charts
from pipelines.lib.report.format import format_belopp, format_percent
from pipelines.lib.report.model import (
    ANDEL,
    AVVIKELSE,
    COUNT,
    DATE,
    KR,
    LIGHT,
    TEXT,
    Column,
    Item,
    Section,
)
from pipelines.lib.report.warehouse import Warehouse

# Åtgärdsplan status → traffic light (marts/atgardsplan.sql documents the statuses).
STATUS_LIGHT = {
    "ny": "rod",
    "kraver_atgardsplan": "rod",
    "forsenad": "rod",
    "beslutad": "gul",
    "atgardad": "gron",
}


def helarsavvikelse_light(helarsavvikelse: Any) -> str:
    """gron when the year is forecast within budget (helårsavvikelse ≥ 0), rod below, gra none."""
    if helarsavvikelse is None:
        return "gra"
    return "gron" if helarsavvikelse >= 0 else "rod"


def atgardsplan_status_by_namnd(wh: Warehouse, period: str) -> dict[str, str]:
    rows = wh.rows(
        "select namnd, status from marts.atgardsplan where period = ? and status is not null",
        [period],
    )
    return {r["namnd"]: r["status"] for r in rows}


def summary(
    wh: Warehouse, period: str, namnder: Section, atgardsplaner: Section, rr: Section
) -> tuple[list[Item], list[str]]:
    items: list[Item] = []
    text: list[str] = []
    kommun = wh.row(
        """
        select org_namn, utfall_ack, budget_ack, avvikelse_ack, arsbudget, helarsprognos,
               helarsprognos_kalla, helarsavvikelse
        from marts.budgetavvikelse
        where niva = 'kommun' and period = ?
        limit 1
        """,
        [period],
    )
    if kommun is None:
        text.append("Kommunnivån saknas för perioden i marts.budgetavvikelse.")
    else:
        source = kommun["helarsprognos_kalla"]
        items += [
            Item("Utfall ackumulerat", kommun["utfall_ack"], KR),
            Item("Budget ackumulerad", kommun["budget_ack"], KR),
            Item("Avvikelse ackumulerad", kommun["avvikelse_ack"], AVVIKELSE),
            Item("Årsbudget", kommun["arsbudget"], KR),
            Item(
                "Helårsprognos",
                kommun["helarsprognos"],
                KR,
                comment=f"källa: {labels.label('helarsprognos_kalla', source)}" if source else None,
            ),
            Item(
                "Helårsavvikelse",
                kommun["helarsavvikelse"],
                AVVIKELSE,
                light=helarsavvikelse_light(kommun["helarsavvikelse"]),
            ),
        ]

    flagged = wh.row(
        "select count(*) filter (where flagga) as antal, count(*) as av "
        "from marts.atgardsplan where period = ?",
        [period],
    )
    items.append(
        Item(
            "Nämnder med åtgärdsplansflagga",
            flagged["antal"],
            COUNT,
            light="rod" if flagged["antal"] else "gron",
            comment=f"av {flagged['av']} nämnder",
        )
    )

    if rr.show_table:
        prognos = rr.extra["helarsprognos_arets_resultat"]
        share, goal = rr.extra["resultatandel_prognos"], rr.extra["resultatandel_mal"]
        items.append(Item("Årets resultat, helårsprognos", prognos, KR))
        light = None
        if share is not None and goal is not None:
            light = "gron" if float(share) >= float(goal) else "rod"
        items.append(
            Item(
                "Resultatandel, helårsprognos",
                share,
                ANDEL,
                light=light,
                comment=None if goal is None else f"mål {format_percent(goal)}",
            )
        )

    negative = [r for r in namnder.rows if r["helarsavvikelse"] is not None]
    negative = sorted(
        (r for r in negative if r["helarsavvikelse"] < 0), key=lambda r: r["helarsavvikelse"]
    )
    if negative:
        parts = ", ".join(
            f"{r['org_namn']} ({format_belopp(r['helarsavvikelse'], signed=True)})"
            for r in negative
        )
        text.append(f"Nämnder med negativ helårsavvikelse: {parts}.")
    elif namnder.rows:
        text.append("Ingen nämnd har negativ helårsavvikelse i helårsprognosen.")
    required = [r["namnd_namn"] for r in atgardsplaner.rows if r.get("flagga")]
    if required:
        text.append(f"Åtgärdsplan krävs eller pågår för: {', '.join(required)}.")
    return items, text


NIVA_COLUMNS = [
    Column("budget_ack", "Budget ack", KR),
    Column("utfall_ack", "Utfall ack", KR),
    Column("avvikelse_ack", "Avvikelse ack", AVVIKELSE),
    Column("arsbudget", "Årsbudget", KR),
    Column("helarsprognos", "Helårsprognos", KR),
    # The forecast's source and the other methods' forecasts: a second table in the HTML, so
    # the first fits an A4 page.
    Column("helarsprognos_kalla", "Prognoskälla", TEXT, codes="helarsprognos_kalla", part=1),
    Column("helarsprognos_budgetbaserad", "Prognos budgetbaserad", KR, part=1),
    Column("helarsprognos_takt", "Prognos takt", KR, part=1),
    Column("helarsavvikelse", "Helårsavvikelse", AVVIKELSE),
    Column("trafikljus", "Trafikljus", LIGHT),
]

NIVA_SQL = """
    select org, org_namn, namnd, budget_ack, utfall_ack, avvikelse_ack, arsbudget,
           helarsprognos, helarsprognos_kalla, helarsprognos_budgetbaserad, helarsprognos_takt,
           helarsavvikelse
    from marts.budgetavvikelse
    where niva = ? and period = ?
    order by org
"""


def namnder(wh: Warehouse, period: str, status: dict[str, str]) -> Section:
    rows = wh.rows(NIVA_SQL, ["namnd", period])
    for r in rows:
        r["trafikljus"] = helarsavvikelse_light(r["helarsavvikelse"])
        r["atgardsplan_status"] = status.get(r["org"])
    columns = [Column("org_namn", "Nämnd"), *NIVA_COLUMNS]
    if status:
        columns.append(Column("atgardsplan_status", "Åtgärdsplan", codes="atgardsplan_status"))
    section_charts = []
    if rows:
        section_charts = [
            charts.helarsavvikelse_per_namnd(_avvikelse_med_intervall(wh, period, rows)),
            charts.utfall_mot_budget(_utfall_och_budget(wh, period)),
        ]
    return Section(
        id="namnder",
        title="Budgetavvikelse per nämnd",
        sheet="Nämnder",
        columns=columns,
        rows=rows,
        message=None if rows else "Inga nämnder i lagret för perioden.",
        description="Avvikelse = budget − utfall på nettokostnad; positiv avvikelse är ett "
        "överskott. Helårsavvikelse = årsbudget − helårsprognos. Trafikljus: grön när "
        "helårsavvikelsen är noll eller positiv, röd när den är negativ.",
        source="marts.budgetavvikelse",
        charts=section_charts,
    )


def _avvikelse_med_intervall(
    wh: Warehouse, period: str, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each nämnd's helårsavvikelse and, where the official helårsprognos has one, the
    helårsavvikelse its 80 % interval spans (årsbudget − the interval's upper and lower bound;
    marts.helarsprognos_statistisk calibrates every method, the official one included)."""
    intervall = {
        r["namnd"]: r
        for r in wh.rows(
            """
            select namnd,
                   arsbudget - helarsprognos_hog80 as avvikelse_lag,
                   arsbudget - helarsprognos_lag80 as avvikelse_hog
            from marts.helarsprognos_statistisk
            where period = ? and officiell
                and helarsprognos_lag80 is not null and helarsprognos_hog80 is not null
            """,
            [period],
        )
    }
    return [
        {
            "namn": r["org_namn"],
            "helarsavvikelse": r["helarsavvikelse"],
            "avvikelse_lag": intervall.get(r["org"], {}).get("avvikelse_lag"),
            "avvikelse_hog": intervall.get(r["org"], {}).get("avvikelse_hog"),
        }
        for r in rows
    ]


def _utfall_och_budget(wh: Warehouse, period: str) -> list[dict[str, Any]]:
    """Utfall ack and budget ack month by month of the period's year up to the period, for the
    kommun and each nämnd flagged for åtgärdsplan, each month as it was seen then."""
    return wh.rows(
        """
        with flaggade as (
            select namnd from marts.atgardsplan where period = ? and flagga
        )
        select b.org_namn as namn, b.manad, b.utfall_ack, b.budget_ack
        from marts.budgetavvikelse as b
        where b.ar = cast(left(?, 4) as integer) and b.period <= ?
            and (b.niva = 'kommun' or (b.niva = 'namnd' and b.org in (select namnd from flaggade)))
        order by b.niva = 'namnd', b.org, b.manad
        """,
        [period, period, period],
    )


def forvaltningar(wh: Warehouse, period: str, status: dict[str, str]) -> Section:
    rows = wh.rows(NIVA_SQL, ["forvaltning", period])
    names = {
        r["org"]: r["org_namn"]
        for r in wh.rows(
            "select org, org_namn from marts.budgetavvikelse where niva = 'namnd' and period = ?",
            [period],
        )
    }
    for r in rows:
        r["trafikljus"] = helarsavvikelse_light(r["helarsavvikelse"])
        r["namnd_namn"] = names.get(r["namnd"], r["namnd"])
        r["atgardsplan_status"] = status.get(r["namnd"])
    columns = [Column("org_namn", "Förvaltning"), Column("namnd_namn", "Nämnd"), *NIVA_COLUMNS]
    if status:
        columns.append(
            Column("atgardsplan_status", "Nämndens åtgärdsplan", codes="atgardsplan_status", part=1)
        )
    return Section(
        id="forvaltningar",
        title="Budgetavvikelse per förvaltning",
        sheet="Förvaltningar",
        columns=columns,
        rows=rows,
        message=None if rows else "Inga förvaltningar i lagret för perioden.",
        description="Förvaltningen bereder nämndens åtgärdsplan; nämndens status visas här.",
        source="marts.budgetavvikelse",
    )


ATGARDSPLAN_COLUMNS = [
    "namnd",
    "namnd_namn",
    "period",
    "flagga",
    "status",
    "helarsavvikelse",
    "forsta_flaggade_period",
    "manader_sedan_flagga",
    "atgardsplan_beslutsdatum",
    "atgardsplan_diarienummer",
]


def atgardsplaner(wh: Warehouse, period: str) -> Section:
    section = Section(
        id="atgardsplaner",
        title="Åtgärdsplaner",
        sheet="Åtgärdsplaner",
        columns=[
            Column("namnd_namn", "Nämnd"),
            Column("trafikljus", "Trafikljus", LIGHT),
            Column("status", "Status", codes="atgardsplan_status"),
            Column("helarsavvikelse", "Helårsavvikelse", AVVIKELSE),
            Column("forsta_flaggade_period", "Flaggad från"),
            Column("manader_sedan_flagga", "Månader sedan flagga", COUNT),
            Column("atgardsplan_beslutsdatum", "Plan beslutad", DATE),
            Column("atgardsplan_diarienummer", "Diarienummer"),
        ],
        description="Vid negativ budgetavvikelse ska nämnden snarast besluta om en åtgärdsplan. "
        "Status: ny, kräver åtgärdsplan, försenad (ingen plan inom den tillåtna tiden), "
        "beslutad, åtgärdad (avvikelsen är inte längre negativ).",
        source="marts.atgardsplan",
    )
    section.rows = wh.rows(
        f"""
        select {", ".join(ATGARDSPLAN_COLUMNS)}
        from marts.atgardsplan
        where period = ? and (coalesce(flagga, false) or status is not null)
        order by namnd
        """,
        [period],
    )
    for r in section.rows:
        r["trafikljus"] = STATUS_LIGHT.get(r["status"], "gra")
    if not section.rows:
        section.message = "Ingen nämnd är flaggad för åtgärdsplan denna period."
    return section
