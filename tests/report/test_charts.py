"""The report's charts, drawn from small hand-made rows: each is an inline SVG with a Swedish
title, a text alternative that states the figures, Swedish number format on its axes, and no
URL. The forecast charts are tested with synthetic frames of the columns their marts will hold
(marts.helarsprognos_statistisk's 80 % interval, the långtidsprognos's percentiles)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import polars as pl
import pytest

from pipelines.lib.report import charts

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> ET.Element:
    # Inline in HTML the SVG has no xmlns; as XML it needs one to parse.
    assert "xmlns" not in chart.svg.split(">", 1)[0]
    return ET.fromstring(chart.svg.replace("<svg ", f'<svg xmlns="{SVG_NS[1:-1]}" ', 1))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG_NS}text")]


def check_svg(chart: charts.Chart, title: str) -> ET.Element:
    root = parse(chart)
    assert root.get("role") == "img"
    assert float(root.get("width")) > 200 and float(root.get("height")) > 100
    assert root[0].tag == f"{SVG_NS}title" and root[0].text == title == chart.title
    assert root[1].tag == f"{SVG_NS}desc" and root[1].text == chart.description
    assert root.get("aria-labelledby") == f"{chart.id}-titel {chart.id}-beskrivning"
    assert not re.search(r"https?://", chart.svg)
    assert title in texts(root)  # the title is drawn, not only described
    return root


def test_helarsavvikelse_is_red_below_and_green_above_zero_with_interval():
    chart = charts.helarsavvikelse_per_namnd(
        [
            {"namn": "Socialnämnden", "helarsavvikelse": -12_400_000},
            {"namn": "Kultur- och fritidsnämnden", "helarsavvikelse": -26_000},
            {
                "namn": "Barn- och utbildningsnämnden",
                "helarsavvikelse": 5_300_000,
                "avvikelse_lag": -1_000_000,
                "avvikelse_hog": 9_000_000,
            },
            {"namn": "Utan prognos", "helarsavvikelse": None},
        ]
    )
    root = check_svg(chart, "Helårsavvikelse per nämnd")
    fills = [p.get("fill") for p in root.iter(f"{SVG_NS}path") if p.get("fill")]
    assert fills.count(charts.ROD) >= 2 + 1  # two bars and the legend's symbol
    assert fills.count(charts.GRON) >= 1 + 1
    # Swedish axis: decimal comma and the minus sign
    axis = [t for t in texts(root) if re.fullmatch(r"[−\d ,\xa0]+", t)]
    assert any("−" in t and "," in t for t in axis), axis
    assert "Helårsavvikelse, mnkr" in texts(root)
    # the text alternative keeps a small deviation's sign and size (not "0,0 mnkr")
    assert "Socialnämnden −12,4 mnkr" in chart.description
    assert "Kultur- och fritidsnämnden −26 tkr" in chart.description
    assert "Barn- och utbildningsnämnden +5,3 mnkr (intervall −1,0 till +9,0 mnkr)" in (
        chart.description
    )
    assert "Utan prognos" not in chart.description
    assert "officiella helårsprognosens 80 %-intervall" in chart.description


def test_helarsavvikelse_shows_a_long_namnd_name_whole():
    # vl-convert ends a label cut at the axis' labelLimit with "…".
    name = "Arbetsmarknads-/Utbildnings- och arbetsmarknadsnämnden"
    chart = charts.helarsavvikelse_per_namnd(
        [{"namn": name, "helarsavvikelse": -1_200_000}, {"namn": "KS", "helarsavvikelse": 1}]
    )
    labels = texts(parse(chart))
    assert name in labels
    assert not any("…" in t for t in labels)
    assert float(parse(chart).get("width")) <= charts.WIDTH + 40


def test_utfall_mot_budget_one_panel_per_organisation_in_order():
    rows = [
        {"namn": namn, "manad": m, "utfall_ack": m * 1_100_000 * k, "budget_ack": m * 1_000_000 * k}
        for namn, k in (("Testby kommun", 10), ("Socialnämnden", 3))
        for m in range(1, 11)
    ]
    chart = charts.utfall_mot_budget(pl.DataFrame(rows))
    root = check_svg(chart, "Utfall mot budget, ackumulerat per månad")
    drawn = texts(root)
    assert drawn.index("Testby kommun") < drawn.index("Socialnämnden")
    assert "Utfall ack" in drawn and "Budget ack" in drawn
    # months 1–10 on each panel's axis
    assert drawn.count("10") >= 2
    assert "Testby kommun efter månad 10: utfall 110,0 mnkr, budget 100,0 mnkr" in (
        chart.description
    )
    assert "Socialnämnden efter månad 10: utfall 33,0 mnkr, budget 30,0 mnkr" in (chart.description)


def test_helarsprognos_genom_aret_draws_each_method_with_its_80_band():
    frame = pl.DataFrame(
        [
            {
                "namnd": namnd,
                "period": f"2026-{m:02d}",
                "metod": metod,
                "helarsprognos": 100_000_000.0 + m * 1_000_000,
                "helarsprognos_lag80": None if metod == "naiv" else 95_000_000.0,
                "helarsprognos_hog80": None if metod == "naiv" else 112_000_000.0 - m * 100_000,
            }
            for namnd in ("SOC", "BUN")
            for metod in ("ets_a_ad_a", "naiv")
            for m in range(3, 11)
        ]
    )
    chart = charts.helarsprognos_genom_aret(
        frame,
        arsbudget={"SOC": 108_000_000},
        metodnamn={"ets_a_ad_a": "Statistisk (ETS)", "naiv": "Naiv"},
    )
    root = check_svg(chart, "Helårsprognosen genom året")
    drawn = texts(root)
    assert "Statistisk (ETS)" in drawn and "Naiv" in drawn and "ets_a_ad_a" not in drawn
    assert "SOC" in drawn and "BUN" in drawn
    # the band is an area path with opacity, one per panel for the method with an interval
    bands = [p for p in root.iter(f"{SVG_NS}path") if p.get("aria-roledescription") == "area mark"]
    assert len(bands) == 2
    assert "SOC, Statistisk (ETS) 2026-10: 110,0 mnkr (80 %: 95,0–111,0)" in chart.description
    assert "SOC, Naiv 2026-10: 110,0 mnkr" in chart.description
    assert "årsbudgeten som streckad linje" in chart.description


def test_resultatandel_fan_chart_per_scenario_with_the_goal():
    frame = pl.DataFrame(
        [
            {
                "ar": 2026 + i,
                "scenario": scenario,
                "resultatandel_p10": 0.01 - 0.002 * i - shift,
                "resultatandel_p25": 0.012 - 0.001 * i - shift,
                "resultatandel_p50": 0.015 - shift,
                "resultatandel_p75": 0.018 + 0.001 * i - shift,
                "resultatandel_p90": 0.02 + 0.002 * i - shift,
            }
            for scenario, shift in (("bas", 0.0), ("hog_kostnad", 0.01))
            for i in range(10)
        ]
    )
    chart = charts.resultatandel_solfjader(frame, finansiellt_mal=0.02)
    root = check_svg(chart, "Resultatandel de kommande tio åren")
    drawn = texts(root)
    assert "bas" in drawn and "hog_kostnad" in drawn and "2035" in drawn
    assert any(t.endswith("%") and "," in t for t in drawn)  # 1,0 % in Swedish
    # two bands per panel
    areas = [
        p for p in root.iter(f"{SVG_NS}path") if p.get("fill") in (charts.BLA, charts.BLA_LJUS)
    ]
    assert len(areas) == 4
    assert "bas 2035: median 1,5 %, 10–90 % −0,8 % till 3,8 %" in chart.description
    assert "målet 2,0 %" in chart.description


def test_maluppfyllelse_stacks_counts_in_traffic_light_order():
    rows = [
        {"namn": "Testby kommun", "niva": "Kommunfullmäktige", "antal_uppfyllt": 3,
         "antal_delvis": 2, "antal_ej_uppfyllt": 1, "antal_saknar_varde": 0},
        {"namn": "Socialnämnden", "niva": "Nämnd", "antal_uppfyllt": 0,
         "antal_delvis": 0, "antal_ej_uppfyllt": 4, "antal_saknar_varde": 1},
    ]  # fmt: skip
    chart = charts.maluppfyllelse_per_niva(rows)
    root = check_svg(chart, "Måluppfyllelse per nivå")
    fills = [p.get("fill") for p in root.iter(f"{SVG_NS}path")]
    # a bar per non-zero count (3 + 2) plus four legend symbols
    bars = [f for f in fills if f in (charts.GRON, charts.GUL, charts.ROD, charts.GRA)]
    assert len(bars) == 5 + 4
    assert (
        "Kommunfullmäktige: Testby kommun 3 uppfyllt, 2 delvis uppfyllt, 1 ej uppfyllt; "
        "Nämnd: Socialnämnden 4 ej uppfyllt, 1 saknar värde"
    ) in chart.description


def test_risk_matrix_counts_each_cell_with_the_marts_thresholds():
    risks = [
        {"sannolikhet": 4, "konsekvens": 4},
        {"sannolikhet": 4, "konsekvens": 4},
        {"sannolikhet": 1, "konsekvens": 2},
        {"sannolikhet": None, "konsekvens": 3},  # not assessed: not in the matrix
    ]
    chart = charts.riskmatris(risks, gul_fran=8, rod_fran=15)
    root = check_svg(chart, "Riskmatris, intern kontroll")
    cells = [
        p for p in root.iter(f"{SVG_NS}path") if p.get("fill") in ("#b7e4c7", "#fde68a", "#f4a6a0")
    ]
    assert len(cells) == 25 + 3  # the grid and the legend
    by_colour = {
        c: sum(p.get("fill") == c for p in cells) - 1 for c in ("#b7e4c7", "#fde68a", "#f4a6a0")
    }
    # riskvärde ≥ 15: 3×5, 5×3, 4×4, 4×5, 5×4, 5×5 → 6 röda; 8–14: 2×4, 4×2, 2×5, 5×2, 3×3,
    # 3×4, 4×3 → 7 gula; the other 12 gröna
    assert by_colour == {"#f4a6a0": 6, "#fde68a": 7, "#b7e4c7": 12}
    numbers = sorted(t for t in texts(root) if t.isdigit())
    # the axes' 1–5 twice, and the counts 2 (4×4) and 1 (1×2); an empty cell shows no 0
    assert numbers == ["1", "1", "1", "2", "2", "2", "3", "3", "4", "4", "5", "5"]
    assert "(3 bedömda risker)" in chart.description
    assert "sannolikhet 4, konsekvens 4: 2; sannolikhet 1, konsekvens 2: 1" in chart.description


def test_waterfall_steps_from_previous_to_current():
    chart = charts.vattenfall(
        [("Budgetrevision", 1_000_000), ("Förvaltningens prognos", -3_000_000)],
        start=("2026-09", -1_000_000),
        end=("2026-10", -3_000_000),
    )
    root = check_svg(chart, "Förändring av helårsavvikelsen sedan förra rapporten")
    drawn = texts(root)
    for label in ("2026-09", "Budgetrevision", "Förvaltningens prognos", "2026-10"):
        assert label in drawn
    assert "+1,0" in drawn and "−3,0" in drawn
    assert "2026-09 −1,0 mnkr; Budgetrevision +1,0 mnkr; Förvaltningens prognos −3,0 mnkr; " in (
        chart.description
    )


def test_waterfall_refuses_steps_that_do_not_sum_to_the_change():
    with pytest.raises(ValueError, match="summerar inte"):
        charts.vattenfall([("Budgetrevision", 1)], start=("a", 0), end=("b", 5))
