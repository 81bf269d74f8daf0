"""The demo's written analyses and uppdrag with their statuses.

Analyses (analys_): for the delårsrapport month (August) and the report period, the kommun's
summary, Socialnämnden's ekonomi analysis in Markdown (a heading, a list and a table) and
Barn- och utbildningsnämnden's in plain text; Äldrenämnden is flagged for an åtgärdsplan but
writes no ekonomi analysis, so `marts.analys_saknas` lists it. For the closed previous year,
every nämnd's kvalitet conclusions and its assessment of its intern kontroll (the
verksamhetsberättelse's texts), written for December.

Uppdrag (uppdrag_, uppdragsstatus_): five uppdrag of the current year and one of the previous,
reported on at the tertials (April, August) and at the report period. KF's uppdrag to
Socialnämnden (due 30 June) is still pågår at the report period, so it is overdue from June.

Investments (investering_): the current year's outcome to date at the report period for every
planned project but one, and one project's prognos (see investering_rows).
"""

from __future__ import annotations

from datetime import date

from .organisation import ORG_COLUMNS

# Nämnder that write no verksamhetsberättelse of their own in the demo.
_NO_REPORT = ("FIN", "KRIS", "VALN")

SOC_EKONOMI = """## Ekonomi

Socialnämnden prognostiserar ett **underskott** för helåret. Underskottet förklaras av:

- fler externa placeringar av barn och unga (HVB) än budgeterat,
- köpta platser inom LSS,
- ökade kostnader för försörjningsstöd.

| Verksamhet | Avvikelse, mnkr |
|---|---:|
| Placeringar | -18,5 |
| LSS | -9,0 |
| Försörjningsstöd | -4,5 |

Nämnden beslutade den 20 maj en åtgärdsplan (se *åtgärdsplan*); effekten väntas främst under
hösten."""

BUN_EKONOMI = (
    "Barn- och utbildningsnämnden hade ett underskott under våren men bedöms nu hålla sin ram. "
    "Vakanser inom elevhälsan och lägre kostnader för skolskjuts uppväger högre "
    "lokalkostnader."
)

KOMMUN_SAMMANFATTNING = """### Sammanfattning

Kommunens resultat för helåret bedöms bli **positivt** men lägre än budgeterat. Två nämnder,
Socialnämnden och Äldrenämnden, prognostiserar underskott; övriga nämnder håller sina ramar.

1. Socialnämnden arbetar enligt sin beslutade åtgärdsplan.
2. Äldrenämnden har ännu inte beslutat någon åtgärdsplan."""

KS_MAL = (
    "Av kommunfullmäktiges mål bedöms flertalet uppfyllas helt eller delvis. Målet om "
    "minskad sjukfrånvaro nås inte."
)


def namnder_on(org_rows: list[list[str]], day: date) -> list[str]:
    """The nämnder with an ansvar in force on the day (a row runs to its giltig_tom, or until
    the ansvar's next row)."""
    col = {name: i for i, name in enumerate(ORG_COLUMNS)}
    latest: dict[str, list[str]] = {}
    for row in sorted(org_rows, key=lambda r: r[col["giltig_from"]]):
        if date.fromisoformat(row[col["giltig_from"]]) <= day:
            latest[row[col["ansvar"]]] = row
    return sorted(
        {
            row[col["namnd"]]
            for row in latest.values()
            if not row[col["giltig_tom"]] or date.fromisoformat(row[col["giltig_tom"]]) >= day
        }
    )


def analys_rows(org_rows: list[list[str]], year: int, last_month: int) -> list[list[str]]:
    """period, niva, org, avsnitt, text."""
    rows: list[list[str]] = []
    for month in sorted({m for m in (8, last_month) if m <= last_month}):
        period = f"{year}-{month:02d}"
        rows += [
            [period, "kommun", "KOMMUN", "sammanfattning", KOMMUN_SAMMANFATTNING],
            [period, "namnd", "KS", "mal", KS_MAL],
            [period, "namnd", "BUN", "ekonomi", BUN_EKONOMI],
        ]
        if month >= 4:  # Socialnämnden's deficit starts in April (followup.py)
            rows.append([period, "namnd", "SOC", "ekonomi", SOC_EKONOMI])
    closed = year - 1
    period = f"{closed}-12"
    for namnd in namnder_on(org_rows, date(closed, 12, 31)):
        if namnd in _NO_REPORT:
            continue
        rows.append(
            [
                period,
                "namnd",
                namnd,
                "kvalitet",
                f"Kvaliteten {closed} har i huvudsak utvecklats positivt. Nämnden föreslår att "
                "uppföljningen av brukarnas nöjdhet utvecklas under kommande år.",
            ]
        )
        rows.append(
            [
                period,
                "namnd",
                namnd,
                "intern_kontroll",
                f"Nämnden bedömer att den interna kontrollen {closed} har varit **tillräcklig**. "
                "Avvikelserna i kontrollmomenten har åtgärdats eller har en beslutad åtgärd.",
            ]
        )
    return rows


# id suffix, given by, receiver, title, decision (month, day), deadline (year offset, month, day)
# and the statuses (month, status, comment) as reported. Year offsets are from the current year.
_UPPDRAG: tuple[
    tuple[str, str, str, str, int, tuple[int, int], tuple[int, int, int] | None, tuple], ...
] = (
    ("01", "KF", "SOC", "Utred hemtjänstens taxa och avgiftsmodell", 0, (2, 10), (0, 6, 30),
     ((4, "pagar", "Utredning påbörjad"), (8, "pagar", "Remiss till pensionärsrådet"),
      (10, "pagar", "Förslag till KF i december"))),
    ("02", "KF", "BUN", "Ta fram en lokalförsörjningsplan för förskolan", 0, (2, 10), (0, 11, 30),
     ((4, "pagar", None), (8, "genomfort", "Planen beslutad i nämnden i juni"))),
    ("03", "KS", "SBN", "Digitalisera bygglovsprocessen", 0, (3, 15), (1, 6, 30),
     ((4, "ej_paborjat", None), (8, "pagar", "Upphandling av e-tjänst pågår"))),
    ("04", "KF", "AEN", "Utred behovet av trygghetsboenden", 0, (4, 22), (0, 12, 31),
     ((8, "pagar", "Behovsanalys klar, kostnadskalkyl återstår"),)),
    ("05", "KS", "KFN", "Samlokalisera filialbiblioteken i Huskvarna", 0, (2, 10), (0, 10, 31),
     ((4, "pagar", None), (8, "avslutat_ej_genomfort", "Avbrutet: lokalen såldes"))),
    ("06", "KF", "TN", "Energiplan för de kommunala fastigheterna", -1, (6, 15), (-1, 12, 31),
     ((-12, "genomfort", "Planen antagen av KF i december"),)),
)  # fmt: skip


def uppdrag_rows(year: int) -> list[list[str]]:
    """id, ar, givet_av, mottagare, titel, beslutsdatum, klart_senast."""
    rows = []
    for suffix, givet_av, mottagare, titel, offset, (month, day), deadline, _ in _UPPDRAG:
        given = year + offset
        klart = "" if deadline is None else date(year + deadline[0], *deadline[1:]).isoformat()
        rows.append(
            [
                f"{givet_av}-{given}-{suffix}",
                str(given),
                givet_av,
                mottagare,
                titel,
                date(given, month, day).isoformat(),
                klart,
            ]
        )
    return rows


def uppdragsstatus_rows(year: int, last_month: int) -> list[list[str]]:
    """uppdrag, period, status, kommentar: a negative month is that month of the previous
    year; a status is reported at a month only once the uppdrag is given and not after the
    report period (the report period's own status where the list names last_month's)."""
    rows = []
    for suffix, givet_av, _, _, offset, (decided, _), _, statuses in _UPPDRAG:
        for month, status, kommentar in statuses:
            on_year, on_month = (year - 1, -month) if month < 0 else (year, month)
            if on_year == year and (on_month > last_month or (offset == 0 and on_month < decided)):
                continue
            rows.append(
                [
                    f"{givet_av}-{year + offset}-{suffix}",
                    f"{on_year}-{on_month:02d}",
                    status,
                    kommentar or "",
                ]
            )
    return rows


# The current year's investment follow-up: each planned project has spent its plan at this
# project-specific pace to the report period (outcome to date, dated); the simhall's nämnd
# forecasts an overrun; the konstgräsplaner have no outcome yet.
_PACE = {"P9007": 0.9, "P9012": 1.1}
_PROGNOS = {"P9007": 1.15}  # share of the plan
_NO_OUTCOME = ("P9022",)


def investering_rows(plan_rows: list[list[str]], year: int, last_month: int) -> list[list[str]]:
    """projekt, namnd, ar, belopp, typ, period: from the investment plan's rows of the year
    (planning.investering_rows); amounts rounded to whole kronor."""
    rows = []
    period = f"{year}-{last_month:02d}"
    for projekt, namnd, ar, belopp, typ, _ in plan_rows:
        if int(ar) != year or typ != "plan":
            continue
        code = projekt.split()[0]
        plan = float(belopp.replace(",", "."))
        if code not in _NO_OUTCOME:
            spent = plan * min(1.0, _PACE.get(code, 0.75) * last_month / 12)
            rows.append([projekt, namnd, ar, f"{round(spent)},00", "utfall", period])
        if code in _PROGNOS:
            rows.append(
                [projekt, namnd, ar, f"{round(plan * _PROGNOS[code])},00", "prognos", period]
            )
    return rows


# The previous year's closing entries (period 13): the holiday-pay liability and an accrued
# personnel cost on the first personnel rows of the ledger, booked after December.
BOKSLUT_KRONOR = (185_000, -42_500, 96_000, 23_750, -11_200)


def bokslut_rows(design_rows, year: int) -> list[list[str]]:
    """period, ansvar, verksamhet, konto, belopp, projekt, motpart (external, as the ledger
    exports them): period `YYYY13` of the closed year."""
    personnel = [r for r in design_rows if r.kind == "kostnad" and r.konto.startswith("5")]
    return [
        [f"{year}13", r.unit.ansvar, r.verksamhet, r.konto, f"{kronor},00", "", "EXT"]
        for r, kronor in zip(personnel, BOKSLUT_KRONOR, strict=False)
    ]
