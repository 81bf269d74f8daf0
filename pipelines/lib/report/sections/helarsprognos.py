"""The helårsprognos sections: the statistical forecast and the methods' träffsäkerhet."""

from __future__ import annotations

from pipelines.lib.report.model import ANDEL, KR, SAKNAS, SANNOLIKHET, Avsnitt, Kolumn
from pipelines.lib.report.warehouse import Lager


def statistisk_prognos(lager: Lager, period: str) -> Avsnitt:
    avsnitt = Avsnitt(
        id="statistisk",
        rubrik="Statistisk helårsprognos",
        blad="Statistisk prognos",
        kolumner=[
            Kolumn("namn", "Nämnd"),
            Kolumn("utfall_ack", "Utfall ack", KR),
            Kolumn("helarsprognos", "Helårsprognos", KR),
            Kolumn("helarsprognos_lag", "Intervall lägst", KR),
            Kolumn("helarsprognos_hog", "Intervall högst", KR),
            Kolumn("sannolikhet_underskott", "Sannolikhet för underskott", SANNOLIKHET),
        ],
        beskrivning="En tidsseriemodell över månadshistoriken; intervallet är modellens "
        "prediktionsintervall. Sannolikhet för underskott: att nettokostnaden för året blir "
        "högre än årsbudgeten.",
        kalla="marts.helarsprognos_statistisk",
    )
    tabell = "marts.helarsprognos_statistisk"
    # The unit column is `enhet` in the contract and `namnd` in the forecast asset: take either.
    enhet = next((c for c in ("enhet", "namnd") if lager.har_kolumn(tabell, c)), None)
    kolumner = [
        "period",
        "utfall_ack",
        "helarsprognos",
        "helarsprognos_lag",
        "helarsprognos_hog",
        "sannolikhet_underskott",
    ]
    if enhet is None or not lager.finns(tabell, kolumner) or lager.tom(tabell):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    namn_sql = "s.namnd_namn" if lager.har_kolumn(tabell, "namnd_namn") else "null"
    metod = lager.har_kolumn(tabell, "metod")
    avsnitt.rader = lager.rader(
        f"""
        with namn as (
            select org, arg_max(org_namn, period) as org_namn
            from marts.budgetavvikelse where niva = 'namnd' group by org
        )
        select coalesce({namn_sql}, namn.org_namn, s.{enhet}) as namn,
               {", ".join(f"s.{c}" for c in kolumner)}
               {", s.metod" if metod else ""}
        from {tabell} as s
        left join namn on namn.org = s.{enhet}
        where s.period = ?
        order by s.{enhet}
        """,
        [period],
    )
    if metod:
        avsnitt.kolumner.append(Kolumn("metod", "Metod"))
    if not avsnitt.rader:
        avsnitt.meddelande = f"Den statistiska prognosen finns inte för perioden {period}."
    return avsnitt


def prognosprecision(lager: Lager) -> Avsnitt:
    avsnitt = Avsnitt(
        id="prognosprecision",
        rubrik="Prognosmetodernas träffsäkerhet",
        blad="Prognosprecision",
        kolumner=[
            Kolumn("metod", "Metod"),
            Kolumn("manad_3", "Medianfel från mars", ANDEL),
            Kolumn("manad_6", "Medianfel från juni", ANDEL),
            Kolumn("manad_9", "Medianfel från september", ANDEL),
            Kolumn("tackning", "Utfallet inom intervallet", ANDEL),
        ],
        beskrivning="Varje helårsprognosmetod prövad i efterhand på de senaste stängda åren: "
        "prognosen från mars, juni och september jämförd med det verkliga årsutfallet per "
        "nämnd. Medianen av det absoluta felet i procent av årsutfallet; lägre är bättre.",
        kalla="marts.helarsprognos_precision",
    )
    kolumner = ["metod", "manad", "abs_fel_procent", "inom_intervall"]
    if not lager.finns("marts.helarsprognos_precision", kolumner) or lager.tom(
        "marts.helarsprognos_precision"
    ):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    avsnitt.rader = lager.rader(
        """
        select metod,
               median(abs_fel_procent) filter (where manad = 3) / 100 as manad_3,
               median(abs_fel_procent) filter (where manad = 6) / 100 as manad_6,
               median(abs_fel_procent) filter (where manad = 9) / 100 as manad_9,
               avg(case when inom_intervall then 1.0 when not inom_intervall then 0.0 end)
                   as tackning
        from marts.helarsprognos_precision
        group by metod
        order by manad_6, metod
        """
    )
    if not avsnitt.rader:
        avsnitt.meddelande = "Det finns ännu inget stängt år att pröva prognoserna på."
    return avsnitt
