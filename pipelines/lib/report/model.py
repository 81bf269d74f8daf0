"""The månadsrapport's data model: what the HTML and the Excel writer both render.

The sections return plain Python structures (`Rapport`, `Avsnitt`, `Post`), so both outputs show
the same figures. Each column says its kind; the renderers format by kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SAKNAS = "Avsnittet saknas i detta lager."

# Column kinds; the renderers format by kind.
TEXT = "text"  # plain text
KR = "kr"  # an amount in kronor (HTML: mnkr, one decimal; Excel: kronor)
AVVIKELSE = "avvikelse"  # kronor, positive = överskott (signed and coloured)
MNKR = "mnkr"  # an amount already in mnkr
ANDEL = "andel"  # a ratio, shown as a percentage with one decimal
SANNOLIKHET = "sannolikhet"  # a probability, shown as a whole percentage
HELTAL = "heltal"  # a count
AR = "ar"  # a year (a number, shown without thousands separator)
DATUM = "datum"  # a date
LJUS = "ljus"  # a traffic light: a code of labels.TRAFIKLJUS (gron, gul, rod, gra)


@dataclass(frozen=True)
class Kolumn:
    nyckel: str
    rubrik: str
    typ: str = TEXT
    # The code family (a key of labels.FAMILJER) when the column holds codes: the renderers
    # show each code's label. A LJUS column is always of the family trafikljus.
    koder: str | None = None


@dataclass
class Post:
    """One labelled value (a line in a key-value table)."""

    rubrik: str
    varde: Any
    typ: str = TEXT
    ljus: str | None = None
    kommentar: str | None = None


@dataclass
class Avsnitt:
    id: str
    rubrik: str
    blad: str  # Excel sheet name
    kolumner: list[Kolumn] = field(default_factory=list)
    rader: list[dict[str, Any]] = field(default_factory=list)
    finns: bool = True  # False: the mart (or a column of it) is missing in this warehouse
    meddelande: str | None = None  # shown instead of the table (missing mart, no rows)
    beskrivning: str | None = None
    kalla: str | None = None  # the mart it is read from
    nyckeltal: list[Post] = field(default_factory=list)  # extra lines under the table
    extra: dict[str, Any] = field(default_factory=dict)  # values other sections use

    @property
    def visa_tabell(self) -> bool:
        return self.finns and bool(self.rader)


@dataclass
class Rapport:
    kommun: str
    period: str
    period_text: str
    publicerad: datetime | None
    skapad: datetime
    run_id: str | None
    korning_period: str | None
    korning_startad: datetime | None
    periodstatus: str | None
    sammanfattning: list[Post]
    sammanfattning_text: list[str]
    avsnitt: list[Avsnitt]
