"""The månadsrapport as an Excel workbook: one sheet per section, amounts as numbers in kronor.

Amounts are numeric cells in kronor (column headers say "kr"), so controllers can sum and pivot
them. The number format is stored as `#,##0`, Excel's locale-neutral code: Swedish Excel shows it
as `# ##0` (space thousands). A literal `# ##0` in the file would instead insert one fixed space.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipelines.lib.labels import label
from pipelines.lib.report.model import (
    ANDEL,
    AR,
    AVVIKELSE,
    DATUM,
    HELTAL,
    KR,
    LJUS,
    MNKR,
    SANNOLIKHET,
    Avsnitt,
    Kolumn,
    Post,
    Rapport,
)

FORMAT = {
    KR: "#,##0",
    AVVIKELSE: "[Color10]#,##0;[Red]-#,##0;#,##0",
    MNKR: "#,##0.0",
    ANDEL: "0.0%",
    SANNOLIKHET: "0%",
    HELTAL: "0",
    AR: "0",
    DATUM: "yyyy-mm-dd",
}
ENHET = {KR: "kr", AVVIKELSE: "kr", MNKR: "mnkr"}
LJUS_FARG = {"gron": "#1A7F37", "gul": "#9A6700", "rod": "#B42318", "gra": "#6B7280"}


def _rubrik(kolumn: Kolumn) -> str:
    enhet = ENHET.get(kolumn.typ)
    return f"{kolumn.rubrik}, {enhet}" if enhet else kolumn.rubrik


def _bredd(kolumn: Kolumn, rader: list[dict[str, Any]]) -> float:
    langd = len(_rubrik(kolumn))
    for rad in rader:
        value = rad.get(kolumn.nyckel)
        if kolumn.typ in (KR, AVVIKELSE, MNKR):
            langd = max(langd, 15)
        elif value is not None:
            text = label(kolumn.koder, value) if kolumn.koder else value
            langd = max(langd, len(str(text)))
    return min(max(langd + 2, 8), 60)


class _Format:
    def __init__(self, wb: Workbook):
        self.wb = wb
        self.rubrik = wb.add_format({"bold": True, "bg_color": "#F3F4F6", "bottom": 1})
        self.titel = wb.add_format({"bold": True, "font_size": 13})
        self.kursiv = wb.add_format({"italic": True, "font_color": "#57606A"})
        self.typ = {typ: wb.add_format({"num_format": fmt}) for typ, fmt in FORMAT.items()}
        self.ljus = {
            namn: wb.add_format({"font_color": farg, "bold": True})
            for namn, farg in LJUS_FARG.items()
        }


def _skriv(
    ws: Worksheet, rad: int, kol: int, value: Any, typ: str, fmt: _Format, koder: str | None = None
) -> None:
    if value is None:
        ws.write_blank(rad, kol, None)
    elif typ == LJUS:
        ws.write_string(rad, kol, str(label("trafikljus", value)), fmt.ljus.get(value))
    elif koder is not None:
        ws.write_string(rad, kol, str(label(koder, value)))
    elif typ == DATUM and isinstance(value, date | datetime):
        ws.write_datetime(rad, kol, value, fmt.typ[DATUM])
    elif typ in FORMAT and isinstance(value, int | float | Decimal):
        ws.write_number(rad, kol, float(value), fmt.typ[typ])
    else:
        ws.write_string(rad, kol, str(value))


def _tabellblad(wb: Workbook, fmt: _Format, avsnitt: Avsnitt, period: str) -> None:
    ws = wb.add_worksheet(avsnitt.blad)
    if not avsnitt.finns:
        ws.write_string(0, 0, avsnitt.meddelande or "", fmt.kursiv)
        ws.set_column(0, 0, 40)
        return
    for kol, kolumn in enumerate(avsnitt.kolumner):
        ws.write_string(0, kol, _rubrik(kolumn), fmt.rubrik)
        ws.set_column(kol, kol, _bredd(kolumn, avsnitt.rader))
    for nr, rad in enumerate(avsnitt.rader, start=1):
        for kol, kolumn in enumerate(avsnitt.kolumner):
            _skriv(ws, nr, kol, rad.get(kolumn.nyckel), kolumn.typ, fmt, kolumn.koder)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(avsnitt.rader), 1), len(avsnitt.kolumner) - 1)
    under = len(avsnitt.rader) + 2
    if avsnitt.meddelande:
        ws.write_string(under, 0, avsnitt.meddelande, fmt.kursiv)
        under += 1
    for post in avsnitt.nyckeltal:
        ws.write_string(under, 0, _rubrik(Kolumn("", post.rubrik, post.typ)))
        _skriv(ws, under, 1, post.varde, post.typ, fmt)
        under += 1
    if avsnitt.kalla:
        ws.write_string(under + 1, 0, f"Källa: {avsnitt.kalla}, period {period}", fmt.kursiv)


def _sammanfattningsblad(wb: Workbook, fmt: _Format, r: Rapport) -> None:
    ws = wb.add_worksheet("Sammanfattning")
    for kol, text in enumerate(("Post", "Värde", "Enhet", "Trafikljus", "Kommentar")):
        ws.write_string(0, kol, text, fmt.rubrik)
    huvud = [
        Post("Kommun", r.kommun),
        Post("Period", r.period),
        Post("Periodstatus", r.periodstatus),
        Post(
            "Lagret publicerat", None if r.publicerad is None else f"{r.publicerad:%Y-%m-%d %H:%M}"
        ),
        Post("Körning", r.run_id),
        Post(
            "Körningen startad",
            None if r.korning_startad is None else f"{r.korning_startad:%Y-%m-%d %H:%M}",
        ),
    ]
    rad = 1
    for post in [*huvud, *r.sammanfattning]:
        ws.write_string(rad, 0, post.rubrik)
        _skriv(ws, rad, 1, post.varde, post.typ, fmt)
        enhet = {KR: "kr", AVVIKELSE: "kr", ANDEL: "%", HELTAL: "antal"}.get(post.typ)
        if enhet:
            ws.write_string(rad, 2, enhet)
        if post.ljus:
            ws.write_string(rad, 3, str(label("trafikljus", post.ljus)), fmt.ljus.get(post.ljus))
        if post.kommentar:
            ws.write_string(rad, 4, post.kommentar)
        rad += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, rad - 1, 4)
    for text in r.sammanfattning_text:
        rad += 1
        ws.write_string(rad, 0, text)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 3, 11)
    ws.set_column(4, 4, 30)


def write_excel(rapport: Rapport, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    try:
        wb.set_properties(
            {
                "title": f"Månadsrapport {rapport.period}",
                "company": rapport.kommun,
                "comments": f"Körning {rapport.run_id or '–'}",
            }
        )
        fmt = _Format(wb)
        _sammanfattningsblad(wb, fmt, rapport)
        for avsnitt in rapport.avsnitt:
            _tabellblad(wb, fmt, avsnitt, rapport.period)
    finally:
        wb.close()
