"""A report (the månadsrapport or another report type) as one self-contained HTML file (inline
CSS, no JavaScript, printable)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from pipelines.lib.labels import TRAFIKLJUS, label
from pipelines.lib.report.format import format_mnkr, format_number, format_percent, format_varde
from pipelines.lib.report.markdown import markdown_to_html
from pipelines.lib.report.model import (
    ANDEL,
    AVVIKELSE,
    COUNT,
    DATE,
    KR,
    LIGHT,
    MNKR,
    PROBABILITY,
    TEXT,
    VARDE,
    YEAR,
    Column,
    Item,
    Report,
)

TEMPLATES = Path(__file__).parent / "templates"


def light_text(code: Any) -> str:
    """A traffic light's word, capitalised as it stands alone after its dot: "Röd"."""
    return (label("trafikljus", code if code in TRAFIKLJUS else "gra") or "").capitalize()


def light_class(code: Any) -> str:
    """The CSS class of a traffic light is its code; no light is grå."""
    return code if code in TRAFIKLJUS else "gra"


def cell_text(value: Any, kind: str, codes: str | None = None) -> str:
    """A cell's text (without unit: the column header carries it); a code shows its label."""
    if value is None:
        return "–"
    if codes is not None:
        return str(label(codes, value))
    if kind == KR:
        return format_mnkr(value)
    if kind == AVVIKELSE:
        return format_mnkr(value, signed=True)
    if kind == MNKR:
        return format_number(value, 1)
    if kind == ANDEL:
        return format_percent(value, 1)
    if kind == PROBABILITY:
        return format_percent(value, 0)
    if kind == COUNT:
        return format_number(value, 0)
    if kind == VARDE:
        return format_varde(value)
    if kind == YEAR:
        return str(value)
    if kind == DATE and isinstance(value, date | datetime):
        return f"{value:%Y-%m-%d}"
    if kind == LIGHT:
        return light_text(value)
    return str(value)


def item_text(item: Item) -> str:
    """A summary line's value with its unit."""
    text = cell_text(item.value, item.kind)
    if item.value is not None and item.kind in (KR, AVVIKELSE, MNKR):
        text += " mnkr"
    return text


def css_class(value: Any, kind: str) -> str:
    """CSS classes for a cell: numbers right-aligned, avvikelse coloured by sign."""
    if kind in (KR, MNKR, ANDEL, PROBABILITY, COUNT, YEAR, VARDE):
        return "num"
    if kind == AVVIKELSE:
        if value is None or value == 0:
            return "num"
        return "num pos" if value > 0 else "num neg"
    return ""


def column_header(column: Column) -> str:
    if column.kind in (KR, AVVIKELSE, MNKR):
        return f"{column.header}, mnkr"
    return column.header


def css_string(text: Any) -> markupsafe.Markup:
    """Text as a quoted CSS string (the print header's @page content): quotes, backslashes and
    anything that could close the <style> element are CSS escapes, not HTML entities."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " –-.,:()_/åäöÅÄÖ" else f"\\{ord(ch):x} " for ch in str(text)
    )
    return markupsafe.Markup(f'"{escaped}"')


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        cell_text=cell_text,
        item_text=item_text,
        css_class=css_class,
        column_header=column_header,
        light_text=light_text,
        light_class=light_class,
        css_string=css_string,
        markdown=lambda text: markupsafe.Markup(markdown_to_html(text)),
        timestamp=lambda v: "–" if v is None else f"{v:%Y-%m-%d %H:%M}",
    )
    return env


def render_html(report: Report) -> str:
    return (
        _environment()
        .get_template("manadsrapport.html.j2")
        .render(report=report, LIGHT=LIGHT, TEXT=TEXT, DATE=DATE)
    )
