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

from .accounts import PROFILES, STANDARD_OTHER, TRADE, kontoklass
from .economy import CAPITAL_GAINS, ELECTION_YEARS, Economy
from .organisation import MERGED_NAMND, Unit
from .periodisering import period_keys

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
OVERSPENDING_NAMNDER = ("AEN", "SOC")  # over budget in the current year, with growing deficits
RECOVERING_NAMND = "BUN"  # over in spring, back within budget by autumn

FIN_PENSION = (("5510", 0.55), ("5520", 0.20), ("5530", 0.10), ("5560", 0.15))
FIN_TAX = (("8010", 0.990), ("8020", 0.008), ("8030", 0.002))
FIN_STATSBIDRAG = (
    ("8210", -0.78),
    ("8220", -0.06),
    ("8230", -0.08),
    ("8250", -0.12),
    ("8310", 0.04),
)


@dataclass
class DesignRow:
    """A design row: one ansvar × verksamhet × konto (× projekt, motpart) of the ledger."""

    unit: Unit
    verksamhet: str
    konto: str
    share: float  # signed share of the unit's gross cost (costs +, revenue −)
    kind: str  # kostnad, intakt, kop (internal purchase), salj (internal sale), fin
    trade: str | None = None
    projekt: str = ""
    sigma: float = 0.0

    @property
    def motpart(self) -> str:
        return "INT" if self.kind in ("kop", "salj") else "EXT"


def _sigma(konto: str, kind: str, trade: str | None) -> float:
    if kind == "kop":
        return 0.0 if trade == "lokal" else 0.012
    if kind in ("salj", "fin"):
        return 0.0
    if kind == "intakt":
        return 0.03
    return 0.006 if kontoklass(konto) == 5 else 0.025


def _profile_rows(e: Unit) -> list[DesignRow]:
    profile = PROFILES[e.profile]
    activities = profile.verksamheter
    primary = activities[0][0]
    cost: dict[tuple[str, str, str, str | None], float] = {}

    def add(v: str, konto: str, share: float, kind: str = "kostnad", trade: str | None = None):
        key = (v, konto, kind, trade)
        cost[key] = cost.get(key, 0.0) + share

    mix = profile.staff_mix
    for v, s in activities:
        if v == primary:
            for konto, w in mix:
                add(v, konto, profile.staff * s * w)
        else:
            main_konto = mix[0][0]
            po = dict(mix).get("5410", 0.0)
            add(v, main_konto, profile.staff * s * (1 - po))
            if po:
                add(v, "5410", profile.staff * s * po)
    for trade, share in (
        ("lokal", profile.premises),
        ("maltid", profile.meals),
        ("it", profile.it),
    ):
        if share:
            add(primary, TRADE[trade][0], share, "kop", trade)
    other = list(profile.other) + (list(STANDARD_OTHER) if profile.standard else [])
    for konto, share, *verksamhet in other:
        add(verksamhet[0] if verksamhet else primary, konto, share)
    if e.namnd_costs:
        add("100", "5310", 0.008)
        add("100", "5410", 0.0025)
    total = sum(cost.values())
    rows = [
        DesignRow(
            e,
            v,
            konto,
            share / total,
            kind,
            trade,
            profile.projekt.get(konto, ""),
            _sigma(konto, kind, trade),
        )
        for (v, konto, kind, trade), share in cost.items()
    ]
    for konto, share in profile.revenue:
        rows.append(
            DesignRow(
                e,
                primary,
                konto,
                -share,
                "intakt",
                None,
                profile.projekt.get(konto, ""),
                _sigma(konto, "intakt", None),
            )
        )
    if profile.sells:
        _, konto, v = TRADE[profile.sells]
        rows.append(DesignRow(e, v, konto, 0.0, "salj", profile.sells))
    return rows


def _fin_rows(e: Unit) -> list[DesignRow]:
    if e.ansvar == "90010":
        konton = [k for k, _ in FIN_TAX] + [k for k, _ in FIN_STATSBIDRAG]
        return [DesignRow(e, "900", k, 0.0, "fin") for k in konton]
    if e.ansvar == "90020":
        return [
            DesignRow(e, "920", k, 0.0, "fin")
            for k in ("8410", "8420", "8430", "8510", "8520", "8590")
        ]
    rows = [DesignRow(e, "910", k, 0.0, "fin", sigma=0.004) for k, _ in FIN_PENSION]
    rows.append(DesignRow(e, "930", "3670", 0.0, "fin"))
    return rows


def design_rows(units: list[Unit]) -> list[DesignRow]:
    rows: list[DesignRow] = []
    for e in units:
        rows.extend(_fin_rows(e) if e.profile == "fin" else _profile_rows(e))
    return rows


def namnd_for(row: DesignRow, year: int) -> str:
    """The nämnd whose budget the row belongs to in a year."""
    return row.unit.namnd_in_year(year)


def namnd_per_month(rows: list[DesignRow], year: int) -> np.ndarray:
    """[rows, 12]: the nämnd each row's month counts in (the organisation on its first day)."""
    return np.array([[r.unit.namnd_in_month(year, m) for m in range(1, 13)] for r in rows])


def _exists_in_year(row: DesignRow, year: int) -> bool:
    return row.unit.start is None or row.unit.start.year <= year


def _row_key(row: DesignRow, year: int) -> str:
    if row.unit.namnd == "VALN" and year in ELECTION_YEARS:
        return "VAL"
    if row.unit.namnd == "FIN":
        return "JAMN"
    return "PERSONAL" if kontoklass(row.konto) == 5 else "JAMN"


def _frame_namnd(e: Unit, year: int) -> str:
    """The nämnd whose frame funds the unit in a year: after a move the new one (the merged
    IFO keeps its own frame, as before)."""
    return e.move[1] if e.move and e.namnd_in_year(year) == e.move[1] else e.namnd


def _thousands(x: float) -> int:
    return int(round(x / 1000.0)) * 1000


def budget_kf(rows: list[DesignRow], econ: Economy, year: int) -> np.ndarray:
    """Annual KF budget per design row for a year, whole thousands of kronor."""
    amounts = np.zeros(len(rows), dtype=np.int64)
    weight_sum: dict[str, float] = {}
    for e in {r.unit.ansvar: r.unit for r in rows}.values():
        if e.weight and (e.start is None or e.start.year <= year):
            weight_sum[_frame_namnd(e, year)] = (
                weight_sum.get(_frame_namnd(e, year), 0.0) + e.weight
            )
    revenue_share: dict[str, float] = {}
    for r in rows:
        if r.kind == "intakt":
            revenue_share[r.unit.ansvar] = revenue_share.get(r.unit.ansvar, 0.0) - r.share
    # Ordinary units: their share of the nämnd's frame, spread by the profile.
    for i, r in enumerate(rows):
        e = r.unit
        if not e.weight or r.kind == "salj" or not _exists_in_year(r, year):
            continue
        if e.namnd == MERGED_NAMND and year >= 2025 and r.verksamhet == "100":
            continue  # the merged nämnd has no board of its own any more
        net = (
            econ.frame[(_frame_namnd(e, year), year)] * e.weight / weight_sum[_frame_namnd(e, year)]
        )
        gross = net / (1 - revenue_share.get(e.ansvar, 0.0))
        amounts[i] = _thousands(gross * r.share)
    # Sellers: internal revenue is minus what the buyers budget; costs cover it (net about 0).
    for trade in TRADE:
        purchase = sum(
            int(amounts[i]) for i, r in enumerate(rows) if r.kind == "kop" and r.trade == trade
        )
        for i, r in enumerate(rows):
            if r.kind == "salj" and r.trade == trade:
                amounts[i] = -purchase
                seller = r.unit.ansvar
                ext = revenue_share.get(seller, 0.0)
                gross = purchase / (1 - ext)
                for j, s in enumerate(rows):
                    if s.unit.ansvar == seller and s.kind in ("kostnad", "intakt"):
                        amounts[j] = _thousands(gross * s.share)
    # Finansförvaltningen.
    for i, r in enumerate(rows):
        if r.kind != "fin":
            continue
        amounts[i] = _thousands(_fin_budget(r.konto, econ, year))
    return amounts


def _fin_budget(konto: str, econ: Economy, year: int) -> float:
    if konto == "8010":
        return -econ.skatteintakter_budget[year]
    if konto in ("8020", "8030", "3670"):
        return 0.0
    share = dict(FIN_STATSBIDRAG).get(konto)
    if share is not None:
        return share * econ.statsbidrag_budget[year]
    pension = dict(FIN_PENSION).get(konto)
    if pension is not None:
        return pension * econ.pension[year]
    return _financial(konto, econ, year, budget=True)


def _financial(konto: str, econ: Economy, year: int, budget: bool) -> float:
    revenue = econ.financial_income[year] * (0.95 if budget else 1.0)
    cost = econ.financial_costs[year]
    return {
        "8410": -0.45 * revenue,
        "8420": -0.15 * revenue,
        "8430": -0.40 * revenue,
        "8510": 0.80 * cost,
        "8520": 0.18 * cost,
        "8590": 0.02 * cost,
    }[konto]


def internbudget(
    rows: list[DesignRow], kf: np.ndarray, year: int, rng: np.random.Generator
) -> np.ndarray:
    """The nämnder's own distribution of the current year's frame: same net per nämnd."""
    ib = kf.copy()
    per_namnd: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        per_namnd.setdefault(namnd_for(r, year), []).append(i)
    for namnd, idx in sorted(per_namnd.items()):
        if namnd == "FIN":
            continue
        movable = [i for i in idx if rows[i].kind == "kostnad" and kf[i] > 0]
        if not movable:
            continue
        for i in movable:
            spread = 0.015 if kontoklass(rows[i].konto) == 5 else 0.04
            ib[i] = _thousands(kf[i] * (1 + rng.uniform(-spread, spread)))
        receiver = max(
            (i for i in movable if kontoklass(rows[i].konto) in (4, 6, 7)),
            key=lambda i: (kf[i], -i),
            default=max(movable, key=lambda i: (kf[i], -i)),
        )
        ib[receiver] += int(kf[idx].sum() - ib[idx].sum())
    return ib


@dataclass
class LedgerYear:
    """One year's ledger: öre per design row × month (only the delivered months)."""

    year: int
    months: int
    ore: np.ndarray  # [rows, months] int64


def _shares(rows: list[DesignRow], year: int) -> np.ndarray:
    """[rows, 12] periodisation shares, renormalised over the months a unit exists."""
    keys = period_keys(year)
    shares = np.array([keys[_row_key(r, year)] for r in rows], dtype=float)
    for i, r in enumerate(rows):
        if r.unit.start is not None and r.unit.start.year == year:
            exists = np.array([r.unit.exists(year, m) for m in range(1, 13)])
            shares[i] = np.where(exists, shares[i], 0.0)
            shares[i] /= shares[i].sum()
    return shares


def _deviation(rows: list[DesignRow], econ: Economy, year: int) -> np.ndarray:
    """Deviation of utfall from budget per row × month."""
    dev = np.zeros((len(rows), 12))
    namnd_of = namnd_per_month(rows, year)
    for i, r in enumerate(rows):
        if r.unit.namnd == "FIN":
            dev[i] = -0.02
            continue
        for m in range(12):
            namnd = str(namnd_of[i, m])
            if year == econ.current_year and namnd in DRIFT:
                dev[i, m] = DRIFT[namnd][m]
            else:
                # Before the merger IFO's units run IFO's margin (the register's nämnd).
                own = r.unit.namnd if namnd == r.unit.namnd_in_year(year) else namnd
                dev[i, m] = -econ.margin[(own, year)]
    return dev


def _fin_utfall(r: DesignRow, econ: Economy, year: int, budget: int) -> np.ndarray:
    """FIN's monthly amounts in kronor (float) for the 12 months."""
    monthly = np.zeros(12)
    if r.konto in dict(FIN_TAX):
        monthly[:] = -dict(FIN_TAX)[r.konto] * econ.skatteintakter[year] / 12
    elif r.konto in dict(FIN_STATSBIDRAG):
        monthly[:] = dict(FIN_STATSBIDRAG)[r.konto] * econ.statsbidrag[year] / 12
    elif r.konto == "3670":
        for a, m, b in CAPITAL_GAINS:
            if a == year:
                monthly[m - 1] -= b
    elif r.konto in ("8410",):
        monthly[4] = _financial(r.konto, econ, year, budget=False)
    elif r.konto in ("8430", "8510"):
        monthly[[2, 5, 8, 11]] = _financial(r.konto, econ, year, budget=False) / 4
    elif r.konto.startswith("8"):
        monthly[:] = _financial(r.konto, econ, year, budget=False) / 12
    else:  # pensions follow their budget, a little under
        monthly[:] = budget * 0.98 / 12
    return monthly


def utfall(
    rows: list[DesignRow],
    budget: np.ndarray,
    econ: Economy,
    year: int,
    months: int,
    rng: np.random.Generator,
) -> LedgerYear:
    """The year's ledger in öre, with exactly balanced internal trade."""
    shares = _shares(rows, year)
    dev = _deviation(rows, econ, year)
    sigma = np.array([r.sigma for r in rows])
    noise = rng.normal(0.0, 1.0, size=(len(rows), 12)) * sigma[:, None]
    noise -= noise.mean(axis=1, keepdims=True)
    fin = np.array([r.kind == "fin" for r in rows])
    fin_kr = np.zeros((len(rows), 12))
    for i in np.flatnonzero(fin):
        fin_kr[i] = _fin_utfall(rows[i], econ, year, int(budget[i]))
    protected = _protected_namnder(rows, econ, year)

    namnd_of = namnd_per_month(rows, year)
    for _ in range(6):
        ore = _compute(rows, budget, shares, dev, noise, fin, fin_kr)
        over = _over_budget(rows, budget, shares, ore, namnd_of, protected)
        if not over:
            break
        for i in range(len(rows)):
            if set(namnd_of[i].tolist()) & over:
                noise[i] *= 0.4
    else:
        noise[:] = 0.0
        ore = _compute(rows, budget, shares, dev, noise, fin, fin_kr)
    return LedgerYear(year=year, months=months, ore=ore[:, :months])


def _compute(rows, budget, shares, dev, noise, fin, fin_kr) -> np.ndarray:
    kr = budget[:, None] * shares * (1 + dev) * (1 + noise)
    kr[fin] = fin_kr[fin] * (1 + noise[fin])
    ore = np.rint(kr * 100).astype(np.int64)
    for trade in TRADE:
        purchase = np.array([r.kind == "kop" and r.trade == trade for r in rows])
        sale_rows = [i for i, r in enumerate(rows) if r.kind == "salj" and r.trade == trade]
        if not sale_rows:
            continue
        purchase_ore = ore[purchase].sum(axis=0)
        plan = (budget[purchase][:, None] * shares[purchase]).sum(axis=0) * 100
        volume = np.divide(purchase_ore, plan, out=np.ones(12), where=plan != 0)
        seller = rows[sale_rows[0]].unit.ansvar
        for i, r in enumerate(rows):
            if r.unit.ansvar == seller and r.kind in ("kostnad", "intakt"):
                ore[i] = np.rint(
                    budget[i] * shares[i] * (volume - 0.005) * (1 + noise[i]) * 100
                ).astype(np.int64)
        ore[sale_rows[0]] = -purchase_ore
    return ore


def _protected_namnder(rows: list[DesignRow], econ: Economy, year: int) -> set[str]:
    """Nämnder that should stay within budget year to date every month of the year."""
    namnder = set(namnd_per_month(rows, year).ravel().tolist())
    if year == econ.current_year:
        namnder -= set(DRIFT)
    return namnder


def _over_budget(rows, budget, shares, ore, namnd_of, protected) -> set[str]:
    """Protected nämnder over their budget ack in some month, each month counted in the
    organisation of that month (a unit moving mid-year changes nämnd with its months)."""
    net = np.array([3 <= kontoklass(r.konto) <= 7 for r in rows])
    monthly_budget = budget[:, None] * shares * 100
    over: set[str] = set()
    for namnd in protected:
        sel = net[:, None] & (namnd_of == namnd)
        if not sel.any():
            continue
        b = np.cumsum(np.where(sel, monthly_budget, 0.0).sum(axis=0))
        u = np.cumsum(np.where(sel, ore, 0).sum(axis=0))
        margin = np.abs(budget[sel.any(axis=1)]).sum() * 100 * 1e-4  # safety for rounding
        if (u > b - margin).any():
            over.add(namnd)
    return over
