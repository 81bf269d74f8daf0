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
