"""The demo municipality's organisation: nämnder, förvaltningar and ansvar, effective-dated.

Shaped like Jönköping (docs/rules.md): twelve nämnder besides kommunstyrelsen, eight
förvaltningar, plus the pseudo-nämnd FIN (Finansförvaltningen, under stadskontoret) carrying
skatteintäkter, statsbidrag, finansnetto and pension items. One reorganisation: on 2025-01-01
Individ- och familjeomsorgsnämnden (IFO) merges into Socialnämnden (SOC); its ansvar keep their
codes, so the ledger's history stays comparable, and get a new register row from that date.

Two changes within the current year, dated by their register rows alone (no giltig_tom: the
next row for the ansvar ends the previous one): on 1 May Friluftsliv och naturreservat moves from
Tekniska nämnden to Kultur- och fritidsnämnden, and on 1 July Stadsbyggnadsnämnden gets a new
unit, Bostadsförsörjning, which has no ledger or budget before then.

`scale` sets how many ansvar each nämnd gets (scale 1: about 200 in all); the units selling
internal services and FIN's three ansvar are always present.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

FORVALTNINGAR: dict[str, str] = {
    "STK": "Stadskontoret",
    "UTBF": "Utbildningsförvaltningen",
    "SBK": "Stadsbyggnadskontoret",
    "TEK": "Tekniska kontoret",
    "MHK": "Miljö- och hälsoskyddskontoret",
    "SOCF": "Socialförvaltningen",
    "AEF": "Äldreförvaltningen",
    "KOF": "Kultur- och fritidsförvaltningen",
}


@dataclass(frozen=True)
class Namnd:
    code: str
    name: str
    forvaltning: str
    prefix: int  # first two digits of the nämnd's ansvar codes


NAMNDER: dict[str, Namnd] = {
    n.code: n
    for n in (
        Namnd("KS", "Kommunstyrelsen", "STK", 10),
        Namnd("BUN", "Barn- och utbildningsnämnden", "UTBF", 20),
        Namnd("UAN", "Utbildnings- och arbetsmarknadsnämnden", "UTBF", 30),
        Namnd("SBN", "Stadsbyggnadsnämnden", "SBK", 40),
        Namnd("TN", "Tekniska nämnden", "TEK", 45),
        Namnd("MHN", "Miljö- och hälsoskyddsnämnden", "MHK", 48),
        Namnd("SOC", "Socialnämnden", "SOCF", 50),
        Namnd("IFO", "Individ- och familjeomsorgsnämnden", "SOCF", 55),
        Namnd("AEN", "Äldrenämnden", "AEF", 60),
        Namnd("KFN", "Kultur- och fritidsnämnden", "KOF", 70),
        Namnd("VALN", "Valnämnden", "STK", 80),
        Namnd("OFN", "Överförmyndarnämnden", "STK", 81),
        Namnd("KRIS", "Krisledningsnämnden", "STK", 82),
        Namnd("FIN", "Finansförvaltningen", "STK", 90),
    )
}

REGISTER_START = date(2022, 1, 1)
REORGANISATION = date(2025, 1, 1)
MERGED_NAMND, ABSORBING_NAMND = "IFO", "SOC"

PLACES = (
    "Centrum",
    "Öster",
    "Väster",
    "Huskvarna",
    "Bankeryd",
    "Norrahammar",
    "Tenhult",
    "Gränna",
    "Taberg",
    "Råslätt",
    "Öxnehaga",
    "Ekhagen",
    "Österängen",
    "Torpa",
    "Tokarp",
    "Bymarken",
    "Dalvik",
    "Kålgården",
    "Ljungarum",
    "Egnahem",
    "Hovslätt",
    "Lekeryd",
    "Visingsö",
    "Barnarp",
    "Kaxholmen",
    "Strömsberg",
    "Mariebo",
    "Skänkeberg",
    "Västra Torp",
    "Jutarum",
    "Hisingstorp",
    "Rosenlund",
    "Vättersnäs",
    "Tormenås",
    "Gräshagen",
    "Attarp",
    "Kortebo",
    "Lockebo",
)


@dataclass(frozen=True)
class Template:
    """A unit template: name, profile, relative size, verksamhetsområde."""

    name: str
    profile: str
    weight: float
    area: str


def _place(i: int) -> str:
    return PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else f" {i // len(PLACES) + 1}")


def _interleave(*groups: list[Template]) -> list[Template]:
    out: list[Template] = []
    longest = max(len(g) for g in groups)
    for i in range(longest):
        for g in groups:
            if i < len(g):
                out.append(g[i])
    return out


def _templates() -> dict[str, list[Template]]:
    """Per nämnd, the unit templates in the order they are taken as scale grows."""
    bun_fsk = [
        Template(f"Förskoleområde {_place(i)}", "forskola", 2.0, "Förskola") for i in range(22)
    ]
    bun_gsk = [
        Template(f"Grundskola {_place(i + 3)}", "grundskola", 2.8, "Grundskola") for i in range(26)
    ]
    bun_anp = [
        Template(f"Anpassad grundskola {o}", "anpassad", 1.3, "Anpassad grundskola")
        for o in ("Öster", "Väster", "Huskvarna")
    ]
    sabo = [
        Template(f"{_place(i + 2)} äldreboende", "sabo", 4.0, "Särskilt boende") for i in range(16)
    ]
    home_care = [
        Template(f"Hemtjänst {_place(i)}", "hemtjanst", 3.0, "Hemtjänst") for i in range(12)
    ]
    lss = [
        Template(f"LSS-boende {_place(i + 4)}", "lss_boende", 3.0, "Funktionsstöd")
        for i in range(8)
    ]
    daily = [
        Template(f"Daglig verksamhet {_place(i)}", "daglig", 2.5, "Funktionsstöd") for i in range(4)
    ]
    return {
        "KS": [
            Template("Stadskontoret ledning", "ledning", 3.0, "Ledning och stöd KS"),
            Template("IT-avdelningen", "it_saljare", 0.0, "IT och digitalisering"),
            Template("Räddningstjänsten", "raddning", 8.0, "Räddningstjänst"),
            Template("Ekonomiavdelningen", "stab", 2.0, "Ledning och stöd KS"),
            Template("HR-avdelningen", "stab", 2.5, "Ledning och stöd KS"),
            Template("Kommunikation och medborgarservice", "stab", 2.0, "Ledning och stöd KS"),
            Template("Näringsliv och turism", "naringsliv", 2.0, "Näringsliv"),
            Template("Kommunfullmäktige och partistöd", "kf", 1.0, "Politisk verksamhet"),
            Template("Kansli och juridik", "stab", 1.5, "Ledning och stöd KS"),
            Template("Säkerhet och beredskap", "beredskap", 0.8, "Räddningstjänst"),
            Template("Upphandlingsenheten", "stab", 1.0, "Ledning och stöd KS"),
            Template("Revisionen", "revision", 0.6, "Politisk verksamhet"),
            Template("Räddningstjänsten Huskvarna", "raddning", 2.0, "Räddningstjänst"),
            Template("Hållbar utveckling", "stab", 1.5, "Ledning och stöd KS"),
        ],
        "BUN": [
            Template("Barn och utbildning gemensamt", "bun_central", 30.0, "Ledning och köp BUN")
        ]
        + _interleave(bun_fsk, bun_gsk, bun_anp),
        "UAN": [
            Template(
                "Gymnasie- och vuxenutbildning gemensamt",
                "uan_central",
                30.0,
                "Ledning och köp UAN",
            ),
            Template("Erik Dahlbergsgymnasiet", "gymnasium", 9.0, "Gymnasieskola"),
            Template("Komvux Jönköping", "vux", 6.0, "Vuxenutbildning"),
            Template("Arbetsmarknadsenheten", "arbetsmarknad", 4.0, "Arbetsmarknad"),
            Template("Per Brahegymnasiet", "gymnasium", 9.0, "Gymnasieskola"),
            Template("Sandagymnasiet", "gymnasium", 8.0, "Gymnasieskola"),
            Template("Bäckadalsgymnasiet", "gymnasium", 8.0, "Gymnasieskola"),
            Template("Anpassad gymnasieskola", "anpassad_gy", 3.0, "Gymnasieskola"),
            Template("SFI Jönköping", "vux", 3.0, "Vuxenutbildning"),
            Template("Jobbcentrum", "arbetsmarknad", 3.0, "Arbetsmarknad"),
            Template("Lärcentrum Huskvarna", "vux", 2.0, "Vuxenutbildning"),
            Template("Navigatorcentrum", "arbetsmarknad", 2.0, "Arbetsmarknad"),
            Template("Gymnasiesärskolans träningsprogram", "anpassad_gy", 1.5, "Gymnasieskola"),
            Template("Feriearbete och sommarjobb", "arbetsmarknad", 1.0, "Arbetsmarknad"),
            Template("Yrkeshögskolan", "vux", 1.0, "Vuxenutbildning"),
            Template("Lärcentrum Gränna", "vux", 0.8, "Vuxenutbildning"),
            Template("Introduktionsprogrammen", "gymnasium", 3.0, "Gymnasieskola"),
            Template("Elevhälsa gymnasiet", "gymnasium", 1.5, "Gymnasieskola"),
        ],
        "SBN": [
            Template("Bygglovsavdelningen", "plan", 2.0, "Bygglov och planering"),
            Template("Stadsbyggnadskontoret ledning", "ledning", 1.0, "Bygglov och planering"),
            Template("Detaljplanering", "plan", 2.0, "Bygglov och planering"),
            Template("Översiktlig planering", "plan", 1.2, "Bygglov och planering"),
            Template("Lantmäteri", "plan", 1.5, "Bygglov och planering"),
            Template("Kart och GIS", "plan", 1.0, "Bygglov och planering"),
        ],
        "TN": [
            Template("Lokalförsörjning", "lokal_saljare", 0.0, "Lokalförsörjning"),
            Template("Måltidsservice", "maltid_saljare", 0.0, "Måltidsservice"),
            Template("Gatudrift Öster", "gata", 4.0, "Gata och park"),
            Template("Tekniska kontoret ledning", "ledning", 1.5, "Gata och park"),
            Template("Parkdrift Norr", "park", 2.5, "Gata och park"),
            Template("Gatudrift Väster", "gata", 4.0, "Gata och park"),
            Template("Vinterväghållning", "gata", 3.0, "Gata och park"),
            Template("Trafik och parkering", "gata", 2.0, "Gata och park"),
            Template("Parkdrift Söder", "park", 2.5, "Gata och park"),
            Template("Gatubelysning", "gata", 1.5, "Gata och park"),
            Template("Broar och konstbyggnader", "gata", 1.2, "Gata och park"),
            Template("Naturvård och friluftsliv", "park", 1.2, "Gata och park"),
            Template("Lekplatser", "park", 0.8, "Gata och park"),
            Template("Hamnar och kajer", "gata", 0.6, "Gata och park"),
            Template("Beställarenhet gata", "gata", 1.0, "Gata och park"),
            Template("Exploatering", "gata", 0.8, "Gata och park"),
        ],
        "MHN": [
            Template("Miljöskydd", "miljo", 2.0, "Miljö- och hälsoskydd"),
            Template(
                "Miljö- och hälsoskyddskontoret ledning", "ledning", 0.8, "Miljö- och hälsoskydd"
            ),
            Template("Livsmedelskontroll", "miljo", 1.5, "Miljö- och hälsoskydd"),
            Template("Hälsoskydd", "miljo", 1.2, "Miljö- och hälsoskydd"),
        ],
        "SOC": [Template("Funktionsstöd gemensamt", "soc_central", 14.0, "Funktionsstöd")]
        + _interleave(
            lss,
            daily,
            [
                Template(f"Personlig assistans {o}", "pers_ass", 3.0, "Funktionsstöd")
                for o in ("Norr", "Söder", "Huskvarna")
            ],
            [
                Template(f"Socialpsykiatri {o}", "socialpsyk", 2.0, "Socialpsykiatri")
                for o in ("Öster", "Väster", "Huskvarna")
            ],
            [
                Template(f"Korttidsvistelse {o}", "lss_boende", 1.5, "Funktionsstöd")
                for o in ("Dalvik", "Tenhult")
            ],
            [Template("Ledsagar- och avlösarservice", "pers_ass", 1.0, "Funktionsstöd")],
        ),
        "IFO": [
            Template(
                "Individ- och familjeomsorg gemensamt",
                "ifo_central",
                10.0,
                "Individ- och familjeomsorg",
            ),
            Template("Ekonomiskt bistånd Centrum", "ekbistand", 6.0, "Individ- och familjeomsorg"),
            Template("Barn och unga Öster", "ifo_barn", 4.0, "Individ- och familjeomsorg"),
            Template("Vuxenenheten", "ifo_vuxna", 2.5, "Individ- och familjeomsorg"),
            Template("Barn och unga Väster", "ifo_barn", 4.0, "Individ- och familjeomsorg"),
            Template(
                "Ekonomiskt bistånd Huskvarna", "ekbistand", 5.0, "Individ- och familjeomsorg"
            ),
            Template("Familjehemsenheten", "ifo_barn", 3.0, "Individ- och familjeomsorg"),
            Template("Mottagningsenheten", "familjeratt", 1.5, "Individ- och familjeomsorg"),
            Template("Barn och unga Huskvarna", "ifo_barn", 3.0, "Individ- och familjeomsorg"),
            Template("Missbruksvård öppenvård", "ifo_vuxna", 2.5, "Individ- och familjeomsorg"),
            Template("Ekonomiskt bistånd Öster", "ekbistand", 5.0, "Individ- och familjeomsorg"),
            Template("Familjerätten", "familjeratt", 1.0, "Individ- och familjeomsorg"),
            Template("Boendeenheten", "ifo_vuxna", 1.5, "Individ- och familjeomsorg"),
            Template("Ungdomsenheten", "ifo_barn", 2.0, "Individ- och familjeomsorg"),
        ],
        "AEN": [Template("Äldreomsorg gemensamt", "aen_central", 15.0, "Ledning och köp AEN")]
        + _interleave(
            sabo,
            home_care,
            [
                Template(f"Hemsjukvård {o}", "hemsjukvard", 3.0, "Hemsjukvård")
                for o in ("Norr", "Söder", "Huskvarna")
            ],
            [
                Template(f"Dagverksamhet och anhörigstöd {o}", "dagverk", 1.0, "Hemtjänst")
                for o in ("Centrum", "Huskvarna")
            ],
        ),
        "KFN": [
            Template("Stadsbiblioteket", "bibliotek", 4.0, "Bibliotek och kultur"),
            Template(
                "Kultur- och fritidsförvaltningen ledning", "ledning", 2.0, "Idrott och fritid"
            ),
            Template("Idrott och anläggningar", "idrott", 5.0, "Idrott och fritid"),
            Template("Kulturskolan", "kulturskola", 3.0, "Bibliotek och kultur"),
            Template("Föreningsbidrag", "forening", 3.0, "Idrott och fritid"),
            Template("Rosenlundsbadet", "idrott", 3.0, "Idrott och fritid"),
            Template("Kulturhuset Dalen", "kultur", 2.0, "Bibliotek och kultur"),
            Template("Huskvarna bibliotek", "bibliotek", 1.5, "Bibliotek och kultur"),
            Template("Fritidsgårdar Öster", "fritidsgard", 2.0, "Idrott och fritid"),
            Template("Fritidsgårdar Väster", "fritidsgard", 2.0, "Idrott och fritid"),
            Template("Evenemang och kulturarrangemang", "kultur", 1.5, "Bibliotek och kultur"),
            Template("Närbibliotek", "bibliotek", 1.5, "Bibliotek och kultur"),
        ],
        "VALN": [Template("Valnämnden", "val", 1.0, "Val")],
        "OFN": [
            Template("Överförmyndarkansliet", "ofn", 1.0, "Överförmyndare"),
            Template("Arvoden ställföreträdare", "ofn_arvode", 1.4, "Överförmyndare"),
        ],
        "KRIS": [Template("Krisledningsnämnden", "kris", 1.0, "Krisledning")],
    }


FIN_ANSVAR: tuple[tuple[str, str], ...] = (
    ("90010", "Skatteintäkter och generella statsbidrag"),
    ("90020", "Finansiella intäkter och kostnader"),
    ("90030", "Pensioner och kommungemensamma poster"),
)
FIN_AREA = "Finansförvaltning"


@dataclass(frozen=True)
class Unit:
    """One ansvar of the demo organisation."""

    ansvar: str
    name: str
    namnd: str  # the nämnd the unit belonged to when the ledger starts
    area: str
    profile: str  # key in accounts.PROFILES, or "fin"
    weight: float
    namnd_costs: bool  # carries the nämnd's own arvoden (verksamhet 100)
    start: date | None = None  # first valid day, if the unit starts after the register does
    move: tuple[date, str, str] | None = None  # (from, nämnd, verksamhetsområde) mid-year

    @property
    def forvaltning(self) -> str:
        return NAMNDER[self.namnd].forvaltning

    def namnd_in_year(self, year: int) -> str:
        """The nämnd whose budget the unit's rows of a year belong to: the one on 1 January
        (after the reorganisation IFO is SOC), or on the unit's first day if it starts later."""
        if self.namnd == MERGED_NAMND and year >= REORGANISATION.year:
            return ABSORBING_NAMND
        if self.move and date(year, 1, 1) >= self.move[0]:
            return self.move[1]
        return self.namnd

    def namnd_in_month(self, year: int, month: int) -> str:
        """The nämnd on the first day of a month: the month's utfall and budget count there."""
        if self.move and date(year, month, 1) >= self.move[0]:
            return self.move[1]
        return self.namnd_in_year(year)

    def exists(self, year: int, month: int) -> bool:
        """Whether the unit is valid on the first day of the month."""
        return self.start is None or date(year, month, 1) >= self.start


# The current year's two changes, present at every scale. Their codes (x999) lie above any
# code a nämnd's templates get (at most 999 // n × n for n units).
MOVING_ANSVAR, MOVING_FROM, MOVING_TO = "45999", "TN", "KFN"
NEW_ANSVAR, NEW_NAMND = "40999", "SBN"


def move_date(year: int) -> date:
    return date(year, 5, 1)


def new_unit_date(year: int) -> date:
    return date(year, 7, 1)


def build_units(
    scale: float, rng: np.random.Generator, current_year: int | None = None
) -> list[Unit]:
    """The ansvar for a scale: per nämnd the first max(1, round(n × scale)) templates, plus
    (with `current_year`) the unit moving on 1 May and the unit starting on 1 July of that year."""
    units: list[Unit] = []
    for code, templates in _templates().items():
        sellers = sum(1 for m in templates if m.weight == 0.0)
        n_units = max(round(len(templates) * scale), sellers + 1)
        chosen = [templates[i % len(templates)] for i in range(n_units)]
        step = max(1, min(10, 999 // n_units))
        first_ordinary = True
        for i, template in enumerate(chosen):
            lap = i // len(templates)
            if lap > 0 and template.weight == 0.0:
                continue  # one seller per internal service, whatever the scale
            name = template.name if lap == 0 else f"{template.name} {lap + 1}"
            weight = template.weight * float(rng.lognormal(0.0, 0.15)) if template.weight else 0.0
            units.append(
                Unit(
                    ansvar=f"{NAMNDER[code].prefix}{(i + 1) * step:03d}",
                    name=name,
                    namnd=code,
                    area=template.area,
                    profile=template.profile,
                    weight=weight,
                    namnd_costs=first_ordinary and template.weight > 0,
                )
            )
            if template.weight > 0:
                first_ordinary = False
    if current_year is not None:
        units.append(
            Unit(
                MOVING_ANSVAR,
                "Friluftsliv och naturreservat",
                MOVING_FROM,
                "Gata och park",
                "park",
                2.0 * float(rng.lognormal(0.0, 0.15)),
                False,
                move=(move_date(current_year), MOVING_TO, "Idrott och fritid"),
            )
        )
        units.append(
            Unit(
                NEW_ANSVAR,
                "Bostadsförsörjning",
                NEW_NAMND,
                "Bygglov och planering",
                "plan",
                1.5 * float(rng.lognormal(0.0, 0.15)),
                False,
                start=new_unit_date(current_year),
            )
        )
    for ansvar, name in FIN_ANSVAR:
        units.append(Unit(ansvar, name, "FIN", FIN_AREA, "fin", 0.0, False))
    return units


ORG_COLUMNS = (
    "ansvar",
    "ansvar_namn",
    "forvaltning",
    "forvaltning_namn",
    "namnd",
    "namnd_namn",
    "verksamhetsomrade",
    "giltig_from",
    "giltig_tom",
)


def organisation_rows(units: list[Unit]) -> list[list[str]]:
    """The effective-dated register: one row per ansvar, two for those the merger or the
    current year's move moved."""
    rows: list[list[str]] = []

    def row(
        e: Unit, namnd: str, valid_from: date, valid_to: date | None, area: str | None = None
    ) -> list[str]:
        forvaltning = NAMNDER[namnd].forvaltning
        return [
            e.ansvar,
            e.name,
            forvaltning,
            FORVALTNINGAR[forvaltning],
            namnd,
            NAMNDER[namnd].name,
            area or e.area,
            valid_from.isoformat(),
            valid_to.isoformat() if valid_to else "",
        ]

    for e in units:
        if e.namnd == MERGED_NAMND:
            rows.append(row(e, MERGED_NAMND, REGISTER_START, date(2024, 12, 31)))
            rows.append(row(e, ABSORBING_NAMND, REORGANISATION, None))
        elif e.move:
            # No giltig_tom on purpose: the later row ends the earlier one.
            rows.append(row(e, e.namnd, REGISTER_START, None))
            rows.append(row(e, e.move[1], e.move[0], None, e.move[2]))
        else:
            rows.append(row(e, e.namnd, e.start or REGISTER_START, None))
    rows.sort(key=lambda r: (r[0], r[7]))
    return rows
