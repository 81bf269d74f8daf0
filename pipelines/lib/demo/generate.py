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

from . import befolkning, followup, goals, ledger, planning, uppfoljning
from . import organisation as org
from .accounts import KONTON, kontoklass
from .economy import build_economy
from .periodisering import parse_period, periodisering_rows
from .reference import KOMMUNKOD, load_municipalities, load_population_2019
from .writers import (
    NBSP,
    TextFormat,
    format_amount,
    write_delimited,
    write_json,
    write_xlsx,
    write_yaml,
)

FIRST_PERIOD = (2022, 1)
UTFALL_COLUMNS = ("period", "ansvar", "verksamhet", "konto", "projekt", "motpart", "belopp")


@dataclass(frozen=True)
class UtfallFormat:
    suffix: str  # ".csv" or ".xlsx"
    text: TextFormat | None
    period_compact: bool  # YYYYMM rather than YYYY-MM
    header: tuple[str, ...] = UTFALL_COLUMNS
    konto_name: bool = False  # an extra `Kontobenämning` column after konto


UTFALL_FORMATS: tuple[UtfallFormat, ...] = (
    UtfallFormat(".csv", TextFormat(), True),
    UtfallFormat(
        ".csv",
        TextFormat(delimiter="\t", thousands=" "),
        False,
        ("PERIOD", "ANSVAR", "VERKSAMHET", "KONTO", "PROJEKT", "MOTPART", "BELOPP"),
    ),
    UtfallFormat(
        ".csv",
        TextFormat(encoding="cp1252", thousands=NBSP, line_end="\r\n"),
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
        konto_name=True,
    ),
    UtfallFormat(
        ".xlsx",
        None,
        False,
        ("Period", "Ansvar", "Verksamhet", "Konto", "Projekt", "Motpart", "Belopp"),
    ),
)
LATEST_FORMAT = UtfallFormat(
    ".csv",
    TextFormat(encoding="utf-8-sig", delimiter=",", decimal=".", quoted=frozenset(range(6))),
    False,
)
CORRECTION_FORMAT = UtfallFormat(".csv", TextFormat(), True)
TEXT = TextFormat()

# The revised budget: one nämnd, decided mid-year, its frame changed on two rows (kronor).
REVISED_NAMND = "TN"
REVISED_VERSION = "Reviderad"
REVISED_RAISE, REVISED_CUT = 4_000_000, -1_000_000
# The unbalanced month: an internal purchase with no matching sale (öre).
IMBALANCE_NAMND, IMBALANCE_MONTH, IMBALANCE_ORE = "KFN", 4, 18_500_000
BUDGET_COLUMNS = ("År", "Ansvar", "Verksamhet", "Konto", "Belopp", "Version", "Nyckel")


def revision_date(year: int) -> date:
    return date(year, 6, 15)


@dataclass
class DemoSummary:
    """What generate_demo wrote."""

    inbox: Path
    files: list[str]
    latest_period: str
    overspending_namnder: tuple[str, ...]  # over budget in the latest year, with deficits
    recovering_namnd: str  # over in spring, back within budget by autumn
    namnd_with_atgardsplan: str  # the overspending nämnd with a decided åtgärdsplan
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


def _period(year: int, month: int, compact: bool) -> str:
    return f"{year}{month:02d}" if compact else f"{year}-{month:02d}"


def _utfall_rows(
    rows: list[ledger.DesignRow],
    data: ledger.LedgerYear,
    months: list[int],
    fmt: UtfallFormat,
    ore: np.ndarray | None = None,
):
    """Rows for an utfall file, sorted by period, ansvar, verksamhet, konto, projekt, motpart."""
    ore = data.ore if ore is None else ore
    order = sorted(
        range(len(rows)),
        key=lambda i: (
            rows[i].unit.ansvar,
            rows[i].verksamhet,
            rows[i].konto,
            rows[i].projekt,
            rows[i].motpart,
        ),
    )
    for m in months:
        period = _period(data.year, m, fmt.period_compact)
        for i in order:
            v = int(ore[i, m - 1])
            if v == 0:
                continue
            r = rows[i]
            fields: list = [period, r.unit.ansvar, r.verksamhet, r.konto]
            if fmt.konto_name:
                fields.append(KONTON[r.konto])
            fields += [r.projekt, r.motpart]
            fields.append(v / 100 if fmt.text is None else format_amount(v, fmt.text))
            yield fields


def _write_utfall(path: Path, rows, data, months, fmt: UtfallFormat, ore=None) -> int:
    cells = _utfall_rows(rows, data, months, fmt, ore)
    if fmt.text is None:
        return write_xlsx(path, f"Utfall {data.year}", fmt.header, cells)
    return write_delimited(path, fmt.header, cells, fmt.text)


def _misbookings(rows: list[ledger.DesignRow], ore: np.ndarray, month: int, rng) -> np.ndarray:
    """The first delivery of the corrected month: a few wrong rows (all external)."""
    wrong = ore.copy()
    m = month - 1
    candidates = [
        i
        for i, r in enumerate(rows)
        if r.motpart == "EXT"
        and r.kind == "kostnad"
        and r.unit.namnd in ("TN", "KFN", "KS", "UAN")
        and kontoklass(r.konto) in (4, 6, 7)
        and not r.konto.startswith("78")
        and ore[i, m] > 5_000_000
    ]
    chosen = rng.choice(len(candidates), size=min(3, len(candidates)), replace=False)
    chosen = sorted(int(v) for v in chosen)
    if len(chosen) >= 1:  # a supplier invoice booked twice
        wrong[candidates[chosen[0]], m] *= 2
    if len(chosen) >= 2:  # an amount typed with one digit too many
        wrong[candidates[chosen[1]], m] *= 10
    if len(chosen) >= 3:  # booked on the wrong ansvar: moved to another row with the same konto
        i = candidates[chosen[2]]
        target = next(
            (
                j
                for j, r in enumerate(rows)
                if j != i
                and r.konto == rows[i].konto
                and r.motpart == "EXT"
                and r.unit.ansvar != rows[i].unit.ansvar
                and r.unit.start is None  # the new unit does not exist all year
            ),
            None,
        )
        if target is not None:
            wrong[target, m] += wrong[i, m]
            wrong[i, m] = 0
    return wrong


def _budget_rows(
    rows: list[ledger.DesignRow], amounts_per_year: dict[tuple[int, str], np.ndarray]
) -> list[list[str]]:
    out: list[list[str]] = []
    for (year, version), year_amounts in amounts_per_year.items():
        for i, r in enumerate(rows):
            b = int(year_amounts[i])
            if b == 0:
                continue
            key = ledger._row_key(r, year)
            standard = "PERSONAL" if kontoklass(r.konto) == 5 else "JAMN"
            if key == standard and r.unit.namnd in ("KFN", "MHN", "SBN", "KS"):
                key = ""  # left blank: the konto's standard key applies
            out.append([str(year), r.unit.ansvar, r.verksamhet, r.konto, f"{b},00", version, key])
    out.sort(key=lambda x: (x[0], x[5], x[1], x[2], x[3]))
    return out


def _namnd_net(rows: list[ledger.DesignRow], year_amounts: np.ndarray, year: int) -> dict[str, int]:
    """Årsbudget per nämnd (kronor): each month's periodised budget in that month's nämnd."""
    shares = ledger._shares(rows, year)
    namnd_of = ledger.namnd_per_month(rows, year)
    net: dict[str, float] = {}
    for i, r in enumerate(rows):
        if 3 <= kontoklass(r.konto) <= 7:
            for m in range(12):
                n = str(namnd_of[i, m])
                net[n] = net.get(n, 0.0) + float(year_amounts[i]) * shares[i, m]
    return {n: int(round(v)) for n, v in net.items()}


def _revise(
    rows: list[ledger.DesignRow], ib: np.ndarray, year: int
) -> tuple[np.ndarray, list[int]]:
    """The revised nämnd's budget: internbudget with its frame raised on its largest cost row
    and cut on its second largest (never on a unit that changes nämnd: its budget counts in
    another nämnd for part of the year); and the rows of that nämnd."""
    rev = ib.copy()
    own = [i for i, r in enumerate(rows) if ledger.namnd_for(r, year) == REVISED_NAMND]
    candidates = sorted(
        (
            i
            for i in own
            if rows[i].kind == "kostnad"
            and rows[i].unit.move is None
            and kontoklass(rows[i].konto) in (4, 6, 7)
        ),
        key=lambda i: (-int(ib[i]), i),
    )
    rev[candidates[0]] += REVISED_RAISE
    rev[candidates[1]] += REVISED_CUT
    return rev, own


def _imbalance(rows: list[ledger.DesignRow], ore: np.ndarray, year: int) -> np.ndarray:
    """One internal purchase without its sale: added to the nämnd's first purchase row."""
    out = ore.copy()
    i = next(
        i
        for i, r in enumerate(rows)
        if r.kind == "kop" and r.unit.namnd_in_month(year, IMBALANCE_MONTH) == IMBALANCE_NAMND
    )
    out[i, IMBALANCE_MONTH - 1] += IMBALANCE_ORE
    return out


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
    current_year, last_month = parse_period(last_period)
    if not 2023 <= current_year <= 2028:
        raise ValueError("last_period måste ligga mellan 2023-01 och 2028-12")
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, stream])

    # Population and economy.
    per_year = befolkning.befolkning(load_population_2019(), seed)
    totals = befolkning.totals(per_year)
    econ = build_economy(totals, current_year, rng(2))

    # Organisation.
    units = org.build_units(scale, rng(1), current_year)
    org_rows = org.organisation_rows(units)
    name = f"organisation_{org.REGISTER_START.year}-{current_year}.csv"
    counts[name] = write_delimited(inbox / name, org.ORG_COLUMNS, org_rows, TEXT)

    # Budget.
    rows = ledger.design_rows(units)
    budget_rng = rng(3)
    budget: dict[tuple[int, str], np.ndarray] = {}
    for year in econ.years:
        budget[(year, "KF")] = ledger.budget_kf(rows, econ, year)
    budget[(current_year, "internbudget")] = ledger.internbudget(
        rows, budget[(current_year, "KF")], current_year, budget_rng
    )
    name = f"budget_{econ.first_year}-{econ.years[-1]}.csv"
    counts[name] = write_delimited(inbox / name, BUDGET_COLUMNS, _budget_rows(rows, budget), TEXT)
    decision_date = revision_date(current_year)
    revised: np.ndarray | None = None
    if last_month >= decision_date.month:
        revised, own = _revise(rows, budget[(current_year, "internbudget")], current_year)
        selection = np.zeros(len(rows), dtype=np.int64)
        selection[own] = revised[own]
        name = f"budget_{current_year}_{REVISED_NAMND.lower()}_reviderad.csv"
        counts[name] = write_delimited(
            inbox / name,
            BUDGET_COLUMNS + ("Beslutsdatum",),
            [
                r + [decision_date.isoformat()]
                for r in _budget_rows(rows, {(current_year, REVISED_VERSION): selection})
            ],
            TEXT,
        )
    for year in econ.years:
        name = f"periodisering_{year}.csv"
        counts[name] = write_delimited(
            inbox / name, ("ar", "nyckel", "manad", "andel"), periodisering_rows(year), TEXT
        )

    # Ledger.
    ledger_rows = 0
    utfall_rng = rng(4)
    correction: tuple[ledger.LedgerYear, int] | None = None
    annual_result: dict[int, float] = {}
    for year in range(FIRST_PERIOD[0], current_year + 1):
        months = 12 if year < current_year else last_month
        in_force = budget.get((year, "internbudget"), budget[(year, "KF")])
        data = ledger.utfall(rows, in_force, econ, year, months, utfall_rng)
        if year == current_year:
            fmt = LATEST_FORMAT
        else:
            annual_result[year] = _resultatandel(rows, data.ore)
            fmt = UTFALL_FORMATS[(year - FIRST_PERIOD[0]) % len(UTFALL_FORMATS)]
        if year == current_year and last_month >= IMBALANCE_MONTH:
            data.ore = _imbalance(rows, data.ore, year)
        ore = data.ore
        if year == current_year and last_month >= 2:
            correction = (data, last_month - 1)
            ore = _misbookings(rows, data.ore, last_month - 1, rng(5))
        name = f"utfall_{year}{fmt.suffix}"
        counts[name] = _write_utfall(inbox / name, rows, data, list(range(1, months + 1)), fmt, ore)
        ledger_rows += counts[name]
    # The closed previous year's closing entries, delivered as period 13.
    name = f"utfall_{current_year - 1}_13.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("period", "ansvar", "verksamhet", "konto", "belopp", "projekt", "motpart"),
        uppfoljning.bokslut_rows(rows, current_year - 1),
        TEXT,
    )
    ledger_rows += counts[name]
    later: dict[str, bytes] = {}
    if correction is not None:
        data, month = correction
        name = f"utfall_{data.year}_{month:02d}_rattelse.csv"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            counts[name] = _write_utfall(path, rows, data, [month], CORRECTION_FORMAT)
            later[name] = path.read_bytes()
        ledger_rows += counts[name]

    # Förvaltningarnas prognoser (on the budget in force each month) and the åtgärdsplan.
    ib = budget[(current_year, "internbudget")]
    before = _namnd_net(rows, ib, current_year)
    after = before if revised is None else _namnd_net(rows, revised, current_year)
    annual_budget = {
        m: after if m >= decision_date.month else before for m in range(1, last_month + 1)
    }
    margin = {n: econ.margin.get((n, current_year), 0.01) for n in before}
    margin["FIN"] = 0.02
    name = f"prognos_{current_year}.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("period", "namnd", "prognos"),
        followup.prognos_rows(annual_budget, margin, current_year, last_month),
        TEXT,
    )
    name = f"atgardsplan_{current_year}.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("namnd", "beslutsdatum", "diarienummer", "belopp", "kommentar"),
        followup.atgardsplan_rows(current_year, last_month),
        TEXT,
    )

    # Population.
    name = f"befolkning_{befolkning.FIRST_YEAR}-{befolkning.LAST_PROGNOS_YEAR}.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("region", "ar", "alder", "kon", "antal", "typ"),
        befolkning.befolkning_rows(per_year, KOMMUNKOD),
        TextFormat(delimiter=","),
    )

    # Kolada, own measures and goals.
    municipalities = load_municipalities()
    population_by_sex = {year: (int(p[0].sum()), int(p[1].sum())) for year, p in per_year.items()}
    all_series = goals.kolada_series(municipalities, population_by_sex, seed)
    for name, kpis in (
        (
            "kolada_ekonomi_befolkning.json",
            (goals.INHABITANTS,) + tuple(k.id for k in goals.KOLADA_ECONOMY),
        ),
        ("kolada_verksamhet.json", tuple(k.id for k in goals.KOLADA_VERKSAMHET)),
    ):
        answer = goals.kolada_answer(all_series, municipalities, population_by_sex, kpis)
        write_json(inbox / name, answer)
        counts[name] = answer["count"]
    resultatandel = {**EARLY_RESULTATANDELAR, **annual_result}
    own = goals.own_series(seed)
    name = "indikator_egna_matt.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("indikator", "org", "period", "varde"),
        goals.indikator_rows(own, resultatandel, totals),
        TEXT,
    )
    for year, selection in (
        (current_year - 1, goals.PREVIOUS_YEAR),
        (current_year, None),
    ):
        register = goals.malregister(year, all_series, own, resultatandel, totals, selection)
        name = f"mal_{year}.yaml"
        write_yaml(inbox / name, register, goals.GOAL_HEADER)
        counts[name] = len(register["mal"]) + len(register["indikatorer"])

    # Planning inputs.
    name = f"antaganden_{current_year}.csv"
    counts[name] = write_delimited(
        inbox / name, ("ar", "parameter", "varde", "kalla"), planning.antaganden_rows(), TEXT
    )
    name = "investering_2022-2030.csv"
    investment_plan = planning.investering_rows(seed)
    counts[name] = write_delimited(
        inbox / name,
        ("projekt", "namnd", "ar", "belopp", "typ", "avskrivningstid"),
        investment_plan,
        TEXT,
    )
    name = f"investering_{current_year}_uppfoljning.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("projekt", "namnd", "ar", "belopp", "typ", "period"),
        uppfoljning.investering_rows(investment_plan, current_year, last_month),
        TEXT,
    )
    name = f"risk_{current_year}.csv"
    counts[name] = write_delimited(
        inbox / name,
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
        planning.risk_rows(current_year),
        TEXT,
    )

    # Written analyses and uppdrag (pipelines/lib/demo/uppfoljning.py).
    name = f"analys_{current_year}.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("period", "niva", "org", "avsnitt", "text"),
        uppfoljning.analys_rows(org_rows, current_year, last_month),
        TEXT,
    )
    name = f"uppdrag_{current_year - 1}-{current_year}.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("id", "ar", "givet_av", "mottagare", "titel", "beslutsdatum", "klart_senast"),
        uppfoljning.uppdrag_rows(current_year),
        TEXT,
    )
    name = f"uppdragsstatus_{current_year}.csv"
    counts[name] = write_delimited(
        inbox / name,
        ("uppdrag", "period", "status", "kommentar"),
        uppfoljning.uppdragsstatus_rows(current_year, last_month),
        TEXT,
    )

    return DemoSummary(
        inbox=inbox,
        files=sorted(set(counts) - set(later)),
        latest_period=f"{current_year}-{last_month:02d}",
        overspending_namnder=ledger.OVERSPENDING_NAMNDER,
        recovering_namnd=ledger.RECOVERING_NAMND,
        namnd_with_atgardsplan=followup.PLAN_NAMND if last_month >= 5 else "",
        ansvar=len(units),
        ledger_rows=ledger_rows,
        row_counts=dict(sorted(counts.items())),
        later=later,
    )


# Resultatandel 2019–2021 (before the ledger starts), demo figures.
EARLY_RESULTATANDELAR = {2019: 3.9, 2020: 6.1, 2021: 6.8}


def _resultatandel(rows: list[ledger.DesignRow], ore: np.ndarray) -> float:
    """Årets resultat / (skatteintäkter + generella statsbidrag), percent, from a year's ledger."""
    account_class = np.array([kontoklass(r.konto) for r in rows])
    tax = np.array([r.konto[:2] in ("80", "81", "82", "83") for r in rows])
    sums = ore.sum(axis=1)
    result = -sums[(account_class >= 3) & (account_class <= 8)].sum()
    revenue = -sums[tax].sum()
    return round(float(100 * result / revenue), 1)
