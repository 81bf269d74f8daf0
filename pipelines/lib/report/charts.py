"""The månadsrapport's charts: Vega-Lite (altair) drawn to inline SVG by vl-convert, offline.

vl-convert runs Vega in-process with a bundled font for text metrics and is given no base URL,
so a chart can never fetch anything; the SVG goes straight into the self-contained HTML. Every
chart has a Swedish title, amounts in mnkr with Swedish number format (the d3 locale sv-SE:
space thousands, decimal comma, the minus sign −) and a text alternative (<title> and <desc>
inside the SVG, role="img"), so a screen reader and a printed page carry the same message.

The functions take rows (dicts, as the sections read them, or a polars frame) with amounts in
kronor, as the marts hold them, unless a column says mnkr. Each returns a `Chart`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert as vlc

from pipelines.lib.report.format import format_belopp, format_number, format_percent

# The traffic-light colours of the HTML (templates/manadsrapport.html.j2), so bars and dots agree.
GRON, GUL, ROD, GRA = "#1a7f37", "#d4a20a", "#b42318", "#9ca3af"
BLA, BLA_LJUS = "#1f5fa8", "#9cc3ea"
WIDTH = 860  # px: the report's text column; print scales the SVG down to the A4 page width
# px for a nämnd's name beside a horizontal bar: the longest real names (e.g. "Utbildnings- och
# arbetsmarknadsnämnden" with a prefix) need about 330 px at the axis font; Vega-Lite's default
# of 180 would clip them with "…".
NAME_LABEL_LIMIT = 360
MNKR_FORMAT = ",.1f"  # d3-format with the sv-SE locale: 1 234,5 and −0,3
LOCALE = "sv-SE"

# The look every chart shares: the report's font stack and quiet axes.
CONFIG = {
    "font": "Liberation Sans, Arial, Helvetica, sans-serif",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e5e7eb"},
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
    "title": {"fontSize": 15, "anchor": "start"},
}


@dataclass(frozen=True)
class Chart:
    """One drawn chart: its title, the SVG (with <title>/<desc>) and the text alternative."""

    id: str
    title: str
    description: str
    svg: str


def records(rows: Any) -> list[dict[str, Any]]:
    """Rows as a list of dicts from a list of mappings or a polars/pandas frame."""
    if hasattr(rows, "to_dicts"):  # polars
        return rows.to_dicts()
    if hasattr(rows, "to_dict"):  # pandas
        return rows.to_dict(orient="records")
    return [dict(r) for r in rows]


def mnkr(kronor: Any) -> float | None:
    """Kronor → mnkr as a float for the chart's scale (None stays None)."""
    if kronor is None:
        return None
    return float(Decimal(str(kronor)) / 1_000_000)


def mnkr_text(kronor: Any, signed: bool = False) -> str:
    """An amount in words as the report writes it: '−12,4 mnkr', a small one '−26 tkr'."""
    return format_belopp(kronor, signed)


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def _accessible(svg: str, chart_id: str, title: str, description: str) -> str:
    """Give the SVG its text alternative: role="img", <title> and <desc> as first children."""
    match = _SVG_OPEN.search(svg)
    if match is None:  # pragma: no cover - vl-convert always returns an <svg> root
        raise ValueError("vl-convert returnerade ingen SVG")
    # Inline in HTML the parser puts <svg> in the SVG namespace itself: without the xmlns
    # declarations the report holds no URL at all (tests check that none is fetched).
    attrs = _XMLNS.sub("", match.group(1))
    opening = (
        f'<svg{attrs} role="img" aria-labelledby="{chart_id}-titel {chart_id}-beskrivning"'
        f' class="diagram" id="{chart_id}">'
    )
    # vl-convert writes class="marks"; the second class attribute would be invalid.
    opening = opening.replace(' class="marks"', "", 1)
    text = (
        f'<title id="{chart_id}-titel">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-beskrivning">{html.escape(description)}</desc>'
    )
    return svg[: match.start()] + opening + text + svg[match.end() :]


def render(chart: alt.TopLevelMixin, chart_id: str, title: str, description: str) -> Chart:
    """Draw `chart` to SVG offline (no base URL may be fetched) with the Swedish locale."""
    spec = chart.properties(title=title).configure(**CONFIG).to_dict()
    svg = vlc.vegalite_to_svg(
        # Decimal amounts from the warehouse (kept beside the mnkr values for the words) as
        # numbers: vl-convert takes JSON only.
        json.dumps(spec, default=float),
        format_locale=LOCALE,
        time_format_locale=LOCALE,
        allowed_base_urls=[],
    )
    return Chart(chart_id, title, description, _accessible(svg, chart_id, title, description))


def _mnkr_axis(title: str) -> alt.Axis:
    return alt.Axis(title=f"{title}, mnkr", format=MNKR_FORMAT)


def _listing(parts: Iterable[str], limit: int = 12) -> str:
    parts = list(parts)
    if len(parts) > limit:
        parts = [*parts[:limit], f"och {len(parts) - limit} till"]
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Helårsavvikelse per nämnd: diverging bars, underskott red, överskott green.


def helarsavvikelse_per_namnd(rows: Any) -> Chart:
    """Rows: `namn`, `helarsavvikelse` (kr) and, where a statistical forecast exists,
    `avvikelse_lag` / `avvikelse_hog` (kr): the helårsavvikelse its interval gives."""
    data = []
    for r in records(rows):
        if r.get("helarsavvikelse") is None:
            continue
        value = mnkr(r["helarsavvikelse"])
        data.append(
            {
                "namn": r["namn"],
                "kr": r["helarsavvikelse"],
                "avvikelse": value,
                "utfall": "Överskott" if value >= 0 else "Underskott",
                "lag": mnkr(r.get("avvikelse_lag")),
                "hog": mnkr(r.get("avvikelse_hog")),
            }
        )
    data.sort(key=lambda d: d["avvikelse"])
    order = [d["namn"] for d in data]
    base = alt.Chart(alt.Data(values=data))
    bars = base.mark_bar().encode(
        x=alt.X("avvikelse:Q", axis=_mnkr_axis("Helårsavvikelse")),
        y=alt.Y("namn:N", sort=order, title=None, axis=alt.Axis(labelLimit=NAME_LABEL_LIMIT)),
        color=alt.Color(
            "utfall:N",
            scale=alt.Scale(domain=["Underskott", "Överskott"], range=[ROD, GRON]),
            legend=alt.Legend(title=None),
        ),
    )
    layers = [bars, base.mark_rule(color="#374151").encode(x=alt.datum(0))]
    with_interval = [d for d in data if d["lag"] is not None and d["hog"] is not None]
    if with_interval:
        layers.append(
            alt.Chart(alt.Data(values=with_interval))
            .mark_errorbar(color="#111827", ticks=True, thickness=1.5)
            .encode(
                x=alt.X("lag:Q", axis=_mnkr_axis("Helårsavvikelse")),
                x2="hog:Q",
                y=alt.Y("namn:N", sort=order),
            )
        )
    chart = alt.layer(*layers).properties(
        width=WIDTH - NAME_LABEL_LIMIT - 40, height=max(24 * len(data), 60)
    )
    described = _listing(
        f"{d['namn']} {mnkr_text(d['kr'], signed=True)}"
        + (
            f" (intervall {format_number(d['lag'], 1, True)} till "
            f"{format_number(d['hog'], 1, True)} mnkr)"
            if d["lag"] is not None and d["hog"] is not None
            else ""
        )
        for d in data
    )
    note = (
        " Strecken visar helårsavvikelsen inom den officiella helårsprognosens 80 %-intervall."
        if with_interval
        else ""
    )
    return render(
        chart,
        "diagram-helarsavvikelse",
        "Helårsavvikelse per nämnd",
        f"Stapeldiagram: årsbudget − helårsprognos per nämnd, rött underskott och grönt "
        f"överskott. {described}.{note}",
    )


# ---------------------------------------------------------------------------------------------
# Utfall ack against budget ack, month by month.


def utfall_mot_budget(rows: Any) -> Chart:
    """Rows: `namn`, `manad` (1–12), `utfall_ack`, `budget_ack` (kr); one panel per `namn`
    in the order the rows first name them (the kommun first, then the flagged nämnder)."""
    data, order = [], []
    for r in records(rows):
        if r["namn"] not in order:
            order.append(r["namn"])
        for serie, key in (("Utfall ack", "utfall_ack"), ("Budget ack", "budget_ack")):
            data.append(
                {"namn": r["namn"], "manad": int(r["manad"]), "serie": serie, "mnkr": mnkr(r[key])}
            )
    panel_width = (WIDTH - 120) // 2 if len(order) > 1 else WIDTH - 120
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "manad:O", title="Månad", axis=alt.Axis(labelAngle=0), scale=alt.Scale(padding=0.2)
            ),
            y=alt.Y("mnkr:Q", axis=_mnkr_axis("Ackumulerat")),
            color=alt.Color(
                "serie:N",
                scale=alt.Scale(domain=["Budget ack", "Utfall ack"], range=[GRA, BLA]),
                legend=alt.Legend(title=None),
            ),
            strokeDash=alt.StrokeDash(
                "serie:N",
                scale=alt.Scale(domain=["Budget ack", "Utfall ack"], range=[[5, 3], [1, 0]]),
                legend=None,
            ),
        )
        .properties(width=panel_width, height=170)
        .facet(
            facet=alt.Facet("namn:N", sort=order, title=None, header=alt.Header(labelFontSize=12)),
            columns=2,
        )
        .resolve_scale(y="independent")
    )
    last: dict[str, dict[str, Any]] = {}
    for r in records(rows):
        if r["namn"] not in last or int(r["manad"]) > int(last[r["namn"]]["manad"]):
            last[r["namn"]] = r
    described = _listing(
        f"{namn} efter månad {int(r['manad'])}: utfall {mnkr_text(r['utfall_ack'])}, "
        f"budget {mnkr_text(r['budget_ack'])}"
        for namn, r in last.items()
    )
    return render(
        chart,
        "diagram-utfall-budget",
        "Utfall mot budget, ackumulerat per månad",
        f"Linjediagram per organisation: ackumulerat utfall (heldragen) och ackumulerad budget "
        f"(streckad) månad för månad. {described}.",
    )


# ---------------------------------------------------------------------------------------------
# The helårsprognos through the year: each month's forecast by method, with its interval band.


def helarsprognos_genom_aret(
    rows: Any, arsbudget: Mapping[str, Any] | None = None, metodnamn: Mapping[str, str] = {}
) -> Chart:
    """Rows of marts.helarsprognos_statistisk: `namnd` (or `namn`), `period`, `metod`,
    `helarsprognos`, `helarsprognos_lag80`, `helarsprognos_hog80` (kr). One panel per nämnd;
    `arsbudget` (nämnd → kr) draws the budget as a reference line; `metodnamn` gives each
    method's Swedish name (labels.py)."""
    data, budget, order = [], [], []
    for r in records(rows):
        namn = r.get("namn") or r["namnd"]
        if namn not in order:
            order.append(namn)
        data.append(
            {
                "namn": namn,
                "period": str(r["period"]),
                "manad": int(str(r["period"])[5:7]),
                "metod": metodnamn.get(r["metod"], r["metod"]),
                "prognos": mnkr(r["helarsprognos"]),
                "lag": mnkr(r.get("helarsprognos_lag80")),
                "hog": mnkr(r.get("helarsprognos_hog80")),
            }
        )
    for namn, value in (arsbudget or {}).items():
        if namn in order and value is not None:
            budget.append({"namn": namn, "budget": mnkr(value)})
    metoder = list(dict.fromkeys(d["metod"] for d in data))
    colour = alt.Color(
        "metod:N",
        scale=alt.Scale(domain=metoder),
        legend=alt.Legend(title="Metod"),
    )
    x = alt.X("manad:O", title="Prognosmånad", axis=alt.Axis(labelAngle=0))
    band = (
        alt.Chart()
        .transform_filter("isValid(datum.lag) && isValid(datum.hog)")
        .mark_area(opacity=0.18)
        .encode(
            x=x,
            y=alt.Y("lag:Q", axis=_mnkr_axis("Helårsprognos"), scale=alt.Scale(zero=False)),
            y2="hog:Q",
            color=colour,
        )
    )
    lines = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("prognos:Q", axis=_mnkr_axis("Helårsprognos"), scale=alt.Scale(zero=False)),
            color=colour,
        )
    )
    layers = [band, lines]
    values = data
    if budget:
        # The budget as a per-panel rule: joined into the data so the facet splits it too.
        per_namn = {b["namn"]: b["budget"] for b in budget}
        values = [{**d, "budget": per_namn.get(d["namn"])} for d in data]
        layers.append(
            alt.Chart()
            .mark_rule(color="#374151", strokeDash=[4, 3])
            .encode(y=alt.Y("mean(budget):Q", axis=_mnkr_axis("Helårsprognos")))
        )
    panel_width = (WIDTH - 160) // 2 if len(order) > 1 else WIDTH - 160
    chart = (
        alt.layer(*layers, data=alt.Data(values=values))
        .properties(width=panel_width, height=170)
        .facet(facet=alt.Facet("namn:N", sort=order, title=None), columns=2)
        .resolve_scale(y="independent")
    )
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for d in data:
        key = (d["namn"], d["metod"])
        if key not in latest or d["period"] > latest[key]["period"]:
            latest[key] = d
    described = _listing(
        f"{namn}, {metod} {d['period']}: {format_number(d['prognos'], 1)} mnkr"
        + (
            f" (80 %: {format_number(d['lag'], 1)}–{format_number(d['hog'], 1)})"
            if d["lag"] is not None and d["hog"] is not None
            else ""
        )
        for (namn, metod), d in latest.items()
    )
    return render(
        chart,
        "diagram-helarsprognos",
        "Helårsprognosen genom året",
        "Linjediagram per nämnd: varje månads helårsprognos per metod med 80 %-intervall som "
        f"band{' och årsbudgeten som streckad linje' if budget else ''}. Senaste prognoser: "
        f"{described}.",
    )


# ---------------------------------------------------------------------------------------------
# Långtidsprognos: resultatandel as a fan chart per scenario, with the financial goal.


def resultatandel_solfjader(rows: Any, finansiellt_mal: float | None) -> Chart:
    """Rows: `ar`, `scenario`, `resultatandel_p10`, `_p25`, `_p50`, `_p75`, `_p90` (andel);
    `finansiellt_mal` (andel) is drawn as a line. One panel per scenario."""
    data, order = [], []
    for r in records(rows):
        if r["scenario"] not in order:
            order.append(r["scenario"])
        data.append(
            {
                "ar": int(r["ar"]),
                "scenario": r["scenario"],
                **{
                    q: None
                    if r.get(f"resultatandel_{q}") is None
                    else float(r[f"resultatandel_{q}"])
                    for q in ("p10", "p25", "p50", "p75", "p90")
                },
                "mal": None if finansiellt_mal is None else float(finansiellt_mal),
            }
        )
    axis = alt.Axis(title="Resultatandel", format=".1%")
    x = alt.X("ar:O", title="År", axis=alt.Axis(labelAngle=0))
    layers = [
        alt.Chart()
        .mark_area(color=BLA_LJUS, opacity=0.55)
        .encode(x=x, y=alt.Y("p10:Q", axis=axis), y2="p90:Q"),
        alt.Chart()
        .mark_area(color=BLA, opacity=0.45)
        .encode(x=x, y=alt.Y("p25:Q", axis=axis), y2="p75:Q"),
        alt.Chart().mark_line(color="#0b2e59", point=True).encode(x=x, y=alt.Y("p50:Q", axis=axis)),
    ]
    if finansiellt_mal is not None:
        layers.append(
            alt.Chart()
            .mark_rule(color=ROD, strokeDash=[6, 3], strokeWidth=2)
            .encode(y=alt.Y("mean(mal):Q", axis=axis))
        )
    panel_width = (WIDTH - 120) // 2 if len(order) > 1 else WIDTH - 120
    chart = (
        alt.layer(*layers, data=alt.Data(values=data))
        .properties(width=panel_width, height=180)
        .facet(
            facet=alt.Facet(
                "scenario:N", sort=order, title=None, header=alt.Header(labelFontSize=12)
            ),
            columns=2,
        )
    )
    described = []
    for scenario in order:
        own = [d for d in data if d["scenario"] == scenario]
        last = max(own, key=lambda d: d["ar"])
        described.append(
            f"{scenario} {last['ar']}: median {format_percent(last['p50'])}, 10–90 % "
            f"{format_percent(last['p10'])} till {format_percent(last['p90'])}"
        )
    goal = (
        f" Det finansiella målet {format_percent(finansiellt_mal)} är den röda streckade linjen."
        if finansiellt_mal is not None
        else ""
    )
    return render(
        chart,
        "diagram-langtidsprognos",
        "Resultatandel de kommande tio åren",
        "Solfjäderdiagram per scenario: medianen som linje, 25–75 % som mörkt band och 10–90 % "
        f"som ljust band. {_listing(described)}.{goal}",
    )


# ---------------------------------------------------------------------------------------------
# Måluppfyllelse per level: stacked bars in the traffic-light colours.

MALSTATUS_SERIES = (
    ("antal_uppfyllt", "Uppfyllt", GRON),
    ("antal_delvis", "Delvis uppfyllt", GUL),
    ("antal_ej_uppfyllt", "Ej uppfyllt", ROD),
    ("antal_saknar_varde", "Saknar värde", GRA),
)


def maluppfyllelse_per_niva(rows: Any) -> Chart:
    """Rows: `namn`, `niva` (its label) and the counts `antal_uppfyllt`, `antal_delvis`,
    `antal_ej_uppfyllt`, `antal_saknar_varde`; one bar per organisation, in the rows' order."""
    data, order, described = [], [], []
    for r in records(rows):
        rad = f"{r['niva']}: {r['namn']}"
        order.append(rad)
        parts = []
        for ordning, (key, status, _) in enumerate(MALSTATUS_SERIES):
            antal = int(r.get(key) or 0)
            if antal:  # a zero would still draw an empty bar segment
                data.append({"rad": rad, "status": status, "antal": antal, "ordning": ordning})
                parts.append(f"{antal} {status.lower()}")
        described.append(f"{rad} {', '.join(parts) or 'inga mål'}")
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("antal:Q", title="Antal mål", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("rad:N", sort=order, title=None),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(
                    domain=[s for _, s, _ in MALSTATUS_SERIES],
                    range=[c for _, _, c in MALSTATUS_SERIES],
                ),
                legend=alt.Legend(title=None),
            ),
            order=alt.Order("ordning:Q"),
        )
        .properties(width=WIDTH - 330, height=max(22 * len(order), 60))
    )
    return render(
        chart,
        "diagram-maluppfyllelse",
        "Måluppfyllelse per nivå",
        f"Staplat stapeldiagram: antal mål per status och organisation. {_listing(described)}.",
    )


# ---------------------------------------------------------------------------------------------
# Intern kontroll: the 5×5 risk matrix with the number of risks per cell.


def riskmatris(rows: Any, gul_fran: int = 8, rod_fran: int = 15) -> Chart:
    """Rows: one per risk with `sannolikhet` and `konsekvens` (1–5); risks not assessed are
    left out. Cells are coloured by riskvärde with the mart's thresholds (gul from `gul_fran`,
    röd from `rod_fran`)."""
    counts: dict[tuple[int, int], int] = {}
    for r in records(rows):
        if r.get("sannolikhet") is None or r.get("konsekvens") is None:
            continue
        cell = (int(r["sannolikhet"]), int(r["konsekvens"]))
        counts[cell] = counts.get(cell, 0) + 1
    data = []
    for s in range(1, 6):
        for k in range(1, 6):
            varde = s * k
            zon = "Röd" if varde >= rod_fran else "Gul" if varde >= gul_fran else "Grön"
            antal = counts.get((s, k), 0)
            data.append(
                {
                    "sannolikhet": s,
                    "konsekvens": k,
                    "zon": zon,
                    "antal": antal,
                    "text": str(antal) if antal else "",
                }
            )
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("konsekvens:O", title="Konsekvens", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sannolikhet:O", title="Sannolikhet", sort="descending"),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "zon:N",
            scale=alt.Scale(domain=["Grön", "Gul", "Röd"], range=["#b7e4c7", "#fde68a", "#f4a6a0"]),
            legend=alt.Legend(title="Riskvärde"),
        )
    )
    text = base.mark_text(fontSize=16, fontWeight="bold", color="#111827").encode(text="text:N")
    chart = alt.layer(cells, text).properties(width=320, height=320)
    total = sum(counts.values())
    described = _listing(
        f"sannolikhet {s}, konsekvens {k}: {n}"
        for (s, k), n in sorted(counts.items(), key=lambda c: (-c[0][0] * c[0][1], c[0]))
    )
    return render(
        chart,
        "diagram-riskmatris",
        "Riskmatris, intern kontroll",
        f"Riskmatris 5 × 5 med antal risker per ruta ({total} bedömda risker); röda rutor har "
        f"riskvärde {rod_fran} eller mer, gula {gul_fran} eller mer. "
        f"{described or 'Inga bedömda risker'}.",
    )


# ---------------------------------------------------------------------------------------------
# Förändringsanalys: the change in helårsavvikelse as a waterfall.


def vattenfall(
    steps: Sequence[tuple[str, Any]], start: tuple[str, Any], end: tuple[str, Any]
) -> Chart:
    """A waterfall from `start` (label, kr) through `steps` (label, kr: the contributions) to
    `end` (label, kr); the steps must sum to end − start (to the öre)."""
    summa = sum(Decimal(str(b or 0)) for _, b in steps)
    if abs(Decimal(str(start[1] or 0)) + summa - Decimal(str(end[1] or 0))) >= Decimal("0.01"):
        raise ValueError(
            f"Bidragen summerar inte till förändringen: {start[1]} + {summa} ≠ {end[1]}"
        )
    data, level = [], mnkr(start[1]) or 0.0
    data.append({"steg": start[0], "fran": 0.0, "till": level, "typ": "Nivå", "belopp": level})
    for label, belopp in steps:
        value = mnkr(belopp) or 0.0
        data.append(
            {
                "steg": label,
                "fran": level,
                "till": level + value,
                "typ": "Förbättring" if value >= 0 else "Försämring",
                "belopp": value,
            }
        )
        level += value
    end_value = mnkr(end[1]) or 0.0
    data.append(
        {"steg": end[0], "fran": 0.0, "till": end_value, "typ": "Nivå", "belopp": end_value}
    )
    order = [d["steg"] for d in data]
    kronor = [start[1], *(b for _, b in steps), end[1]]
    for d, kr in zip(data, kronor, strict=True):
        d["etikett"] = format_number(d["belopp"], 1, signed=d["typ"] != "Nivå")
        d["ord"] = mnkr_text(kr, signed=d["typ"] != "Nivå")
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("steg:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=150))
    )
    bars = base.mark_bar(size=44).encode(
        y=alt.Y("fran:Q", axis=_mnkr_axis("Helårsavvikelse")),
        y2="till:Q",
        color=alt.Color(
            "typ:N",
            scale=alt.Scale(domain=["Nivå", "Förbättring", "Försämring"], range=[BLA, GRON, ROD]),
            legend=alt.Legend(title=None),
        ),
    )
    labels = (
        base.mark_text(dy=-8, fontSize=11)
        .encode(y=alt.Y("top:Q"), text="etikett:N")
        .transform_calculate(top="max(datum.fran, datum.till)")
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color="#374151").encode(y="y:Q")
    chart = alt.layer(bars, labels, zero).properties(width=WIDTH - 120, height=240)
    described = _listing(f"{d['steg']} {d['etikett']} mnkr" for d in data)
    return render(
        chart,
        "diagram-forandring",
        "Förändring av helårsavvikelsen sedan förra rapporten",
        f"Vattenfallsdiagram: helårsavvikelsen förra perioden, bidragen till förändringen och "
        f"helårsavvikelsen nu. {described}.",
    )


# ---------------------------------------------------------------------------------------------
# Kvalitetsfaktorer over the years: one small chart per indicator (each in its own unit).


def kvalitetsfaktorer_over_aren(
    rows: Any, years: Sequence[int], chart_id: str, perspektiv: str
) -> Chart:
    """Rows: `indikator`, `org_namn`, `varden` ({år: värde}) and `medianer` ({år: the
    comparison group's median}); one small line chart per row over `years`, each with its own
    scale, the median dashed where the indicator has one."""
    data, described = [], []
    for r in records(rows):
        faktor = f"{r['indikator']} ({r['org_namn']})"
        values = [(ar, r["varden"].get(ar)) for ar in years]
        for ar, varde in values:
            if varde is not None:
                data.append({"faktor": faktor, "ar": ar, "serie": "Värde", "varde": varde})
        for ar in years:
            median = r.get("medianer", {}).get(ar)
            if median is not None:
                data.append(
                    {
                        "faktor": faktor,
                        "ar": ar,
                        "serie": "Jämförelsegruppens median",
                        "varde": median,
                    }
                )
        shown = [f"{ar}: {format_number(v, 2)}" for ar, v in values if v is not None]
        described.append(f"{faktor} {', '.join(shown) or 'inga värden'}")
    series = ["Värde", "Jämförelsegruppens median"]
    line = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X("ar:O", title=None, sort=list(years), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("varde:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "serie:N",
                scale=alt.Scale(domain=series, range=[BLA, GRA]),
                legend=alt.Legend(title=None),
            ),
            strokeDash=alt.StrokeDash(
                "serie:N", scale=alt.Scale(domain=series, range=[[1, 0], [5, 4]]), legend=None
            ),
        )
        # Three small charts a row; one or two get more room (and the title room to fit).
        .properties(width=230 if len(described) >= 3 else 340, height=120)
    )
    chart = (
        alt.layer(line, data=alt.Data(values=data))
        .facet(
            facet=alt.Facet("faktor:N", title=None, header=alt.Header(labelFontSize=11)), columns=3
        )
        .resolve_scale(y="independent")
    )
    return render(
        chart,
        chart_id,
        f"Kvalitetsfaktorer över åren: {perspektiv.lower()}",
        f"Linjediagram per indikator, {years[0]}–{years[-1]}, med jämförelsegruppens median "
        f"streckad där den finns. {_listing(described)}.",
    )


# Förändringsanalys: a waterfall from the nämnder's helårsavvikelse at the previous report,
# one step per nämnd whose helårsavvikelse changed, to the helårsavvikelse now.


def forandring_vattenfall(
    rows: Any, fore: Any, nu: Any, foregaende_period: str, period: str
) -> Chart:
    """Rows: `namn`, `forandring` (kr, positive = the helårsavvikelse improved); `fore` and `nu`
    (kr): the nämnder's summed helårsavvikelse at the previous report and now, the first and
    last bar. Steps are sorted from the largest worsening to the largest improvement."""
    steps = sorted(
        (r for r in records(rows) if r["forandring"]), key=lambda r: float(r["forandring"])
    )
    data, level = [], mnkr(fore)
    data.append(
        {
            "steg": foregaende_period,
            "fran": 0.0,
            "till": level,
            "typ": "Summa",
            "text": mnkr_text(fore, signed=True),
        }
    )
    for r in steps:
        change = mnkr(r["forandring"])
        data.append(
            {
                "steg": r["namn"],
                "fran": level,
                "till": level + change,
                "typ": "Förbättring" if change > 0 else "Försämring",
                "text": mnkr_text(r["forandring"], signed=True),
            }
        )
        level += change
    data.append(
        {
            "steg": period,
            "fran": 0.0,
            "till": mnkr(nu),
            "typ": "Summa",
            "text": mnkr_text(nu, signed=True),
        }
    )
    for d in data:
        # The amount in the bar's label: text beside a bar would collide with the axis.
        d["etikett"] = f"{d['steg']}: {d['text']}"
    order = [d["etikett"] for d in data]
    base = alt.Chart(alt.Data(values=data))
    bars = base.mark_bar().encode(
        y=alt.Y("etikett:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("fran:Q", axis=_mnkr_axis("Helårsavvikelse")),
        x2="till:Q",
        color=alt.Color(
            "typ:N",
            scale=alt.Scale(domain=["Försämring", "Förbättring", "Summa"], range=[ROD, GRON, BLA]),
            legend=alt.Legend(title=None),
        ),
    )
    chart = alt.layer(bars, base.mark_rule(color="#374151").encode(x=alt.datum(0)))
    # Left padding: a browser without the bundled font draws the long labels wider than
    # vl-convert measured them.
    chart = chart.properties(
        width=WIDTH - 380, height=max(24 * len(data), 80), padding={"left": 50, "top": 5}
    )
    described = _listing(f"{d['steg']} {d['text']}" for d in data[1:-1])
    return render(
        chart,
        "diagram-forandring",
        f"Förändring av helårsavvikelsen sedan {foregaende_period}",
        f"Vattenfallsdiagram: nämndernas sammanlagda helårsavvikelse i rapporten för "
        f"{foregaende_period} ({mnkr_text(fore, signed=True)}), varje nämnds förändring "
        f"(rött försämring, grönt förbättring) och helårsavvikelsen {period} "
        f"({mnkr_text(nu, signed=True)}). {described or 'Ingen nämnd har ändrats'}.",
    )
