"""Styrning: måluppfyllelse per nivå and the intern kontroll's high risks."""

from __future__ import annotations

from pipelines.lib import labels
from pipelines.lib.report.model import HELTAL, LJUS, SAKNAS, Avsnitt, Kolumn
from pipelines.lib.report.warehouse import Lager

RISKVARDE_GRANS = 12


def maluppfyllelse(lager: Lager, period: str) -> Avsnitt:
    antal = ["antal_uppfyllt", "antal_delvis", "antal_ej_uppfyllt", "antal_saknar_varde"]
    avsnitt = Avsnitt(
        id="maluppfyllelse",
        rubrik="Måluppfyllelse per nivå",
        blad="Måluppfyllelse",
        kolumner=[
            Kolumn("namn", "Organisation"),
            Kolumn("niva", "Nivå"),
            Kolumn("antal_uppfyllt", "Uppfyllt (grön)", HELTAL),
            Kolumn("antal_delvis", "Delvis uppfyllt (gul)", HELTAL),
            Kolumn("antal_ej_uppfyllt", "Ej uppfyllt (röd)", HELTAL),
            Kolumn("antal_saknar_varde", "Saknar värde (grå)", HELTAL),
        ],
        beskrivning="Antal mål per status och organisation.",
        kalla="marts.maluppfyllelse_per_niva",
    )
    tabell = "marts.maluppfyllelse_per_niva"
    if lager.har_kolumn(tabell, "period"):
        villkor, param = "m.period = ?", period
    else:
        villkor, param = "m.ar = ?", int(period[:4])
    if not lager.finns(tabell, ["niva", "org", *antal]) or not (
        lager.har_kolumn(tabell, "period") or lager.har_kolumn(tabell, "ar")
    ):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    if lager.har_kolumn(tabell, "antal_saknar_indikator"):
        # A goal without indicators is a defect of the målkedja (docs/rules.md): show it.
        antal.append("antal_saknar_indikator")
        avsnitt.kolumner.append(Kolumn("antal_saknar_indikator", "Saknar indikator", HELTAL))
    avsnitt.rader = lager.rader(
        f"""
        with namn as (
            select org, arg_max(org_namn, period) as org_namn
            from marts.budgetavvikelse group by org
        )
        select m.niva, coalesce(namn.org_namn, m.org) as namn,
               {", ".join(f"m.{c}" for c in antal)}
        from {tabell} as m
        left join namn on namn.org = m.org
        where {villkor}
        order by m.niva, m.org
        """,
        [param],
    )
    for r in avsnitt.rader:
        r["niva"] = labels.NIVA.get(str(r["niva"]).lower(), r["niva"])
    if not avsnitt.rader:
        avsnitt.meddelande = "Inga mål i lagret för perioden."
    return avsnitt


def intern_kontroll(lager: Lager, period: str) -> Avsnitt:
    ar = int(period[:4])
    avsnitt = Avsnitt(
        id="intern_kontroll",
        rubrik="Intern kontroll: risker med högt riskvärde",
        blad="Intern kontroll",
        kolumner=[
            Kolumn("namn", "Nämnd"),
            Kolumn("risk", "Risk"),
            Kolumn("sannolikhet", "Sannolikhet (1–5)", HELTAL),
            Kolumn("konsekvens", "Konsekvens (1–5)", HELTAL),
            Kolumn("riskvarde", "Riskvärde", HELTAL),
            Kolumn("trafikljus", "Trafikljus", LJUS),
        ],
        beskrivning=f"Risker {ar} med riskvärde (sannolikhet × konsekvens) "
        f"{RISKVARDE_GRANS} eller högre.",
        kalla="marts.intern_kontroll",
    )
    kolumner = ["namnd", "ar", "risk", "sannolikhet", "konsekvens", "riskvarde", "trafikljus"]
    if not lager.finns("marts.intern_kontroll", kolumner):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    avsnitt.rader = lager.rader(
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
        [ar, RISKVARDE_GRANS],
    )
    if not avsnitt.rader:
        avsnitt.meddelande = f"Inga risker {ar} med riskvärde {RISKVARDE_GRANS} eller högre."
    return avsnitt
