"""The kommun's resultaträkning: ackumulerat utfall and helårsprognos per post."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pipelines.lib.report.model import ANDEL, KR, MISSING, Column, Item, Section
from pipelines.lib.report.warehouse import Warehouse

RR_LINES = [
    # (column, label, sign when shown: +1 as is, -1 costs shown negative)
    ("verksamhetens_intakter", "Verksamhetens intäkter", 1),
    ("verksamhetens_kostnader", "Verksamhetens kostnader", -1),
    ("avskrivningar", "Avskrivningar", -1),
    ("verksamhetens_nettokostnad", "Verksamhetens nettokostnad", -1),
    ("skatteintakter", "Skatteintäkter", 1),
    ("generella_statsbidrag", "Generella statsbidrag och utjämning", 1),
    ("verksamhetens_resultat", "Verksamhetens resultat", 1),
    ("finansnetto", "Finansnetto", 1),
    ("arets_resultat", "Årets resultat", 1),
]
RR_HELARSPROGNOS = ["helarsprognos_arets_resultat", "resultatandel_prognos", "resultatandel_mal"]


def _number(value: Any) -> Any:
    """A number stored as text (a setting) becomes a Decimal; other values pass through."""
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except ArithmeticError:
            return None
    return value


def resultatrakning(wh: Warehouse, period: str) -> Section:
    section = Section(
        id="resultatrakning",
        title="Resultaträkning",
        sheet="Resultaträkning",
        columns=[Column("post", "Post"), Column("belopp", "Utfall ack", KR)],
        description="Kommunens resultaträkning, ackumulerat utfall för perioden och "
        "helårsprognos där resultaträkningen har en. Kostnader visas med minustecken.",
        source="marts.resultatrakning",
    )
    columns = ["period", *(c for c, _, _ in RR_LINES), *RR_HELARSPROGNOS]
    if not wh.has_columns("marts.resultatrakning", columns):
        section.available, section.message = False, MISSING
        return section
    prognos_columns = [
        f"helarsprognos_{c}"
        for c, _, _ in RR_LINES
        if f"helarsprognos_{c}" not in RR_HELARSPROGNOS
        and wh.has_column("marts.resultatrakning", f"helarsprognos_{c}")
    ]
    columns += prognos_columns
    if prognos_columns or wh.has_column("marts.resultatrakning", "helarsprognos_arets_resultat"):
        section.columns.append(Column("helarsprognos", "Helårsprognos", KR))
    row = wh.row(
        f"select {', '.join(columns)} from marts.resultatrakning where period = ? limit 1",
        [period],
    )
    if row is None:
        section.message = f"Resultaträkningen saknar perioden {period}."
        return section
    for column, label, sign in RR_LINES:
        value = row[column]
        prognos = row.get(f"helarsprognos_{column}")
        section.rows.append(
            {
                "post": label,
                "belopp": None if value is None else value * sign,
                "helarsprognos": None if prognos is None else _number(prognos) * sign,
            }
        )
    section.extra = {column: _number(row[column]) for column in RR_HELARSPROGNOS}
    section.key_figures = [
        Item("Årets resultat, helårsprognos", section.extra["helarsprognos_arets_resultat"], KR),
        Item("Resultatandel, helårsprognos", section.extra["resultatandel_prognos"], ANDEL),
        Item("Resultatandel, mål", section.extra["resultatandel_mal"], ANDEL),
    ]
    return section
