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
    kod: str
    namn: str
    forvaltning: str
    prefix: int  # first two digits of the nämnd's ansvar codes


NAMNDER: dict[str, Namnd] = {
    n.kod: n
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
SAMMANSLAGEN, UPPTAGANDE = "IFO", "SOC"

ORTER = (
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
class Mall:
    """A unit template: name, profile, relative size, verksamhetsområde."""

    namn: str
    profil: str
    vikt: float
    omrade: str


def _ort(i: int) -> str:
    return ORTER[i % len(ORTER)] + ("" if i < len(ORTER) else f" {i // len(ORTER) + 1}")


def _interleave(*groups: list[Mall]) -> list[Mall]:
    out: list[Mall] = []
    longest = max(len(g) for g in groups)
    for i in range(longest):
        for g in groups:
            if i < len(g):
                out.append(g[i])
    return out


def _mallar() -> dict[str, list[Mall]]:
    """Per nämnd, the unit templates in the order they are taken as scale grows."""
    bun_fsk = [Mall(f"Förskoleområde {_ort(i)}", "forskola", 2.0, "Förskola") for i in range(22)]
    bun_gsk = [
        Mall(f"Grundskola {_ort(i + 3)}", "grundskola", 2.8, "Grundskola") for i in range(26)
    ]
    bun_anp = [
        Mall(f"Anpassad grundskola {o}", "anpassad", 1.3, "Anpassad grundskola")
        for o in ("Öster", "Väster", "Huskvarna")
    ]
    sabo = [Mall(f"{_ort(i + 2)} äldreboende", "sabo", 4.0, "Särskilt boende") for i in range(16)]
    hemtj = [Mall(f"Hemtjänst {_ort(i)}", "hemtjanst", 3.0, "Hemtjänst") for i in range(12)]
    lss = [Mall(f"LSS-boende {_ort(i + 4)}", "lss_boende", 3.0, "Funktionsstöd") for i in range(8)]
    daglig = [
        Mall(f"Daglig verksamhet {_ort(i)}", "daglig", 2.5, "Funktionsstöd") for i in range(4)
    ]
    return {
        "KS": [
            Mall("Stadskontoret ledning", "ledning", 3.0, "Ledning och stöd KS"),
            Mall("IT-avdelningen", "it_saljare", 0.0, "IT och digitalisering"),
            Mall("Räddningstjänsten", "raddning", 8.0, "Räddningstjänst"),
            Mall("Ekonomiavdelningen", "stab", 2.0, "Ledning och stöd KS"),
            Mall("HR-avdelningen", "stab", 2.5, "Ledning och stöd KS"),
            Mall("Kommunikation och medborgarservice", "stab", 2.0, "Ledning och stöd KS"),
            Mall("Näringsliv och turism", "naringsliv", 2.0, "Näringsliv"),
            Mall("Kommunfullmäktige och partistöd", "kf", 1.0, "Politisk verksamhet"),
            Mall("Kansli och juridik", "stab", 1.5, "Ledning och stöd KS"),
            Mall("Säkerhet och beredskap", "beredskap", 0.8, "Räddningstjänst"),
            Mall("Upphandlingsenheten", "stab", 1.0, "Ledning och stöd KS"),
            Mall("Revisionen", "revision", 0.6, "Politisk verksamhet"),
            Mall("Räddningstjänsten Huskvarna", "raddning", 2.0, "Räddningstjänst"),
            Mall("Hållbar utveckling", "stab", 1.5, "Ledning och stöd KS"),
        ],
        "BUN": [Mall("Barn och utbildning gemensamt", "bun_central", 30.0, "Ledning och köp BUN")]
        + _interleave(bun_fsk, bun_gsk, bun_anp),
        "UAN": [
            Mall(
                "Gymnasie- och vuxenutbildning gemensamt",
                "uan_central",
                30.0,
                "Ledning och köp UAN",
            ),
            Mall("Erik Dahlbergsgymnasiet", "gymnasium", 9.0, "Gymnasieskola"),
            Mall("Komvux Jönköping", "vux", 6.0, "Vuxenutbildning"),
            Mall("Arbetsmarknadsenheten", "arbetsmarknad", 4.0, "Arbetsmarknad"),
            Mall("Per Brahegymnasiet", "gymnasium", 9.0, "Gymnasieskola"),
            Mall("Sandagymnasiet", "gymnasium", 8.0, "Gymnasieskola"),
            Mall("Bäckadalsgymnasiet", "gymnasium", 8.0, "Gymnasieskola"),
            Mall("Anpassad gymnasieskola", "anpassad_gy", 3.0, "Gymnasieskola"),
            Mall("SFI Jönköping", "vux", 3.0, "Vuxenutbildning"),
            Mall("Jobbcentrum", "arbetsmarknad", 3.0, "Arbetsmarknad"),
            Mall("Lärcentrum Huskvarna", "vux", 2.0, "Vuxenutbildning"),
            Mall("Navigatorcentrum", "arbetsmarknad", 2.0, "Arbetsmarknad"),
            Mall("Gymnasiesärskolans träningsprogram", "anpassad_gy", 1.5, "Gymnasieskola"),
            Mall("Feriearbete och sommarjobb", "arbetsmarknad", 1.0, "Arbetsmarknad"),
            Mall("Yrkeshögskolan", "vux", 1.0, "Vuxenutbildning"),
            Mall("Lärcentrum Gränna", "vux", 0.8, "Vuxenutbildning"),
            Mall("Introduktionsprogrammen", "gymnasium", 3.0, "Gymnasieskola"),
            Mall("Elevhälsa gymnasiet", "gymnasium", 1.5, "Gymnasieskola"),
        ],
        "SBN": [
            Mall("Bygglovsavdelningen", "plan", 2.0, "Bygglov och planering"),
            Mall("Stadsbyggnadskontoret ledning", "ledning", 1.0, "Bygglov och planering"),
            Mall("Detaljplanering", "plan", 2.0, "Bygglov och planering"),
            Mall("Översiktlig planering", "plan", 1.2, "Bygglov och planering"),
            Mall("Lantmäteri", "plan", 1.5, "Bygglov och planering"),
            Mall("Kart och GIS", "plan", 1.0, "Bygglov och planering"),
        ],
        "TN": [
            Mall("Lokalförsörjning", "lokal_saljare", 0.0, "Lokalförsörjning"),
            Mall("Måltidsservice", "maltid_saljare", 0.0, "Måltidsservice"),
            Mall("Gatudrift Öster", "gata", 4.0, "Gata och park"),
            Mall("Tekniska kontoret ledning", "ledning", 1.5, "Gata och park"),
            Mall("Parkdrift Norr", "park", 2.5, "Gata och park"),
            Mall("Gatudrift Väster", "gata", 4.0, "Gata och park"),
            Mall("Vinterväghållning", "gata", 3.0, "Gata och park"),
            Mall("Trafik och parkering", "gata", 2.0, "Gata och park"),
            Mall("Parkdrift Söder", "park", 2.5, "Gata och park"),
            Mall("Gatubelysning", "gata", 1.5, "Gata och park"),
            Mall("Broar och konstbyggnader", "gata", 1.2, "Gata och park"),
            Mall("Naturvård och friluftsliv", "park", 1.2, "Gata och park"),
            Mall("Lekplatser", "park", 0.8, "Gata och park"),
            Mall("Hamnar och kajer", "gata", 0.6, "Gata och park"),
            Mall("Beställarenhet gata", "gata", 1.0, "Gata och park"),
            Mall("Exploatering", "gata", 0.8, "Gata och park"),
        ],
        "MHN": [
            Mall("Miljöskydd", "miljo", 2.0, "Miljö- och hälsoskydd"),
            Mall("Miljö- och hälsoskyddskontoret ledning", "ledning", 0.8, "Miljö- och hälsoskydd"),
            Mall("Livsmedelskontroll", "miljo", 1.5, "Miljö- och hälsoskydd"),
            Mall("Hälsoskydd", "miljo", 1.2, "Miljö- och hälsoskydd"),
        ],
        "SOC": [Mall("Funktionsstöd gemensamt", "soc_central", 14.0, "Funktionsstöd")]
        + _interleave(
            lss,
            daglig,
            [
                Mall(f"Personlig assistans {o}", "pers_ass", 3.0, "Funktionsstöd")
                for o in ("Norr", "Söder", "Huskvarna")
            ],
            [
                Mall(f"Socialpsykiatri {o}", "socialpsyk", 2.0, "Socialpsykiatri")
                for o in ("Öster", "Väster", "Huskvarna")
            ],
            [
                Mall(f"Korttidsvistelse {o}", "lss_boende", 1.5, "Funktionsstöd")
                for o in ("Dalvik", "Tenhult")
            ],
            [Mall("Ledsagar- och avlösarservice", "pers_ass", 1.0, "Funktionsstöd")],
        ),
        "IFO": [
            Mall(
                "Individ- och familjeomsorg gemensamt",
                "ifo_central",
                10.0,
                "Individ- och familjeomsorg",
            ),
            Mall("Ekonomiskt bistånd Centrum", "ekbistand", 6.0, "Individ- och familjeomsorg"),
            Mall("Barn och unga Öster", "ifo_barn", 4.0, "Individ- och familjeomsorg"),
            Mall("Vuxenenheten", "ifo_vuxna", 2.5, "Individ- och familjeomsorg"),
            Mall("Barn och unga Väster", "ifo_barn", 4.0, "Individ- och familjeomsorg"),
            Mall("Ekonomiskt bistånd Huskvarna", "ekbistand", 5.0, "Individ- och familjeomsorg"),
            Mall("Familjehemsenheten", "ifo_barn", 3.0, "Individ- och familjeomsorg"),
            Mall("Mottagningsenheten", "familjeratt", 1.5, "Individ- och familjeomsorg"),
            Mall("Barn och unga Huskvarna", "ifo_barn", 3.0, "Individ- och familjeomsorg"),
            Mall("Missbruksvård öppenvård", "ifo_vuxna", 2.5, "Individ- och familjeomsorg"),
            Mall("Ekonomiskt bistånd Öster", "ekbistand", 5.0, "Individ- och familjeomsorg"),
            Mall("Familjerätten", "familjeratt", 1.0, "Individ- och familjeomsorg"),
            Mall("Boendeenheten", "ifo_vuxna", 1.5, "Individ- och familjeomsorg"),
            Mall("Ungdomsenheten", "ifo_barn", 2.0, "Individ- och familjeomsorg"),
        ],
        "AEN": [Mall("Äldreomsorg gemensamt", "aen_central", 15.0, "Ledning och köp AEN")]
        + _interleave(
            sabo,
            hemtj,
            [
                Mall(f"Hemsjukvård {o}", "hemsjukvard", 3.0, "Hemsjukvård")
                for o in ("Norr", "Söder", "Huskvarna")
            ],
            [
                Mall(f"Dagverksamhet och anhörigstöd {o}", "dagverk", 1.0, "Hemtjänst")
                for o in ("Centrum", "Huskvarna")
            ],
        ),
        "KFN": [
            Mall("Stadsbiblioteket", "bibliotek", 4.0, "Bibliotek och kultur"),
            Mall("Kultur- och fritidsförvaltningen ledning", "ledning", 2.0, "Idrott och fritid"),
            Mall("Idrott och anläggningar", "idrott", 5.0, "Idrott och fritid"),
            Mall("Kulturskolan", "kulturskola", 3.0, "Bibliotek och kultur"),
            Mall("Föreningsbidrag", "forening", 3.0, "Idrott och fritid"),
            Mall("Rosenlundsbadet", "idrott", 3.0, "Idrott och fritid"),
            Mall("Kulturhuset Dalen", "kultur", 2.0, "Bibliotek och kultur"),
            Mall("Huskvarna bibliotek", "bibliotek", 1.5, "Bibliotek och kultur"),
            Mall("Fritidsgårdar Öster", "fritidsgard", 2.0, "Idrott och fritid"),
            Mall("Fritidsgårdar Väster", "fritidsgard", 2.0, "Idrott och fritid"),
            Mall("Evenemang och kulturarrangemang", "kultur", 1.5, "Bibliotek och kultur"),
            Mall("Närbibliotek", "bibliotek", 1.5, "Bibliotek och kultur"),
        ],
        "VALN": [Mall("Valnämnden", "val", 1.0, "Val")],
        "OFN": [
            Mall("Överförmyndarkansliet", "ofn", 1.0, "Överförmyndare"),
            Mall("Arvoden ställföreträdare", "ofn_arvode", 1.4, "Överförmyndare"),
        ],
        "KRIS": [Mall("Krisledningsnämnden", "kris", 1.0, "Krisledning")],
    }


FIN_ANSVAR: tuple[tuple[str, str], ...] = (
    ("90010", "Skatteintäkter och generella statsbidrag"),
    ("90020", "Finansiella intäkter och kostnader"),
    ("90030", "Pensioner och kommungemensamma poster"),
)
FIN_OMRADE = "Finansförvaltning"


@dataclass(frozen=True)
class Enhet:
    """One ansvar of the demo organisation."""

    ansvar: str
    namn: str
    namnd: str  # the nämnd the unit belonged to when the ledger starts
    omrade: str
    profil: str  # key in kontoplan.PROFILER, or "fin"
    vikt: float
    namndkostnad: bool  # carries the nämnd's own arvoden (verksamhet 100)
    start: date | None = None  # first valid day, if the unit starts after the register does
    flytt: tuple[date, str, str] | None = None  # (from, nämnd, verksamhetsområde) mid-year

    @property
    def forvaltning(self) -> str:
        return NAMNDER[self.namnd].forvaltning

    def namnd_ar(self, ar: int) -> str:
        """The nämnd whose budget the unit's rows of a year belong to: the one on 1 January
        (after the reorganisation IFO is SOC), or on the unit's first day if it starts later."""
        if self.namnd == SAMMANSLAGEN and ar >= REORGANISATION.year:
            return UPPTAGANDE
        if self.flytt and date(ar, 1, 1) >= self.flytt[0]:
            return self.flytt[1]
        return self.namnd

    def namnd_manad(self, ar: int, manad: int) -> str:
        """The nämnd on the first day of a month: the month's utfall and budget count there."""
        if self.flytt and date(ar, manad, 1) >= self.flytt[0]:
            return self.flytt[1]
        return self.namnd_ar(ar)

    def finns(self, ar: int, manad: int) -> bool:
        """Whether the unit is valid on the first day of the month."""
        return self.start is None or date(ar, manad, 1) >= self.start


# The current year's two changes, present at every scale. Their codes (x999) lie above any
# code a nämnd's templates get (at most 999 // n × n for n units).
FLYTT_ANSVAR, FLYTT_FRAN, FLYTT_TILL = "45999", "TN", "KFN"
NY_ANSVAR, NY_NAMND = "40999", "SBN"


def flytt_datum(ar: int) -> date:
    return date(ar, 5, 1)


def ny_enhet_datum(ar: int) -> date:
    return date(ar, 7, 1)


def bygg_enheter(
    scale: float, rng: np.random.Generator, aktuellt_ar: int | None = None
) -> list[Enhet]:
    """The ansvar for a scale: per nämnd the first max(1, round(n × scale)) templates, plus
    (with `aktuellt_ar`) the unit moving on 1 May and the unit starting on 1 July of that year."""
    enheter: list[Enhet] = []
    for kod, mallar in _mallar().items():
        saljare = sum(1 for m in mallar if m.vikt == 0.0)
        antal = max(round(len(mallar) * scale), saljare + 1)
        valda = [mallar[i % len(mallar)] for i in range(antal)]
        steg = max(1, min(10, 999 // antal))
        forsta_vanliga = True
        for i, mall in enumerate(valda):
            varv = i // len(mallar)
            if varv > 0 and mall.vikt == 0.0:
                continue  # one seller per internal service, whatever the scale
            namn = mall.namn if varv == 0 else f"{mall.namn} {varv + 1}"
            vikt = mall.vikt * float(rng.lognormal(0.0, 0.15)) if mall.vikt else 0.0
            enheter.append(
                Enhet(
                    ansvar=f"{NAMNDER[kod].prefix}{(i + 1) * steg:03d}",
                    namn=namn,
                    namnd=kod,
                    omrade=mall.omrade,
                    profil=mall.profil,
                    vikt=vikt,
                    namndkostnad=forsta_vanliga and mall.vikt > 0,
                )
            )
            if mall.vikt > 0:
                forsta_vanliga = False
    if aktuellt_ar is not None:
        enheter.append(
            Enhet(
                FLYTT_ANSVAR,
                "Friluftsliv och naturreservat",
                FLYTT_FRAN,
                "Gata och park",
                "park",
                2.0 * float(rng.lognormal(0.0, 0.15)),
                False,
                flytt=(flytt_datum(aktuellt_ar), FLYTT_TILL, "Idrott och fritid"),
            )
        )
        enheter.append(
            Enhet(
                NY_ANSVAR,
                "Bostadsförsörjning",
                NY_NAMND,
                "Bygglov och planering",
                "plan",
                1.5 * float(rng.lognormal(0.0, 0.15)),
                False,
                start=ny_enhet_datum(aktuellt_ar),
            )
        )
    for ansvar, namn in FIN_ANSVAR:
        enheter.append(Enhet(ansvar, namn, "FIN", FIN_OMRADE, "fin", 0.0, False))
    return enheter


ORG_KOLUMNER = (
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


def organisation_rader(enheter: list[Enhet]) -> list[list[str]]:
    """The effective-dated register: one row per ansvar, two for those the merger or the
    current year's move moved."""
    rader: list[list[str]] = []

    def rad(
        e: Enhet, namnd: str, fran: date, tom: date | None, omrade: str | None = None
    ) -> list[str]:
        forv = NAMNDER[namnd].forvaltning
        return [
            e.ansvar,
            e.namn,
            forv,
            FORVALTNINGAR[forv],
            namnd,
            NAMNDER[namnd].namn,
            omrade or e.omrade,
            fran.isoformat(),
            tom.isoformat() if tom else "",
        ]

    for e in enheter:
        if e.namnd == SAMMANSLAGEN:
            rader.append(rad(e, SAMMANSLAGEN, REGISTER_START, date(2024, 12, 31)))
            rader.append(rad(e, UPPTAGANDE, REORGANISATION, None))
        elif e.flytt:
            # No giltig_tom on purpose: the later row ends the earlier one.
            rader.append(rad(e, e.namnd, REGISTER_START, None))
            rader.append(rad(e, e.flytt[1], e.flytt[0], None, e.flytt[2]))
        else:
            rader.append(rad(e, e.namnd, e.start or REGISTER_START, None))
    rader.sort(key=lambda r: (r[0], r[7]))
    return rader
