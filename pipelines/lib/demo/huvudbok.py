"""Budget rows and the monthly ledger (utfall), built from the units' profiles and the frames.

Budget: for each year and ansvar × verksamhet × konto an annual amount in whole thousands of
kronor: a unit's share of its nämnd's frame spread by its profile. The current year has a KF
version and an internbudget version that moves money within each nämnd but keeps its net frame
to the krona.

Utfall: amount = annual budget × the row's periodisation share × (1 + the nämnd's deviation) ×
(1 + noise), in öre. The deviation is a small surplus in past years. In the current year
Socialnämnden and Äldrenämnden drift 2–4 % over (growing through the year), Barn- och
utbildningsnämnden is over in spring and back under by autumn, and the others run a small
surplus. Noise is demeaned per row and year and, if it would still push a nämnd meant to be on
budget over its budget year to date in some month, shrunk until it does not.

Internal trade: buyers book lokalhyra, måltider and IT-tjänster with motpart INT; the selling
unit's revenue row is minus the buyers' sum for the month, so INT rows net to exactly 0.00 in
every period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .kontoplan import HANDEL, PROFILER, STANDARD_OVRIGT, kontoklass
from .organisation import SAMMANSLAGEN, Enhet
from .periodisering import nycklar
from .ramar import REALISATIONSVINSTER, VALAR, Ekonomi

# Current-year deviation of utfall from the periodised budget, per month (1..12).
DRIFT: dict[str, tuple[float, ...]] = {
    "SOC": tuple(0.020 + 0.020 * m / 11 for m in range(12)),
    "AEN": tuple(0.015 + 0.025 * m / 11 for m in range(12)),
    "BUN": (
        -0.010,
        0.005,
        0.020,
        0.025,
        0.020,
        -0.020,
        -0.030,
        -0.035,
        -0.035,
        -0.035,
        -0.035,
        -0.035,
    ),
}
OVERDRAGARE = ("AEN", "SOC")  # over budget in the current year, with growing deficits
ATERHAMTARE = "BUN"  # over in spring, back within budget by autumn

FIN_PENSION = (("5510", 0.55), ("5520", 0.20), ("5530", 0.10), ("5560", 0.15))
FIN_SKATT = (("8010", 0.990), ("8020", 0.008), ("8030", 0.002))
FIN_STATSBIDRAG = (
    ("8210", -0.78),
    ("8220", -0.06),
    ("8230", -0.08),
    ("8250", -0.12),
    ("8310", 0.04),
)


@dataclass
class Rad:
    """A design row: one ansvar × verksamhet × konto (× projekt, motpart) of the ledger."""

    enhet: Enhet
    verksamhet: str
    konto: str
    andel: float  # signed share of the unit's gross cost (costs +, revenue −)
    typ: str  # kostnad, intakt, kop (internal purchase), salj (internal sale), fin
    handel: str | None = None
    projekt: str = ""
    sigma: float = 0.0

    @property
    def motpart(self) -> str:
        return "INT" if self.typ in ("kop", "salj") else "EXT"


def _sigma(konto: str, typ: str, handel: str | None) -> float:
    if typ == "kop":
        return 0.0 if handel == "lokal" else 0.012
    if typ in ("salj", "fin"):
        return 0.0
    if typ == "intakt":
        return 0.03
    return 0.006 if kontoklass(konto) == 5 else 0.025


def _profilrader(e: Enhet) -> list[Rad]:
    profil = PROFILER[e.profil]
    verks = profil.verksamheter
    primar = verks[0][0]
    kostnad: dict[tuple[str, str, str, str | None], float] = {}

    def add(v: str, konto: str, andel: float, typ: str = "kostnad", handel: str | None = None):
        key = (v, konto, typ, handel)
        kostnad[key] = kostnad.get(key, 0.0) + andel

    mix = profil.personal_mix
    for v, s in verks:
        if v == primar:
            for konto, w in mix:
                add(v, konto, profil.personal * s * w)
        else:
            huvud = mix[0][0]
            po = dict(mix).get("5410", 0.0)
            add(v, huvud, profil.personal * s * (1 - po))
            if po:
                add(v, "5410", profil.personal * s * po)
    for handel, andel in (("lokal", profil.lokal), ("maltid", profil.maltid), ("it", profil.it)):
        if andel:
            add(primar, HANDEL[handel][0], andel, "kop", handel)
    ovrigt = list(profil.ovrigt) + (list(STANDARD_OVRIGT) if profil.standard else [])
    for konto, andel, *verksamhet in ovrigt:
        add(verksamhet[0] if verksamhet else primar, konto, andel)
    if e.namndkostnad:
        add("100", "5310", 0.008)
        add("100", "5410", 0.0025)
    total = sum(kostnad.values())
    rader = [
        Rad(
            e,
            v,
            konto,
            andel / total,
            typ,
            handel,
            profil.projekt.get(konto, ""),
            _sigma(konto, typ, handel),
        )
        for (v, konto, typ, handel), andel in kostnad.items()
    ]
    for konto, andel in profil.intakter:
        rader.append(
            Rad(
                e,
                primar,
                konto,
                -andel,
                "intakt",
                None,
                profil.projekt.get(konto, ""),
                _sigma(konto, "intakt", None),
            )
        )
    if profil.saljer:
        _, konto, v = HANDEL[profil.saljer]
        rader.append(Rad(e, v, konto, 0.0, "salj", profil.saljer))
    return rader


def _fin_rader(e: Enhet) -> list[Rad]:
    if e.ansvar == "90010":
        konton = [k for k, _ in FIN_SKATT] + [k for k, _ in FIN_STATSBIDRAG]
        return [Rad(e, "900", k, 0.0, "fin") for k in konton]
    if e.ansvar == "90020":
        return [
            Rad(e, "920", k, 0.0, "fin") for k in ("8410", "8420", "8430", "8510", "8520", "8590")
        ]
    rader = [Rad(e, "910", k, 0.0, "fin", sigma=0.004) for k, _ in FIN_PENSION]
    rader.append(Rad(e, "930", "3670", 0.0, "fin"))
    return rader


def design(enheter: list[Enhet]) -> list[Rad]:
    rader: list[Rad] = []
    for e in enheter:
        rader.extend(_fin_rader(e) if e.profil == "fin" else _profilrader(e))
    return rader


def namnd_for(rad: Rad, ar: int) -> str:
    """The nämnd whose budget the row belongs to in a year."""
    return rad.enhet.namnd_ar(ar)


def namnd_per_manad(rader: list[Rad], ar: int) -> np.ndarray:
    """[rows, 12]: the nämnd each row's month counts in (the organisation on its first day)."""
    return np.array([[r.enhet.namnd_manad(ar, m) for m in range(1, 13)] for r in rader])


def _finns_ar(rad: Rad, ar: int) -> bool:
    return rad.enhet.start is None or rad.enhet.start.year <= ar


def _radens_nyckel(rad: Rad, ar: int) -> str:
    if rad.enhet.namnd == "VALN" and ar in VALAR:
        return "VAL"
    if rad.enhet.namnd == "FIN":
        return "JAMN"
    return "PERSONAL" if kontoklass(rad.konto) == 5 else "JAMN"


def _ramnamnd(e: Enhet, ar: int) -> str:
    """The nämnd whose frame funds the unit in a year: after a move the new one (the merged
    IFO keeps its own frame, as before)."""
    return e.flytt[1] if e.flytt and e.namnd_ar(ar) == e.flytt[1] else e.namnd


def _tkr(x: float) -> int:
    return int(round(x / 1000.0)) * 1000


def budget_kf(rader: list[Rad], eko: Ekonomi, ar: int) -> np.ndarray:
    """Annual KF budget per design row for a year, whole thousands of kronor."""
    belopp = np.zeros(len(rader), dtype=np.int64)
    vikt_summa: dict[str, float] = {}
    for e in {r.enhet.ansvar: r.enhet for r in rader}.values():
        if e.vikt and (e.start is None or e.start.year <= ar):
            vikt_summa[_ramnamnd(e, ar)] = vikt_summa.get(_ramnamnd(e, ar), 0.0) + e.vikt
    intakt_andel: dict[str, float] = {}
    for r in rader:
        if r.typ == "intakt":
            intakt_andel[r.enhet.ansvar] = intakt_andel.get(r.enhet.ansvar, 0.0) - r.andel
    # Ordinary units: their share of the nämnd's frame, spread by the profile.
    for i, r in enumerate(rader):
        e = r.enhet
        if not e.vikt or r.typ == "salj" or not _finns_ar(r, ar):
            continue
        if e.namnd == SAMMANSLAGEN and ar >= 2025 and r.verksamhet == "100":
            continue  # the merged nämnd has no board of its own any more
        netto = eko.ram[(_ramnamnd(e, ar), ar)] * e.vikt / vikt_summa[_ramnamnd(e, ar)]
        brutto = netto / (1 - intakt_andel.get(e.ansvar, 0.0))
        belopp[i] = _tkr(brutto * r.andel)
    # Sellers: internal revenue is minus what the buyers budget; costs cover it (net about 0).
    for handel in HANDEL:
        kop = sum(
            int(belopp[i]) for i, r in enumerate(rader) if r.typ == "kop" and r.handel == handel
        )
        for i, r in enumerate(rader):
            if r.typ == "salj" and r.handel == handel:
                belopp[i] = -kop
                salj = r.enhet.ansvar
                ext = intakt_andel.get(salj, 0.0)
                brutto = kop / (1 - ext)
                for j, s in enumerate(rader):
                    if s.enhet.ansvar == salj and s.typ in ("kostnad", "intakt"):
                        belopp[j] = _tkr(brutto * s.andel)
    # Finansförvaltningen.
    for i, r in enumerate(rader):
        if r.typ != "fin":
            continue
        belopp[i] = _tkr(_fin_budget(r.konto, eko, ar))
    return belopp


def _fin_budget(konto: str, eko: Ekonomi, ar: int) -> float:
    if konto == "8010":
        return -eko.skatteintakter_budget[ar]
    if konto in ("8020", "8030", "3670"):
        return 0.0
    andel = dict(FIN_STATSBIDRAG).get(konto)
    if andel is not None:
        return andel * eko.statsbidrag_budget[ar]
    pension = dict(FIN_PENSION).get(konto)
    if pension is not None:
        return pension * eko.pension[ar]
    return _finans(konto, eko, ar, budget=True)


def _finans(konto: str, eko: Ekonomi, ar: int, budget: bool) -> float:
    intakt = eko.finans_intakter[ar] * (0.95 if budget else 1.0)
    kostnad = eko.finans_kostnader[ar]
    return {
        "8410": -0.45 * intakt,
        "8420": -0.15 * intakt,
        "8430": -0.40 * intakt,
        "8510": 0.80 * kostnad,
        "8520": 0.18 * kostnad,
        "8590": 0.02 * kostnad,
    }[konto]


def internbudget(rader: list[Rad], kf: np.ndarray, ar: int, rng: np.random.Generator) -> np.ndarray:
    """The nämnder's own distribution of the current year's frame: same net per nämnd."""
    ib = kf.copy()
    per_namnd: dict[str, list[int]] = {}
    for i, r in enumerate(rader):
        per_namnd.setdefault(namnd_for(r, ar), []).append(i)
    for namnd, idx in sorted(per_namnd.items()):
        if namnd == "FIN":
            continue
        flyttbara = [i for i in idx if rader[i].typ == "kostnad" and kf[i] > 0]
        if not flyttbara:
            continue
        for i in flyttbara:
            spann = 0.015 if kontoklass(rader[i].konto) == 5 else 0.04
            ib[i] = _tkr(kf[i] * (1 + rng.uniform(-spann, spann)))
        mottagare = max(
            (i for i in flyttbara if kontoklass(rader[i].konto) in (4, 6, 7)),
            key=lambda i: (kf[i], -i),
            default=max(flyttbara, key=lambda i: (kf[i], -i)),
        )
        ib[mottagare] += int(kf[idx].sum() - ib[idx].sum())
    return ib


@dataclass
class Ar:
    """One year's ledger: öre per design row × month (only the delivered months)."""

    ar: int
    manader: int
    ore: np.ndarray  # [rows, months] int64


def _andelar(rader: list[Rad], ar: int) -> np.ndarray:
    """[rows, 12] periodisation shares, renormalised over the months a unit exists."""
    keys = nycklar(ar)
    andelar = np.array([keys[_radens_nyckel(r, ar)] for r in rader], dtype=float)
    for i, r in enumerate(rader):
        if r.enhet.start is not None and r.enhet.start.year == ar:
            finns = np.array([r.enhet.finns(ar, m) for m in range(1, 13)])
            andelar[i] = np.where(finns, andelar[i], 0.0)
            andelar[i] /= andelar[i].sum()
    return andelar


def _avvikelse(rader: list[Rad], eko: Ekonomi, ar: int) -> np.ndarray:
    """Deviation of utfall from budget per row × month."""
    dev = np.zeros((len(rader), 12))
    namn = namnd_per_manad(rader, ar)
    for i, r in enumerate(rader):
        if r.enhet.namnd == "FIN":
            dev[i] = -0.02
            continue
        for m in range(12):
            namnd = str(namn[i, m])
            if ar == eko.aktuellt_ar and namnd in DRIFT:
                dev[i, m] = DRIFT[namnd][m]
            else:
                # Before the merger IFO's units run IFO's margin (the register's nämnd).
                egen = r.enhet.namnd if namnd == r.enhet.namnd_ar(ar) else namnd
                dev[i, m] = -eko.marginal[(egen, ar)]
    return dev


def _fin_utfall(r: Rad, eko: Ekonomi, ar: int, budget: int) -> np.ndarray:
    """FIN's monthly amounts in kronor (float) for the 12 months."""
    manad = np.zeros(12)
    if r.konto in dict(FIN_SKATT):
        manad[:] = -dict(FIN_SKATT)[r.konto] * eko.skatteintakter[ar] / 12
    elif r.konto in dict(FIN_STATSBIDRAG):
        manad[:] = dict(FIN_STATSBIDRAG)[r.konto] * eko.statsbidrag[ar] / 12
    elif r.konto == "3670":
        for a, m, b in REALISATIONSVINSTER:
            if a == ar:
                manad[m - 1] -= b
    elif r.konto in ("8410",):
        manad[4] = _finans(r.konto, eko, ar, budget=False)
    elif r.konto in ("8430", "8510"):
        manad[[2, 5, 8, 11]] = _finans(r.konto, eko, ar, budget=False) / 4
    elif r.konto.startswith("8"):
        manad[:] = _finans(r.konto, eko, ar, budget=False) / 12
    else:  # pensions follow their budget, a little under
        manad[:] = budget * 0.98 / 12
    return manad


def utfall(
    rader: list[Rad],
    budget: np.ndarray,
    eko: Ekonomi,
    ar: int,
    manader: int,
    rng: np.random.Generator,
) -> Ar:
    """The year's ledger in öre, with exactly balanced internal trade."""
    andelar = _andelar(rader, ar)
    dev = _avvikelse(rader, eko, ar)
    sigma = np.array([r.sigma for r in rader])
    brus = rng.normal(0.0, 1.0, size=(len(rader), 12)) * sigma[:, None]
    brus -= brus.mean(axis=1, keepdims=True)
    fin = np.array([r.typ == "fin" for r in rader])
    fin_kr = np.zeros((len(rader), 12))
    for i in np.flatnonzero(fin):
        fin_kr[i] = _fin_utfall(rader[i], eko, ar, int(budget[i]))
    skydd = _skyddade_namnder(rader, eko, ar)

    namn = namnd_per_manad(rader, ar)
    for _ in range(6):
        ore = _berakna(rader, budget, andelar, dev, brus, fin, fin_kr)
        over = _over_budget(rader, budget, andelar, ore, namn, skydd)
        if not over:
            break
        for i in range(len(rader)):
            if set(namn[i].tolist()) & over:
                brus[i] *= 0.4
    else:
        brus[:] = 0.0
        ore = _berakna(rader, budget, andelar, dev, brus, fin, fin_kr)
    return Ar(ar=ar, manader=manader, ore=ore[:, :manader])


def _berakna(rader, budget, andelar, dev, brus, fin, fin_kr) -> np.ndarray:
    kr = budget[:, None] * andelar * (1 + dev) * (1 + brus)
    kr[fin] = fin_kr[fin] * (1 + brus[fin])
    ore = np.rint(kr * 100).astype(np.int64)
    for handel in HANDEL:
        kop = np.array([r.typ == "kop" and r.handel == handel for r in rader])
        salj = [i for i, r in enumerate(rader) if r.typ == "salj" and r.handel == handel]
        if not salj:
            continue
        kop_ore = ore[kop].sum(axis=0)
        plan = (budget[kop][:, None] * andelar[kop]).sum(axis=0) * 100
        volym = np.divide(kop_ore, plan, out=np.ones(12), where=plan != 0)
        saljare = rader[salj[0]].enhet.ansvar
        for i, r in enumerate(rader):
            if r.enhet.ansvar == saljare and r.typ in ("kostnad", "intakt"):
                ore[i] = np.rint(
                    budget[i] * andelar[i] * (volym - 0.005) * (1 + brus[i]) * 100
                ).astype(np.int64)
        ore[salj[0]] = -kop_ore
    return ore


def _skyddade_namnder(rader: list[Rad], eko: Ekonomi, ar: int) -> set[str]:
    """Nämnder that should stay within budget year to date every month of the year."""
    namnder = set(namnd_per_manad(rader, ar).ravel().tolist())
    if ar == eko.aktuellt_ar:
        namnder -= set(DRIFT)
    return namnder


def _over_budget(rader, budget, andelar, ore, namn, skydd) -> set[str]:
    """Protected nämnder over their budget ack in some month, each month counted in the
    organisation of that month (a unit moving mid-year changes nämnd with its months)."""
    netto = np.array([3 <= kontoklass(r.konto) <= 7 for r in rader])
    budget_manad = budget[:, None] * andelar * 100
    over: set[str] = set()
    for namnd in skydd:
        sel = netto[:, None] & (namn == namnd)
        if not sel.any():
            continue
        b = np.cumsum(np.where(sel, budget_manad, 0.0).sum(axis=0))
        u = np.cumsum(np.where(sel, ore, 0).sum(axis=0))
        marginal = np.abs(budget[sel.any(axis=1)]).sum() * 100 * 1e-4  # safety for rounding
        if (u > b - marginal).any():
            over.add(namnd)
    return over
