"""The demo's chart of accounts (Kommun-Bas-like), activity codes (RS-like) and unit profiles.

Konto groups follow Kommun-Bas and the project's `kontogrupper` seed (the first two digits):
3x verksamhetens intäkter, 4x material/köp/bidrag, 5x personal, 6x–7x övriga kostnader (78
avskrivningar), 8x skatteintäkter, statsbidrag och finansiella poster. Verksamhet codes are an
invented RS-like set (4xx utbildning, 5xx vård och omsorg, 7xx samhällsbyggnad ...): demo codes,
not the official RS list.

A *profile* says how a unit's gross cost is spread over konton and verksamheter, and which
revenue it has: shares of the unit's gross cost. Internal purchases (lokalhyra, måltider,
IT-tjänster) are separate shares, booked with motpart INT against the selling unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KONTON: dict[str, str] = {
    "3010": "Försäljningsintäkter",
    "3110": "Taxor och avgifter",
    "3210": "Hyror och arrenden",
    "3290": "Interna hyresintäkter",
    "3310": "Riktade statsbidrag",
    "3320": "Ersättning från Försäkringskassan",
    "3410": "Försäljning av verksamhet till andra kommuner",
    "3490": "Intern försäljning av tjänster",
    "3670": "Realisationsvinster",
    "4050": "Livsmedel",
    "4310": "Entreprenader",
    "4420": "Måltider, interna",
    "4510": "Köp av huvudverksamhet från privata utförare",
    "4520": "Köp av huvudverksamhet från kommuner och regioner",
    "4610": "Ekonomiskt bistånd och individbidrag",
    "4630": "Bidrag till föreningar och organisationer",
    "5010": "Löner månadsavlönade",
    "5020": "Löner timavlönade",
    "5110": "Semester- och sjuklöner",
    "5210": "Arvoden till ställföreträdare",
    "5310": "Arvoden förtroendevalda",
    "5410": "Arbetsgivaravgifter och PO-pålägg",
    "5510": "Pensionsutbetalningar",
    "5520": "Avgiftsbestämd ålderspension",
    "5530": "Förändring av pensionsavsättning",
    "5560": "Särskild löneskatt på pensioner",
    "5610": "Utbildning och övriga personalkostnader",
    "6010": "Lokalhyror, interna",
    "6020": "Lokalhyror, externa",
    "6110": "El, värme och vatten",
    "6210": "Fastighetsskötsel och städning",
    "6310": "Förbrukningsinventarier",
    "6410": "Förbrukningsmaterial",
    "6510": "Kontorsmaterial och trycksaker",
    "6610": "Reparation och underhåll",
    "7010": "Resor och transporter",
    "7110": "Leasing av fordon",
    "7210": "Konsulttjänster",
    "7310": "Försäkringar",
    "7410": "IT-tjänster, interna",
    "7490": "Övriga främmande tjänster",
    "7810": "Avskrivningar maskiner och inventarier",
    "7820": "Avskrivningar byggnader och anläggningar",
    "8010": "Preliminär kommunalskatt",
    "8020": "Prognos slutavräkning innevarande år",
    "8030": "Slutavräkningsdifferens föregående år",
    "8210": "Inkomstutjämningsbidrag",
    "8220": "Kostnadsutjämningsbidrag",
    "8230": "Regleringsbidrag",
    "8250": "Kommunal fastighetsavgift",
    "8310": "Avgift LSS-utjämning",
    "8410": "Utdelning från koncernföretag",
    "8420": "Ränteintäkter",
    "8430": "Borgensavgifter",
    "8510": "Räntekostnader",
    "8520": "Ränta på pensionsavsättning",
    "8590": "Övriga finansiella kostnader",
}

VERKSAMHETER: dict[str, str] = {
    "100": "Nämnd- och styrelseverksamhet",
    "110": "Stöd till politiska partier",
    "120": "Revision",
    "130": "Allmänna val",
    "140": "Överförmyndarverksamhet",
    "150": "Krisberedskap och civilt försvar",
    "160": "Gemensam administration",
    "170": "Räddningstjänst",
    "180": "Näringsliv och turism",
    "190": "IT och digitalisering",
    "401": "Förskola",
    "405": "Fritidshem",
    "406": "Förskoleklass",
    "407": "Grundskola",
    "408": "Anpassad grundskola",
    "409": "Gymnasieskola",
    "410": "Anpassad gymnasieskola",
    "415": "Kommunal vuxenutbildning",
    "416": "Svenska för invandrare",
    "420": "Arbetsmarknadsåtgärder",
    "430": "Kulturskola",
    "501": "Hemtjänst",
    "505": "Hemsjukvård och rehabilitering",
    "510": "Särskilt boende",
    "515": "Dagverksamhet och anhörigstöd",
    "530": "Bostad med särskild service LSS",
    "532": "Daglig verksamhet LSS",
    "534": "Personlig assistans",
    "540": "Socialpsykiatri",
    "550": "Barn och unga",
    "555": "Vuxna med missbruk",
    "560": "Ekonomiskt bistånd",
    "565": "Familjerätt och familjestöd",
    "610": "Bibliotek",
    "620": "Kulturverksamhet",
    "630": "Idrott och anläggningar",
    "640": "Fritidsgårdar och ungdomsverksamhet",
    "710": "Fysisk planering",
    "715": "Bygglov och lantmäteri",
    "720": "Miljö- och hälsoskydd",
    "740": "Gator och vägar",
    "745": "Parker och naturvård",
    "750": "Lokalförsörjning",
    "760": "Måltidsservice",
    "900": "Skatter och generella statsbidrag",
    "910": "Pensioner",
    "920": "Finansiella poster",
    "930": "Kommungemensamma poster",
}

# Internal trade: the buyer's konto, the seller's revenue konto and the seller's verksamhet.
TRADE: dict[str, tuple[str, str, str]] = {
    "lokal": ("6010", "3290", "750"),
    "maltid": ("4420", "3490", "760"),
    "it": ("7410", "3490", "190"),
}

# How a unit's personnel cost splits over the personnel konton.
STAFF_MIX: tuple[tuple[str, float], ...] = (
    ("5010", 0.60),
    ("5020", 0.05),
    ("5110", 0.07),
    ("5410", 0.27),
    ("5610", 0.01),
)
FEE_MIX: tuple[tuple[str, float], ...] = (("5310", 0.76), ("5410", 0.24))
# Small running costs every operating unit has.
STANDARD_OTHER: tuple[tuple[str, float], ...] = (
    ("6410", 0.020),
    ("6310", 0.006),
    ("6510", 0.003),
    ("7010", 0.004),
    ("7490", 0.008),
    ("7810", 0.006),
)


@dataclass(frozen=True)
class Profile:
    """Shares of a unit's gross cost; revenue shares are positive here, booked negative."""

    verksamheter: tuple[tuple[str, float], ...]
    staff: float = 0.0
    premises: float = 0.0
    meals: float = 0.0
    it: float = 0.0
    other: tuple[tuple, ...] = ()  # (konto, share) or (konto, share, verksamhet)
    revenue: tuple[tuple[str, float], ...] = ()
    staff_mix: tuple[tuple[str, float], ...] = STAFF_MIX
    standard: bool = True
    projekt: dict[str, str] = field(default_factory=dict)
    sells: str | None = None  # internal trade this unit sells ("lokal", "maltid", "it")


def _p(*activities: tuple[str, float], **kw) -> Profile:
    return Profile(verksamheter=tuple(activities), **kw)


# fmt: off
PROFILES: dict[str, Profile] = {
    "ledning": _p(("160", 1.0), staff=0.70, premises=0.08, it=0.05, other=(("7210", 0.06),),
                  revenue=(("3010", 0.02),)),
    "stab": _p(("160", 1.0), staff=0.68, premises=0.07, it=0.06, other=(("7210", 0.08),),
               revenue=(("3010", 0.03),)),
    "kf": _p(("100", 1.0), staff=0.50, staff_mix=FEE_MIX,
             other=(("4630", 0.45, "110"), ("6510", 0.05)), standard=False),
    "revision": _p(("120", 1.0), staff=0.25, staff_mix=FEE_MIX,
                   other=(("7210", 0.72),), standard=False),
    "raddning": _p(("170", 1.0), staff=0.72, premises=0.09, it=0.02,
                   other=(("7820", 0.04), ("6610", 0.03), ("7110", 0.02)),
                   revenue=(("3010", 0.06), ("3110", 0.02))),
    "beredskap": _p(("150", 1.0), staff=0.60, premises=0.05, it=0.05, other=(("7210", 0.10),),
                    revenue=(("3310", 0.10),)),
    "naringsliv": _p(("180", 1.0), staff=0.35, premises=0.05, it=0.03,
                     other=(("4630", 0.35), ("7210", 0.10)), revenue=(("3310", 0.05),),
                     projekt={"3310": "P1801"}),
    "it_saljare": _p(("190", 1.0), staff=0.38,
                     other=(("7490", 0.28), ("7810", 0.12), ("6310", 0.10), ("6020", 0.04)),
                     revenue=(("3010", 0.02),), sells="it"),
    "bun_central": _p(("407", 0.55), ("401", 0.35), ("160", 0.10), staff=0.09, premises=0.01,
                      it=0.01, other=(("4510", 0.78), ("4520", 0.05)),
                      revenue=(("3410", 0.03), ("3310", 0.04))),
    "forskola": _p(("401", 1.0), staff=0.74, premises=0.11, meals=0.05, it=0.015,
                   revenue=(("3110", 0.07), ("3310", 0.03))),
    "grundskola": _p(("407", 0.78), ("406", 0.08), ("405", 0.14), staff=0.68, premises=0.14,
                     meals=0.06, it=0.02, other=(("6410", 0.03),),
                     revenue=(("3110", 0.015), ("3310", 0.05)), projekt={"3310": "P4071"}),
    "anpassad": _p(("408", 1.0), staff=0.80, premises=0.09, meals=0.03, it=0.015,
                   revenue=(("3310", 0.02),)),
    "uan_central": _p(("409", 0.80), ("410", 0.10), ("160", 0.10), staff=0.06, it=0.01,
                      other=(("4510", 0.72), ("4520", 0.14)), revenue=(("3410", 0.02),)),
    "gymnasium": _p(("409", 1.0), staff=0.62, premises=0.16, meals=0.05, it=0.03,
                    other=(("6410", 0.04),), revenue=(("3410", 0.12), ("3310", 0.03))),
    "anpassad_gy": _p(("410", 1.0), staff=0.78, premises=0.10, meals=0.03, it=0.02,
                      revenue=(("3410", 0.05),)),
    "vux": _p(("415", 0.70), ("416", 0.30), staff=0.60, premises=0.12, it=0.03,
              other=(("4310", 0.15),), revenue=(("3310", 0.25),), projekt={"3310": "P4151"}),
    "arbetsmarknad": _p(("420", 1.0), staff=0.75, premises=0.08, it=0.02,
                        other=(("4610", 0.08),), revenue=(("3310", 0.30),),
                        projekt={"3310": "P4201"}),
    "plan": _p(("710", 0.55), ("715", 0.45), staff=0.75, premises=0.07, it=0.04,
               other=(("7210", 0.08),), revenue=(("3110", 0.35), ("3010", 0.08))),
    "miljo": _p(("720", 1.0), staff=0.80, premises=0.07, it=0.04,
                revenue=(("3110", 0.40),)),
    "gata": _p(("740", 1.0), staff=0.18, it=0.01,
               other=(("4310", 0.38), ("6110", 0.08), ("6610", 0.14), ("7820", 0.18)),
               revenue=(("3110", 0.12), ("3010", 0.03)), projekt={"4310": "P7401"}),
    "park": _p(("745", 1.0), staff=0.45, it=0.01,
               other=(("4310", 0.15), ("6610", 0.10), ("7820", 0.10)),
               revenue=(("3010", 0.05),)),
    "lokal_saljare": _p(("750", 1.0), staff=0.06,
                        other=(("6020", 0.20), ("6110", 0.14), ("6210", 0.10), ("6610", 0.16),
                                ("7820", 0.26), ("7310", 0.02)),
                        revenue=(("3210", 0.04),), sells="lokal"),
    "maltid_saljare": _p(("760", 1.0), staff=0.50,
                         other=(("4050", 0.38), ("6020", 0.04)), revenue=(("3010", 0.05),),
                         sells="maltid"),
    "soc_central": _p(("530", 0.50), ("534", 0.30), ("540", 0.20), staff=0.10, it=0.01,
                      other=(("4510", 0.60), ("4520", 0.15)), revenue=(("3310", 0.02),)),
    "lss_boende": _p(("530", 1.0), staff=0.80, premises=0.10, meals=0.01, it=0.01,
                     revenue=(("3210", 0.03),)),
    "daglig": _p(("532", 1.0), staff=0.80, premises=0.08, it=0.01),
    "pers_ass": _p(("534", 1.0), staff=0.90, it=0.01, revenue=(("3320", 0.55),)),
    "socialpsyk": _p(("540", 1.0), staff=0.78, premises=0.09, it=0.01),
    "ifo_central": _p(("550", 0.70), ("555", 0.30), staff=0.12, it=0.01,
                      other=(("4510", 0.70),), revenue=(("3310", 0.03),)),
    "ifo_barn": _p(("550", 1.0), staff=0.35, premises=0.04, it=0.02,
                   other=(("4510", 0.40), ("4610", 0.12)), revenue=(("3310", 0.03),),
                   projekt={"3310": "P5501"}),
    "ifo_vuxna": _p(("555", 1.0), staff=0.40, premises=0.05, it=0.02, other=(("4510", 0.45),)),
    "ekbistand": _p(("560", 1.0), staff=0.18, premises=0.02, it=0.02, other=(("4610", 0.75),),
                    revenue=(("3310", 0.02),)),
    "familjeratt": _p(("565", 1.0), staff=0.82, premises=0.06, it=0.02),
    "aen_central": _p(("510", 0.60), ("501", 0.40), staff=0.08, it=0.01,
                      other=(("4510", 0.80),), revenue=(("3310", 0.03),)),
    "sabo": _p(("510", 1.0), staff=0.74, premises=0.14, meals=0.05, it=0.01,
               revenue=(("3110", 0.09), ("3210", 0.07))),
    "hemtjanst": _p(("501", 1.0), staff=0.84, premises=0.03, it=0.02,
                    other=(("7110", 0.04),), revenue=(("3110", 0.06),)),
    "hemsjukvard": _p(("505", 1.0), staff=0.82, premises=0.03, it=0.02,
                      other=(("6410", 0.05),)),
    "dagverk": _p(("515", 1.0), staff=0.75, premises=0.12, meals=0.03, it=0.01,
                  revenue=(("3110", 0.05),)),
    "bibliotek": _p(("610", 1.0), staff=0.60, premises=0.20, it=0.03,
                    other=(("6410", 0.08),), revenue=(("3010", 0.02),)),
    "kultur": _p(("620", 1.0), staff=0.45, premises=0.18, it=0.02,
                 other=(("4630", 0.20),), revenue=(("3010", 0.10),), projekt={"3010": "P6201"}),
    "kulturskola": _p(("430", 1.0), staff=0.75, premises=0.12, it=0.02,
                      revenue=(("3110", 0.10),)),
    "idrott": _p(("630", 1.0), staff=0.35, premises=0.30, it=0.01,
                 other=(("4630", 0.20),), revenue=(("3210", 0.18),)),
    "fritidsgard": _p(("640", 1.0), staff=0.75, premises=0.14, it=0.01),
    "forening": _p(("630", 0.7), ("620", 0.3), staff=0.05, other=(("4630", 0.93),),
                   standard=False),
    "val": _p(("130", 1.0), staff=0.62, staff_mix=FEE_MIX,
              other=(("6020", 0.10), ("6510", 0.12), ("7490", 0.12), ("7010", 0.04)),
              standard=False),
    "ofn": _p(("140", 1.0), staff=0.80, premises=0.08, it=0.06, revenue=(("3110", 0.05),)),
    "ofn_arvode": _p(("140", 1.0), staff=0.98, staff_mix=(("5210", 0.77), ("5410", 0.23)),
                     standard=False, other=(("7490", 0.02),)),
    "kris": _p(("150", 1.0), staff=0.70, staff_mix=FEE_MIX,
               other=(("7490", 0.30),), standard=False),
}
# fmt: on

PROJEKT: dict[str, str] = {
    "P1801": "Destinationsutveckling Vättern",
    "P4071": "Likvärdig skola (statsbidrag)",
    "P4151": "Regionalt yrkesvux",
    "P4201": "Extratjänster och lönebidrag",
    "P5501": "Tidiga insatser barn och unga",
    "P6201": "Jönköpings kulturfestival",
    "P7401": "Vinterväghållning",
}


def kontoklass(konto: str) -> int:
    return int(konto[0])


def standardnyckel(konto: str) -> str:
    """The periodisation key a budget row gets when it names none (the seed's default)."""
    return "PERSONAL" if kontoklass(konto) == 5 else "JAMN"
