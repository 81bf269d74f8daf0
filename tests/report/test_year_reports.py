"""The delårsrapport and the årsredovisning underlag on the demo: the figures are the marts'
(queried here on their own), every section is there and names its source, the årsredovisning is
refused in Swedish for a year not closed, both render offline in headless Chromium, and their
Dagster assets exist outside the monthly job and write the files when materialised."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.lib.demo import DEMO_CLOSED_YEAR, DEMO_REPORTS
from pipelines.lib.report.arsredovisning import read_arsredovisning
from pipelines.lib.report.delarsrapport import read_delarsrapport
from pipelines.lib.workspace import Workspace
from tests.report.chromium import chromium_or_fail, measure

DELAR = "2026-08"
AR = DEMO_CLOSED_YEAR

DELAR_SECTIONS = [
    "analys",
    "resultatrakning",
    "finansiella_mal",
    "balanskrav",
    "namnder",
    "atgardsplaner",
    "kf_mal",
    "investeringar",
    "uppdrag",
]
AR_SECTIONS = [
    "resultatrakning",
    "bokslutsposter",
    "finansiella_mal",
    "balanskrav",
    "kf_mal",
    "namnder",
    "atgardsplaner",
    "investeringar",
]


def _query(home: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse" / "styrhjul.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def ws(published_demo) -> Workspace:
    return Workspace(home=published_demo["home"])


@pytest.fixture(scope="module")
def delar(ws):
    return read_delarsrapport(ws, DELAR)


@pytest.fixture(scope="module")
def arsred(ws):
    return read_arsredovisning(ws, AR)


def _section(report, section_id):
    return next(s for s in report.sections if s.id == section_id)


class _Approx:
    """Equal to a number (Decimal or float) within one öre; pytest.approx rejects Decimal."""

    def __init__(self, value) -> None:
        self.value = float(value)

    def __eq__(self, other) -> bool:
        return other is not None and abs(float(other) - self.value) <= 0.01

    def __repr__(self) -> str:
        return f"{self.value} ± 0.01"


def _approx(value):
    return None if value is None else _Approx(value)


# ---- the demo writes them --------------------------------------------------------------------


def test_the_demo_writes_the_years_reports_and_says_so(published_demo, ws):
    assert ("delarsrapport", DELAR) in DEMO_REPORTS and ("arsredovisning", str(AR)) in DEMO_REPORTS
    out = published_demo["stdout"]
    assert f"Skriver delårsrapport för {DELAR} ..." in out
    assert f"Skriver årsredovisning, underlag för {AR} ..." in out
    for folder, stem in ((DELAR, "delarsrapport"), (str(AR), "arsredovisning_underlag")):
        for suffix in (".html", ".xlsx"):
            assert (ws.reports / folder / f"{stem}{suffix}").is_file(), (folder, stem, suffix)
    # The month report of the latest period is still the refresh's own.
    assert (ws.reports / "2026-10" / "manadsrapport.html").is_file()


# ---- the delårsrapport ------------------------------------------------------------------------


def test_the_delarsrapport_has_every_section_each_naming_its_source(delar):
    assert (delar.typ, delar.title, delar.period, delar.scope) == (
        "delarsrapport",
        "Delårsrapport",
        DELAR,
        "period",
    )
    assert delar.heading == "Delårsrapport januari–augusti 2026"
    assert [s.id for s in delar.sections] == DELAR_SECTIONS
    for s in delar.sections:
        assert s.source and s.source.startswith("marts."), s.id
    assert "marts.investeringsuppfoljning_per_namnd" in delar.sources
    assert "marts.uppdrag" in delar.sources and "marts.analys" in delar.sources


def test_the_delarsrapport_figures_are_the_marts(ws, delar):
    home = ws.home
    [(arets, prognos, andel, mal, sjalv, sjalv_mal, bkr)] = _query(
        home,
        "select arets_resultat, helarsprognos_arets_resultat, resultatandel_prognos, "
        "resultatandel_mal, sjalvfinansieringsgrad_prognos, sjalvfinansieringsgrad_mal, "
        "balanskravsresultat_prognos from marts.resultatrakning where period = ?",
        [DELAR],
    )
    rr = _section(delar, "resultatrakning")
    last = rr.rows[-1]
    assert last["post"] == "Årets resultat"
    assert (last["belopp"], last["helarsprognos"]) == (_approx(arets), _approx(prognos))

    goals = _section(delar, "finansiella_mal").rows
    assert [(g["varde"], g["malvarde"]) for g in goals] == [
        (_approx(andel), _approx(mal)),
        (_approx(sjalv), _approx(sjalv_mal)),
    ]
    assert goals[0]["trafikljus"] == ("gron" if andel >= mal else "rod")

    # The balanskrav mart judges 2026 at its latest month (2026-10): the section says so and
    # shows August's balanskravsresultat from the resultaträkning.
    balanskrav = _section(delar, "balanskrav")
    [(bkr_mart, underlag)] = _query(
        home, "select balanskravsresultat, underlag from marts.balanskrav where ar = 2026"
    )
    assert underlag == "prognos"
    assert next(r for r in balanskrav.rows if r["post"] == "Balanskravsresultat")[
        "belopp"
    ] == _approx(bkr_mart)
    assert "bygger på helårsprognosen i 2026-10" in balanskrav.message
    assert balanskrav.key_figures[0].value == _approx(bkr)

    mart = dict(
        _query(
            home,
            "select org_namn, helarsavvikelse from marts.budgetavvikelse "
            "where niva = 'namnd' and period = ?",
            [DELAR],
        )
    )
    namnder = _section(delar, "namnder")
    assert {r["org_namn"]: r["helarsavvikelse"] for r in namnder.rows} == mart
    # The nämnder's own written analyses of the period sit under their figures.
    texts = _query(
        home,
        "select text from marts.analys where period = ? and niva = 'namnd' "
        "and avsnitt = 'ekonomi' order by org",
        [DELAR],
    )
    assert texts and [t.markdown for t in namnder.texts] == [t for (t,) in texts]

    flagged = _query(
        home, "select namnd, status from marts.atgardsplan where period = ? and flagga", [DELAR]
    )
    plans = {r["namnd"]: r["status"] for r in _section(delar, "atgardsplaner").rows}
    assert flagged and all(plans[n] == s for n, s in flagged)


def test_the_delarsrapport_goals_investments_uppdrag_and_analyses_are_the_marts(ws, delar):
    home = ws.home
    goals = _query(
        home,
        "select mal_id, status from marts.maluppfyllelse where niva = 'kommun' and ar = 2026 "
        "order by mal_id",
    )
    assert goals and [(r["mal_id"], r["status"]) for r in _section(delar, "kf_mal").rows] == goals

    [(budget, utfall, prognos)] = _query(
        home,
        "select budget, utfall_ack, helarsprognos from marts.investeringsuppfoljning_per_namnd "
        "where niva = 'kommun' and ar = 2026",
    )
    investeringar = _section(delar, "investeringar")
    kommun = investeringar.rows[-1]
    assert kommun["org_namn"] == "Jönköpings kommun"  # the kommun row, by the kommun's name
    assert (kommun["budget"], kommun["utfall_ack"], kommun["helarsprognos"]) == (
        budget,
        utfall,
        prognos,
    )
    [(projects,)] = _query(
        home, "select count(*) from marts.investeringsuppfoljning where ar = 2026"
    )
    assert len(investeringar.excel_tables[0].rows) == projects

    uppdrag = _query(
        home, "select id, status, forsenad from marts.uppdrag where period = ? order by id", [DELAR]
    )
    rows = _section(delar, "uppdrag").rows
    assert sorted((r["id"], r["status"], r["forsenad"]) for r in rows) == uppdrag
    overdue = sum(1 for _, _, late in uppdrag if late)
    assert _section(delar, "uppdrag").key_figures[-1].value == overdue
    # Overdue first, in red.
    assert [r["trafikljus"] for r in rows] == sorted(
        (r["trafikljus"] for r in rows), key=lambda light: light != "rod"
    )

    analys = _section(delar, "analys")
    kommun_texts = _query(
        home, "select text from marts.analys where period = ? and niva = 'kommun'", [DELAR]
    )
    assert kommun_texts and [t.markdown for t in analys.texts] == [t for (t,) in kommun_texts]
    assert analys.texts[0].heading == "Sammanfattning"
    missing = _query(
        home, "select namnd_namn from marts.analys_saknas where period = ? order by namnd", [DELAR]
    )
    assert [(r["namnd_namn"],) for r in analys.rows] == missing


def test_the_delarsrapport_summary_is_the_kommuns_helarsprognos(ws, delar):
    [(helarsavvikelse,)] = _query(
        ws.home,
        "select helarsavvikelse from marts.budgetavvikelse where niva = 'kommun' and period = ?",
        [DELAR],
    )
    items = {i.label: i for i in delar.summary}
    assert items["Helårsavvikelse"].value == helarsavvikelse
    assert any(line.startswith("Balanskravet uppfylls") for line in delar.summary_text)


# ---- the årsredovisning underlag -------------------------------------------------------------


def test_the_arsredovisning_has_every_section_each_naming_its_source(arsred):
    assert (arsred.typ, arsred.period, arsred.scope, arsred.file_stem) == (
        "arsredovisning",
        str(AR),
        "ar",
        "arsredovisning_underlag",
    )
    assert arsred.heading == f"Årsredovisning, underlag {AR}"
    assert arsred.period_status.startswith("stängd")  # its December, closed by the demo
    assert [s.id for s in arsred.sections] == AR_SECTIONS
    for s in arsred.sections:
        assert s.source and s.source.startswith("marts."), s.id
    assert "marts.bokslutsposter" in arsred.sources


def test_the_arsredovisning_figures_are_the_closed_years_marts(ws, arsred):
    home = ws.home
    december = f"{AR}-12"
    [(arets, skatt, andel, mal)] = _query(
        home,
        "select arets_resultat, skatteintakter, resultatandel_prognos, resultatandel_mal "
        "from marts.resultatrakning where period = ?",
        [december],
    )
    rr = _section(arsred, "resultatrakning")
    assert [c.key for c in rr.columns] == ["post", "belopp"]  # no helårsprognos: the outcome
    lines = {r["post"]: r["belopp"] for r in rr.rows}
    assert lines["Årets resultat"] == _approx(arets)
    assert lines["Skatteintäkter"] == _approx(skatt)
    goals = _section(arsred, "finansiella_mal").rows
    assert (goals[0]["varde"], goals[0]["malvarde"]) == (_approx(andel), _approx(mal))

    [(bokslut,)] = _query(
        home,
        "select nettokostnad from marts.bokslutsposter where niva = 'kommun' and ar = ?",
        [AR],
    )
    poster = _section(arsred, "bokslutsposter").rows
    assert next(r for r in poster if r["niva"] == "kommun")["nettokostnad"] == bokslut

    [(bkr, underlag)] = _query(
        home, "select balanskravsresultat, underlag from marts.balanskrav where ar = ?", [AR]
    )
    balanskrav = _section(arsred, "balanskrav")
    assert underlag == "utfall" and balanskrav.message is None
    assert next(r for r in balanskrav.rows if r["post"] == "Balanskravsresultat")[
        "belopp"
    ] == _approx(bkr)

    mart = {
        org: (budget, utfall, avvikelse)
        for org, budget, utfall, avvikelse in _query(
            home,
            "select org, budget_ack, utfall_ack, avvikelse_ack from marts.budgetavvikelse "
            "where niva = 'namnd' and period = ?",
            [december],
        )
    }
    rows = _section(arsred, "namnder").rows
    assert {r["org"]: (r["budget_ack"], r["utfall_ack"], r["avvikelse_ack"]) for r in rows} == mart

    goals = _query(
        home,
        "select mal_id from marts.maluppfyllelse where niva = 'kommun' and ar = ? order by 1",
        [AR],
    )
    assert [(r["mal_id"],) for r in _section(arsred, "kf_mal").rows] == goals

    [(kommun,)] = _query(
        home,
        "select utfall_ack from marts.budgetavvikelse where niva = 'kommun' and period = ?",
        [december],
    )
    assert {i.label: i.value for i in arsred.summary}["Nettokostnad, utfall"] == kommun


def test_the_arsredovisning_is_refused_in_swedish_for_a_year_not_closed(published_demo, capsys):
    from pipelines.cli import EXIT_FAILURE, main

    home = published_demo["home"]
    for year in ("2024", "2026"):
        code = main(["report", "--type", "arsredovisning", "--year", year, "--home", str(home)])
        err = capsys.readouterr().err
        assert code == EXIT_FAILURE and "Traceback" not in err
        assert (
            f"Årsredovisning, underlag för {year} kan inte skrivas: året {year} är inte stängt. "
            f"Stäng det med 'styrhjul close --year {year}'"
        ) in err
        assert f"Stängda år: {AR}." in err
        assert not (home / "reports" / year).exists()


# ---- the files, in Chromium --------------------------------------------------------------------

MEASURE = """
<script>
window.__fel = [];
window.addEventListener("error", e => window.__fel.push(String(e.message)));
window.addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "matning";
  out.textContent = JSON.stringify({
    resources: performance.getEntriesByType("resource").map(r => r.name),
    errors: window.__fel,
    sections: [...document.querySelectorAll("main > section")].map(s => s.id),
    charts: [...document.querySelectorAll("svg.diagram")].map(s => s.getBoundingClientRect().width),
    sources: (document.getElementById("kallor") || {}).textContent || "",
  });
  document.body.appendChild(out);
});
</script>
"""


@pytest.mark.parametrize(
    ("folder", "stem", "sections"),
    [
        (DELAR, "delarsrapport", DELAR_SECTIONS),
        (str(AR), "arsredovisning_underlag", AR_SECTIONS),
    ],
)
def test_each_renders_offline_in_chromium_with_its_sections_and_sources(
    ws, tmp_path, folder, stem, sections
):
    chromium = chromium_or_fail()
    text = (ws.reports / folder / f"{stem}.html").read_text(encoding="utf-8")
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I)
    measured = measure(chromium, text, MEASURE, tmp_path / f"{stem}.html")  # and Chromium's log
    assert measured["resources"] == [] and measured["errors"] == []
    assert measured["sections"] == ["sammanfattning", *sections]
    assert all(width > 200 for width in measured["charts"])
    assert measured["sources"].startswith("Källor: marts.budgetavvikelse")
    # The Excel file has a sheet per section and lists each sheet's source.
    workbook = openpyxl.load_workbook(ws.reports / folder / f"{stem}.xlsx")
    kallor = [row for row in workbook["Källor och definitioner"].iter_rows(values_only=True)][1:]
    assert len(workbook.sheetnames) == len(sections) + 2  # + the summary and the sources
    assert all(row[2] for row in kallor[1 : len(sections) + 1])


# ---- Dagster ------------------------------------------------------------------------------------


def test_each_report_type_but_the_month_report_is_an_asset_outside_the_monthly_job():
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.lib import stages
    from pipelines.lib.report.types import AR as AR_SCOPE
    from pipelines.lib.report.types import REPORT_TYPES

    graph = defs.resolve_asset_graph()
    monthly = defs.resolve_job_def(stages.JOB)
    reports = defs.resolve_job_def(stages.REPORTS_JOB)
    others = [k for k in REPORT_TYPES.values() if k.code != "manadsrapport"]
    assert {"delarsrapport", "arsredovisning"} <= {k.code for k in others}
    assert set(reports.graph.node_names()) == {k.code for k in others}
    for kind in others:
        node = graph.get(dg.AssetKey([kind.code]))
        assert node.group_name == stages.REPORTS == "rapporter"
        assert kind.code not in monthly.graph.node_names()
        fields = defs.get_assets_def(dg.AssetKey([kind.code])).op.config_schema.config_type.fields
        expected = {"ar"} if kind.scope == AR_SCOPE else {"period"}
        if kind.per_namnd:
            expected.add("namnd")
        assert set(fields) == expected, kind.code
        assert all(not f.is_required for f in fields.values())  # defaults: latest period/year
    assert "manadsrapport" in monthly.graph.node_names()


def test_the_delarsrapport_asset_materialises_and_records_the_files(published_demo, tmp_path):
    import dagster as dg

    from pipelines.defs.report.assets import YEAR_REPORTS
    from pipelines.defs.resources import WorkspaceResource

    home = tmp_path / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("*.lock", "bygge"))
    asset = next(a for a in YEAR_REPORTS if a.key == dg.AssetKey(["delarsrapport"]))
    result = dg.materialize(
        [asset],
        resources={"workspace": WorkspaceResource(home=str(home))},
        run_config={"ops": {"delarsrapport": {"config": {"period": "2026-06"}}}},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    [event] = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    folder = home / "reports" / "2026-06"
    assert (folder / "delarsrapport.html").is_file() and (folder / "delarsrapport.xlsx").is_file()
    assert metadata["nyckel"].value == "2026-06"
    assert Path(metadata["delarsrapport.html"].value) == folder / "delarsrapport.html"
    assert "Delårsrapport januari–juni 2026" in (folder / "delarsrapport.html").read_text("utf-8")

    # A refusal is the controller's Swedish sentence, not a traceback.
    failed = dg.materialize(
        [next(a for a in YEAR_REPORTS if a.key == dg.AssetKey(["arsredovisning"]))],
        resources={"workspace": WorkspaceResource(home=str(home))},
        run_config={"ops": {"arsredovisning": {"config": {"ar": 2024}}}},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not failed.success
    [failure] = [e for e in failed.all_events if e.is_step_failure]
    assert "året 2024 är inte stängt" in failure.step_failure_data.error.message
