"""Planning inputs: projection assumptions, the investment plan and the intern kontroll register.

Antaganden (one row per year 2022–2036 × parameter: the history years too, which the
projection's base year and its backtest need), units:
- skatteunderlag_tillvaxt, pkv, real_kostnadsdrift: percent per year (3.4 means +3.4 %);
- skattesats: percent (21.64);
- statsbidrag_per_inv: kronor per inhabitant;
- finansnetto: kronor per year, resultaträkning sign (positive = net financial income);
- befolkning_riket_tillvaxt: percent per year (Sweden's population growth, SCB's forecast);
- laneskuld: kronor (the long-term loan debt at year end; the projection reads its base year's
  and carries it forward with the lånebehov);
- ranta: percent per year, the interest rate on new loans;
- balanskrav_undantag, resultatreserv_reservation, resultatreserv_disposition: kronor, for the
  ledger years only (2022–2026); one reservation to the resultatutjämningsreserv, in 2022.
"""

from __future__ import annotations

import numpy as np

from .economy import FINANSNETTO, PKV, SKATTESATS, SKATTEUNDERLAG_GROWTH, STATSBIDRAG_PER_INV

ANTAGANDE_YEARS = tuple(range(2022, 2037))
SKR_SOURCE = "SKR cirkulär 2026:12 (demo)"
OWN_SOURCE = "Stadskontorets bedömning (demo)"
KF_SOURCE = "KF-beslut om skattesats 2025-11-26 (demo)"
UTFALL_SOURCE = "Utfall enligt SKR och SCB (demo)"
BALANSKRAV_YEARS = tuple(range(2022, 2027))
# A good year's surplus put aside in the resultatutjämningsreserv (kronor), demo figure.
RESULTATRESERV_RESERVATION = {2022: 30_000_000}
# Outcome PKV (prisindex för kommunal verksamhet) of the history years, demo figures.
PKV_UTFALL = {2022: 0.046, 2023: 0.065, 2024: 0.036, 2025: 0.027}
# Sweden's population growth (SCB, outcome and forecast, demo figures), fraction per year.
BEFOLKNING_RIKET = {2022: 0.0074, 2023: 0.0052, 2024: 0.0033, 2025: 0.0030}
BEFOLKNING_RIKET_PROGNOS = 0.0040
# The loan debt (kronor) at the end of 2022, growing with the investment plan's borrowing.
LANESKULD_2022 = 3.1e9
LANESKULD_OKNING = 0.35e9
# The interest rate on new loans (percent per year), a Kommuninvest-like demo figure.
RANTA = 2.8


def antaganden_rows() -> list[list[str]]:
    rows: list[list[str]] = []

    def add(year: int, parameter: str, value: float, source: str, decimals: int = 2) -> None:
        rows.append([str(year), parameter, f"{value:.{decimals}f}".replace(".", ","), source])

    for year in ANTAGANDE_YEARS:
        if year < 2026:
            skr = UTFALL_SOURCE
        elif year <= 2029:
            skr = SKR_SOURCE
        else:
            skr = "Egen framskrivning efter SKR:s horisont (demo)"
        add(year, "skatteunderlag_tillvaxt", SKATTEUNDERLAG_GROWTH[year] * 100, skr)
        add(year, "pkv", PKV_UTFALL.get(year, PKV.get(year, 0.030)) * 100, skr)
        add(year, "skattesats", SKATTESATS, KF_SOURCE)
        per_inv = STATSBIDRAG_PER_INV.get(year, STATSBIDRAG_PER_INV[2028] * 1.015 ** (year - 2028))
        add(year, "statsbidrag_per_inv", round(per_inv), skr, 0)
        add(year, "real_kostnadsdrift", 0.5, OWN_SOURCE)
        add(
            year,
            "befolkning_riket_tillvaxt",
            BEFOLKNING_RIKET.get(year, BEFOLKNING_RIKET_PROGNOS) * 100,
            "SCB befolkningsprognos (demo)",
        )
        add(
            year,
            "laneskuld",
            LANESKULD_2022 + LANESKULD_OKNING * min(year - 2022, 8),
            OWN_SOURCE,
            0,
        )
        add(year, "ranta", RANTA, OWN_SOURCE)
        add(
            year,
            "finansnetto",
            FINANSNETTO.get(year, max(0.0, 10e6 - 2.5e6 * (year - 2028))),
            OWN_SOURCE,
            0,
        )
    for year in BALANSKRAV_YEARS:
        reservation = RESULTATRESERV_RESERVATION.get(year, 0)
        add(year, "balanskrav_undantag", 0, OWN_SOURCE, 0)
        add(year, "resultatreserv_reservation", reservation, "KF-beslut om bokslut (demo)", 0)
        add(year, "resultatreserv_disposition", 0, OWN_SOURCE, 0)
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


# (projekt, namnd, avskrivningstid, first year, last year, total mnkr); the typ column follows the
# year.
# fmt: off
PROJEKT: tuple[tuple[str, str, int, int, int, float], ...] = (
    ("P9001 Ny F–9-skola Ljungarum", "TN", 50, 2022, 2026, 480.0),
    ("P9002 Ny förskola Tokarp", "TN", 50, 2022, 2024, 95.0),
    ("P9003 Ny förskola Västra Torp", "TN", 50, 2025, 2027, 110.0),
    ("P9004 Om- och tillbyggnad Ölandsskolan", "TN", 33, 2023, 2026, 210.0),
    ("P9005 Nytt äldreboende Öxnehaga", "TN", 50, 2024, 2028, 520.0),
    ("P9006 LSS-boende Bankeryd", "TN", 50, 2025, 2027, 85.0),
    ("P9007 Ny simhall Rosenlund", "TN", 50, 2026, 2030, 640.0),
    ("P9008 Idrottshall Tenhult", "TN", 33, 2023, 2025, 78.0),
    ("P9009 Brandstation Huskvarna", "TN", 50, 2027, 2030, 190.0),
    ("P9010 Ombyggnad Stadsbiblioteket", "TN", 33, 2028, 2030, 145.0),
    ("P9011 Energieffektivisering kommunala fastigheter", "TN", 20, 2022, 2030, 260.0),
    ("P9012 Fastighetsunderhåll, reinvestering", "TN", 33, 2022, 2030, 1_650.0),
    ("P9013 Reinvestering gator och broar", "TN", 33, 2022, 2030, 1_170.0),
    ("P9014 Huvudgata Södra Munksjön", "TN", 50, 2022, 2028, 540.0),
    ("P9015 Cykelstråk Munksjön–Ekhagen", "TN", 33, 2024, 2027, 120.0),
    ("P9016 LED-belysning gator och parker", "TN", 20, 2022, 2026, 95.0),
    ("P9017 Kajpromenad Munksjön", "TN", 33, 2026, 2029, 160.0),
    ("P9018 Räddningsfordon", "KS", 10, 2022, 2030, 150.0),
    ("P9019 Digitala verksamhetssystem", "KS", 5, 2022, 2030, 230.0),
    ("P9020 Inventarier och digitala lärverktyg skola", "BUN", 10, 2022, 2030, 310.0),
    ("P9021 Inventarier äldreboenden", "AEN", 10, 2024, 2029, 60.0),
    ("P9022 Konstgräsplaner och spontanytor", "KFN", 20, 2023, 2029, 95.0),
)
# fmt: on
LAST_UTFALL_YEAR = 2025
# The yearly investment volume (kr) the projects are scaled to, Jönköping-like.
VOLUME: dict[int, float] = {
    2022: 1.05e9,
    2023: 1.20e9,
    2024: 1.35e9,
    2025: 1.25e9,
    2026: 1.40e9,
    2027: 1.45e9,
    2028: 1.30e9,
    2029: 1.20e9,
    2030: 1.10e9,
}


def investering_rows(seed: int) -> list[list[str]]:
    """Per project and year: utfall 2022–2025, plan 2026–2030, scaled to the yearly volume."""
    rng = np.random.default_rng([seed, 9])
    per_year: dict[int, list[tuple[str, str, int, float]]] = {}
    for projekt, namnd, depreciation, first, last, total in PROJEKT:
        year = np.arange(first, last + 1)
        weight = rng.uniform(0.6, 1.4, year.size)
        if year.size > 2:  # construction peaks in the middle years
            weight[1:-1] *= 1.6
        for a, b in zip(year, total * 1e6 * weight / weight.sum(), strict=True):
            per_year.setdefault(int(a), []).append((projekt, namnd, depreciation, float(b)))
    rows: list[list[str]] = []
    for a, entries in per_year.items():
        factor = VOLUME[a] / sum(b for *_, b in entries)
        for projekt, namnd, depreciation, b in entries:
            kr = b * factor
            kind = "utfall" if a <= LAST_UTFALL_YEAR else "plan"
            ore = int(round(kr / 1000.0)) * 100_000 if kind == "plan" else int(round(kr * 100))
            kronor, rest = divmod(ore, 100)
            rows.append([projekt, namnd, str(a), f"{kronor},{rest:02d}", kind, str(depreciation)])
    rows.sort(key=lambda r: (r[2], r[0]))
    return rows


# (namnd, risk, sannolikhet, konsekvens, kontrollmoment, resultat, atgard, status)
# fmt: off
RISKS: tuple[tuple[str, str, int, int, str, str, str, str], ...] = (
    ("KS", "Bristande informationssäkerhet leder till dataintrång", 3, 5,
     "Granskning av behörigheter i verksamhetssystem", "Avvikelser: inaktuella behörigheter",
     "Rutin för kvartalsvis behörighetsöversyn införs", "Pågår"),
    ("KS", "Kommunens långsiktiga ekonomi försvagas av ökade kostnader", 4, 4,
     "Månadsuppföljning av nämndernas prognoser", "Två nämnder prognostiserar underskott",
     "Krav på åtgärdsplaner enligt styrmodellen", "Pågår"),
    ("KS", "Felaktiga utbetalningar till leverantörer", 2, 3,
     "Stickprov på leverantörsbetalningar", "Inga avvikelser", "", "Genomförd"),
    ("BUN", "Brist på legitimerade lärare och förskollärare", 4, 4,
     "Uppföljning av andel legitimerad personal", "Andelen ökar men under målet",
     "Fortsatt satsning på validering och karriärtjänster", "Pågår"),
    ("BUN", "Elever får inte det stöd de har rätt till", 3, 4,
     "Granskning av åtgärdsprogram", "Brister i dokumentation på tre skolor",
     "Utbildning i dokumentation av särskilt stöd", "Pågår"),
    ("BUN", "Ekonomin i balans nås inte under våren", 3, 3,
     "Månadsvis prognosuppföljning per rektorsområde", "Underskott i april–maj, åtgärdat",
     "", "Genomförd"),
    ("UAN", "Avhopp från gymnasieskolan ökar", 3, 4,
     "Uppföljning av frånvaro och avbrott per program", "Inga större avvikelser", "",
     "Genomförd"),
    ("UAN", "Felaktiga interkommunala ersättningar", 2, 3,
     "Avstämning av elevregister mot fakturering", "Två felaktiga fakturor rättade", "",
     "Genomförd"),
    ("SBN", "Lagstadgade handläggningstider för bygglov överskrids", 3, 3,
     "Uppföljning av handläggningstider", "Avvikelser under sommaren",
     "Förstärkning under semesterperioden", "Pågår"),
    ("SBN", "Jäv i handläggning", 1, 4, "Stickprov på beslut", "Inga avvikelser", "",
     "Genomförd"),
    ("TN", "Eftersatt underhåll av gator och broar", 4, 3,
     "Inventering av brokonstruktioner", "Tre broar kräver åtgärd inom två år",
     "Prioriteras i investeringsplanen", "Pågår"),
    ("TN", "Brister i livsmedelshantering i måltidsservicen", 2, 4,
     "Egenkontroll i tillagningskök", "Inga avvikelser", "", "Genomförd"),
    ("TN", "Upphandlade entreprenader följer inte avtal", 3, 3,
     "Avtalsuppföljning vinterväghållning", "Ej påbörjad", "", "Ej påbörjad"),
    ("MHN", "Tillsynsplanen genomförs inte", 3, 3, "Uppföljning av tillsynsplan",
     "85 procent av planerad tillsyn genomförd", "Omprioritering av tillsynsobjekt", "Pågår"),
    ("MHN", "Felaktig debitering av tillsynsavgifter", 2, 2, "Stickprov på debiteringar",
     "Inga avvikelser", "", "Genomförd"),
    ("SOC", "Kostnaderna för köpta LSS-platser och placeringar ökar", 4, 4,
     "Månadsvis uppföljning av köpta platser", "Kostnaderna över budget",
     "Åtgärdsplan beslutad i maj", "Pågår"),
    ("SOC", "Barn far illa när orosanmälningar inte utreds i tid", 2, 5,
     "Granskning av tider för förhandsbedömning", "Avvikelser i ett fåtal ärenden",
     "Veckovis uppföljning av inkomna anmälningar", "Pågår"),
    ("SOC", "Felaktiga utbetalningar av ekonomiskt bistånd", 3, 3,
     "Stickprov på beviljade ansökningar", "Inga avvikelser", "", "Genomförd"),
    ("SOC", "Kompetensförsörjning inom funktionsstöd", 4, 3,
     "Uppföljning av vakanser och timanställningar", "Hög andel timanställda",
     "Översyn av schemaläggning", "Pågår"),
    ("AEN", "Personalkostnaderna i hemtjänsten överstiger budget", 4, 4,
     "Uppföljning av planerad mot utförd tid", "Utförd tid överstiger beviljad",
     "Förslag till åtgärdsplan tas fram", "Pågår"),
    ("AEN", "Fall och undernäring på särskilt boende", 3, 4,
     "Riskbedömningar i kvalitetsregister", "Ej genomförd på två boenden",
     "Utbildningsinsats för omvårdnadspersonal", "Pågår"),
    ("AEN", "Brister i läkemedelshantering", 2, 5, "Egenkontroll läkemedelsförråd",
     "Inga avvikelser", "", "Genomförd"),
    ("KFN", "Föreningsbidrag betalas ut på felaktiga grunder", 2, 3,
     "Stickprov på bidragsansökningar", "En förening återbetalar bidrag", "", "Genomförd"),
    ("KFN", "Olyckor i badanläggningar", 1, 5, "Kontroll av livräddningsrutiner",
     "Inga avvikelser", "", "Genomförd"),
    ("VALN", "Valet 2026 kan inte genomföras korrekt", 1, 5,
     "Kontroll av röstmottagarutbildning och vallokaler", "Inga avvikelser", "", "Genomförd"),
    ("VALN", "Hot mot röstmottagare och vallokaler", 2, 4, "Säkerhetsgenomgång av vallokaler",
     "Två lokaler förstärkt", "", "Genomförd"),
    ("OFN", "Ställföreträdares redovisningar granskas inte i tid", 3, 3,
     "Uppföljning av granskningstider", "Balanser från 2025 kvarstår",
     "Tillfällig förstärkning av granskare", "Pågår"),
    ("OFN", "Brist på gode män och förvaltare", 4, 3, "Uppföljning av rekrytering",
     "Ej påbörjad", "", "Ej påbörjad"),
    ("KRIS", "Krisledningen saknar uppdaterad plan för höjd beredskap", 2, 5,
     "Genomgång av krisledningsplan", "Planen reviderad", "", "Genomförd"),
    ("KRIS", "Reservkraft saknas i prioriterade verksamheter", 3, 4,
     "Inventering av reservkraft", "Fyra verksamheter saknar reservkraft",
     "Investeringsbehov lyfts till budget", "Pågår"),
)
# fmt: on


def risk_rows(year: int) -> list[list[str]]:
    rows = [
        [namnd, str(year), risk, str(s), str(k), control, result, action, status]
        for namnd, risk, s, k, control, result, action, status in RISKS
    ]
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows
