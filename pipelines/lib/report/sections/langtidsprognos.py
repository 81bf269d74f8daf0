"""The långtidsprognos sections: the 10-year outlook with its uncertainty per scenario, and the
sensitivity table. The marts' columns are their contracts' (no probing)."""

from __future__ import annotations

from pipelines.lib.report.model import MISSING, PROBABILITY, TEXT, YEAR, Column, Section
from pipelines.lib.report.warehouse import Warehouse, amount_kind

TABELL = "marts.langtidsprognos"


def langtidsprognos(lager: Warehouse, period: str) -> Section:
    andel = amount_kind(TABELL, "resultatandel")
    avsnitt = Section(
        id="langtidsprognos",
        title="Långtidsprognos (scenario bas)",
        sheet="Långtidsprognos",
        columns=[
            Column("ar", "År", YEAR),
            Column("arets_resultat", "Årets resultat", amount_kind(TABELL, "arets_resultat")),
            Column("resultatandel", "Resultatandel", andel),
            Column(
                "effektiviseringsbehov_mnkr",
                "Effektiviseringsbehov",
                amount_kind(TABELL, "effektiviseringsbehov_mnkr"),
            ),
            Column("resultatandel_p10", "Resultatandel, 10 %-percentil", andel),
            Column("resultatandel_p90", "Resultatandel, 90 %-percentil", andel),
            Column("sannolikhet_under_mal", "Risk att missa målet", PROBABILITY),
        ],
        description="Tioårsprognos i scenariot bas: årets resultat, resultatandel och det "
        "effektiviseringsbehov som krävs för att nå det finansiella målet. Osäkerheten kommer "
        "från en gemensam simulering av skatteunderlag, priser (PKV), real kostnadsutveckling "
        "och befolkning: i 8 fall av 10 hamnar resultatandelen mellan 10 %- och "
        "90 %-percentilen. Risken att missa målet är andelen simuleringar där resultatandelen "
        "blir lägre än det finansiella målet.",
        source=TABELL,
    )
    if lager.is_empty(TABELL):
        avsnitt.available, avsnitt.message = False, MISSING
        return avsnitt
    avsnitt.rows = lager.rows(
        f"""
        select ar, arets_resultat, resultatandel, effektiviseringsbehov_mnkr,
            resultatandel_p10, resultatandel_p90, sannolikhet_under_mal
        from {TABELL} where scenario = 'bas' order by ar
        """
    )
    if not avsnitt.rows:
        avsnitt.message = "Långtidsprognosen saknar scenariot bas."
        return avsnitt
    avsnitt.description += (
        " Första året är innevarande år med kommunens helårsprognos från resultaträkningen; "
        "de följande åren räknas fram från det."
    )
    # The projection is rebuilt at each refresh: a report for an earlier period shows the
    # latest one, so it says which helårsprognos its first year is.
    row = lager.row(f"select max(prognosperiod) as prognosperiod from {TABELL}")
    if row and row["prognosperiod"] and row["prognosperiod"] != period:
        avsnitt.message = (
            f"Långtidsprognosen utgår från helårsprognosen för {row['prognosperiod']}, "
            f"inte för rapportperioden {period}."
        )
    return avsnitt


def langtidsprognos_scenarier(lager: Warehouse) -> Section:
    andel = amount_kind(TABELL, "resultatandel")
    avsnitt = Section(
        id="langtidsprognos_scenarier",
        title="Långtidsprognosens osäkerhet per scenario",
        sheet="Långtidsprognos scenarier",
        columns=[
            Column("scenario", "Scenario", TEXT),
            Column("ar", "År", YEAR),
            Column("resultatandel_p10", "Resultatandel, 10 %", andel),
            Column("resultatandel_p25", "25 %", andel),
            Column("resultatandel_p50", "Median", andel),
            Column("resultatandel_p75", "75 %", andel),
            Column("resultatandel_p90", "90 %", andel),
            Column("sannolikhet_under_mal", "Risk att missa målet", PROBABILITY),
        ],
        description="Resultatandelens fördelning per scenario och år (percentiler av de "
        "simulerade utfallen). Alla scenarier räknas med samma slumpade utfall, så skillnaden "
        "mellan dem är antagandenas och inte slumpens.",
        source=TABELL,
    )
    if lager.is_empty(TABELL):
        avsnitt.available, avsnitt.message = False, MISSING
        return avsnitt
    avsnitt.rows = lager.rows(
        f"""
        select scenario, ar, resultatandel_p10, resultatandel_p25, resultatandel_p50,
            resultatandel_p75, resultatandel_p90, sannolikhet_under_mal
        from {TABELL} order by scenario = 'bas' desc, scenario, ar
        """
    )
    return avsnitt


def kanslighetsanalys(lager: Warehouse) -> Section:
    tabell = "marts.kanslighetsanalys"
    avsnitt = Section(
        id="kanslighetsanalys",
        title="Känslighetsanalys",
        sheet="Känslighetsanalys",
        columns=[
            Column("beskrivning", "Förändring", TEXT),
            Column("ar1_mnkr", "Effekt år 1", amount_kind(tabell, "ar1_mnkr")),
            Column("ar10_mnkr", "Effekt år 10", amount_kind(tabell, "ar10_mnkr")),
        ],
        description="Hur mycket årets resultat ändras när en faktor i taget ändras i scenariot "
        "bas, första och sista prognosåret. Positivt belopp = bättre resultat.",
        source=tabell,
    )
    if lager.is_empty(tabell):
        avsnitt.available, avsnitt.message = False, MISSING
        return avsnitt
    avsnitt.rows = lager.rows(f"select beskrivning, ar1_mnkr, ar10_mnkr from {tabell}")
    return avsnitt
