"""The långtidsprognos section: the 10-year projection."""

from __future__ import annotations

from pipelines.lib.report.model import MISSING, YEAR, Column, Section
from pipelines.lib.report.warehouse import Warehouse, amount_kind


def langtidsprognos(lager: Warehouse, period: str) -> Section:
    tabell = "marts.langtidsprognos"
    avsnitt = Section(
        id="langtidsprognos",
        title="Långtidsprognos (scenario bas)",
        sheet="Långtidsprognos",
        columns=[
            Column("ar", "År", YEAR),
            Column("arets_resultat", "Årets resultat", amount_kind(tabell, "arets_resultat")),
            Column("resultatandel", "Resultatandel", amount_kind(tabell, "resultatandel")),
            Column(
                "effektiviseringsbehov_mnkr",
                "Effektiviseringsbehov",
                amount_kind(tabell, "effektiviseringsbehov_mnkr"),
            ),
        ],
        description="Tioårsprognos i scenariot bas: årets resultat, resultatandel och det "
        "effektiviseringsbehov som krävs för att nå det finansiella målet.",
        source=tabell,
    )
    kolumner = ["ar", "scenario", "arets_resultat", "resultatandel", "effektiviseringsbehov_mnkr"]
    if not lager.has_columns(tabell, kolumner) or lager.is_empty(tabell):
        avsnitt.available, avsnitt.message = False, MISSING
        return avsnitt
    avsnitt.rows = lager.rows(
        f"""
        select ar, arets_resultat, resultatandel, effektiviseringsbehov_mnkr
        from {tabell} where scenario = 'bas' order by ar
        """
    )
    if not avsnitt.rows:
        avsnitt.message = "Långtidsprognosen saknar scenariot bas."
    elif lager.has_column(tabell, "prognosperiod"):
        # Only a projection that records its anchor is known to start from the helårsprognos.
        avsnitt.description += (
            " Första året är innevarande år med kommunens helårsprognos från "
            "resultaträkningen; de följande åren räknas fram från det."
        )
        # The projection is rebuilt at each refresh: a report for an earlier period shows the
        # latest one, so it says which helårsprognos its first year is.
        row = lager.row(f"select max(prognosperiod) as prognosperiod from {tabell}")
        if row and row["prognosperiod"] and row["prognosperiod"] != period:
            avsnitt.message = (
                f"Långtidsprognosen utgår från helårsprognosen för {row['prognosperiod']}, "
                f"inte för rapportperioden {period}."
            )
    return avsnitt
