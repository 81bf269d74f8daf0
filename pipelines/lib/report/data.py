"""What the månadsrapport shows, read from the published warehouse (read-only).

The queries live here and return plain Python structures (`Rapport`, `Avsnitt`, `Post`), so the
HTML and the Excel writer show the same figures. Amounts stay in the unit the warehouse holds
them in, and every amount column says which (`KR` or `MNKR`, from the unit its mart declares in
dbt); the renderers decide how to show them (mnkr in HTML, kronor in Excel where the mart is in
kronor).

The kommun's helårsprognos is read from one place per figure: net cost from the kommun row of
marts.budgetavvikelse, årets resultat and resultatandel from marts.resultatrakning at the period.
The summary shows those same values; the långtidsprognos's first year is built from them.

The core sections come from `marts.budgetavvikelse` and `marts.atgardsplan`. The optional ones
(resultaträkning, statistisk prognos, måluppfyllelse, långtidsprognos, intern kontroll) are shown
only when their mart exists with the columns used here; otherwise the section says so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb

from pipelines.lib import labels
from pipelines.lib.warehouse import units
from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

log = logging.getLogger(__name__)

SAKNAS = "Avsnittet saknas i detta lager."

# Column kinds; the renderers format by kind.
TEXT = "text"  # plain text
KR = "kr"  # an amount in kronor (HTML: mnkr, one decimal; Excel: kronor)
AVVIKELSE = "avvikelse"  # kronor, positive = överskott (signed and coloured)
MNKR = "mnkr"  # an amount already in mnkr
ANDEL = "andel"  # a ratio, shown as a percentage with one decimal
SANNOLIKHET = "sannolikhet"  # a probability, shown as a whole percentage
HELTAL = "heltal"  # a count
AR = "ar"  # a year (a number, shown without thousands separator)
DATUM = "datum"  # a date
LJUS = "ljus"  # a traffic light: a code of labels.TRAFIKLJUS (gron, gul, rod, gra)

MANADER = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# Åtgärdsplan status → traffic light (marts/atgardsplan.sql documents the statuses).
STATUS_LJUS = {
    "ny": "rod",
    "kraver_atgardsplan": "rod",
    "forsenad": "rod",
    "beslutad": "gul",
    "atgardad": "gron",
}

RISKVARDE_GRANS = 12

# How an amount column is shown, by the unit its mart declares (pipelines/lib/warehouse/units.py).
ENHET_TYP = {"kr": KR, "mnkr": MNKR, "andel": ANDEL}


def belopptyp(tabell: str, kolumn: str) -> str:
    """The column kind an amount column of `tabell` is shown as, from the unit the mart declares
    (a column without an amount unit is a mistake in the mart, not kronor by default)."""
    unit = units.enhet(tabell, kolumn)
    if unit not in ENHET_TYP:
        raise KeyError(f"{tabell}.{kolumn} har enheten {unit!r}, inte kr, mnkr eller andel")
    return ENHET_TYP[unit]


@dataclass(frozen=True)
class Kolumn:
    nyckel: str
    rubrik: str
    typ: str = TEXT
    # The code family (a key of labels.FAMILJER) when the column holds codes: the renderers
    # show each code's label. A LJUS column is always of the family trafikljus.
    koder: str | None = None


@dataclass
class Post:
    """One labelled value (a line in a key-value table)."""

    rubrik: str
    varde: Any
    typ: str = TEXT
    ljus: str | None = None
    kommentar: str | None = None


@dataclass
class Avsnitt:
    id: str
    rubrik: str
    blad: str  # Excel sheet name
    kolumner: list[Kolumn] = field(default_factory=list)
    rader: list[dict[str, Any]] = field(default_factory=list)
    finns: bool = True  # False: the mart (or a column of it) is missing in this warehouse
    meddelande: str | None = None  # shown instead of the table (missing mart, no rows)
    beskrivning: str | None = None
    kalla: str | None = None  # the mart it is read from
    nyckeltal: list[Post] = field(default_factory=list)  # extra lines under the table
    extra: dict[str, Any] = field(default_factory=dict)  # values other sections use

    @property
    def visa_tabell(self) -> bool:
        return self.finns and bool(self.rader)


@dataclass
class Rapport:
    kommun: str
    period: str
    period_text: str
    publicerad: datetime | None
    skapad: datetime
    run_id: str | None
    korning_period: str | None
    korning_startad: datetime | None
    periodstatus: str | None
    sammanfattning: list[Post]
    sammanfattning_text: list[str]
    avsnitt: list[Avsnitt]


# --------------------------------------------------------------------------------------------
# Warehouse helpers


class _Lager:
    """The read-only connection plus what it contains (tables and their columns)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        rows = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
        ).fetchall()
        self.kolumner: dict[str, set[str]] = {}
        for schema, table, column in rows:
            self.kolumner.setdefault(f"{schema}.{table}", set()).add(column)

    def finns(self, tabell: str, kolumner: Sequence[str] = ()) -> bool:
        have = self.kolumner.get(tabell)
        return have is not None and set(kolumner) <= have

    def tom(self, tabell: str) -> bool:
        """True when `tabell` has no rows (a forecast mart before its input was delivered)."""
        return self.con.execute(f"select count(*) = 0 from {tabell}").fetchone()[0]

    def har_kolumn(self, tabell: str, kolumn: str) -> bool:
        return kolumn in self.kolumner.get(tabell, set())

    def rader(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def rad(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self.rader(sql, params)
        return rows[0] if rows else None


def _period_text(period: str) -> str:
    ar, manad = int(period[:4]), int(period[5:7])
    if manad == 1:
        return f"januari {ar}"
    return f"januari–{MANADER[manad - 1]} {ar}"


def _tal(value: Any) -> Any:
    """A number stored as text (a setting) becomes a Decimal; other values pass through."""
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except ArithmeticError:
            return None
    return value


def helarsljus(helarsavvikelse: Any) -> str:
    """gron when the year is forecast within budget (helårsavvikelse ≥ 0), rod below, gra none."""
    if helarsavvikelse is None:
        return "gra"
    return "gron" if helarsavvikelse >= 0 else "rod"


# --------------------------------------------------------------------------------------------
# Sections


def _kontrollera_period(lager: _Lager, period: str) -> None:
    if not lager.finns("marts.budgetavvikelse", ["period"]):
        raise ValueError(
            "Det publicerade lagret saknar marts.budgetavvikelse; kör 'styrhjul refresh' först."
        )
    row = lager.rad(
        "select max(period) as senaste, count(*) filter (where period = ?) as antal "
        "from marts.budgetavvikelse",
        [period],
    )
    if row is None or row["senaste"] is None:
        raise ValueError("Det publicerade lagret innehåller inga perioder i marts.budgetavvikelse.")
    if row["antal"] == 0:
        raise ValueError(
            f"Perioden {period} finns inte i det publicerade lagret; "
            f"senaste period är {row['senaste']}."
        )


def _kommun_namn(lager: _Lager) -> str:
    if lager.finns("raw.installningar", ["parameter", "varde"]):
        row = lager.rad(
            "select varde from raw.installningar where parameter = 'kommun.namn' limit 1"
        )
        if row and row["varde"]:
            return str(row["varde"])
    return "Kommunen"


def _korning(lager: _Lager) -> dict[str, Any]:
    if lager.finns("raw.korningar", ["run_id", "period", "startad"]):
        row = lager.rad(
            "select run_id, period, startad from raw.korningar order by startad desc limit 1"
        )
        if row:
            return row
    return {"run_id": None, "period": None, "startad": None}


def _periodstatus(lager: _Lager, period: str) -> str | None:
    if not lager.finns("marts.perioder", ["period", "status", "stangd_tid"]):
        return None
    versioner = lager.har_kolumn("marts.perioder", "versioner")
    row = lager.rad(
        f"select status, stangd_tid{', versioner' if versioner else ''} "
        "from marts.perioder where period = ?",
        [period],
    )
    if not row or not row["status"]:
        return None
    if row["status"] == "stangd" and row["stangd_tid"] is not None:
        text = f"{labels.label('periodstatus', 'stangd')} {row['stangd_tid']:%Y-%m-%d}"
        if (row.get("versioner") or 0) > 1:
            # Current figures differ from what was reported; the reported ones are kept.
            text += (
                f"; rättad efter stängningen (version {row['versioner']}), de rapporterade "
                "siffrorna finns i marts.budgetavvikelse_rapporterad"
            )
        return text
    return labels.label("periodstatus", str(row["status"]))


def _atgardsstatus_per_namnd(lager: _Lager, period: str) -> dict[str, str]:
    if not lager.finns("marts.atgardsplan", ["namnd", "period", "status"]):
        return {}
    rows = lager.rader(
        "select namnd, status from marts.atgardsplan where period = ? and status is not null",
        [period],
    )
    return {r["namnd"]: r["status"] for r in rows}


def _sammanfattning(
    lager: _Lager, period: str, namnder: Avsnitt, atgardsplaner: Avsnitt, rr: Avsnitt
) -> tuple[list[Post], list[str]]:
    poster: list[Post] = []
    text: list[str] = []
    kommun = lager.rad(
        """
        select org_namn, utfall_ack, budget_ack, avvikelse_ack, arsbudget, helarsprognos,
               helarsprognos_kalla, helarsavvikelse
        from marts.budgetavvikelse
        where niva = 'kommun' and period = ?
        limit 1
        """,
        [period],
    )
    if kommun is None:
        text.append("Kommunnivån saknas för perioden i marts.budgetavvikelse.")
    else:
        kalla = kommun["helarsprognos_kalla"]
        poster += [
            Post("Utfall ackumulerat", kommun["utfall_ack"], KR),
            Post("Budget ackumulerad", kommun["budget_ack"], KR),
            Post("Avvikelse ackumulerad", kommun["avvikelse_ack"], AVVIKELSE),
            Post("Årsbudget", kommun["arsbudget"], KR),
            Post(
                "Helårsprognos",
                kommun["helarsprognos"],
                KR,
                kommentar=f"källa: {labels.label('helarsprognos_kalla', kalla)}" if kalla else None,
            ),
            Post(
                "Helårsavvikelse",
                kommun["helarsavvikelse"],
                AVVIKELSE,
                ljus=helarsljus(kommun["helarsavvikelse"]),
            ),
        ]

    if atgardsplaner.finns and lager.finns("marts.atgardsplan", ["period", "flagga"]):
        flaggade = lager.rad(
            "select count(*) filter (where flagga) as antal, count(*) as av "
            "from marts.atgardsplan where period = ?",
            [period],
        )
        poster.append(
            Post(
                "Nämnder med åtgärdsplansflagga",
                flaggade["antal"],
                HELTAL,
                ljus="rod" if flaggade["antal"] else "gron",
                kommentar=f"av {flaggade['av']} nämnder",
            )
        )

    if rr.visa_tabell:
        prognos = rr.extra["helarsprognos_arets_resultat"]
        andel, mal = rr.extra["resultatandel_prognos"], rr.extra["resultatandel_mal"]
        poster.append(Post("Årets resultat, helårsprognos", prognos, KR))
        ljus = None
        if andel is not None and mal is not None:
            ljus = "gron" if float(andel) >= float(mal) else "rod"
        poster.append(
            Post(
                "Resultatandel, helårsprognos",
                andel,
                ANDEL,
                ljus=ljus,
                kommentar=None if mal is None else f"mål {format_procent(mal)}",
            )
        )

    negativa = [r for r in namnder.rader if r["helarsavvikelse"] is not None]
    negativa = sorted(
        (r for r in negativa if r["helarsavvikelse"] < 0), key=lambda r: r["helarsavvikelse"]
    )
    if negativa:
        delar = ", ".join(
            f"{r['org_namn']} ({format_mnkr(r['helarsavvikelse'], tecken=True)} mnkr)"
            for r in negativa
        )
        text.append(f"Nämnder med negativ helårsavvikelse: {delar}.")
    elif namnder.rader:
        text.append("Ingen nämnd har negativ helårsavvikelse i helårsprognosen.")
    krav = [r["namnd_namn"] for r in atgardsplaner.rader if r.get("flagga")]
    if krav:
        text.append(f"Åtgärdsplan krävs eller pågår för: {', '.join(krav)}.")
    return poster, text


NIVA_KOLUMNER = [
    Kolumn("budget_ack", "Budget ack", KR),
    Kolumn("utfall_ack", "Utfall ack", KR),
    Kolumn("avvikelse_ack", "Avvikelse ack", AVVIKELSE),
    Kolumn("arsbudget", "Årsbudget", KR),
    Kolumn("helarsprognos", "Helårsprognos", KR),
    Kolumn("helarsprognos_kalla", "Prognoskälla", TEXT, koder="helarsprognos_kalla"),
    Kolumn("helarsprognos_budgetbaserad", "Prognos budgetbaserad", KR),
    Kolumn("helarsprognos_takt", "Prognos takt", KR),
    Kolumn("helarsavvikelse", "Helårsavvikelse", AVVIKELSE),
    Kolumn("trafikljus", "Trafikljus", LJUS),
]

NIVA_SQL = """
    select org, org_namn, namnd, budget_ack, utfall_ack, avvikelse_ack, arsbudget,
           helarsprognos, helarsprognos_kalla, helarsprognos_budgetbaserad, helarsprognos_takt,
           helarsavvikelse
    from marts.budgetavvikelse
    where niva = ? and period = ?
    order by org
"""


def _namnder(lager: _Lager, period: str, status: dict[str, str]) -> Avsnitt:
    rader = lager.rader(NIVA_SQL, ["namnd", period])
    for r in rader:
        r["trafikljus"] = helarsljus(r["helarsavvikelse"])
        r["atgardsplan_status"] = status.get(r["org"])
    kolumner = [Kolumn("org_namn", "Nämnd"), *NIVA_KOLUMNER]
    if status:
        kolumner.append(Kolumn("atgardsplan_status", "Åtgärdsplan", koder="atgardsplan_status"))
    return Avsnitt(
        id="namnder",
        rubrik="Budgetavvikelse per nämnd",
        blad="Nämnder",
        kolumner=kolumner,
        rader=rader,
        meddelande=None if rader else "Inga nämnder i lagret för perioden.",
        beskrivning="Avvikelse = budget − utfall på nettokostnad; positiv avvikelse är ett "
        "överskott. Helårsavvikelse = årsbudget − helårsprognos. Trafikljus: grön när "
        "helårsavvikelsen är noll eller positiv, röd när den är negativ.",
        kalla="marts.budgetavvikelse",
    )


def _forvaltningar(lager: _Lager, period: str, status: dict[str, str]) -> Avsnitt:
    rader = lager.rader(NIVA_SQL, ["forvaltning", period])
    namn = {
        r["org"]: r["org_namn"]
        for r in lager.rader(
            "select org, org_namn from marts.budgetavvikelse where niva = 'namnd' and period = ?",
            [period],
        )
    }
    for r in rader:
        r["trafikljus"] = helarsljus(r["helarsavvikelse"])
        r["namnd_namn"] = namn.get(r["namnd"], r["namnd"])
        r["atgardsplan_status"] = status.get(r["namnd"])
    kolumner = [Kolumn("org_namn", "Förvaltning"), Kolumn("namnd_namn", "Nämnd"), *NIVA_KOLUMNER]
    if status:
        kolumner.append(
            Kolumn("atgardsplan_status", "Nämndens åtgärdsplan", koder="atgardsplan_status")
        )
    return Avsnitt(
        id="forvaltningar",
        rubrik="Budgetavvikelse per förvaltning",
        blad="Förvaltningar",
        kolumner=kolumner,
        rader=rader,
        meddelande=None if rader else "Inga förvaltningar i lagret för perioden.",
        beskrivning="Förvaltningen bereder nämndens åtgärdsplan; nämndens status visas här.",
        kalla="marts.budgetavvikelse",
    )


ATGARD_KOLUMNER = [
    "namnd",
    "namnd_namn",
    "period",
    "flagga",
    "status",
    "helarsavvikelse",
    "forsta_flaggade_period",
    "manader_sedan_flagga",
    "atgardsplan_beslutsdatum",
    "atgardsplan_diarienummer",
]


def _atgardsplaner(lager: _Lager, period: str) -> Avsnitt:
    avsnitt = Avsnitt(
        id="atgardsplaner",
        rubrik="Åtgärdsplaner",
        blad="Åtgärdsplaner",
        kolumner=[
            Kolumn("namnd_namn", "Nämnd"),
            Kolumn("trafikljus", "Trafikljus", LJUS),
            Kolumn("status", "Status", koder="atgardsplan_status"),
            Kolumn("helarsavvikelse", "Helårsavvikelse", AVVIKELSE),
            Kolumn("forsta_flaggade_period", "Flaggad från"),
            Kolumn("manader_sedan_flagga", "Månader sedan flagga", HELTAL),
            Kolumn("atgardsplan_beslutsdatum", "Plan beslutad", DATUM),
            Kolumn("atgardsplan_diarienummer", "Diarienummer"),
        ],
        beskrivning="Vid negativ budgetavvikelse ska nämnden snarast besluta om en åtgärdsplan. "
        "Status: ny, kräver åtgärdsplan, försenad (ingen plan inom den tillåtna tiden), "
        "beslutad, åtgärdad (avvikelsen är inte längre negativ).",
        kalla="marts.atgardsplan",
    )
    if not lager.finns("marts.atgardsplan", ATGARD_KOLUMNER):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    avsnitt.rader = lager.rader(
        f"""
        select {", ".join(ATGARD_KOLUMNER)}
        from marts.atgardsplan
        where period = ? and (coalesce(flagga, false) or status is not null)
        order by namnd
        """,
        [period],
    )
    for r in avsnitt.rader:
        r["trafikljus"] = STATUS_LJUS.get(r["status"], "gra")
    if not avsnitt.rader:
        avsnitt.meddelande = "Ingen nämnd är flaggad för åtgärdsplan denna period."
    return avsnitt


# Optional sections ---------------------------------------------------------------------------

RR_RADER = [
    # (column, label, sign when shown: +1 as is, -1 costs shown negative)
    ("verksamhetens_intakter", "Verksamhetens intäkter", 1),
    ("verksamhetens_kostnader", "Verksamhetens kostnader", -1),
    ("avskrivningar", "Avskrivningar", -1),
    ("verksamhetens_nettokostnad", "Verksamhetens nettokostnad", -1),
    ("skatteintakter", "Skatteintäkter", 1),
    ("generella_statsbidrag", "Generella statsbidrag och utjämning", 1),
    ("verksamhetens_resultat", "Verksamhetens resultat", 1),
    ("finansnetto", "Finansnetto", 1),
    ("arets_resultat", "Årets resultat", 1),
]
RR_PROGNOS = ["helarsprognos_arets_resultat", "resultatandel_prognos", "resultatandel_mal"]


def _resultatrakning(lager: _Lager, period: str) -> Avsnitt:
    avsnitt = Avsnitt(
        id="resultatrakning",
        rubrik="Resultaträkning",
        blad="Resultaträkning",
        kolumner=[Kolumn("post", "Post"), Kolumn("belopp", "Utfall ack", KR)],
        beskrivning="Kommunens resultaträkning, ackumulerat utfall för perioden och "
        "helårsprognos där resultaträkningen har en. Kostnader visas med minustecken.",
        kalla="marts.resultatrakning",
    )
    kolumner = ["period", *(c for c, _, _ in RR_RADER), *RR_PROGNOS]
    if not lager.finns("marts.resultatrakning", kolumner):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    prognoser = [
        f"helarsprognos_{c}"
        for c, _, _ in RR_RADER
        if f"helarsprognos_{c}" not in RR_PROGNOS
        and lager.har_kolumn("marts.resultatrakning", f"helarsprognos_{c}")
    ]
    kolumner += prognoser
    if prognoser or lager.har_kolumn("marts.resultatrakning", "helarsprognos_arets_resultat"):
        avsnitt.kolumner.append(Kolumn("helarsprognos", "Helårsprognos", KR))
    row = lager.rad(
        f"select {', '.join(kolumner)} from marts.resultatrakning where period = ? limit 1",
        [period],
    )
    if row is None:
        avsnitt.meddelande = f"Resultaträkningen saknar perioden {period}."
        return avsnitt
    for kolumn, rubrik, tecken in RR_RADER:
        varde = row[kolumn]
        prognos = row.get(f"helarsprognos_{kolumn}")
        avsnitt.rader.append(
            {
                "post": rubrik,
                "belopp": None if varde is None else varde * tecken,
                "helarsprognos": None if prognos is None else _tal(prognos) * tecken,
            }
        )
    avsnitt.extra = {kolumn: _tal(row[kolumn]) for kolumn in RR_PROGNOS}
    avsnitt.nyckeltal = [
        Post("Årets resultat, helårsprognos", avsnitt.extra["helarsprognos_arets_resultat"], KR),
        Post("Resultatandel, helårsprognos", avsnitt.extra["resultatandel_prognos"], ANDEL),
        Post("Resultatandel, mål", avsnitt.extra["resultatandel_mal"], ANDEL),
    ]
    return avsnitt


def _statistisk_prognos(lager: _Lager, period: str) -> Avsnitt:
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


def _maluppfyllelse(lager: _Lager, period: str) -> Avsnitt:
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


def _langtidsprognos(lager: _Lager, period: str) -> Avsnitt:
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


def _prognosprecision(lager: _Lager) -> Avsnitt:
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


def _intern_kontroll(lager: _Lager, period: str) -> Avsnitt:
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


def _valfritt(bygg, *args) -> Avsnitt:
    """Build an optional section; a query error on an unexpected mart shape skips it."""
    try:
        return bygg(*args)
    except duckdb.Error as exc:
        log.warning("Rapportavsnittet %s hoppas över: %s", bygg.__name__, exc)
        avsnitt = bygg(_TomtLager(), *args[1:])
        return avsnitt


class _TomtLager(_Lager):
    """A warehouse with nothing in it: gives an optional section its 'missing' shape."""

    def __init__(self):
        self.con = None
        self.kolumner = {}


# --------------------------------------------------------------------------------------------
# Formatting shared by the renderers


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _gruppera(heltal: str) -> str:
    delar = []
    while len(heltal) > 3:
        delar.insert(0, heltal[-3:])
        heltal = heltal[:-3]
    delar.insert(0, heltal)
    return " ".join(delar)


def format_tal(value: Any, decimaler: int = 1, tecken: bool = False) -> str:
    """Swedish number: space thousands, decimal comma, minus sign (−); '–' when missing."""
    if value is None:
        return "–"
    d = _decimal(value).quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)
    text = f"{abs(d):.{decimaler}f}"
    heltal, _, decimal = text.partition(".")
    kropp = _gruppera(heltal) + (f",{decimal}" if decimal else "")
    if d < 0:
        return "−" + kropp
    return ("+" if tecken and d > 0 else "") + kropp


def format_mnkr(kronor: Any, tecken: bool = False) -> str:
    """Kronor as mnkr with one decimal: 1234567 → '1,2'."""
    if kronor is None:
        return "–"
    return format_tal(_decimal(kronor) / 1_000_000, 1, tecken)


def format_procent(andel: Any, decimaler: int = 1) -> str:
    """A ratio as a percentage: 0.0234 → '2,3 %'."""
    if andel is None:
        return "–"
    return f"{format_tal(_decimal(andel) * 100, decimaler)} %"


# --------------------------------------------------------------------------------------------


def las_rapport(ws: Workspace, period: str) -> Rapport:
    """Everything the report shows for `period`, read from the published warehouse."""
    con = open_published(ws)
    try:
        lager = _Lager(con)
        _kontrollera_period(lager, period)
        status = _atgardsstatus_per_namnd(lager, period)
        namnder = _namnder(lager, period, status)
        forvaltningar = _forvaltningar(lager, period, status)
        atgardsplaner = _valfritt(_atgardsplaner, lager, period)
        rr = _valfritt(_resultatrakning, lager, period)
        avsnitt = [
            namnder,
            forvaltningar,
            atgardsplaner,
            rr,
            _valfritt(_statistisk_prognos, lager, period),
            _valfritt(_prognosprecision, lager),
            _valfritt(_maluppfyllelse, lager, period),
            _valfritt(_langtidsprognos, lager, period),
            _valfritt(_intern_kontroll, lager, period),
        ]
        poster, text = _sammanfattning(lager, period, namnder, atgardsplaner, rr)
        korning = _korning(lager)
        return Rapport(
            kommun=_kommun_namn(lager),
            period=period,
            period_text=_period_text(period),
            publicerad=datetime.fromtimestamp(ws.published_db.stat().st_mtime),
            skapad=datetime.now().replace(microsecond=0),
            run_id=korning["run_id"],
            korning_period=korning["period"],
            korning_startad=korning["startad"],
            periodstatus=_periodstatus(lager, period),
            sammanfattning=poster,
            sammanfattning_text=text,
            avsnitt=avsnitt,
        )
    finally:
        con.close()
