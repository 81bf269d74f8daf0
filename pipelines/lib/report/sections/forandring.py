"""Förändringsanalys: what moved each nämnd's helårsavvikelse since the previous report
(marts.forandringsanalys; the rule is docs/rules.md §23).

Per nämnd the change with its components (a table and a waterfall), and the five largest
contributions in words. The mart holds the change only; the helårsavvikelse now comes from
marts.budgetavvikelse and the one reported last month is now − change, so the report never
re-derives which figures were "as reported".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pipelines.lib import labels
from pipelines.lib.report import charts
from pipelines.lib.report.format import format_belopp
from pipelines.lib.report.model import AVVIKELSE, TEXT, Column, Section, Table
from pipelines.lib.report.warehouse import Warehouse

# The components in the table's order: the month first, then what moved the forecast.
KOMPONENTER = (
    "manadens_avvikelse",
    "forvaltningens_prognos",
    "budgetrevision",
    "prognoskalla",
    "rattelse_tidigare_manader",
)

# How the words name a component that has no dimension.
I_ORD = {
    "forvaltningens_prognos": "förvaltningens ändrade prognos för resten av året",
    "budgetrevision": "budgetrevisionen",
    "prognoskalla": "bytet av prognoskälla",
    "rattelse_tidigare_manader": "rättelser av tidigare månaders utfall",
}

LARGEST = 5  # contributions told in words

PER_NAMND_SQL = """
    select
        f.namnd,
        b.org_namn,
        min(f.foregaende_period) as foregaende_period,
        sum(f.belopp) filter (where f.komponent = 'manadens_avvikelse') as manadens_avvikelse,
        sum(f.belopp) filter (where f.komponent = 'forvaltningens_prognos')
            as forvaltningens_prognos,
        sum(f.belopp) filter (where f.komponent = 'budgetrevision') as budgetrevision,
        sum(f.belopp) filter (where f.komponent = 'prognoskalla') as prognoskalla,
        sum(f.belopp) filter (where f.komponent = 'rattelse_tidigare_manader')
            as rattelse_tidigare_manader,
        sum(f.belopp) as forandring,
        any_value(b.helarsavvikelse) as helarsavvikelse
    from marts.forandringsanalys as f
    left join marts.budgetavvikelse as b
        on b.niva = 'namnd' and b.org = f.namnd and b.period = f.period
    where f.period = ?
    group by f.namnd, b.org_namn
    order by f.namnd
"""

# Every contribution with the names of its nämnd, förvaltning, verksamhetsområde (the
# organisation's names in marts.budgetavvikelse for the period) and kontogrupp.
DETAIL_SQL = """
    with namn as (
        select niva, org, any_value(org_namn) as namn
        from marts.budgetavvikelse
        where period = ?
        group by niva, org
    ),
    kontogrupper as (
        select kontogrupp, any_value(kontogrupp_namn) as kontogrupp_namn
        from marts.fct_ekonomi_manad
        group by kontogrupp
    )
    select
        f.namnd,
        coalesce(n.namn, f.namnd) as namnd_namn,
        f.komponent,
        f.forvaltning,
        coalesce(fv.namn, f.forvaltning) as forvaltning_namn,
        f.verksamhet,
        coalesce(v.namn, f.verksamhet) as verksamhet_namn,
        f.kontogrupp,
        coalesce(k.kontogrupp_namn, cast(f.kontogrupp as varchar)) as kontogrupp_namn,
        f.belopp
    from marts.forandringsanalys as f
    left join namn as n on n.niva = 'namnd' and n.org = f.namnd
    left join namn as fv on fv.niva = 'forvaltning' and fv.org = f.forvaltning
    left join namn as v on v.niva = 'verksamhet' and v.org = f.verksamhet
    left join kontogrupper as k on k.kontogrupp = f.kontogrupp
    where f.period = ? and f.belopp <> 0
    order by abs(f.belopp) desc, f.namnd, f.komponent, f.forvaltning, f.verksamhet, f.kontogrupp
"""


def _genitive(name: str) -> str:
    """Socialnämnden → Socialnämndens (a name ending in s, x or z takes no s)."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _lower_first(text: str) -> str:
    """'Köp av huvudverksamhet' → 'köp av huvudverksamhet'; an acronym ('IT och …') stays."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def contribution_words(row: dict[str, Any]) -> str:
    """A contribution named in words: 'köp av huvudverksamhet inom individ- och
    familjeomsorg i månaden', 'budgetrevisionen'."""
    if row["komponent"] != "manadens_avvikelse":
        return I_ORD.get(row["komponent"], row["komponent"])
    return (
        f"{_lower_first(row['kontogrupp_namn'])} inom {_lower_first(row['verksamhet_namn'])} "
        "i månaden"
    )


def largest_in_words(
    per_namnd: list[dict[str, Any]], detail: list[dict[str, Any]], foregaende_period: str
) -> list[str]:
    """The five largest contributions (by size) among the nämnder whose helårsavvikelse
    changed, one sentence per nämnd in the order of its largest contribution."""
    change = {r["namnd"]: r["forandring"] for r in per_namnd}
    largest = [d for d in detail if change.get(d["namnd"])][:LARGEST]
    by_namnd: dict[str, list[dict[str, Any]]] = {}
    for d in largest:
        by_namnd.setdefault(d["namnd"], []).append(d)
    sentences = []
    for namnd, parts in by_namnd.items():
        total = Decimal(str(change[namnd]))
        direction = "förbättrades" if total > 0 else "försämrades"
        told = []
        for d in parts:
            amount = format_belopp(abs(Decimal(str(d["belopp"]))))
            same = (Decimal(str(d["belopp"])) > 0) == (total > 0)
            told.append(
                f"{contribution_words(d)} står för {amount}"
                if same
                else f"{contribution_words(d)} drar åt andra hållet med {amount}"
            )
        sentences.append(
            f"{_genitive(parts[0]['namnd_namn'])} prognos {direction} med "
            f"{format_belopp(abs(total))} sedan {foregaende_period}; {'; '.join(told)}."
        )
    return sentences


def _no_comparison(period: str) -> str:
    if period.endswith("-01"):
        return (
            "Januari är årets första period: det finns ingen tidigare rapport samma år att "
            "jämföra med (ett nytt års budget är ingen förändring av prognosen)."
        )
    return (
        f"Det finns ingen rapport för månaden före {period} i lagret att jämföra med, så "
        "förändringen kan inte förklaras."
    )


COLUMNS = [
    Column("org_namn", "Nämnd"),
    Column("helarsavvikelse_fore", "Helårsavvikelse förra rapporten", AVVIKELSE),
    *(
        Column(k, str(labels.label("forandring_komponent", k)), AVVIKELSE, part=0)
        for k in KOMPONENTER
    ),
    Column("forandring", "Förändring", AVVIKELSE),
    Column("helarsavvikelse", "Helårsavvikelse nu", AVVIKELSE),
]

DETAIL_COLUMNS = [
    Column("namnd_namn", "Nämnd"),
    Column("komponent", "Komponent", TEXT, codes="forandring_komponent"),
    Column("forvaltning_namn", "Förvaltning"),
    Column("verksamhet_namn", "Verksamhet"),
    Column("kontogrupp_namn", "Kontogrupp"),
    Column("belopp", "Bidrag", AVVIKELSE),
]


def forandringsanalys(wh: Warehouse, period: str) -> Section:
    section = Section(
        id="forandringsanalys",
        title="Förändring sedan föregående rapport",
        sheet="Förändringsanalys",
        columns=COLUMNS,
        description="Hur varje nämnds helårsavvikelse har ändrats sedan föregående månads "
        "rapport (för en stängd period som den rapporterades), uppdelat så att delarna "
        "tillsammans är hela förändringen: månadens avvikelse (budget − utfall för månaden), "
        "förvaltningens ändrade prognos för resten av året, budgetrevisioner, byte av "
        "prognoskälla och rättelser av tidigare månader. Positivt belopp = förbättring.",
        source="marts.forandringsanalys, marts.budgetavvikelse",
    )
    rows = wh.rows(PER_NAMND_SQL, [period])
    if not rows:
        section.available = False
        section.message = _no_comparison(period)
        return section
    foregaende = str(rows[0]["foregaende_period"])
    for r in rows:
        if r["helarsavvikelse"] is not None:
            r["helarsavvikelse_fore"] = r["helarsavvikelse"] - r["forandring"]
    section.rows = rows
    detail = wh.rows(DETAIL_SQL, [period, period])
    section.lines = largest_in_words(rows, detail, foregaende) or [
        f"Ingen nämnds helårsavvikelse har ändrats sedan {foregaende}."
    ]
    fore = sum((r.get("helarsavvikelse_fore") or 0 for r in rows), Decimal(0))
    nu = sum((r["helarsavvikelse"] or 0 for r in rows), Decimal(0))
    section.charts = [
        charts.forandring_vattenfall(
            [{"namn": r["org_namn"] or r["namnd"], "forandring": r["forandring"]} for r in rows],
            fore,
            nu,
            foregaende,
            period,
        )
    ]
    section.excel_tables = [Table("Alla bidrag, störst först", DETAIL_COLUMNS, detail)]
    return section
