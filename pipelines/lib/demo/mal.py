"""Goals, Kolada values and the municipality's own measures.

Kolada: answers shaped like Kolada API v3 `/v3/data` for eight KPIs, 2019–2025, for Jönköping
and its comparison group. The KPI ids and titles are real Kolada KPIs as far as we know them; the
**values are invented demo values**, except N01951 (invånare) whose 2019 figures are SCB's and
whose later Jönköping figures are the demo population. The brukarundersökning KPIs have no 2020
value (the survey was not run that year), and a few other cells are null.

Goals (mal_<år>.yaml): KF's övergripande mål (niva `kommun`, org `KOMMUN`), nämnd goals (niva
`namnd`, org = nämnd code, `foralder` = a KF goal) and two verksamhet goals (niva `verksamhet`,
org = verksamhetsområde in the organisation register). Targets are set from the generated
series so the demo shows every status: uppfyllt, delvis uppfyllt, ej uppfyllt and saknar värde;
and exactly one goal (Överförmyndarnämnden's) has no indicator, a målkedja defect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .reference import JAMFORELSEGRUPP, KOMMUNKOD, Kommun

KOLADA_AR = tuple(range(2019, 2026))


@dataclass(frozen=True)
class Kpi:
    id: str
    titel: str
    start: float  # Jönköping 2019
    slut: float  # Jönköping 2025
    spridning: float  # between municipalities
    brus: float
    decimaler: int
    kon: bool  # divided by gender
    kon_skillnad: float = 0.0  # women minus men
    saknas_ar: tuple[int, ...] = ()


# fmt: off
KOLADA_EKONOMI = (
    Kpi("N00097", "Nettokostnadsavvikelse totalt exkl. LSS, (%)", -1.2, -2.4, 2.5, 0.3, 1, False),
    Kpi("N00003", "Personalkostnader, kr/inv", 38_400, 46_900, 2_500, 150, 0, False),
)
KOLADA_VERKSAMHET = (
    Kpi("N15428", "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)",
        85.1, 86.9, 3.0, 0.4, 1, True, 2.4),
    Kpi("N17457", "Gymnasieelever med examen eller studiebevis inom 4 år, hemkommun, andel (%)",
        74.0, 72.6, 3.5, 0.4, 1, True, 4.0, (2025,)),
    Kpi("U21468", "Brukarbedömning hemtjänst äldreomsorg - helhetssyn, andel (%)",
        88.0, 89.6, 2.5, 0.4, 1, True, -1.0, (2020,)),
    Kpi("U23471", "Brukarbedömning särskilt boende äldreomsorg - helhetssyn, andel (%)",
        81.0, 82.0, 3.0, 0.5, 1, True, -1.5, (2020,)),
    Kpi("N31807", "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%) "
        "av bef.", 4.1, 3.5, 1.2, 0.1, 1, False),
)
# fmt: on
INVANARE = "N01951"
FOLKTILLVAXT = {"0580": 0.011, "0581": 0.007, "0780": 0.012, "1880": 0.013, "1980": 0.010}


def _serie(kpi: Kpi, kod: str, rng: np.random.Generator) -> dict[int, float]:
    t = np.linspace(0.0, 1.0, len(KOLADA_AR))
    niva = 0.0 if kod == KOMMUNKOD else float(rng.normal(0.0, kpi.spridning))
    varden = kpi.start + (kpi.slut - kpi.start) * t + niva + rng.normal(0.0, kpi.brus, t.size)
    if kod == KOMMUNKOD:
        varden[0], varden[-1] = kpi.start, kpi.slut
    return {ar: round(float(v), kpi.decimaler) for ar, v in zip(KOLADA_AR, varden, strict=True)}


def _varde(v: float | None, decimaler: int) -> float | int | None:
    if v is None:
        return None
    return int(round(v)) if decimaler == 0 else round(v, decimaler)


def _post(kpi_id: str, kod: str, ar: int, kon: dict[str, float | int | None]) -> dict:
    return {
        "kpi": kpi_id,
        "municipality": kod,
        "period": ar,
        "values": [
            {"gender": g, "status": "", "value": v, "count": 0 if v is None else 1}
            for g, v in kon.items()
        ],
    }


def kolada_serier(
    kommuner: dict[str, Kommun], befolkning_total: dict[int, tuple[int, int]], seed: int
) -> dict[str, dict[str, dict[int, float | None]]]:
    """KPI → kommun → year → value (gender T), the values the answers carry."""
    rng = np.random.default_rng([seed, 7])
    serier: dict[str, dict[str, dict[int, float | None]]] = {}
    for kpi in KOLADA_EKONOMI + KOLADA_VERKSAMHET:
        serier[kpi.id] = {}
        for kod in JAMFORELSEGRUPP:
            s: dict[int, float | None] = dict(_serie(kpi, kod, rng))
            for ar in kpi.saknas_ar:
                s[ar] = None
            serier[kpi.id][kod] = s
    # One comparison municipality did not report one year (nulls happen in Kolada).
    serier["N15428"]["0581"][2021] = None
    serier["U23471"]["1980"][2023] = None
    serier[INVANARE] = {}
    for kod, k in kommuner.items():
        if kod == KOMMUNKOD:
            serier[INVANARE][kod] = {ar: float(sum(befolkning_total[ar])) for ar in KOLADA_AR}
        else:
            serier[INVANARE][kod] = {
                ar: float(round(k.folkmangd * (1 + FOLKTILLVAXT[kod]) ** (ar - 2019)))
                for ar in KOLADA_AR
            }
    return serier


def kolada_svar(
    serier: dict[str, dict[str, dict[int, float | None]]],
    kommuner: dict[str, Kommun],
    befolkning_total: dict[int, tuple[int, int]],
    kpier: tuple[str, ...],
) -> dict:
    """A Kolada API v3 /v3/data answer for the given KPIs."""
    alla = {k.id: k for k in KOLADA_EKONOMI + KOLADA_VERKSAMHET}
    poster: list[dict] = []
    for kpi_id in sorted(kpier):
        for kod in JAMFORELSEGRUPP:
            for ar in KOLADA_AR:
                v = serier[kpi_id][kod][ar]
                if kpi_id == INVANARE:
                    if kod == KOMMUNKOD:
                        man, kvinnor = befolkning_total[ar]
                    else:
                        andel = kommuner[kod].man / kommuner[kod].folkmangd
                        man = round(float(v) * andel)
                        kvinnor = int(v) - man
                    kon = {"T": int(v), "M": man, "K": kvinnor}
                else:
                    kpi = alla[kpi_id]
                    t = _varde(v, kpi.decimaler)
                    kon = {"T": t}
                    if kpi.kon:
                        d = kpi.kon_skillnad / 2
                        kon["K"] = None if v is None else _varde(v + d, kpi.decimaler)
                        kon["M"] = None if v is None else _varde(v - d, kpi.decimaler)
                poster.append(_post(kpi_id, kod, ar, kon))
    return {"count": len(poster), "values": poster, "next_url": None}


# Own measures: id → (org → (value 2019, value 2025), decimals). Yearly periods.
# fmt: off
EGNA_MATT: dict[str, tuple[dict[str, tuple[float, float]], int]] = {
    "SJUKFRANVARO": (
        {"KOMMUN": (7.4, 7.1), "KS": (4.1, 4.3), "BUN": (7.0, 6.6), "UAN": (5.2, 5.0),
         "SBN": (3.9, 3.6), "TN": (5.6, 5.9), "MHN": (4.2, 4.0), "SOC": (9.1, 8.8),
         "AEN": (10.3, 9.9), "KFN": (5.0, 4.7)},
        1,
    ),
    "ANDEL_HELTID": ({"KOMMUN": (62.0, 73.5)}, 1),
    "NKI_BYGGLOV": ({"SBN": (61.0, 69.0)}, 0),
    "HANDLAGGNINGSTID_BYGGLOV": ({"SBN": (29.0, 24.0)}, 0),
    "NKI_MILJO": ({"MHN": (72.0, 71.0)}, 0),
    "ANDEL_FOSSILFRI_FORDON": ({"TN": (46.0, 79.0)}, 1),
    "BESOK_BIBLIOTEK_INV": ({"KFN": (5.6, 5.1)}, 2),
    "ANDEL_FORSKOLLARARE": ({"BUN": (38.5, 41.0), "Förskola": (38.5, 41.0)}, 1),
    "DELAKTIGHET_LSS": ({"SOC": (77.0, 80.5)}, 1),
    "NOJDHET_MAT_SABO": ({"Särskilt boende": (70.0, 74.0)}, 1),
    "ARBETE_EFTER_VUX": ({"UAN": (55.0, 59.5)}, 1),
    "KRISOVNINGAR": ({"KRIS": (1.0, 3.0)}, 0),
}
# fmt: on


def egna_serier(seed: int) -> dict[tuple[str, str], dict[int, float]]:
    rng = np.random.default_rng([seed, 8])
    serier: dict[tuple[str, str], dict[int, float]] = {}
    ar = np.array(KOLADA_AR)
    for matt, (per_org, decimaler) in EGNA_MATT.items():
        for org, (start, slut) in per_org.items():
            t = (ar - 2019) / 6
            brus = rng.normal(0.0, 0.015 * abs(slut - start) + 0.05 * 10**-decimaler, t.size)
            v = start + (slut - start) * t + brus
            if matt == "SJUKFRANVARO":
                v = v + np.where(ar == 2020, 1.2, 0) + np.where(ar == 2021, 0.8, 0)
            if matt == "BESOK_BIBLIOTEK_INV":
                v = v - np.where(ar == 2020, 2.0, 0) - np.where(ar == 2021, 1.2, 0)
            v[0], v[-1] = start, slut
            serier[(matt, org)] = {
                int(a): round(float(x), decimaler) for a, x in zip(ar, v, strict=True)
            }
    return serier


def indikator_rader(
    egna: dict[tuple[str, str], dict[int, float]],
    resultatandel: dict[int, float],
    folkmangd: dict[int, int],
) -> list[list[str]]:
    rader: list[list[str]] = []
    for (matt, org), serie in egna.items():
        for ar, v in serie.items():
            rader.append([matt, org, str(ar), f"{v}".replace(".", ",")])
    for ar, v in resultatandel.items():
        rader.append(["RESULTATANDEL", "KOMMUN", str(ar), f"{v:.1f}".replace(".", ",")])
    for ar, v in folkmangd.items():
        if ar <= 2025:
            rader.append(["FOLKMANGD", "KOMMUN", str(ar), str(v)])
    rader.sort(key=lambda r: (r[0], r[1], r[2]))
    return rader


# Goals: (id, niva, org, titel, perspektiv, foralder, agenda2030)
# fmt: off
MAL: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("KF1", "kommun", "KOMMUN", "Fler barn och unga klarar skolan och etablerar sig i arbetslivet",
     "medborgare", "", "4.1"),
    ("KF2", "kommun", "KOMMUN", "Äldre och personer med funktionsnedsättning får en trygg och "
     "god omsorg", "medborgare", "", "3.8"),
    ("KF3", "kommun", "KOMMUN", "Kommunen är en attraktiv arbetsgivare med en hållbar "
     "arbetsmiljö", "medarbetare", "", "8.5"),
    ("KF4", "kommun", "KOMMUN", "God ekonomisk hushållning och ett hållbart samhällsbyggande",
     "ekonomi", "", "11.3"),
    ("KS1", "namnd", "KS", "Kommunens ekonomi är i balans över tid", "ekonomi", "KF4", ""),
    ("KS2", "namnd", "KS", "Fler medarbetare arbetar heltid", "medarbetare", "KF3", "8.5"),
    ("BUN1", "namnd", "BUN", "Fler elever är behöriga till gymnasieskolan", "medborgare", "KF1",
     "4.1"),
    ("BUN2", "namnd", "BUN", "Barnen i förskolan möts av utbildade förskollärare", "medborgare",
     "KF1", "4.2"),
    ("UAN1", "namnd", "UAN", "Fler gymnasieelever tar examen", "medborgare", "KF1", "4.3"),
    ("UAN2", "namnd", "UAN", "Fler vuxna går från studier till arbete", "medborgare", "KF1",
     "8.6"),
    ("SBN1", "namnd", "SBN", "En snabbare och mer förutsägbar bygglovsprocess", "medborgare",
     "KF4", "11.3"),
    ("TN1", "namnd", "TN", "En fossilfri kommunal fordonsflotta", "hallbarhet", "KF4", "13.2"),
    ("MHN1", "namnd", "MHN", "Tillsynen upplevs som rättssäker och stödjande", "medborgare", "KF4",
     "11.6"),
    ("SOC1", "namnd", "SOC", "Personer med insatser enligt LSS upplever delaktighet",
     "medborgare", "KF2", "10.2"),
    ("SOC2", "namnd", "SOC", "Färre invånare är beroende av ekonomiskt bistånd", "medborgare",
     "KF1", "1.3"),
    ("AEN1", "namnd", "AEN", "Äldre är nöjda med sin hemtjänst och sitt boende", "medborgare",
     "KF2", "3.8"),
    ("AEN2", "namnd", "AEN", "Lägre sjukfrånvaro i äldreomsorgen", "medarbetare", "KF3", "8.8"),
    ("KFN1", "namnd", "KFN", "Fler invånare använder biblioteken", "medborgare", "KF1", "4.6"),
    ("VALN1", "namnd", "VALN", "Valen genomförs rättssäkert och tillgängligt", "medborgare",
     "KF4", "16.7"),
    ("OFN1", "namnd", "OFN", "Ställföreträdare får snabbare stöd och tydligare tillsyn",
     "medborgare", "KF2", "16.6"),
    ("KRIS1", "namnd", "KRIS", "Kommunens krisledning är övad och förberedd", "hallbarhet", "KF4",
     "11.5"),
    ("FSK1", "verksamhet", "Förskola", "Fler förskollärare i barngrupperna", "medborgare", "BUN2",
     "4.2"),
    ("SABO1", "verksamhet", "Särskilt boende", "Fler boende är nöjda med måltiderna",
     "medborgare", "AEN1", "3.8"),
)
# fmt: on

# Goal indicators: (mal, indikator, kalla, riktning, org of the series, wanted status).
# fmt: off
MALINDIKATORER: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("KF1", "N15428", "kolada", "hogre", KOMMUNKOD, "delvis"),
    ("KF1", "N17457", "kolada", "hogre", KOMMUNKOD, "saknar"),
    ("KF2", "U21468", "kolada", "hogre", KOMMUNKOD, "uppfyllt"),
    ("KF2", "U23471", "kolada", "hogre", KOMMUNKOD, "delvis"),
    ("KF3", "SJUKFRANVARO", "egen", "lagre", "KOMMUN", "delvis"),
    ("KF3", "ANDEL_HELTID", "egen", "hogre", "KOMMUN", "uppfyllt"),
    ("KF4", "RESULTATANDEL", "egen", "hogre", "KOMMUN", "ej"),
    ("KF4", "N00097", "kolada", "lagre", KOMMUNKOD, "uppfyllt"),
    ("KF4", "FOLKMANGD", "scb", "hogre", "KOMMUN", "uppfyllt"),
    ("KS1", "RESULTATANDEL", "egen", "hogre", "KOMMUN", "ej"),
    ("KS2", "ANDEL_HELTID", "egen", "hogre", "KOMMUN", "delvis"),
    ("BUN1", "N15428", "kolada", "hogre", KOMMUNKOD, "delvis"),
    ("BUN2", "ANDEL_FORSKOLLARARE", "egen", "hogre", "BUN", "uppfyllt"),
    ("UAN1", "N17457", "kolada", "hogre", KOMMUNKOD, "saknar"),
    ("UAN2", "ARBETE_EFTER_VUX", "egen", "hogre", "UAN", "uppfyllt"),
    ("SBN1", "NKI_BYGGLOV", "egen", "hogre", "SBN", "delvis"),
    ("SBN1", "HANDLAGGNINGSTID_BYGGLOV", "egen", "lagre", "SBN", "uppfyllt"),
    ("TN1", "ANDEL_FOSSILFRI_FORDON", "egen", "hogre", "TN", "delvis"),
    ("MHN1", "NKI_MILJO", "egen", "hogre", "MHN", "ej"),
    ("SOC1", "DELAKTIGHET_LSS", "egen", "hogre", "SOC", "uppfyllt"),
    ("SOC2", "N31807", "kolada", "lagre", KOMMUNKOD, "uppfyllt"),
    ("AEN1", "U21468", "kolada", "hogre", KOMMUNKOD, "uppfyllt"),
    ("AEN1", "U23471", "kolada", "hogre", KOMMUNKOD, "delvis"),
    ("AEN2", "SJUKFRANVARO", "egen", "lagre", "AEN", "ej"),
    ("KFN1", "BESOK_BIBLIOTEK_INV", "egen", "hogre", "KFN", "ej"),
    ("VALN1", "VALDELTAGANDE", "egen", "hogre", "VALN", "saknar"),
    ("KRIS1", "KRISOVNINGAR", "egen", "hogre", "KRIS", "uppfyllt"),
    ("FSK1", "ANDEL_FORSKOLLARARE", "egen", "hogre", "Förskola", "delvis"),
    ("SABO1", "NOJDHET_MAT_SABO", "egen", "hogre", "Särskilt boende", "uppfyllt"),
)
# fmt: on
UTGANGSAR = 2022

# The previous year's register: fewer goals, and KS1 kept under the same id with an indicator
# of its own that year (the goal is the same, how it is followed up changed).
# fmt: off
FOREGAENDE_AR: tuple[tuple[str, ...], tuple[tuple[str, str, str, str, str, str], ...]] = (
    ("KF3", "KF4", "KS1", "KS2"),
    (
        ("KF3", "SJUKFRANVARO", "egen", "lagre", "KOMMUN", "delvis"),
        ("KF4", "RESULTATANDEL", "egen", "hogre", "KOMMUN", "ej"),
        ("KS1", "N00097", "kolada", "lagre", KOMMUNKOD, "uppfyllt"),
        ("KS2", "ANDEL_HELTID", "egen", "hogre", "KOMMUN", "delvis"),
    ),
)
# fmt: on


def _malvarde(bas: float, senast: float, riktning: str, status: str, decimaler: int) -> float:
    """A target that gives the wanted status against the latest value, rounded the safe way."""
    tecken = 1 if riktning == "hogre" else -1
    forbattring = tecken * (senast - bas)
    steg = 10.0 ** -max(decimaler, 1)
    if status == "uppfyllt" and forbattring > 0:
        mal, mot_bas = bas + tecken * 0.6 * forbattring, True
    elif status == "uppfyllt":
        mal, mot_bas = senast, True
    elif status == "delvis" and forbattring > 0:
        mal, mot_bas = bas + tecken * forbattring / 0.7, False
    else:  # ej uppfyllt (or no progress): a target clearly beyond the latest value
        mal = bas + tecken * max(abs(forbattring) * 3, abs(bas) * 0.03, 5 * steg)
        mot_bas = False
    # Round toward the baseline for a met target, away from it otherwise.
    uppat = (tecken < 0) == mot_bas
    n = mal / steg
    avrundat = (math.ceil(n - 1e-9) if uppat else math.floor(n + 1e-9)) * steg
    if status == "delvis" and tecken * (avrundat - senast) <= 0:
        avrundat = senast + tecken * steg
    return round(avrundat, max(decimaler, 1))


def mal_register(
    ar: int,
    kolada: dict[str, dict[str, dict[int, float | None]]],
    egna: dict[tuple[str, str], dict[int, float]],
    resultatandel: dict[int, float],
    folkmangd: dict[int, int],
    urval: tuple[tuple[str, ...], tuple[tuple[str, str, str, str, str, str], ...]] | None = None,
) -> dict:
    """The register for year `ar`; `urval` = (goal ids, indicator rows) for a smaller one."""
    mal_ids, malindikatorer = urval if urval else (None, MALINDIKATORER)
    mal = [
        {
            "id": i,
            "niva": niva,
            "org": org,
            "ar": ar,
            "titel": titel,
            "perspektiv": persp,
            "foralder": foralder or None,
            "agenda2030": agenda or None,
        }
        for i, niva, org, titel, persp, foralder, agenda in MAL
        if mal_ids is None or i in mal_ids
    ]
    indikatorer = []
    for mal_id, ind, kalla, riktning, org, status in malindikatorer:
        if kalla == "kolada":
            serie = {a: v for a, v in kolada[ind][org].items() if v is not None}
            decimaler = 1
        elif ind == "RESULTATANDEL":
            serie, decimaler = dict(resultatandel), 1
        elif ind == "FOLKMANGD":
            serie = {a: float(v) for a, v in folkmangd.items() if a <= 2025}
            decimaler = 0
        elif ind == "VALDELTAGANDE":
            serie, decimaler = {2022: 83.4}, 1
        else:
            serie, decimaler = egna[(ind, org)], EGNA_MATT[ind][1]
        bas = serie.get(UTGANGSAR, next(iter(serie.values())))
        senast = serie[max(serie)]
        if ind == "FOLKMANGD":
            malvarde: float = 150_000.0
        elif ind == "RESULTATANDEL":
            malvarde = 2.0  # KF's financial goal for god ekonomisk hushållning
        elif ind == "VALDELTAGANDE":
            malvarde = 85.0
        else:
            malvarde = _malvarde(bas, senast, riktning, status, decimaler)
        indikatorer.append(
            {
                "mal": mal_id,
                "indikator": ind,
                "kalla": kalla,
                "riktning": riktning,
                "utgangsvarde": float(bas),
                "malvarde": float(malvarde),
            }
        )
    return {"mal": mal, "indikatorer": indikatorer}


MAL_RUBRIK = """\
# Styrhjul demo: kommunens målregister (påhittade mål för demokommunen).
# mal: id, niva (kommun | namnd | verksamhet), org (KOMMUN, nämndkod eller verksamhetsområde),
#      ar, titel, perspektiv (medborgare | ekonomi | medarbetare | hallbarhet), foralder
#      (målet på nivån ovanför som målet bidrar till), agenda2030 (delmål).
# indikatorer: mal, indikator (Kolada-id eller eget mått), kalla (kolada | scb | egen),
#      riktning (hogre | lagre är bättre), utgangsvarde (år 2022), malvarde.
# OFN1 saknar indikator med avsikt: en brist i målkedjan som produkten ska rapportera.
"""
