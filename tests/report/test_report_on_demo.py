"""The report's figures against a real warehouse built by the demo (`styrhjul demo`).

The hand-made marts of conftest.py test the rendering; here the report written by the real
pipeline is compared with the marts it was published with: the kommun and one nämnd, the
resultaträkning, the långtidsprognos, and the rule that the kommun has one helårsprognos
everywhere the report shows it (summary, the kommun row of marts.budgetavvikelse, the
resultaträkning, the projection's first year). The demo runs once per module (about a minute).
"""

from __future__ import annotations

import re
from decimal import Decimal

import duckdb
import pytest

from pipelines.lib.report.data import read_report
from pipelines.lib.report.format import format_mnkr, format_number, format_percent
from pipelines.lib.workspace import Workspace

pytestmark = pytest.mark.e2e
SCALE = 0.1
ORE = Decimal("0.01")


@pytest.fixture(scope="module")
def demo(published_demo):
    home = published_demo["home"]
    ws = Workspace(home=home)
    with duckdb.connect(str(ws.published_db), read_only=True) as con:
        [(period,)] = con.execute("select max(period) from marts.budgetavvikelse").fetchall()
    html = (ws.reports / period / "manadsrapport.html").read_text(encoding="utf-8")
    return {"ws": ws, "period": period, "html": html, "report": read_report(ws, period)}


def rows(demo, sql: str, params=()) -> list[dict]:
    with duckdb.connect(str(demo["ws"].published_db), read_only=True) as con:
        cur = con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def kommun(demo) -> dict:
    [row] = rows(
        demo,
        "select * from marts.budgetavvikelse where niva = 'kommun' and period = ?",
        [demo["period"]],
    )
    return row


def rr(demo) -> dict:
    [row] = rows(demo, "select * from marts.resultatrakning where period = ?", [demo["period"]])
    return row


def projection(demo) -> list[dict]:
    return rows(demo, "select * from marts.langtidsprognos where scenario = 'bas' order by ar")


def section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


def cells(part: str, table: int = 0) -> dict[str, list[str]]:
    """Body rows of the `table`th table in `part` (the first by default), by their first cell."""
    start = 0
    for _ in range(table + 1):
        start = part.index("<tbody>", start) + 1
    body = part[start - 1 : part.index("</tbody>", start)]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        texts = [t.strip() for t in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        out[re.sub(r"<[^>]+>", "", texts[0]).strip()] = texts[1:]
    return out


def summary(demo) -> dict:
    return {item.label: item.value for item in demo["report"].summary}


def summary_html(demo) -> dict[str, str]:
    return {k: v[0] for k, v in cells(section(demo["html"], "sammanfattning")).items()}


# ---- the figures shown are the published marts' -----------------------------------------------


def test_summary_shows_the_kommun_row(demo):
    k, s, h = kommun(demo), summary(demo), summary_html(demo)
    for label, column in [
        ("Utfall ackumulerat", "utfall_ack"),
        ("Budget ackumulerad", "budget_ack"),
        ("Årsbudget", "arsbudget"),
        ("Helårsprognos", "helarsprognos"),
    ]:
        assert s[label] == k[column], label
        assert h[label] == f"{format_mnkr(k[column])} mnkr", label
    assert s["Helårsavvikelse"] == k["helarsavvikelse"] == k["arsbudget"] - k["helarsprognos"]
    assert h["Helårsavvikelse"] == f"{format_mnkr(k['helarsavvikelse'], signed=True)} mnkr"


def test_a_namnd_row_is_the_marts(demo):
    # The nämnd with the largest forecast deficit (the one the report is read for).
    [n] = rows(
        demo,
        "select * from marts.budgetavvikelse where niva = 'namnd' and period = ? "
        "order by helarsavvikelse limit 1",
        [demo["period"]],
    )
    namnder = next(s for s in demo["report"].sections if s.id == "namnder")
    [row] = [r for r in namnder.rows if r["org"] == n["org"]]
    for column in ("budget_ack", "utfall_ack", "arsbudget", "helarsprognos", "helarsavvikelse"):
        assert row[column] == n[column], column
    html = cells(section(demo["html"], "namnder"))[n["org_namn"]]
    assert html[:6] == [
        format_mnkr(n["budget_ack"]),
        format_mnkr(n["utfall_ack"]),
        format_mnkr(n["avvikelse_ack"], signed=True),
        format_mnkr(n["arsbudget"]),
        format_mnkr(n["helarsprognos"]),
        format_mnkr(n["helarsavvikelse"], signed=True),
    ]
    # The second table of the section: the forecast's source and the other methods.
    methods = cells(section(demo["html"], "namnder"), table=1)[n["org_namn"]]
    assert methods == [
        {"forvaltningens": "förvaltningens", "budgetbaserad": "budgetbaserad"}[
            n["helarsprognos_kalla"]
        ],
        format_mnkr(n["helarsprognos_budgetbaserad"]),
        format_mnkr(n["helarsprognos_takt"]),
    ]


def test_atgardsplan_codes_show_as_swedish_words_and_lights(demo):
    # The demo's story: Socialnämnden decides a plan in May, Äldrenämnden none.
    status = {
        r["namnd_namn"]: r["status"]
        for r in rows(
            demo,
            "select namnd_namn, status from marts.atgardsplan where period = ? and flagga",
            [demo["period"]],
        )
    }
    assert status == {"Socialnämnden": "beslutad", "Äldrenämnden": "forsenad"}
    table = cells(section(demo["html"], "atgardsplaner"))
    text = {name: [re.sub(r"<[^>]+>", "", c).strip() for c in table[name][:2]] for name in status}
    assert text == {"Socialnämnden": ["● Gul", "beslutad"], "Äldrenämnden": ["● Röd", "försenad"]}
    assert 'class="ljus rod"' in section(demo["html"], "atgardsplaner")
    assert "forsenad" not in demo["html"]


def test_resultatrakning_and_its_helarsprognos_are_the_marts(demo):
    r, s, h = rr(demo), summary(demo), summary_html(demo)
    assert s["Årets resultat, helårsprognos"] == r["helarsprognos_arets_resultat"]
    assert s["Resultatandel, helårsprognos"] == pytest.approx(r["resultatandel_prognos"])
    assert h["Årets resultat, helårsprognos"] == (
        f"{format_mnkr(r['helarsprognos_arets_resultat'])} mnkr"
    )
    assert h["Resultatandel, helårsprognos"] == format_percent(r["resultatandel_prognos"])
    table = cells(section(demo["html"], "resultatrakning"))
    assert table["Årets resultat"][:2] == [
        format_mnkr(r["arets_resultat"]),
        format_mnkr(r["helarsprognos_arets_resultat"]),
    ]
    assert table["Verksamhetens nettokostnad"][:2] == [
        format_mnkr(-r["verksamhetens_nettokostnad"]),
        format_mnkr(-r["helarsprognos_verksamhetens_nettokostnad"]),
    ]


def test_langtidsprognos_rows_are_the_marts_in_mnkr(demo):
    mart = projection(demo)
    assert len(mart) == 10
    table = cells(section(demo["html"], "langtidsprognos"))
    assert list(table) == [str(r["ar"]) for r in mart]
    for r in mart:
        assert table[str(r["ar"])][:3] == [
            format_number(r["arets_resultat"], 1),
            format_percent(r["resultatandel"]),
            format_number(r["effektiviseringsbehov_mnkr"], 1),
        ]
    # Read as kronor, every year would show 0,0: the demo's results are tens of mnkr.
    assert any(abs(r["arets_resultat"]) > 1 for r in mart)
    assert all(v[0] != "0,0" for v in table.values())


# ---- one kommun helårsprognos ------------------------------------------------------------------


def test_first_projection_year_is_the_report_years_helarsprognos(demo):
    r, s = rr(demo), summary(demo)
    first = projection(demo)[0]
    assert first["ar"] == int(demo["period"][:4])
    assert first["prognosperiod"] == demo["period"]
    kronor = Decimal(str(first["arets_resultat"] * 1e6)).quantize(ORE)
    assert abs(kronor - r["helarsprognos_arets_resultat"]) <= ORE
    assert first["resultatandel"] == pytest.approx(r["resultatandel_prognos"], rel=1e-12)
    # Shown as the same figure as in the summary.
    row = cells(section(demo["html"], "langtidsprognos"))[str(first["ar"])]
    assert f"{row[0]} mnkr" == summary_html(demo)["Årets resultat, helårsprognos"]
    assert row[1] == summary_html(demo)["Resultatandel, helårsprognos"]
    assert s["Årets resultat, helårsprognos"] == r["helarsprognos_arets_resultat"]
    # All scenarios agree on the year in progress.
    values = rows(
        demo,
        "select distinct arets_resultat from marts.langtidsprognos where ar = ?",
        [first["ar"]],
    )
    assert len(values) == 1


def test_resultatrakning_net_cost_is_the_kommun_row(demo):
    k, r = kommun(demo), rr(demo)
    assert r["verksamhetens_nettokostnad"] == k["utfall_ack"]
    assert r["helarsprognos_verksamhetens_nettokostnad"] == k["helarsprognos"]


def test_arets_resultat_prognos_is_built_on_the_kommun_helarsprognos(demo):
    k, r = kommun(demo), rr(demo)
    assert r["helarsprognos_arets_resultat"] == (
        r["helarsprognos_skatteintakter"]
        + r["helarsprognos_generella_statsbidrag"]
        + r["helarsprognos_finansnetto"]
        - k["helarsprognos"]
    )


def test_kommun_helarsprognos_is_the_namnder_less_internal_trade(demo):
    k = kommun(demo)
    [n] = rows(
        demo,
        "select sum(helarsprognos) as helarsprognos, sum(utfall_ack) as utfall_ack "
        "from marts.budgetavvikelse where niva = 'namnd' and period = ?",
        [demo["period"]],
    )
    intern = n["utfall_ack"] - k["utfall_ack"]  # what the kommun's elimination removes
    assert k["helarsprognos"] == n["helarsprognos"] - intern


def test_the_kommun_helarsprognos_is_one_figure_in_the_report(demo):
    h = summary_html(demo)
    table = cells(section(demo["html"], "resultatrakning"))
    net_cost = table["Verksamhetens nettokostnad"][1].lstrip("−")
    assert h["Helårsprognos"] == f"{net_cost} mnkr"
