"""The helårsprognos sections: each nämnd's official forecast with its calibrated interval, the
risk of a deficit where it has skill, and the methods' measured träffsäkerhet.

Read from marts.helarsprognos_statistisk, helarsprognos_precision_sammanfattning and
helarsprognos_kommun (dbt_project/models/marts/prognos/_helarsprognos__models.yml).
"""

from __future__ import annotations

from typing import Any

from pipelines.lib import labels
from pipelines.lib.report import charts
from pipelines.lib.report.format import format_mnkr, format_number, format_percent
from pipelines.lib.report.model import ANDEL, KR, MISSING, PROBABILITY, TEXT, Column, Item, Section
from pipelines.lib.report.warehouse import Warehouse

STATISTISK = "marts.helarsprognos_statistisk"
SAMMANFATTNING = "marts.helarsprognos_precision_sammanfattning"
KOMMUN = "marts.helarsprognos_kommun"


def _method(code: str | None) -> str:
    return labels.label("helarsprognos_metod", code) or "okänd metod"


def assessment(row: dict[str, Any], manad: int, precision: dict[str, Any] | None) -> str:
    """The sentence a politician reads about one forecast (one nämnd or the kommun)."""
    low, high = row.get("helarsprognos_lag80"), row.get("helarsprognos_hog80")
    text = f"Året väntas sluta på {format_mnkr(row['helarsprognos'])} mnkr"
    if low is not None and high is not None:
        text += f" (80 % intervall {format_mnkr(low)}–{format_mnkr(high)})."
        # The interval says where outcomes have landed; a method that has been biased has its
        # interval beside its own figure, and the reader is told why.
        if row["helarsprognos"] > high:
            text += (
                " Prognosen ligger över intervallet: metoden har de stängda åren överskattat "
                "nettokostnaden vid den här tiden på året."
            )
        elif row["helarsprognos"] < low:
            text += (
                " Prognosen ligger under intervallet: metoden har de stängda åren underskattat "
                "nettokostnaden vid den här tiden på året."
            )
    else:
        text += " (intervall kan ännu inte beräknas)."
    if row.get("sannolikhet_underskott") is not None:
        text += f" Risken för underskott är {round(row['sannolikhet_underskott'] * 100)} %."
    else:
        text += " Risken för underskott kan ännu inte skattas."
    if precision is not None and precision.get("mae_procent") is not None:
        text += (
            f" Med {_method(row.get('metod'))} har felet vid månad {manad} de stängda åren "
            f"varit i genomsnitt {format_number(precision['mae_procent'])} % av årsbudgeten."
        )
    elif row.get("metod") is not None and "kommun" not in row:
        text += (
            f" Träffsäkerheten för {_method(row['metod'])} kan ännu inte mätas: den har inte "
            "prövats mot ett stängt år."
        )
        if row.get("kommentar"):
            text += f" {row['kommentar']}"
    return text


def _precision(lager: Warehouse, manad: int) -> dict[str, dict[str, Any]]:
    return {
        r["metod"]: r
        for r in lager.rows(f"select * from {SAMMANFATTNING} where manad = ?", [manad])
    }


def _most_accurate(precision: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    measured = [r for r in precision.values() if r["mae_procent"] is not None]
    return min(measured, key=lambda r: r["mae_procent"]) if measured else None


def statistisk_prognos(lager: Warehouse, period: str) -> Section:
    avsnitt = Section(
        id="statistisk",
        title="Helårsprognos med osäkerhet",
        sheet="Helårsprognos intervall",
        columns=[
            Column("namn", "Nämnd"),
            Column("helarsprognos", "Helårsprognos", KR),
            Column("helarsprognos_lag80", "80 % lägst", KR),
            Column("helarsprognos_hog80", "80 % högst", KR),
            Column("sannolikhet_underskott", "Risk för underskott", PROBABILITY),
            Column("metod", "Metod", TEXT, codes="helarsprognos_metod"),
            Column("bedomning", "Bedömning"),
        ],
        description="Den officiella helårsprognosen (förvaltningens, annars den budgetbaserade) "
        "med ett intervall som bygger på hur fel metoden har haft de stängda åren vid samma "
        "månad: 8 av 10 år har utfallet hamnat inom 80 %-intervallet. Risken för underskott "
        "visas bara där metodens sannolikheter har träffat bättre än andelen underskott de "
        "tidigare åren.",
        source=STATISTISK,
    )
    if lager.is_empty(STATISTISK):
        avsnitt.available, avsnitt.message = False, MISSING
        return avsnitt
    rows = lager.rows(
        f"""
        select coalesce(namnd_namn, namnd) as namn, manad, metod, helarsprognos,
               helarsprognos_lag80, helarsprognos_hog80, sannolikhet_underskott, kommentar
        from {STATISTISK}
        where period = ? and officiell
        order by namnd
        """,
        [period],
    )
    if not rows:
        avsnitt.message = f"Helårsprognosen finns inte för perioden {period}."
        return avsnitt
    manad = rows[0]["manad"]
    precision = _precision(lager, manad)
    for row in rows:
        row["bedomning"] = assessment(row, manad, precision.get(row["metod"]))
    avsnitt.rows = rows
    avsnitt.charts.append(_genom_aret(lager, period))
    best = _most_accurate(precision)
    if best is not None:
        avsnitt.key_figures.append(
            Item(
                f"Träffsäkrast vid månad {manad} de stängda åren",
                f"{_method(best['metod'])}: i genomsnitt "
                f"{format_number(best['mae_procent'])} % fel av årsbudgeten",
            )
        )
    kommun = lager.row(f"select * from {KOMMUN} where period = ?", [period])
    if kommun is not None:
        avsnitt.key_figures.insert(
            0,
            Item(
                "Kommunen",
                assessment(kommun | {"kommun": True}, manad, None)
                + " Intervallet och risken kommer från en gemensam simulering av nämndernas fel.",
            ),
        )
    return avsnitt


def _genom_aret(lager: Warehouse, period: str) -> charts.Chart:
    """Every method's forecast from each month of the year up to `period`, per nämnd, with the
    årsbudget in force at `period` as the reference line."""
    rows = lager.rows(
        f"""
        select namnd, coalesce(namnd_namn, namnd) as namn, period, metod, helarsprognos,
               helarsprognos_lag80, helarsprognos_hog80
        from {STATISTISK}
        where left(period, 4) = left(?, 4) and period <= ? and helarsprognos is not null
        order by namnd, period, metod
        """,
        [period, period],
    )
    budget = {
        r["namn"]: r["arsbudget"]
        for r in lager.rows(
            f"""
            select coalesce(namnd_namn, namnd) as namn, max(arsbudget) as arsbudget
            from {STATISTISK} where period = ? and officiell group by all
            """,
            [period],
        )
    }
    metoder = {r["metod"]: _method(r["metod"]) for r in rows}
    return charts.helarsprognos_genom_aret(rows, budget, metoder)


def _wilson_text(low: float | None, high: float | None) -> str | None:
    if low is None or high is None:
        return None
    return f"{format_percent(low, 0)}–{format_percent(high, 0)}"


def prognosprecision(lager: Warehouse) -> Section:
    avsnitt = Section(
        id="prognosprecision",
        title="Prognosmetodernas träffsäkerhet",
        sheet="Prognosprecision",
        columns=[
            Column("metod", "Metod", TEXT, codes="helarsprognos_metod"),
            Column("manad", "Från månad"),
            Column("fel", "Medelfel av årsbudget", ANDEL),
            Column("mase", "MASE"),
            Column("tackning_80", "Inom 80 %-intervallet", ANDEL),
            Column("tackning_80_osakerhet", "Osäkerhet (Wilson)"),
            Column("tackning_95", "Inom 95 %-intervallet", ANDEL),
            Column("skicklighet", "Risken för underskott"),
        ],
        description="Varje metod prövad i efterhand på de stängda åren: prognosen från mars, "
        "juni och september jämförd med det verkliga årsutfallet per nämnd, med den budget som "
        "gällde då. MASE under 1: bättre än att anta att resten av året blir som förra året. "
        "Täckningen ska ligga nära 80 % och 95 %; osäkerheten är Wilsonintervallet för det fåtal "
        "år och nämnder som finns.",
        source=SAMMANFATTNING,
    )
    if lager.is_empty(SAMMANFATTNING):
        avsnitt.available = False
        # The forecast ran but had no closed year to test on; else the forecasts never ran.
        avsnitt.message = (
            MISSING
            if lager.is_empty(STATISTISK)
            else "Det finns ännu inget stängt år att pröva prognoserna på."
        )
        return avsnitt
    rows = lager.rows(
        f"select * from {SAMMANFATTNING} where manad in (3, 6, 9) order by metod, manad"
    )
    avsnitt.rows = [
        {
            "metod": r["metod"],
            "manad": r["manad"],
            "fel": None if r["mae_procent"] is None else r["mae_procent"] / 100,
            "mase": None if r["mase"] is None else format_number(r["mase"], 2),
            "tackning_80": r["tackning_80"],
            "tackning_80_osakerhet": _wilson_text(r["tackning_80_lag"], r["tackning_80_hog"]),
            "tackning_95": r["tackning_95"],
            "skicklighet": "visas (bättre än basfrekvensen)"
            if r["sannolikhet_visas"]
            else "kan ännu inte skattas",
        }
        for r in rows
    ]
    return avsnitt
