"""The månadsrapport's data model: what the HTML and the Excel writer both render.

The sections return plain Python structures (`Report`, `Section`, `Item`), so both outputs show
the same figures. Each column says its kind; the renderers format by kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# What the forecast sections show while their mart is empty.
MISSING = "Avsnittet saknas i detta lager."

# Column kinds; the renderers format by kind.
TEXT = "text"  # plain text
KR = "kr"  # an amount in kronor (HTML: mnkr, one decimal; Excel: kronor)
AVVIKELSE = "avvikelse"  # kronor, positive = överskott (signed and coloured)
MNKR = "mnkr"  # an amount already in mnkr
ANDEL = "andel"  # a ratio, shown as a percentage with one decimal
PROBABILITY = "probability"  # a probability, shown as a whole percentage
COUNT = "count"  # a count
YEAR = "year"  # a year (a number, shown without thousands separator)
DATE = "date"  # a date
LIGHT = "light"  # a traffic light: a code of labels.TRAFIKLJUS (gron, gul, rod, gra)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    # The code family (a key of labels.FAMILIES) when the column holds codes: the renderers
    # show each code's label. A LIGHT column is always of the family trafikljus.
    codes: str | None = None
    # The HTML shows a wide section as several tables, each repeating the first column: part 0
    # is the main table, part 1 the next (Excel keeps one sheet with every column).
    part: int = 0


@dataclass
class Item:
    """One labelled value (a line in a key-value table)."""

    label: str
    value: Any
    kind: str = TEXT
    light: str | None = None
    comment: str | None = None


@dataclass
class Section:
    id: str
    title: str
    sheet: str  # Excel sheet name
    columns: list[Column] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    available: bool = True  # False: the mart is empty (its input was never delivered)
    message: str | None = None  # instead of the table when not available, else under it
    description: str | None = None
    source: str | None = None  # the mart it is read from
    key_figures: list[Item] = field(default_factory=list)  # extra lines under the table
    extra: dict[str, Any] = field(default_factory=dict)  # values other sections use
    # Inline SVG charts (charts.Chart) drawn above the table; the Excel writer draws its own.
    charts: list[Any] = field(default_factory=list)
    # Why a chart is missing, when its data is (shown where the chart would be).
    chart_messages: list[str] = field(default_factory=list)

    @property
    def show_table(self) -> bool:
        return self.available and bool(self.rows)

    @property
    def parts(self) -> list[list[Column]]:
        """The columns of each HTML table: the first column, then the part's own columns."""
        first, rest = self.columns[0], self.columns[1:]
        numbers = sorted({c.part for c in rest})
        return [[first, *(c for c in rest if c.part == n)] for n in numbers] or [[first]]


@dataclass
class Report:
    kommun: str
    period: str
    period_text: str
    published: datetime | None
    created: datetime
    run_id: str | None
    run_period: str | None
    run_started: datetime | None
    period_status: str | None
    summary: list[Item]
    summary_text: list[str]
    sections: list[Section]
