"""Writes the notebooks from the cells below (outputs stripped), so their source is reviewable
as Python and they stay in step: `uv run python notebooks/build_notebooks.py`.
tests/notebooks/ executes every notebook against a demo workspace and checks that the committed
files are what this script writes."""

from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).parent

OPEN = """\
from pipelines.lib.warehouse.analysis import connect

con = connect()  # the published warehouse, read-only (STYRHJUL_HOME, else data/)
period = con.execute("select rapportperiod from marts.rapportperiod").fetchall()[0][0]
period"""

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "budgetuppfoljning.ipynb": [
        (
            "markdown",
            "# Budgetuppföljning per nämnd\n\nUtfall, budget och helårsprognos per "
            "nämnd för den senaste rapportperioden, ur `marts.budgetavvikelse`. Belopp i mnkr; "
            "positiv avvikelse = överskott.",
        ),
        ("code", OPEN),
        (
            "code",
            """\
namnder = con.sql(
    \"\"\"
    select org_namn as namnd,
           utfall_ack / 1e6 as utfall_ack_mnkr,
           budget_ack / 1e6 as budget_ack_mnkr,
           helarsprognos / 1e6 as helarsprognos_mnkr,
           helarsavvikelse / 1e6 as helarsavvikelse_mnkr,
           helarsprognos_kalla
    from marts.budgetavvikelse
    where niva = 'namnd' and period = $period
    order by helarsavvikelse
    \"\"\",
    params={"period": period},
).pl()
namnder""",
        ),
        ("markdown", "## Helårsavvikelse per nämnd\n\nRött: underskott, grönt: överskott."),
        (
            "code",
            """\
import altair as alt

# SVG drawn here by vl-convert: the chart shows offline and in any notebook viewer.
alt.renderers.enable("svg")
alt.Chart(namnder.to_pandas()).mark_bar().encode(
    x=alt.X("helarsavvikelse_mnkr:Q", title="Helårsavvikelse (mnkr)"),
    y=alt.Y("namnd:N", sort="x", title=None),
    color=alt.condition(
        alt.datum.helarsavvikelse_mnkr < 0, alt.value("#c0392b"), alt.value("#27ae60")
    ),
).properties(title=f"Helårsavvikelse per nämnd, {period}")""",
        ),
        ("markdown", "## Kommunen: utfall mot budget månad för månad"),
        (
            "code",
            """\
kommun = con.sql(
    \"\"\"
    select period, utfall_ack / 1e6 as utfall, budget_ack / 1e6 as budget
    from marts.budgetavvikelse
    where niva = 'kommun' and ar = cast(left($period, 4) as integer) and period <= $period
    order by period
    \"\"\",
    params={"period": period},
).pl()
long = kommun.unpivot(index="period", variable_name="serie", value_name="mnkr")
alt.Chart(long.to_pandas()).mark_line(point=True).encode(
    x=alt.X("period:O", title="Period"),
    y=alt.Y("mnkr:Q", title="Ackumulerat (mnkr)"),
    color=alt.Color("serie:N", title=None),
).properties(title="Kommunens utfall ack och budget ack")""",
        ),
    ],
    "forandringsanalys.ipynb": [
        (
            "markdown",
            "# Förändringsanalys: vad ändrade helårsavvikelsen sedan förra rapporten?\n\n"
            "Per nämnd förändringen av helårsavvikelsen från föregående månad (som den "
            "rapporterades) till rapportperioden, uppdelad i komponenter som tillsammans är "
            "hela förändringen, ur `marts.forandringsanalys` (regeln: docs/rules.md §22). "
            "Belopp i mnkr; positivt = förbättring.",
        ),
        ("code", OPEN),
        (
            "code",
            """\
per_namnd = con.sql(
    \"\"\"
    select f.namnd, any_value(b.org_namn) as namn, f.komponent, sum(f.belopp) / 1e6 as mnkr
    from marts.forandringsanalys as f
    join marts.budgetavvikelse as b
        on b.niva = 'namnd' and b.org = f.namnd and b.period = f.period
    where f.period = $period
    group by f.namnd, f.komponent
    order by f.namnd, f.komponent
    \"\"\",
    params={"period": period},
).pl()
per_namnd.pivot(on="komponent", index=["namnd", "namn"], values="mnkr")""",
        ),
        (
            "markdown",
            "## Delarna är hela förändringen\n\nSumman av komponenterna per nämnd är "
            "skillnaden mellan månadernas helårsavvikelse i `marts.budgetavvikelse` (när "
            "föregående månad inte är stängd; en stängd månad jämförs som den rapporterades, "
            "`marts.budgetavvikelse_rapporterad`).",
        ),
        (
            "code",
            """\
kontroll = con.sql(
    \"\"\"
    select f.namnd, f.foregaende_period, sum(f.belopp) as summa,
           any_value(nu.helarsavvikelse - fore.helarsavvikelse) as forandring
    from marts.forandringsanalys as f
    join marts.budgetavvikelse as nu
        on nu.niva = 'namnd' and nu.org = f.namnd and nu.period = f.period
    join marts.budgetavvikelse as fore
        on fore.niva = 'namnd' and fore.org = f.namnd and fore.period = f.foregaende_period
    where f.period = $period
    group by f.namnd, f.foregaende_period
    \"\"\",
    params={"period": period},
).pl()
stangda = con.sql("select period from marts.perioder where status = 'stangd'").pl()
oppna = kontroll.filter(~kontroll["foregaende_period"].is_in(stangda["period"]))
assert (oppna["summa"] == oppna["forandring"]).all()
kontroll""",
        ),
        ("markdown", "## Förändringen per nämnd och komponent"),
        (
            "code",
            """\
import altair as alt

alt.renderers.enable("svg")  # drawn offline by vl-convert
alt.Chart(per_namnd.to_pandas()).mark_bar().encode(
    x=alt.X("sum(mnkr):Q", title="Förändring av helårsavvikelsen (mnkr)"),
    y=alt.Y("namn:N", title=None),
    color=alt.Color("komponent:N", title="Komponent"),
).properties(title=f"Förändring sedan förra rapporten, {period}")""",
        ),
        ("markdown", "## De största bidragen, med namn"),
        (
            "code",
            """\
con.sql(
    \"\"\"
    with namn as (
        select niva, org, any_value(org_namn) as namn from marts.budgetavvikelse
        where period = $period group by niva, org
    ),
    kontogrupper as (
        select kontogrupp, any_value(kontogrupp_namn) as kontogrupp_namn
        from marts.fct_ekonomi_manad group by kontogrupp
    )
    select n.namn as namnd, f.komponent, fv.namn as forvaltning, v.namn as verksamhet,
           k.kontogrupp_namn as kontogrupp, f.belopp / 1e6 as mnkr
    from marts.forandringsanalys as f
    left join namn as n on n.niva = 'namnd' and n.org = f.namnd
    left join namn as fv on fv.niva = 'forvaltning' and fv.org = f.forvaltning
    left join namn as v on v.niva = 'verksamhet' and v.org = f.verksamhet
    left join kontogrupper as k using (kontogrupp)
    where f.period = $period and f.belopp <> 0
    order by abs(f.belopp) desc
    limit 15
    \"\"\",
    params={"period": period},
).pl()""",
        ),
    ],
    "langtidsprognos.ipynb": [
        (
            "markdown",
            "# Tioårsprognosen och dess känslighet\n\nÅrets resultat och resultatandel per år "
            "och scenario ur `marts.langtidsprognos`, med simuleringens percentiler (10–90 %), "
            "sannolikheten att resultatandelen hamnar under det finansiella målet, och "
            "`marts.kanslighetsanalys`: vad en ändring av varje faktor gör med årets resultat. "
            "Belopp i mnkr.",
        ),
        ("code", OPEN),
        (
            "code",
            """\
utsikt = con.sql(
    \"\"\"
    select ar, scenario, arets_resultat, arets_resultat_p10, arets_resultat_p90,
           resultatandel, resultatandel_p10, resultatandel_p25, resultatandel_p75,
           resultatandel_p90, sannolikhet_under_mal, finansiellt_mal
    from marts.langtidsprognos
    order by scenario, ar
    \"\"\"
).pl()
utsikt""",
        ),
        (
            "markdown",
            "## Resultatandel per scenario\n\nMörkare band: 25–75 %, ljusare: 10–90 % av de "
            "simulerade banorna. Den streckade linjen är det finansiella målet.",
        ),
        (
            "code",
            """\
import altair as alt

alt.renderers.enable("svg")  # drawn offline by vl-convert
data = utsikt.to_pandas()
base = alt.Chart(data).encode(x=alt.X("ar:O", title="År"))
band90 = base.mark_area(opacity=0.2).encode(
    y=alt.Y("resultatandel_p10:Q", title="Resultatandel", axis=alt.Axis(format="%")),
    y2="resultatandel_p90:Q",
    color=alt.Color("scenario:N", title="Scenario"),
)
band50 = base.mark_area(opacity=0.35).encode(
    y="resultatandel_p25:Q", y2="resultatandel_p75:Q", color="scenario:N"
)
median = base.mark_line().encode(y="resultatandel:Q", color="scenario:N")
mal = base.mark_rule(strokeDash=[4, 4], color="black").encode(y="mean(finansiellt_mal):Q")
alt.layer(band90, band50, median, mal).properties(title="Resultatandel, tioårsprognos")""",
        ),
        ("markdown", "## Känslighetsanalys\n\nPositivt belopp = bättre resultat."),
        (
            "code",
            """\
kanslighet = con.sql(
    "select faktor, beskrivning, ar1_mnkr, ar10_mnkr from marts.kanslighetsanalys "
    "order by abs(ar10_mnkr) desc"
).pl()
kanslighet""",
        ),
    ],
    "maluppfyllelse.ipynb": [
        (
            "markdown",
            "# Måluppfyllelse per nivå\n\nHur många mål som är uppfyllda, delvis "
            "uppfyllda och ej uppfyllda per nivå och organisation, ur "
            "`marts.maluppfyllelse_per_niva`, och bristerna i målkedjan ur "
            "`marts.malkedja_brister`.",
        ),
        ("code", OPEN),
        (
            "code",
            """\
per_niva = con.sql(
    \"\"\"
    select niva, org, ar, antal_uppfyllt, antal_delvis, antal_ej_uppfyllt, antal_saknar_varde
    from marts.maluppfyllelse_per_niva
    where ar = (select max(ar) from marts.maluppfyllelse_per_niva)
    order by niva, org
    \"\"\"
).pl()
per_niva""",
        ),
        (
            "code",
            """\
import altair as alt

alt.renderers.enable("svg")  # drawn offline by vl-convert
long = per_niva.unpivot(
    index=["niva", "org", "ar"], variable_name="status", value_name="antal"
)
alt.Chart(long.to_pandas()).mark_bar().encode(
    x=alt.X("sum(antal):Q", title="Antal mål"),
    y=alt.Y("org:N", title=None),
    color=alt.Color(
        "status:N",
        title="Status",
        scale=alt.Scale(
            domain=["antal_uppfyllt", "antal_delvis", "antal_ej_uppfyllt", "antal_saknar_varde"],
            range=["#27ae60", "#f1c40f", "#c0392b", "#95a5a6"],
        ),
    ),
    row=alt.Row("niva:N", title=None),
).properties(title="Måluppfyllelse")""",
        ),
        (
            "code",
            """\
con.sql(
    "select niva, org, ar, titel, brist from marts.malkedja_brister order by ar, niva, org"
).pl()""",
        ),
    ],
}


def build(name: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for kind, source in NOTEBOOKS[name]:
        cell = (
            nbformat.v4.new_markdown_cell(source)
            if kind == "markdown"
            else nbformat.v4.new_code_cell(source)
        )
        notebook.cells.append(cell)
    # Stable ids, so rewriting an unchanged notebook changes nothing.
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{Path(name).stem}-{index}"
    return notebook


def main() -> None:
    for name in NOTEBOOKS:
        nbformat.write(build(name), HERE / name)
        print(f"Skrev {HERE / name}")


if __name__ == "__main__":
    main()
