"""The budget follow-up: the summary, nämnder, förvaltningar and åtgärdsplaner."""

from __future__ import annotations

from typing import Any

from pipelines.lib import labels
from pipelines.lib.report.format import format_mnkr, format_procent
from pipelines.lib.report.model import (
    ANDEL,
    AVVIKELSE,
    DATUM,
    HELTAL,
    KR,
    LJUS,
    SAKNAS,
    TEXT,
    Avsnitt,
    Kolumn,
    Post,
)
from pipelines.lib.report.warehouse import Lager

# Åtgärdsplan status → traffic light (marts/atgardsplan.sql documents the statuses).
STATUS_LJUS = {
    "ny": "rod",
    "kraver_atgardsplan": "rod",
    "forsenad": "rod",
    "beslutad": "gul",
    "atgardad": "gron",
}


def helarsljus(helarsavvikelse: Any) -> str:
    """gron when the year is forecast within budget (helårsavvikelse ≥ 0), rod below, gra none."""
    if helarsavvikelse is None:
        return "gra"
    return "gron" if helarsavvikelse >= 0 else "rod"


def atgardsstatus_per_namnd(lager: Lager, period: str) -> dict[str, str]:
    if not lager.finns("marts.atgardsplan", ["namnd", "period", "status"]):
        return {}
    rows = lager.rader(
        "select namnd, status from marts.atgardsplan where period = ? and status is not null",
        [period],
    )
    return {r["namnd"]: r["status"] for r in rows}


def sammanfattning(
    lager: Lager, period: str, namnder: Avsnitt, atgardsplaner: Avsnitt, rr: Avsnitt
) -> tuple[list[Post], list[str]]:
    poster: list[Post] = []
    text: list[str] = []
    kommun = lager.rad(
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
        kalla = kommun["helarsprognos_kalla"]
        poster += [
            Post("Utfall ackumulerat", kommun["utfall_ack"], KR),
            Post("Budget ackumulerad", kommun["budget_ack"], KR),
            Post("Avvikelse ackumulerad", kommun["avvikelse_ack"], AVVIKELSE),
            Post("Årsbudget", kommun["arsbudget"], KR),
            Post(
                "Helårsprognos",
                kommun["helarsprognos"],
                KR,
                kommentar=f"källa: {labels.label('helarsprognos_kalla', kalla)}" if kalla else None,
            ),
            Post(
                "Helårsavvikelse",
                kommun["helarsavvikelse"],
                AVVIKELSE,
                ljus=helarsljus(kommun["helarsavvikelse"]),
            ),
        ]

    if atgardsplaner.finns and lager.finns("marts.atgardsplan", ["period", "flagga"]):
        flaggade = lager.rad(
            "select count(*) filter (where flagga) as antal, count(*) as av "
            "from marts.atgardsplan where period = ?",
            [period],
        )
        poster.append(
            Post(
                "Nämnder med åtgärdsplansflagga",
                flaggade["antal"],
                HELTAL,
                ljus="rod" if flaggade["antal"] else "gron",
                kommentar=f"av {flaggade['av']} nämnder",
            )
        )

    if rr.visa_tabell:
        prognos = rr.extra["helarsprognos_arets_resultat"]
        andel, mal = rr.extra["resultatandel_prognos"], rr.extra["resultatandel_mal"]
        poster.append(Post("Årets resultat, helårsprognos", prognos, KR))
        ljus = None
        if andel is not None and mal is not None:
            ljus = "gron" if float(andel) >= float(mal) else "rod"
        poster.append(
            Post(
                "Resultatandel, helårsprognos",
                andel,
                ANDEL,
                ljus=ljus,
                kommentar=None if mal is None else f"mål {format_procent(mal)}",
            )
        )

    negativa = [r for r in namnder.rader if r["helarsavvikelse"] is not None]
    negativa = sorted(
        (r for r in negativa if r["helarsavvikelse"] < 0), key=lambda r: r["helarsavvikelse"]
    )
    if negativa:
        delar = ", ".join(
            f"{r['org_namn']} ({format_mnkr(r['helarsavvikelse'], tecken=True)} mnkr)"
            for r in negativa
        )
        text.append(f"Nämnder med negativ helårsavvikelse: {delar}.")
    elif namnder.rader:
        text.append("Ingen nämnd har negativ helårsavvikelse i helårsprognosen.")
    krav = [r["namnd_namn"] for r in atgardsplaner.rader if r.get("flagga")]
    if krav:
        text.append(f"Åtgärdsplan krävs eller pågår för: {', '.join(krav)}.")
    return poster, text


NIVA_KOLUMNER = [
    Kolumn("budget_ack", "Budget ack", KR),
    Kolumn("utfall_ack", "Utfall ack", KR),
    Kolumn("avvikelse_ack", "Avvikelse ack", AVVIKELSE),
    Kolumn("arsbudget", "Årsbudget", KR),
    Kolumn("helarsprognos", "Helårsprognos", KR),
    Kolumn("helarsprognos_kalla", "Prognoskälla", TEXT, koder="helarsprognos_kalla"),
    Kolumn("helarsprognos_budgetbaserad", "Prognos budgetbaserad", KR),
    Kolumn("helarsprognos_takt", "Prognos takt", KR),
    Kolumn("helarsavvikelse", "Helårsavvikelse", AVVIKELSE),
    Kolumn("trafikljus", "Trafikljus", LJUS),
]

NIVA_SQL = """
    select org, org_namn, namnd, budget_ack, utfall_ack, avvikelse_ack, arsbudget,
           helarsprognos, helarsprognos_kalla, helarsprognos_budgetbaserad, helarsprognos_takt,
           helarsavvikelse
    from marts.budgetavvikelse
    where niva = ? and period = ?
    order by org
"""


def namnder(lager: Lager, period: str, status: dict[str, str]) -> Avsnitt:
    rader = lager.rader(NIVA_SQL, ["namnd", period])
    for r in rader:
        r["trafikljus"] = helarsljus(r["helarsavvikelse"])
        r["atgardsplan_status"] = status.get(r["org"])
    kolumner = [Kolumn("org_namn", "Nämnd"), *NIVA_KOLUMNER]
    if status:
        kolumner.append(Kolumn("atgardsplan_status", "Åtgärdsplan", koder="atgardsplan_status"))
    return Avsnitt(
        id="namnder",
        rubrik="Budgetavvikelse per nämnd",
        blad="Nämnder",
        kolumner=kolumner,
        rader=rader,
        meddelande=None if rader else "Inga nämnder i lagret för perioden.",
        beskrivning="Avvikelse = budget − utfall på nettokostnad; positiv avvikelse är ett "
        "överskott. Helårsavvikelse = årsbudget − helårsprognos. Trafikljus: grön när "
        "helårsavvikelsen är noll eller positiv, röd när den är negativ.",
        kalla="marts.budgetavvikelse",
    )


def forvaltningar(lager: Lager, period: str, status: dict[str, str]) -> Avsnitt:
    rader = lager.rader(NIVA_SQL, ["forvaltning", period])
    namn = {
        r["org"]: r["org_namn"]
        for r in lager.rader(
            "select org, org_namn from marts.budgetavvikelse where niva = 'namnd' and period = ?",
            [period],
        )
    }
    for r in rader:
        r["trafikljus"] = helarsljus(r["helarsavvikelse"])
        r["namnd_namn"] = namn.get(r["namnd"], r["namnd"])
        r["atgardsplan_status"] = status.get(r["namnd"])
    kolumner = [Kolumn("org_namn", "Förvaltning"), Kolumn("namnd_namn", "Nämnd"), *NIVA_KOLUMNER]
    if status:
        kolumner.append(
            Kolumn("atgardsplan_status", "Nämndens åtgärdsplan", koder="atgardsplan_status")
        )
    return Avsnitt(
        id="forvaltningar",
        rubrik="Budgetavvikelse per förvaltning",
        blad="Förvaltningar",
        kolumner=kolumner,
        rader=rader,
        meddelande=None if rader else "Inga förvaltningar i lagret för perioden.",
        beskrivning="Förvaltningen bereder nämndens åtgärdsplan; nämndens status visas här.",
        kalla="marts.budgetavvikelse",
    )


ATGARD_KOLUMNER = [
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


def atgardsplaner(lager: Lager, period: str) -> Avsnitt:
    avsnitt = Avsnitt(
        id="atgardsplaner",
        rubrik="Åtgärdsplaner",
        blad="Åtgärdsplaner",
        kolumner=[
            Kolumn("namnd_namn", "Nämnd"),
            Kolumn("trafikljus", "Trafikljus", LJUS),
            Kolumn("status", "Status", koder="atgardsplan_status"),
            Kolumn("helarsavvikelse", "Helårsavvikelse", AVVIKELSE),
            Kolumn("forsta_flaggade_period", "Flaggad från"),
            Kolumn("manader_sedan_flagga", "Månader sedan flagga", HELTAL),
            Kolumn("atgardsplan_beslutsdatum", "Plan beslutad", DATUM),
            Kolumn("atgardsplan_diarienummer", "Diarienummer"),
        ],
        beskrivning="Vid negativ budgetavvikelse ska nämnden snarast besluta om en åtgärdsplan. "
        "Status: ny, kräver åtgärdsplan, försenad (ingen plan inom den tillåtna tiden), "
        "beslutad, åtgärdad (avvikelsen är inte längre negativ).",
        kalla="marts.atgardsplan",
    )
    if not lager.finns("marts.atgardsplan", ATGARD_KOLUMNER):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    avsnitt.rader = lager.rader(
        f"""
        select {", ".join(ATGARD_KOLUMNER)}
        from marts.atgardsplan
        where period = ? and (coalesce(flagga, false) or status is not null)
        order by namnd
        """,
        [period],
    )
    for r in avsnitt.rader:
        r["trafikljus"] = STATUS_LJUS.get(r["status"], "gra")
    if not avsnitt.rader:
        avsnitt.meddelande = "Ingen nämnd är flaggad för åtgärdsplan denna period."
    return avsnitt
