"""The reports' data model: what the HTML and the Excel writer both render.

Every report type (pipelines/lib/report/types.py) builds one `Report`; its header fields (title,
the period or the year, the nämnd) say which report it is, and the month report keeps the
defaults.

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
VARDE = "varde"  # an indicator's value in its own unit (enhet varierar): up to two decimals
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


@dataclass(frozen=True)
class ExcelChart:
    """A native Excel chart drawn from a table's columns (the HTML draws its own SVG)."""

    kind: str  # an xlsxwriter chart type: "bar" (horizontal bars) or "line"
    title: str
    category: str  # the key of the column holding the categories
    series: tuple[str, ...]  # the keys of the columns drawn, one series each
    y_title: str = "kr"


@dataclass
class Table:
    """A further table on a section's Excel sheet, below the main one (e.g. a chart's data)."""

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    charts: list[ExcelChart] = field(default_factory=list)


@dataclass(frozen=True)
class Text:
    """A controller's written text (an `analys_` text, Markdown): the HTML renders it safely
    (markdown.py, raw HTML escaped), the Excel sheet holds it as written."""

    heading: str
    markdown: str


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
    key_figures_title: str = "Helårsprognos och finansiellt mål"
    # Written analyses shown under the figures they comment.
    texts: list[Text] = field(default_factory=list)
    # Sentences the report writes about its figures (a list under the charts; Excel: rows).
    lines: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # values other sections use
    # Inline SVG charts (charts.Chart) drawn above the table; the Excel writer draws its own.
    charts: list[Any] = field(default_factory=list)
    # Why a chart is missing, when its data is (shown where the chart would be).
    chart_messages: list[str] = field(default_factory=list)
    # Excel only: native charts of the main table, and further tables below it.
    excel_charts: list[ExcelChart] = field(default_factory=list)
    excel_tables: list[Table] = field(default_factory=list)

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
    period: str  # the report's key: a period ÅÅÅÅ-MM, or a year ÅÅÅÅ for a yearly report
    period_text: str  # the key in words: "mars 2026", or "2025"
    published: datetime | None
    created: datetime
    run_id: str | None
    run_period: str | None
    run_started: datetime | None
    period_status: str | None
    summary: list[Item]
    summary_text: list[str]
    sections: list[Section]
    # Which report this is (defaults: the månadsrapport, whose output is a contract).
    typ: str = "manadsrapport"  # the type's code (types.REPORT_TYPES)
    title: str = "Månadsrapport"
    subtitle: str = "uppföljning till kommunstyrelsen och nämnderna"
    scope: str = "period"  # "period" or "ar": what `period` holds
    namnd: str | None = None  # the nämnd's code for a per-nämnd report
    namnd_namn: str | None = None
    file_stem: str = "manadsrapport"  # the files' name without suffix
    summary_title: str = "Kommunen totalt"
    summary_source: str = (
        "marts.budgetavvikelse (nivå kommun), marts.atgardsplan, marts.resultatrakning"
    )
    # Shown first, above everything (e.g. real files published under the demo's settings).
    warnings: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """Every table the report is read from, once each in the order they first appear
        (the summary's, then each section's)."""
        found = [self.summary_source or "", *(s.source or "" for s in self.sections)]
        names = (n.strip().split(" (")[0] for text in found for n in text.split(","))
        return list(dict.fromkeys(n for n in names if n))

    @property
    def scope_label(self) -> str:
        """The header's word for the key: "Period" or "År"."""
        return "År" if self.scope == "ar" else "Period"

    @property
    def heading(self) -> str:
        """The report's full name: "Månadsrapport mars 2026", "Verksamhetsberättelse 2025 –
        Barn- och utbildningsnämnden"."""
        text = f"{self.title} {self.period_text}"
        return f"{text} – {self.namnd_namn or self.namnd}" if self.namnd else text
