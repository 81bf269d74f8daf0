"""The månadsrapport as one self-contained HTML file (inline CSS, no JavaScript, printable)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

from pipelines.lib.labels import TRAFIKLJUS, label
from pipelines.lib.report.format import format_mnkr, format_procent, format_tal
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
    Kolumn,
    Post,
    Rapport,
)

TEMPLATES = Path(__file__).parent / "templates"


def ljustext(code: Any) -> str:
    """A traffic light's word, capitalised as it stands alone after its dot: "Röd"."""
    return (label("trafikljus", code if code in TRAFIKLJUS else "gra") or "").capitalize()


def ljusklass(code: Any) -> str:
    """The CSS class of a traffic light is its code; no light is grå."""
    return code if code in TRAFIKLJUS else "gra"


def varde(value: Any, typ: str, koder: str | None = None) -> str:
    """A cell's text (without unit: the column header carries it); a code shows its label."""
    if value is None:
        return "–"
    if koder is not None:
        return str(label(koder, value))
    if typ == KR:
        return format_mnkr(value)
    if typ == AVVIKELSE:
        return format_mnkr(value, tecken=True)
    if typ == MNKR:
        return format_tal(value, 1)
    if typ == ANDEL:
        return format_procent(value, 1)
    if typ == SANNOLIKHET:
        return format_procent(value, 0)
    if typ == HELTAL:
        return format_tal(value, 0)
    if typ == AR:
        return str(value)
    if typ == DATUM and isinstance(value, date | datetime):
        return f"{value:%Y-%m-%d}"
    if typ == LJUS:
        return ljustext(value)
    return str(value)


def post_varde(post: Post) -> str:
    """A summary line's value with its unit."""
    text = varde(post.varde, post.typ)
    if post.varde is not None and post.typ in (KR, AVVIKELSE, MNKR):
        text += " mnkr"
    return text


def klass(value: Any, typ: str) -> str:
    """CSS classes for a cell: numbers right-aligned, avvikelse coloured by sign."""
    if typ in (KR, MNKR, ANDEL, SANNOLIKHET, HELTAL, AR):
        return "num"
    if typ == AVVIKELSE:
        if value is None or value == 0:
            return "num"
        return "num pos" if value > 0 else "num neg"
    return ""


def rubrik(kolumn: Kolumn) -> str:
    if kolumn.typ in (KR, AVVIKELSE, MNKR):
        return f"{kolumn.rubrik}, mnkr"
    return kolumn.rubrik


def _miljo() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        varde=varde,
        post_varde=post_varde,
        klass=klass,
        rubrik=rubrik,
        ljustext=ljustext,
        ljusklass=ljusklass,
        tid=lambda v: "–" if v is None else f"{v:%Y-%m-%d %H:%M}",
    )
    return env


def render_html(rapport: Rapport) -> str:
    return _miljo().get_template("manadsrapport.html.j2").render(r=rapport, LJUS=LJUS)
