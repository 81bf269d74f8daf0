"""The verksamhetsberättelse's own sections: the closed year's ekonomi against budget, the
intern kontroll's results and the uppdrag the nämnd has received."""

from __future__ import annotations

from typing import Any

from pipelines.lib.report import charts
from pipelines.lib.report.model import (
    AVVIKELSE,
    COUNT,
    DATE,
    KR,
    LIGHT,
    Column,
    Item,
    Section,
)
from pipelines.lib.report.sections.ekonomi import helarsavvikelse_light
from pipelines.lib.report.sections.styrning import _riskgranser
from pipelines.lib.report.warehouse import Warehouse


def ekonomi(wh: Warehouse, year: int, namnd: str) -> Section:
    """The year's outcome against budget at December, closing entries (period 13) included as
    every mart counts them (docs/rules.md §21), for the nämnd and its förvaltningar."""
    december = f"{year}-12"
    section = Section(
        id="ekonomi",
        title="Ekonomiskt utfall mot budget",
        sheet="Ekonomi",
        columns=[
            Column("org_namn", "Organisation"),
            Column("niva", "Nivå", codes="niva"),
            Column("budget_ack", "Budget helår", KR),
            Column("utfall_ack", "Utfall helår", KR),
            Column("avvikelse_ack", "Avvikelse", AVVIKELSE),
            Column("trafikljus", "Trafikljus", LIGHT),
        ],
        description=f"Årets utfall på nettokostnad mot budget till och med december {year}, "
        "bokslutsposterna (huvudbokens period 13) inräknade. Avvikelse = budget − utfall; "
        "positiv avvikelse är ett överskott.",
        source="marts.budgetavvikelse, marts.bokslutsposter",
        key_figures_title="Bokslutsposter",
    )
    section.rows = wh.rows(
        """
        select org, org_namn, niva, budget_ack, utfall_ack, avvikelse_ack
        from marts.budgetavvikelse
        where period = ? and ((niva = 'namnd' and org = ?) or (niva = 'forvaltning' and namnd = ?))
        order by niva = 'namnd' desc, org
        """,
        [december, namnd, namnd],
    )
    for r in section.rows:
        r["trafikljus"] = helarsavvikelse_light(r["avvikelse_ack"])
    if not section.rows:
        section.message = f"Nämnden har inga siffror för {december} i marts.budgetavvikelse."
    bokslut = wh.row(
        "select nettokostnad, antal_rader from marts.bokslutsposter "
        "where niva = 'namnd' and org = ? and ar = ?",
        [namnd, year],
    )
    section.key_figures = [
        Item(
            "Varav bokslutsposter (period 13), nettokostnad",
            bokslut["nettokostnad"] if bokslut else 0,
            KR,
            comment=f"{bokslut['antal_rader']} huvudboksrader"
            if bokslut
            else "inga bokslutsposter",
        )
    ]
    section.extra["namnd"] = next((r for r in section.rows if r["niva"] == "namnd"), None)
    section.extra["bokslutsposter"] = bokslut["nettokostnad"] if bokslut else None
    return section


def intern_kontroll(wh: Warehouse, year: int, namnd: str) -> Section:
    section = Section(
        id="intern_kontroll",
        title="Intern kontroll",
        sheet="Intern kontroll",
        columns=[
            Column("risk", "Risk"),
            Column("riskvarde", "Riskvärde", COUNT),
            Column("trafikljus", "Trafikljus", LIGHT),
            Column("kontrollmoment", "Kontrollmoment"),
            Column("resultat", "Resultat", part=1),
            Column("atgard", "Åtgärd", part=1),
            Column("status", "Åtgärdens status", part=1),
        ],
        description=f"Årets bedömda risker {year} med kontrollernas resultat, och nämndens "
        "bedömning av om den interna kontrollen är tillräcklig.",
        source="marts.intern_kontroll, marts.analys (avsnitt intern_kontroll)",
    )
    section.rows = wh.rows(
        """
        select risk, sannolikhet, konsekvens, riskvarde, trafikljus, kontrollmoment, resultat,
               atgard, status
        from marts.intern_kontroll
        where namnd = ? and ar = ?
        order by riskvarde desc nulls last, risk
        """,
        [namnd, year],
    )
    if section.rows:
        section.charts = [charts.riskmatris(section.rows, *_riskgranser(wh))]
    else:
        section.message = f"Nämnden har inga risker för {year} i riskregistret (risk_…)."
    return section


def uppdrag(wh: Warehouse, year: int, namnd: str) -> Section:
    """The uppdrag the nämnd received, with the status in force at the year's end."""
    december = f"{year}-12"
    section = Section(
        id="uppdrag",
        title="Uppdrag",
        sheet="Uppdrag",
        columns=[
            Column("titel", "Uppdrag"),
            Column("id", "Id"),
            Column("givet_av", "Givet av"),
            Column("beslutsdatum", "Beslutat", DATE),
            Column("klart_senast", "Klart senast", DATE),
            Column("status", "Status", codes="uppdragsstatus"),
            Column("forsenad_text", "Försenat"),
            Column("dagar_forsenad", "Dagar försenat", COUNT, part=1),
            Column("kommentar", "Kommentar", part=1),
        ],
        description=f"Uppdrag till nämnden från KF, KS eller en nämnd, med status i december "
        f"{year}. Försenat: sista dag har passerat och uppdraget är inte avslutat.",
        source="marts.uppdrag",
    )
    section.rows = wh.rows(
        """
        select id, titel, givet_av, beslutsdatum, klart_senast, status, forsenad,
               dagar_forsenad, kommentar
        from marts.uppdrag
        where mottagare = ? and period = ?
        order by forsenad desc, klart_senast nulls last, id
        """,
        [namnd, december],
    )
    for r in section.rows:
        r["forsenad_text"] = "ja" if r["forsenad"] else "nej"
    if not section.rows:
        section.message = f"Nämnden har inga uppdrag som följs upp i december {year}."
    return section


def uppdrag_counts(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(uppdrag, försenade) for the summary."""
    return len(rows), sum(1 for r in rows if r["forsenad"])
