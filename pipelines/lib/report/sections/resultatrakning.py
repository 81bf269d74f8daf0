"""The kommun's resultaträkning: ackumulerat utfall and helårsprognos per post."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pipelines.lib.report.model import ANDEL, KR, Column, Item, Section
from pipelines.lib.report.warehouse import Warehouse

RR_LINES = [
    # (column, label, sign when shown: +1 as is, -1 costs shown negative, its helårsprognos
    # column: intäkter and kostnader have none, see marts/ekonomi/resultatrakning.sql)
    ("verksamhetens_intakter", "Verksamhetens intäkter", 1, None),
    ("verksamhetens_kostnader", "Verksamhetens kostnader", -1, None),
    ("avskrivningar", "Avskrivningar", -1, "helarsprognos_avskrivningar"),
    (
        "verksamhetens_nettokostnad",
        "Verksamhetens nettokostnad",
        -1,
        "helarsprognos_verksamhetens_nettokostnad",
    ),
    ("skatteintakter", "Skatteintäkter", 1, "helarsprognos_skatteintakter"),
    (
        "generella_statsbidrag",
        "Generella statsbidrag och utjämning",
        1,
        "helarsprognos_generella_statsbidrag",
    ),
    ("verksamhetens_resultat", "Verksamhetens resultat", 1, None),
    ("finansnetto", "Finansnetto", 1, "helarsprognos_finansnetto"),
    ("arets_resultat", "Årets resultat", 1, "helarsprognos_arets_resultat"),
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
        columns=[
            Column("post", "Post"),
            Column("belopp", "Utfall ack", KR),
            Column("helarsprognos", "Helårsprognos", KR),
        ],
        description="Kommunens resultaträkning, ackumulerat utfall för perioden och "
        "helårsprognos där resultaträkningen har en. Kostnader visas med minustecken.",
        source="marts.resultatrakning",
    )
    columns = dict.fromkeys(
        [
            *(c for c, _, _, _ in RR_LINES),
            *(p for _, _, _, p in RR_LINES if p is not None),
            *RR_HELARSPROGNOS,
        ]
    )
    row = wh.row(
        f"select {', '.join(columns)} from marts.resultatrakning where period = ? limit 1",
        [period],
    )
    if row is None:
        section.message = f"Resultaträkningen saknar perioden {period}."
        return section
    for column, label, sign, prognos_column in RR_LINES:
        value = row[column]
        prognos = None if prognos_column is None else row[prognos_column]
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
