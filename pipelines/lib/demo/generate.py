"""generate_demo: write the demo municipality's input files into an inbox.

The files are shaped like real deliveries (docs/contract.md) and deliberately mixed, as real
exports are (period as YYYYMM in some, YYYY-MM in others):

- utfall_2022.csv: UTF-8, `;`, decimal comma, period YYYYMM;
- utfall_2023.csv: UTF-8, tab, decimal comma, space thousands separators, period YYYY-MM,
  header in capitals;
- utfall_2024.csv: Windows-1252, `;`, CRLF, decimal comma, NBSP thousands separators
  (`-1 234 567,50`), period YYYYMM, mixed-case header with an extra text column `Kontobenämning`;
- utfall_2025.xlsx: first sheet, header row 1, codes and period (YYYY-MM) as text, amounts as
  numeric cells;
- utfall_2026.csv: UTF-8 with BOM, `,`, decimal point, text fields quoted, period YYYY-MM;
- utfall_2026_09_rattelse.csv: the whole month before the last, re-delivered corrected (the first
  delivery in utfall_2026.csv has three wrong rows); UTF-8, `;`, decimal comma, period YYYYMM.
  It is held back (`DemoSummary.later`) for a second refresh, as a controller delivers it: two
  files delivering the same period in one refresh would be ambiguous.
- budget_2026_tn_reviderad.csv: Tekniska nämnden's whole budget for the year in the version
  `Reviderad` (capitalised: versions are case-insensitive), decided on 15 June (`Beslutsdatum`):
  its frame raised on one row and cut on another. The other nämnder keep their internbudget.

The current year also has: a unit moving from Tekniska nämnden to Kultur- och fritidsnämnden on
1 May and a new unit in Stadsbyggnadsnämnden from 1 July (see organisation.py), and one month
(April) in which Kultur- och fritidsnämnden books an internal purchase no seller matches, so
internal trade does not balance that month.

The year → shape table repeats for other `last_period` years (the latest year always gets the
BOM/comma shape). Everything else is UTF-8 with `;` and decimal comma unless said otherwise.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from . import befolkning as bef
from . import huvudbok as hb
from . import mal as mal_mod
from . import organisation as org
from . import planering, uppfoljning
from .kontoplan import KONTON, kontoklass
from .periodisering import las_period, periodisering_rader
from .ramar import bygg_ekonomi
from .reference import KOMMUNKOD, load_kommuner, load_population_2019
from .writers import NBSP, Textformat, belopp, skriv_json, skriv_text, skriv_xlsx, skriv_yaml

FORSTA_PERIOD = (2022, 1)
UTFALL_KOLUMNER = ("period", "ansvar", "verksamhet", "konto", "projekt", "motpart", "belopp")


@dataclass(frozen=True)
class Utfallsformat:
    suffix: str  # ".csv" or ".xlsx"
    text: Textformat | None
    period_kompakt: bool  # YYYYMM rather than YYYY-MM
    header: tuple[str, ...] = UTFALL_KOLUMNER
    kontotext: bool = False  # an extra `Kontobenämning` column after konto


UTFALLSFORMAT: tuple[Utfallsformat, ...] = (
    Utfallsformat(".csv", Textformat(), True),
    Utfallsformat(
        ".csv",
        Textformat(delimiter="\t", tusental=" "),
        False,
        ("PERIOD", "ANSVAR", "VERKSAMHET", "KONTO", "PROJEKT", "MOTPART", "BELOPP"),
    ),
    Utfallsformat(
        ".csv",
        Textformat(encoding="cp1252", tusental=NBSP, radslut="\r\n"),
        True,
        (
            "Period",
            "ANSVAR",
            "Verksamhet",
            "Konto",
            "Kontobenämning",
            "Projekt",
            "Motpart",
            "Belopp",
        ),
        kontotext=True,
    ),
    Utfallsformat(
        ".xlsx",
        None,
        False,
        ("Period", "Ansvar", "Verksamhet", "Konto", "Projekt", "Motpart", "Belopp"),
    ),
)
SENASTE_FORMAT = Utfallsformat(
    ".csv",
    Textformat(encoding="utf-8-sig", delimiter=",", decimal=".", citera=frozenset(range(6))),
    False,
)
RATTELSE_FORMAT = Utfallsformat(".csv", Textformat(), True)
TEXT = Textformat()

# The revised budget: one nämnd, decided mid-year, its frame changed on two rows (kronor).
REVIDERAD_NAMND = "TN"
REVIDERAD_VERSION = "Reviderad"
REVIDERAD_HOJNING, REVIDERAD_SANKNING = 4_000_000, -1_000_000
# The unbalanced month: an internal purchase with no matching sale (öre).
OBALANS_NAMND, OBALANS_MANAD, OBALANS_ORE = "KFN", 4, 18_500_000
BUDGET_KOLUMNER = ("År", "Ansvar", "Verksamhet", "Konto", "Belopp", "Version", "Nyckel")


def revideringsdatum(ar: int) -> date:
    return date(ar, 6, 15)


@dataclass
class DemoSummary:
    """What generate_demo wrote."""

    inbox: Path
    files: list[str]
    latest_period: str
    overspending_namnder: tuple[str, ...]  # over budget in the latest year, with deficits
    recovering_namnd: str  # over in spring, back within budget by autumn
    namnd_med_atgardsplan: str  # the overspending nämnd with a decided åtgärdsplan
    ansvar: int
    ledger_rows: int
    row_counts: dict[str, int] = field(default_factory=dict)  # every file, held back or not
    # Files held back for a second refresh (name → content): the corrected month.
    later: dict[str, bytes] = field(default_factory=dict)

    @property
    def later_files(self) -> list[str]:
        return sorted(self.later)

    def deliver_later(self, folder: Path) -> list[Path]:
        """Write the held-back files into `folder` (the inbox, after the first refresh)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in self.later_files:
            (folder / name).write_bytes(self.later[name])
            paths.append(folder / name)
        return paths


def _period(ar: int, manad: int, kompakt: bool) -> str:
    return f"{ar}{manad:02d}" if kompakt else f"{ar}-{manad:02d}"


def _utfall_rader(
    rader: list[hb.Rad],
    data: hb.Ar,
    manader: list[int],
    fmt: Utfallsformat,
    ore: np.ndarray | None = None,
):
    """Rows for an utfall file, sorted by period, ansvar, verksamhet, konto, projekt, motpart."""
    ore = data.ore if ore is None else ore
    ordning = sorted(
        range(len(rader)),
        key=lambda i: (
            rader[i].enhet.ansvar,
            rader[i].verksamhet,
            rader[i].konto,
            rader[i].projekt,
            rader[i].motpart,
        ),
    )
    for m in manader:
        period = _period(data.ar, m, fmt.period_kompakt)
        for i in ordning:
            v = int(ore[i, m - 1])
            if v == 0:
                continue
            r = rader[i]
            falt: list = [period, r.enhet.ansvar, r.verksamhet, r.konto]
            if fmt.kontotext:
                falt.append(KONTON[r.konto])
            falt += [r.projekt, r.motpart]
            falt.append(v / 100 if fmt.text is None else belopp(v, fmt.text))
            yield falt


def _skriv_utfall(path: Path, rader, data, manader, fmt: Utfallsformat, ore=None) -> int:
    rows = _utfall_rader(rader, data, manader, fmt, ore)
    if fmt.text is None:
        return skriv_xlsx(path, f"Utfall {data.ar}", fmt.header, rows)
    return skriv_text(path, fmt.header, rows, fmt.text)


def _felbokningar(rader: list[hb.Rad], ore: np.ndarray, manad: int, rng) -> np.ndarray:
    """The first delivery of the corrected month: a few wrong rows (all external)."""
    fel = ore.copy()
    m = manad - 1
    kandidater = [
        i
        for i, r in enumerate(rader)
        if r.motpart == "EXT"
        and r.typ == "kostnad"
        and r.enhet.namnd in ("TN", "KFN", "KS", "UAN")
        and kontoklass(r.konto) in (4, 6, 7)
        and not r.konto.startswith("78")
        and ore[i, m] > 5_000_000
    ]
    valda = rng.choice(len(kandidater), size=min(3, len(kandidater)), replace=False)
    valda = sorted(int(v) for v in valda)
    if len(valda) >= 1:  # a supplier invoice booked twice
        fel[kandidater[valda[0]], m] *= 2
    if len(valda) >= 2:  # an amount typed with one digit too many
        fel[kandidater[valda[1]], m] *= 10
    if len(valda) >= 3:  # booked on the wrong ansvar: moved to another row with the same konto
        i = kandidater[valda[2]]
        mal = next(
            (
                j
                for j, r in enumerate(rader)
                if j != i
                and r.konto == rader[i].konto
                and r.motpart == "EXT"
                and r.enhet.ansvar != rader[i].enhet.ansvar
                and r.enhet.start is None  # the new unit does not exist all year
            ),
            None,
        )
        if mal is not None:
            fel[mal, m] += fel[i, m]
            fel[i, m] = 0
    return fel


def _budget_rader(
    rader: list[hb.Rad], belopp_per_ar: dict[tuple[int, str], np.ndarray]
) -> list[list[str]]:
    out: list[list[str]] = []
    for (ar, version), belopp_ar in belopp_per_ar.items():
        for i, r in enumerate(rader):
            b = int(belopp_ar[i])
            if b == 0:
                continue
            nyckel = hb._radens_nyckel(r, ar)
            standard = "PERSONAL" if kontoklass(r.konto) == 5 else "JAMN"
            if nyckel == standard and r.enhet.namnd in ("KFN", "MHN", "SBN", "KS"):
                nyckel = ""  # left blank: the konto's standard key applies
            out.append([str(ar), r.enhet.ansvar, r.verksamhet, r.konto, f"{b},00", version, nyckel])
    out.sort(key=lambda x: (x[0], x[5], x[1], x[2], x[3]))
    return out


def _namnd_netto(rader: list[hb.Rad], belopp_ar: np.ndarray, ar: int) -> dict[str, int]:
    """Årsbudget per nämnd (kronor): each month's periodised budget in that month's nämnd."""
    andelar = hb._andelar(rader, ar)
    namn = hb.namnd_per_manad(rader, ar)
    netto: dict[str, float] = {}
    for i, r in enumerate(rader):
        if 3 <= kontoklass(r.konto) <= 7:
            for m in range(12):
                n = str(namn[i, m])
                netto[n] = netto.get(n, 0.0) + float(belopp_ar[i]) * andelar[i, m]
    return {n: int(round(v)) for n, v in netto.items()}


def _revidera(rader: list[hb.Rad], ib: np.ndarray, ar: int) -> tuple[np.ndarray, list[int]]:
    """The revised nämnd's budget: internbudget with its frame raised on its largest cost row
    and cut on its second largest (never on a unit that changes nämnd: its budget counts in
    another nämnd for part of the year); and the rows of that nämnd."""
    rev = ib.copy()
    egna = [i for i, r in enumerate(rader) if hb.namnd_for(r, ar) == REVIDERAD_NAMND]
    kandidater = sorted(
        (
            i
            for i in egna
            if rader[i].typ == "kostnad"
            and rader[i].enhet.flytt is None
            and kontoklass(rader[i].konto) in (4, 6, 7)
        ),
        key=lambda i: (-int(ib[i]), i),
    )
    rev[kandidater[0]] += REVIDERAD_HOJNING
    rev[kandidater[1]] += REVIDERAD_SANKNING
    return rev, egna


def _obalans(rader: list[hb.Rad], ore: np.ndarray, ar: int) -> np.ndarray:
    """One internal purchase without its sale: added to the nämnd's first purchase row."""
    ut = ore.copy()
    i = next(
        i
        for i, r in enumerate(rader)
        if r.typ == "kop" and r.enhet.namnd_manad(ar, OBALANS_MANAD) == OBALANS_NAMND
    )
    ut[i, OBALANS_MANAD - 1] += OBALANS_ORE
    return ut


def generate_demo(
    inbox: Path, scale: float = 1.0, seed: int = 680, last_period: str = "2026-10"
) -> DemoSummary:
    """Write the demo municipality's input files into `inbox`; deterministic per arguments.

    The corrected month is not written there but held back in the summary (`later`,
    `deliver_later(folder)`) for a second refresh.

    `scale` multiplies the number of ansvar (scale 1: about 200, scale 0.1: about 25) and so
    the ledger's rows; amounts are calibrated per inhabitant and do not depend on it.
    """
    if not 0.0 < scale <= 5.0:
        raise ValueError(f"scale måste ligga mellan 0 och 5, inte {scale}")
    aktuellt_ar, sista_manad = las_period(last_period)
    if not 2023 <= aktuellt_ar <= 2028:
        raise ValueError("last_period måste ligga mellan 2023-01 och 2028-12")
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def rng(del_id: int) -> np.random.Generator:
        return np.random.default_rng([seed, del_id])

    # Population and economy.
    per_ar = bef.befolkning(load_population_2019(), seed)
    totaler = bef.totaler(per_ar)
    eko = bygg_ekonomi(totaler, aktuellt_ar, rng(2))

    # Organisation.
    enheter = org.bygg_enheter(scale, rng(1), aktuellt_ar)
    org_rader = org.organisation_rader(enheter)
    namn = f"organisation_{org.REGISTER_START.year}-{aktuellt_ar}.csv"
    counts[namn] = skriv_text(inbox / namn, org.ORG_KOLUMNER, org_rader, TEXT)

    # Budget.
    rader = hb.design(enheter)
    budget_rng = rng(3)
    budget: dict[tuple[int, str], np.ndarray] = {}
    for ar in eko.ar:
        budget[(ar, "KF")] = hb.budget_kf(rader, eko, ar)
    budget[(aktuellt_ar, "internbudget")] = hb.internbudget(
        rader, budget[(aktuellt_ar, "KF")], aktuellt_ar, budget_rng
    )
    namn = f"budget_{eko.forsta_ar}-{eko.ar[-1]}.csv"
    counts[namn] = skriv_text(inbox / namn, BUDGET_KOLUMNER, _budget_rader(rader, budget), TEXT)
    beslut = revideringsdatum(aktuellt_ar)
    reviderad: np.ndarray | None = None
    if sista_manad >= beslut.month:
        reviderad, egna = _revidera(rader, budget[(aktuellt_ar, "internbudget")], aktuellt_ar)
        urval = np.zeros(len(rader), dtype=np.int64)
        urval[egna] = reviderad[egna]
        namn = f"budget_{aktuellt_ar}_{REVIDERAD_NAMND.lower()}_reviderad.csv"
        counts[namn] = skriv_text(
            inbox / namn,
            BUDGET_KOLUMNER + ("Beslutsdatum",),
            [
                r + [beslut.isoformat()]
                for r in _budget_rader(rader, {(aktuellt_ar, REVIDERAD_VERSION): urval})
            ],
            TEXT,
        )
    for ar in eko.ar:
        namn = f"periodisering_{ar}.csv"
        counts[namn] = skriv_text(
            inbox / namn, ("ar", "nyckel", "manad", "andel"), periodisering_rader(ar), TEXT
        )

    # Ledger.
    ledger_rows = 0
    utfall_rng = rng(4)
    rattelse: tuple[hb.Ar, int] | None = None
    arsresultat: dict[int, float] = {}
    for ar in range(FORSTA_PERIOD[0], aktuellt_ar + 1):
        manader = 12 if ar < aktuellt_ar else sista_manad
        i_kraft = budget.get((ar, "internbudget"), budget[(ar, "KF")])
        data = hb.utfall(rader, i_kraft, eko, ar, manader, utfall_rng)
        if ar == aktuellt_ar:
            fmt = SENASTE_FORMAT
        else:
            arsresultat[ar] = _resultatandel(rader, data.ore)
            fmt = UTFALLSFORMAT[(ar - FORSTA_PERIOD[0]) % len(UTFALLSFORMAT)]
        if ar == aktuellt_ar and sista_manad >= OBALANS_MANAD:
            data.ore = _obalans(rader, data.ore, ar)
        ore = data.ore
        if ar == aktuellt_ar and sista_manad >= 2:
            rattelse = (data, sista_manad - 1)
            ore = _felbokningar(rader, data.ore, sista_manad - 1, rng(5))
        namn = f"utfall_{ar}{fmt.suffix}"
        counts[namn] = _skriv_utfall(
            inbox / namn, rader, data, list(range(1, manader + 1)), fmt, ore
        )
        ledger_rows += counts[namn]
    later: dict[str, bytes] = {}
    if rattelse is not None:
        data, manad = rattelse
        namn = f"utfall_{data.ar}_{manad:02d}_rattelse.csv"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / namn
            counts[namn] = _skriv_utfall(path, rader, data, [manad], RATTELSE_FORMAT)
            later[namn] = path.read_bytes()
        ledger_rows += counts[namn]

    # Förvaltningarnas prognoser (on the budget in force each month) and the åtgärdsplan.
    ib = budget[(aktuellt_ar, "internbudget")]
    fore = _namnd_netto(rader, ib, aktuellt_ar)
    efter = fore if reviderad is None else _namnd_netto(rader, reviderad, aktuellt_ar)
    arsbudget = {m: efter if m >= beslut.month else fore for m in range(1, sista_manad + 1)}
    marginal = {n: eko.marginal.get((n, aktuellt_ar), 0.01) for n in fore}
    marginal["FIN"] = 0.02
    namn = f"prognos_{aktuellt_ar}.csv"
    counts[namn] = skriv_text(
        inbox / namn,
        ("period", "namnd", "prognos"),
        uppfoljning.prognos_rader(arsbudget, marginal, aktuellt_ar, sista_manad),
        TEXT,
    )
    namn = f"atgardsplan_{aktuellt_ar}.csv"
    counts[namn] = skriv_text(
        inbox / namn,
        ("namnd", "beslutsdatum", "diarienummer", "belopp", "kommentar"),
        uppfoljning.atgardsplan_rader(aktuellt_ar, sista_manad),
        TEXT,
    )

    # Population.
    namn = f"befolkning_{bef.FORSTA_AR}-{bef.SISTA_PROGNOS}.csv"
    counts[namn] = skriv_text(
        inbox / namn,
        ("region", "ar", "alder", "kon", "antal", "typ"),
        bef.befolkning_rader(per_ar, KOMMUNKOD),
        Textformat(delimiter=","),
    )

    # Kolada, own measures and goals.
    kommuner = load_kommuner()
    kon_total = {ar: (int(p[0].sum()), int(p[1].sum())) for ar, p in per_ar.items()}
    serier = mal_mod.kolada_serier(kommuner, kon_total, seed)
    for namn, kpier in (
        (
            "kolada_ekonomi_befolkning.json",
            (mal_mod.INVANARE,) + tuple(k.id for k in mal_mod.KOLADA_EKONOMI),
        ),
        ("kolada_verksamhet.json", tuple(k.id for k in mal_mod.KOLADA_VERKSAMHET)),
    ):
        svar = mal_mod.kolada_svar(serier, kommuner, kon_total, kpier)
        skriv_json(inbox / namn, svar)
        counts[namn] = svar["count"]
    resultatandel = {**TIDIGA_RESULTATANDELAR, **arsresultat}
    egna = mal_mod.egna_serier(seed)
    namn = "indikator_egna_matt.csv"
    counts[namn] = skriv_text(
        inbox / namn,
        ("indikator", "org", "period", "varde"),
        mal_mod.indikator_rader(egna, resultatandel, totaler),
        TEXT,
    )
    for ar, urval in (
        (aktuellt_ar - 1, mal_mod.FOREGAENDE_AR),
        (aktuellt_ar, None),
    ):
        register = mal_mod.mal_register(ar, serier, egna, resultatandel, totaler, urval)
        namn = f"mal_{ar}.yaml"
        skriv_yaml(inbox / namn, register, mal_mod.MAL_RUBRIK)
        counts[namn] = len(register["mal"]) + len(register["indikatorer"])

    # Planning inputs.
    namn = f"antaganden_{aktuellt_ar}.csv"
    counts[namn] = skriv_text(
        inbox / namn, ("ar", "parameter", "varde", "kalla"), planering.antaganden_rader(), TEXT
    )
    namn = "investering_2022-2030.csv"
    counts[namn] = skriv_text(
        inbox / namn,
        ("projekt", "namnd", "ar", "belopp", "typ", "avskrivningstid"),
        planering.investering_rader(seed),
        TEXT,
    )
    namn = f"risk_{aktuellt_ar}.csv"
    counts[namn] = skriv_text(
        inbox / namn,
        (
            "namnd",
            "ar",
            "risk",
            "sannolikhet",
            "konsekvens",
            "kontrollmoment",
            "resultat",
            "atgard",
            "status",
        ),
        planering.risk_rader(aktuellt_ar),
        TEXT,
    )

    return DemoSummary(
        inbox=inbox,
        files=sorted(set(counts) - set(later)),
        latest_period=f"{aktuellt_ar}-{sista_manad:02d}",
        overspending_namnder=hb.OVERDRAGARE,
        recovering_namnd=hb.ATERHAMTARE,
        namnd_med_atgardsplan=uppfoljning.PLAN_NAMND if sista_manad >= 5 else "",
        ansvar=len(enheter),
        ledger_rows=ledger_rows,
        row_counts=dict(sorted(counts.items())),
        later=later,
    )


# Resultatandel 2019–2021 (before the ledger starts), demo figures.
TIDIGA_RESULTATANDELAR = {2019: 3.9, 2020: 6.1, 2021: 6.8}


def _resultatandel(rader: list[hb.Rad], ore: np.ndarray) -> float:
    """Årets resultat / (skatteintäkter + generella statsbidrag), percent, from a year's ledger."""
    klass = np.array([kontoklass(r.konto) for r in rader])
    skatt = np.array([r.konto[:2] in ("80", "81", "82", "83") for r in rader])
    summa = ore.sum(axis=1)
    resultat = -summa[(klass >= 3) & (klass <= 8)].sum()
    intakter = -summa[skatt].sum()
    return round(float(100 * resultat / intakter), 1)
