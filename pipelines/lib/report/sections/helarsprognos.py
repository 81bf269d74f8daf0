"""The helårsprognos sections: the statistical forecast and the methods' träffsäkerhet."""

from __future__ import annotations

from pipelines.lib.report.model import ANDEL, KR, MISSING, PROBABILITY, Column, Section
from pipelines.lib.report.warehouse import Warehouse


def statistisk_prognos(lager: Warehouse, period: str) -> Section:
    avsnitt = Section(
        id="statistisk",
        title="Statistisk helårsprognos",
        sheet="Statistisk prognos",
        columns=[
            Column("namn", "Nämnd"),
            Column("utfall_ack", "Utfall ack", KR),
            Column("helarsprognos", "Helårsprognos", KR),
            Column("helarsprognos_lag", "Intervall lägst", KR),
            Column("helarsprognos_hog", "Intervall högst", KR),
            Column("sannolikhet_underskott", "Sannolikhet för underskott", PROBABILITY),
        ],
        description="En tidsseriemodell över månadshistoriken; intervallet är modellens "
        "prediktionsintervall. Sannolikhet för underskott: att nettokostnaden för året blir "
        "högre än årsbudgeten.",
        source="marts.helarsprognos_statistisk",
    )
    tabell = "marts.helarsprognos_statistisk"
    # The unit column is `enhet` in the contract and `namnd` in the forecast asset: take either.
    enhet = next((c for c in ("enhet", "namnd") if lager.has_column(tabell, c)), None)
    kolumner = [
        "period",
        "utfall_ack",
        "helarsprognos",
        "helarsprognos_lag",
        "helarsprognos_hog",
        "sannolikhet_underskott",
    ]
    if enhet is None or not lager.has_columns(tabell, kolumner) or lager.is_empty(tabell):
        avsnitt.available, avsnitt.message = False, MISSING
        return avsnitt
    namn_sql = "s.namnd_namn" if lager.has_column(tabell, "namnd_namn") else "null"
    metod = lager.has_column(tabell, "metod")
    avsnitt.rows = lager.rows(
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
        avsnitt.columns.append(Column("metod", "Metod"))
    if not avsnitt.rows:
        avsnitt.message = f"Den statistiska prognosen finns inte för perioden {period}."
    return avsnitt


def prognosprecision(lager: Warehouse) -> Section:
    avsnitt = Section(
        id="prognosprecision",
        title="Prognosmetodernas träffsäkerhet",
        sheet="Prognosprecision",
        columns=[
            Column("metod", "Metod"),
            Column("manad_3", "Medianfel från mars", ANDEL),
            Column("manad_6", "Medianfel från juni", ANDEL),
            Column("manad_9", "Medianfel från september", ANDEL),
            Column("tackning", "Utfallet inom intervallet", ANDEL),
        ],
        description="Varje helårsprognosmetod prövad i efterhand på de senaste stängda åren: "
        "prognosen från mars, juni och september jämförd med det verkliga årsutfallet per "
        "nämnd. Medianen av det absoluta felet i procent av årsutfallet; lägre är bättre.",
        source="marts.helarsprognos_precision",
    )
    kolumner = ["metod", "manad", "abs_fel_procent", "inom_intervall"]
    if not lager.has_columns("marts.helarsprognos_precision", kolumner) or lager.is_empty(
        "marts.helarsprognos_precision"
    ):
        avsnitt.available, avsnitt.message = False, MISSING
        return avsnitt
    avsnitt.rows = lager.rows(
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
    if not avsnitt.rows:
        avsnitt.message = "Det finns ännu inget stängt år att pröva prognoserna på."
    return avsnitt
