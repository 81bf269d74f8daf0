"""The kommun's resultaträkning: ackumulerat utfall and helårsprognos per post."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pipelines.lib.report.model import ANDEL, KR, SAKNAS, Avsnitt, Kolumn, Post
from pipelines.lib.report.warehouse import Lager

RR_RADER = [
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
RR_PROGNOS = ["helarsprognos_arets_resultat", "resultatandel_prognos", "resultatandel_mal"]


def _tal(value: Any) -> Any:
    """A number stored as text (a setting) becomes a Decimal; other values pass through."""
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except ArithmeticError:
            return None
    return value


def resultatrakning(lager: Lager, period: str) -> Avsnitt:
    avsnitt = Avsnitt(
        id="resultatrakning",
        rubrik="Resultaträkning",
        blad="Resultaträkning",
        kolumner=[Kolumn("post", "Post"), Kolumn("belopp", "Utfall ack", KR)],
        beskrivning="Kommunens resultaträkning, ackumulerat utfall för perioden och "
        "helårsprognos där resultaträkningen har en. Kostnader visas med minustecken.",
        kalla="marts.resultatrakning",
    )
    kolumner = ["period", *(c for c, _, _ in RR_RADER), *RR_PROGNOS]
    if not lager.finns("marts.resultatrakning", kolumner):
        avsnitt.finns, avsnitt.meddelande = False, SAKNAS
        return avsnitt
    prognoser = [
        f"helarsprognos_{c}"
        for c, _, _ in RR_RADER
        if f"helarsprognos_{c}" not in RR_PROGNOS
        and lager.har_kolumn("marts.resultatrakning", f"helarsprognos_{c}")
    ]
    kolumner += prognoser
    if prognoser or lager.har_kolumn("marts.resultatrakning", "helarsprognos_arets_resultat"):
        avsnitt.kolumner.append(Kolumn("helarsprognos", "Helårsprognos", KR))
    row = lager.rad(
        f"select {', '.join(kolumner)} from marts.resultatrakning where period = ? limit 1",
        [period],
    )
    if row is None:
        avsnitt.meddelande = f"Resultaträkningen saknar perioden {period}."
        return avsnitt
    for kolumn, rubrik, tecken in RR_RADER:
        varde = row[kolumn]
        prognos = row.get(f"helarsprognos_{kolumn}")
        avsnitt.rader.append(
            {
                "post": rubrik,
                "belopp": None if varde is None else varde * tecken,
                "helarsprognos": None if prognos is None else _tal(prognos) * tecken,
            }
        )
    avsnitt.extra = {kolumn: _tal(row[kolumn]) for kolumn in RR_PROGNOS}
    avsnitt.nyckeltal = [
        Post("Årets resultat, helårsprognos", avsnitt.extra["helarsprognos_arets_resultat"], KR),
        Post("Resultatandel, helårsprognos", avsnitt.extra["resultatandel_prognos"], ANDEL),
        Post("Resultatandel, mål", avsnitt.extra["resultatandel_mal"], ANDEL),
    ]
    return avsnitt
