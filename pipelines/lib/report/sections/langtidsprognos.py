"""The långtidsprognos section: the 10-year projection."""

from __future__ import annotations

from pipelines.lib.report.model import AR, SAKNAS, Avsnitt, Kolumn
from pipelines.lib.report.warehouse import Lager, belopptyp


def langtidsprognos(lager: Lager, period: str) -> Avsnitt:
    tabell = "marts.langtidsprognos"
    avsnitt = Avsnitt(
        id="langtidsprognos",
        rubrik="Långtidsprognos (scenario bas)",
        blad="Långtidsprognos",
        kolumner=[
            Kolumn("ar", "År", AR),
            Kolumn("arets_resultat", "Årets resultat", belopptyp(tabell, "arets_resultat")),
            Kolumn("resultatandel", "Resultatandel", belopptyp(tabell, "resultatandel")),
            Kolumn(
                "effektiviseringsbehov_mnkr",
                "Effektiviseringsbehov",
                belopptyp(tabell, "effektiviseringsbehov_mnkr"),
            ),
        ],
        beskrivning="Tioårsprognos i scenariot bas: årets resultat, resultatandel och det "
        "effektiviseringsbehov som krävs för att nå det finansiella målet.",
        kalla=tabell,
    )
    kolumner = ["ar", "scenario", "arets_resultat", "resultatandel", "effektiviseringsbehov_mnkr"]
    if not lager.finns(tabell, kolumner) or lager.tom(tabell):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    avsnitt.rader = lager.rader(
        f"""
        select ar, arets_resultat, resultatandel, effektiviseringsbehov_mnkr
        from {tabell} where scenario = 'bas' order by ar
        """
    )
    if not avsnitt.rader:
        avsnitt.meddelande = "Långtidsprognosen saknar scenariot bas."
    elif lager.har_kolumn(tabell, "prognosperiod"):
        # Only a projection that records its anchor is known to start from the helårsprognos.
        avsnitt.beskrivning += (
            " Första året är innevarande år med kommunens helårsprognos från "
            "resultaträkningen; de följande åren räknas fram från det."
        )
        # The projection is rebuilt at each refresh: a report for an earlier period shows the
        # latest one, so it says which helårsprognos its first year is.
        row = lager.rad(f"select max(prognosperiod) as prognosperiod from {tabell}")
        if row and row["prognosperiod"] and row["prognosperiod"] != period:
            avsnitt.meddelande = (
                f"Långtidsprognosen utgår från helårsprognosen för {row['prognosperiod']}, "
                f"inte för rapportperioden {period}."
            )
    return avsnitt
