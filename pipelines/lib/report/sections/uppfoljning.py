"""The follow-up beside the budget: investments, KF's and the nämnder's uppdrag, and the
controllers' written analyses (marts investeringsuppfoljning, uppdrag, analys, analys_saknas).

Each function takes the key it needs (the year, or the period) and optionally one organisation,
so a per-nämnd report reads the same sections for its nämnd.
"""

from __future__ import annotations

from pipelines.lib import labels
from pipelines.lib.report.model import (
    AVVIKELSE,
    COUNT,
    DATE,
    LIGHT,
    Column,
    Item,
    Section,
    Table,
    Text,
)
from pipelines.lib.report.warehouse import Warehouse, amount_kind

INVESTERING = "marts.investeringsuppfoljning"
INVESTERING_PER_NAMND = "marts.investeringsuppfoljning_per_namnd"


def investeringar(wh: Warehouse, year: int, namnd: str | None = None) -> Section:
    """The year's investments per nämnd and for the kommun, and per project below."""

    def amount(table: str, column: str, header: str, part: int = 0) -> Column:
        return Column(column, header, amount_kind(table, column), part=part)

    t = INVESTERING_PER_NAMND
    section = Section(
        id="investeringar",
        title=f"Investeringar {year}",
        sheet="Investeringar",
        columns=[
            Column("org_namn", "Nämnd"),
            Column("antal_projekt", "Projekt", COUNT),
            amount(t, "budget", "Budget"),
            amount(t, "utfall_ack", "Utfall hittills"),
            amount(t, "helarsprognos", "Helårsprognos"),
            Column("avvikelse", "Avvikelse", AVVIKELSE),
            amount(t, "andel_forbrukad", "Andel förbrukad"),
        ],
        description="Årets investeringsbudget, utfall hittills och helårsprognos per nämnd och "
        "för kommunen. Helårsprognosen är nämndens levererade prognos; annars, för ett stängt "
        "år, utfallet; annars utfall hittills plus återstående plan. Avvikelse = budget − "
        "helårsprognos (positiv = lägre investering än budgeterat).",
        source=f"{INVESTERING_PER_NAMND}, {INVESTERING}",
    )
    if wh.is_empty(INVESTERING):
        section.available = False
        section.message = (
            "Inga investeringar i lagret: investeringsplanen (en fil investering_… i inkorgen) "
            "har inte levererats."
        )
        return section
    section.rows = wh.rows(
        """
        select org_namn, antal_projekt, budget, utfall_ack, helarsprognos, avvikelse,
               andel_forbrukad
        from marts.investeringsuppfoljning_per_namnd
        where ar = ? and (? is null or (niva = 'namnd' and org = ?))
        order by niva = 'kommun', org
        """,
        [year, namnd, namnd],
    )
    for r in section.rows:
        if r["org_namn"] is None:
            r["org_namn"] = "Kommunen totalt"
    if not section.rows:
        section.message = f"Inga investeringsprojekt för {year} i lagret."
        return section
    p = INVESTERING
    projekt = wh.rows(
        """
        select projekt, namnd_namn, budget, utfall_ack, utfall_period, helarsprognos,
               underlag, avvikelse, andel_forbrukad
        from marts.investeringsuppfoljning
        where ar = ? and (? is null or namnd = ?)
        order by namnd, projekt
        """,
        [year, namnd, namnd],
    )
    section.excel_tables = [
        Table(
            "Investeringar per projekt",
            [
                Column("projekt", "Projekt"),
                Column("namnd_namn", "Nämnd"),
                amount(p, "budget", "Budget"),
                amount(p, "utfall_ack", "Utfall hittills"),
                Column("utfall_period", "Utfall t.o.m."),
                amount(p, "helarsprognos", "Helårsprognos"),
                Column("underlag", "Prognosens underlag", codes="investering_underlag"),
                Column("avvikelse", "Avvikelse", AVVIKELSE),
                amount(p, "andel_forbrukad", "Andel förbrukad"),
            ],
            projekt,
        )
    ]
    section.extra = {"projekt": projekt}
    return section


def uppdrag(wh: Warehouse, period: str, mottagare: str | None = None) -> Section:
    """The uppdrag followed up in `period` with the status in force, overdue ones first."""
    section = Section(
        id="uppdrag",
        title="Uppdrag",
        sheet="Uppdrag",
        columns=[
            Column("titel", "Uppdrag"),
            Column("givet_av", "Givet av"),
            Column("mottagare_namn", "Mottagare"),
            Column("klart_senast", "Klart senast", DATE),
            Column("status", "Status", codes="uppdragsstatus"),
            Column("trafikljus", "Försenat", LIGHT),
            Column("dagar_forsenad", "Dagar försenat", COUNT),
            Column("kommentar", "Kommentar", part=1),
            Column("id", "Id", part=1),
        ],
        description="Uppdrag från kommunfullmäktige, kommunstyrelsen eller en nämnd med den "
        "status som gäller för perioden. Röd: sista dag har passerat och uppdraget är inte "
        "genomfört eller avslutat; grön: i tid.",
        source="marts.uppdrag, marts.uppdrag_per_mottagare",
    )
    if wh.is_empty("marts.uppdrag"):
        section.available = False
        section.message = (
            "Inga uppdrag i lagret: uppdragen (en fil uppdrag_… i inkorgen) har inte levererats."
        )
        return section
    section.rows = wh.rows(
        """
        select id, titel, givet_av, mottagare_namn, klart_senast, status, forsenad,
               dagar_forsenad, kommentar
        from marts.uppdrag
        where period = ? and (? is null or mottagare = ?)
        order by forsenad desc, mottagare, id
        """,
        [period, mottagare, mottagare],
    )
    for r in section.rows:
        r["trafikljus"] = "rod" if r["forsenad"] else "gron"
    if not section.rows:
        section.message = f"Inga uppdrag följs upp {period}."
        return section
    counts = wh.row(
        """
        select sum(antal) as antal, sum(genomforda) as genomforda, sum(pagaende) as pagaende,
               sum(forsenade) as forsenade
        from marts.uppdrag_per_mottagare
        where period = ? and (? is null or mottagare = ?)
        """,
        [period, mottagare, mottagare],
    )
    section.key_figures_title = "Uppdrag i perioden"
    section.key_figures = [
        Item("Uppdrag som följs upp", counts["antal"], COUNT),
        Item("Genomförda", counts["genomforda"], COUNT),
        Item("Pågående", counts["pagaende"], COUNT),
        Item(
            "Försenade",
            counts["forsenade"],
            COUNT,
            light="rod" if counts["forsenade"] else "gron",
        ),
    ]
    return section


def analys_texts(
    wh: Warehouse, period: str, niva: str, org: str | None = None, avsnitt: str | None = None
) -> list[Text]:
    """The written analyses in force for `period` at `niva` (one org, one avsnitt or all), each
    headed by its avsnitt (and organisation, below the kommun)."""
    rows = wh.rows(
        """
        select org, org_namn, avsnitt, text
        from marts.analys
        where period = ? and niva = ? and (? is null or org = ?) and (? is null or avsnitt = ?)
        order by avsnitt = 'sammanfattning' desc, org, avsnitt
        """,
        [period, niva, org, org, avsnitt, avsnitt],
    )
    texts = []
    for r in rows:
        heading = str(labels.label("analys_avsnitt", r["avsnitt"]))
        if niva != "kommun":
            heading = f"{r['org_namn'] or r['org']}: {heading.lower()}"
        texts.append(Text(heading, r["text"]))
    return texts


def analyser(wh: Warehouse, period: str) -> Section:
    """The kommun's written analyses for `period`, and the flagged nämnder without one."""
    section = Section(
        id="analys",
        title="Analys och slutsatser",
        sheet="Analys",
        columns=[
            Column("namnd_namn", "Nämnd"),
            Column("atgardsplan_status", "Åtgärdsplan", codes="atgardsplan_status"),
            Column("helarsavvikelse", "Helårsavvikelse", AVVIKELSE),
        ],
        description="Kommunens skriftliga analys för perioden (analys_-filer, nivå kommun). "
        "Tabellen visar nämnder som är flaggade för åtgärdsplan men saknar en ekonomianalys "
        "för perioden.",
        source="marts.analys, marts.analys_saknas",
    )
    section.texts = analys_texts(wh, period, "kommun")
    section.rows = wh.rows(
        """
        select namnd, namnd_namn, atgardsplan_status, helarsavvikelse
        from marts.analys_saknas where period = ? order by namnd
        """,
        [period],
    )
    messages = []
    if not section.texts:
        messages.append(f"Ingen skriftlig analys på kommunnivå för {period}.")
    if not section.rows:
        messages.append("Alla nämnder som är flaggade för åtgärdsplan har en ekonomianalys.")
    section.message = " ".join(messages) or None
    return section
