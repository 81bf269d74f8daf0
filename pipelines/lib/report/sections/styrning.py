"""Styrning: måluppfyllelse per nivå and the intern kontroll's high risks."""

from __future__ import annotations

from pipelines.lib import labels
from pipelines.lib.report.model import COUNT, LIGHT, MISSING, Column, Section
from pipelines.lib.report.warehouse import Warehouse

RISKVARDE_THRESHOLD = 12


def maluppfyllelse(wh: Warehouse, period: str) -> Section:
    counts = ["antal_uppfyllt", "antal_delvis", "antal_ej_uppfyllt", "antal_saknar_varde"]
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
        ],
        description="Antal mål per status och organisation.",
        source="marts.maluppfyllelse_per_niva",
    )
    table = "marts.maluppfyllelse_per_niva"
    if wh.has_column(table, "period"):
        condition, parameter = "m.period = ?", period
    else:
        condition, parameter = "m.ar = ?", int(period[:4])
    if not wh.has_columns(table, ["niva", "org", *counts]) or not (
        wh.has_column(table, "period") or wh.has_column(table, "ar")
    ):
        section.available, section.message = False, MISSING
        return section
    if wh.has_column(table, "antal_saknar_indikator"):
        # A goal without indicators is a defect of the målkedja (docs/rules.md): show it.
        counts.append("antal_saknar_indikator")
        section.columns.append(Column("antal_saknar_indikator", "Saknar indikator", COUNT))
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
        where {condition}
        order by m.niva, m.org
        """,
        [parameter],
    )
    for r in section.rows:
        r["niva"] = labels.NIVA.get(str(r["niva"]).lower(), r["niva"])
    if not section.rows:
        section.message = "Inga mål i lagret för perioden."
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
        description=f"Risker {year} med riskvärde (sannolikhet × konsekvens) "
        f"{RISKVARDE_THRESHOLD} eller högre.",
        source="marts.intern_kontroll",
    )
    columns = ["namnd", "ar", "risk", "sannolikhet", "konsekvens", "riskvarde", "trafikljus"]
    if not wh.has_columns("marts.intern_kontroll", columns):
        section.available, section.message = False, MISSING
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
    return section
