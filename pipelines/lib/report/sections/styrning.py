"""Styrning: måluppfyllelse per nivå and the intern kontroll's high risks."""

from __future__ import annotations

from pipelines.lib import labels
from pipelines.lib.report import charts
from pipelines.lib.report.model import COUNT, LIGHT, Column, Section
from pipelines.lib.report.warehouse import Warehouse

RISKVARDE_THRESHOLD = 12

# What an empty mart means: its input was never delivered.
NO_MALREGISTER = "Inga mål i lagret: målregistret (en fil mal_… i inkorgen) har inte levererats."
NO_RISKREGISTER = (
    "Inga risker i lagret: riskregistret för intern kontroll (en fil risk_… i inkorgen) har inte "
    "levererats."
)


def maluppfyllelse(wh: Warehouse, period: str) -> Section:
    counts = [
        "antal_uppfyllt",
        "antal_delvis",
        "antal_ej_uppfyllt",
        "antal_saknar_varde",
        "antal_saknar_indikator",
    ]
    section = Section(
        id="maluppfyllelse",
        title="Måluppfyllelse per nivå",
        sheet="Måluppfyllelse",
        columns=[
            Column("namn", "Organisation"),
            Column("niva", "Nivå"),
            Column("antal_uppfyllt", "Uppfyllt (grön)", COUNT),
            Column("antal_delvis", "Delvis uppfyllt (gul)", COUNT),
            Column("antal_ej_uppfyllt", "Ej uppfyllt (röd)", COUNT),
            Column("antal_saknar_varde", "Saknar värde (grå)", COUNT),
            # A goal without indicators is a defect of the målkedja (docs/rules.md): show it.
            Column("antal_saknar_indikator", "Saknar indikator", COUNT),
        ],
        description="Antal mål per status och organisation.",
        source="marts.maluppfyllelse_per_niva",
    )
    table = "marts.maluppfyllelse_per_niva"
    if wh.is_empty(table):
        section.available, section.message = False, NO_MALREGISTER
        return section
    section.rows = wh.rows(
        f"""
        with namn as (
            select org, arg_max(org_namn, period) as org_namn
            from marts.budgetavvikelse group by org
        )
        select m.niva, coalesce(namn.org_namn, m.org) as namn,
               {", ".join(f"m.{c}" for c in counts)}
        from {table} as m
        left join namn on namn.org = m.org
        where m.ar = ?
        order by m.niva, m.org
        """,
        [int(period[:4])],
    )
    for r in section.rows:
        r["niva"] = labels.NIVA.get(str(r["niva"]).lower(), r["niva"])
    if not section.rows:
        section.message = "Inga mål i lagret för perioden."
    else:
        section.charts = [charts.maluppfyllelse_per_niva(section.rows)]
    return section


def intern_kontroll(wh: Warehouse, period: str) -> Section:
    year = int(period[:4])
    section = Section(
        id="intern_kontroll",
        title="Intern kontroll: risker med högt riskvärde",
        sheet="Intern kontroll",
        columns=[
            Column("namn", "Nämnd"),
            Column("risk", "Risk"),
            Column("sannolikhet", "Sannolikhet (1–5)", COUNT),
            Column("konsekvens", "Konsekvens (1–5)", COUNT),
            Column("riskvarde", "Riskvärde", COUNT),
            Column("trafikljus", "Trafikljus", LIGHT),
        ],
        description=f"Riskmatrisen visar årets alla bedömda risker {year}; tabellen de med "
        f"riskvärde (sannolikhet × konsekvens) {RISKVARDE_THRESHOLD} eller högre.",
        source="marts.intern_kontroll",
    )
    if wh.is_empty("marts.intern_kontroll"):
        section.available, section.message = False, NO_RISKREGISTER
        return section
    section.rows = wh.rows(
        """
        with namn as (
            select org, arg_max(org_namn, period) as org_namn
            from marts.budgetavvikelse where niva = 'namnd' group by org
        )
        select coalesce(namn.org_namn, k.namnd) as namn, k.risk, k.sannolikhet, k.konsekvens,
               k.riskvarde, k.trafikljus
        from marts.intern_kontroll as k
        left join namn on namn.org = k.namnd
        where k.ar = ? and k.riskvarde >= ?
        order by k.riskvarde desc, k.namnd, k.risk
        """,
        [year, RISKVARDE_THRESHOLD],
    )
    if not section.rows:
        section.message = f"Inga risker {year} med riskvärde {RISKVARDE_THRESHOLD} eller högre."
    # The matrix shows every assessed risk of the year, not only the high ones of the table.
    risker = wh.rows(
        "select sannolikhet, konsekvens from marts.intern_kontroll where ar = ?", [year]
    )
    if risker:
        section.charts = [charts.riskmatris(risker, *_riskgranser(wh))]
    return section


def _riskgranser(wh: Warehouse) -> tuple[int, int]:
    """The riskvärde from which a risk is gul and röd: the settings marts.intern_kontroll
    applies (intern_kontroll.gul_fran / rod_fran), else its defaults 8 and 15."""
    settings = {
        r["parameter"]: r["varde"]
        for r in wh.rows(
            "select parameter, varde from raw.installningar "
            "where parameter in ('intern_kontroll.gul_fran', 'intern_kontroll.rod_fran')"
        )
    }
    return (
        int(settings.get("intern_kontroll.gul_fran") or 8),
        int(settings.get("intern_kontroll.rod_fran") or 15),
    )


def kf_mal(wh: Warehouse, year: int, closed_year: bool = False) -> Section:
    """KF's goals (kommun level of marts.maluppfyllelse) for `year`, each with its status and
    how its nämnder's goals that contribute to it stand."""
    basis = "årets värden" if closed_year else "de senaste värdena i lagret (prognos för året)"
    section = Section(
        id="kf_mal",
        title=f"Kommunfullmäktiges mål {year}",
        sheet="Kommunfullmäktiges mål",
        columns=[
            Column("titel", "Mål"),
            Column("perspektiv", "Perspektiv"),
            Column("trafikljus", "Trafikljus", LIGHT),
            Column("status", "Status", codes="malstatus"),
            Column("antal_indikatorer", "Indikatorer", COUNT),
            Column("delmal_uppfyllt", "Nämndmål uppfyllda", COUNT, part=1),
            Column("delmal_delvis", "Delvis", COUNT, part=1),
            Column("delmal_ej_uppfyllt", "Ej uppfyllda", COUNT, part=1),
            Column("delmal_utan_status", "Utan status", COUNT, part=1),
        ],
        description=f"Måluppfyllelse för kommunfullmäktiges mål, bedömd på {basis}: "
        "uppfyllt när alla indikatorer är uppfyllda, ej uppfyllt när ingen är det, annars "
        "delvis. Nämndmålen är de mål på nivån under som bidrar till KF-målet. De finansiella "
        "målen ingår.",
        source="marts.maluppfyllelse",
    )
    if wh.is_empty("marts.maluppfyllelse"):
        section.available, section.message = False, NO_MALREGISTER
        return section
    section.rows = wh.rows(
        """
        select mal_id, titel, perspektiv, trafikljus, status, antal_indikatorer,
               delmal_uppfyllt, delmal_delvis, delmal_ej_uppfyllt, delmal_utan_status
        from marts.maluppfyllelse
        where niva = 'kommun' and ar = ?
        order by mal_id
        """,
        [year],
    )
    if not section.rows:
        section.message = f"Inga mål för kommunfullmäktige {year} i lagret."
    return section
