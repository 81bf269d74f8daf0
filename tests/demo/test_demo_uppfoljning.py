"""The demo's analyses and uppdrag (pipelines/lib/demo/uppfoljning.py): they pass the intake, and
the published demo shows an overdue uppdrag, a Markdown analysis and a flagged nämnd without an
ekonomi analysis."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.lib.intake.inbox import examine_inbox, loaded_organisation
from pipelines.lib.intake.kinds import ANALYS_AVSNITT
from pipelines.lib.intake.raw_tables import create_statements


def test_the_demo_followup_files_pass_the_intake(demo_small):
    summary, _ = demo_small
    names = [
        n
        for n in summary.files
        if n.startswith(("organisation_", "analys_", "uppdrag_", "uppdragsstatus_"))
    ]
    assert len(names) == 4
    with duckdb.connect() as con:  # an empty warehouse: the organisation comes from the inbox
        for statement in create_statements():
            con.execute(statement)
        organisation = loaded_organisation(con)
    outcome = examine_inbox(
        [summary.inbox / n for n in names], dt.date(2026, 11, 28), organisation, set()
    )
    assert outcome.rejected == {}
    assert sorted(d.path.name for d in outcome.accepted) == sorted(names)
    analys = next(d for d in outcome.accepted if d.kind == "analys").tables["analys"]
    assert set(analys["avsnitt"]) == set(ANALYS_AVSNITT)
    # Every nämnd that reported the closed year assesses its intern kontroll.
    closed = analys.filter(analys["avsnitt"] == "intern_kontroll")
    assert set(closed["period"]) == {"2025-12"}
    assert "IFO" not in set(closed["org"])  # merged into SOC on 1 January 2025


@pytest.fixture(scope="module")
def warehouse(published_demo):
    path = published_demo["home"] / "warehouse" / "styrhjul.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def test_the_published_demo_has_an_overdue_uppdrag(warehouse):
    rows = warehouse.execute(
        "select id, status, forsenad, dagar_forsenad from marts.uppdrag "
        "where period = '2026-10' order by id"
    ).fetchall()
    assert rows == [
        # due 2026-06-30, pagar in October: 31 October − 30 June = 123 days late
        ("KF-2026-01", "pagar", True, 123),
        ("KF-2026-02", "genomfort", False, None),
        ("KF-2026-04", "pagar", False, None),
        ("KS-2026-03", "pagar", False, None),
        ("KS-2026-05", "avslutat_ej_genomfort", False, None),
    ]
    soc = warehouse.execute(
        "select antal, pagaende, forsenade from marts.uppdrag_per_mottagare "
        "where period = '2026-10' and mottagare = 'SOC'"
    ).fetchall()
    assert soc == [(1, 1, 1)]


def test_the_published_demo_has_analyses_and_lists_the_missing_one(warehouse):
    text = warehouse.execute(
        "select text from marts.analys "
        "where period = '2026-10' and org = 'SOC' and avsnitt = 'ekonomi'"
    ).fetchone()[0]
    assert text.startswith("## Ekonomi") and "| Placeringar | -18,5 |" in text
    missing = warehouse.execute(
        "select namnd from marts.analys_saknas where period = '2026-10'"
    ).fetchall()
    assert missing == [("AEN",)]


def test_the_published_demo_follows_up_its_investments(warehouse):
    rows = {
        projekt.split()[0]: rest
        for projekt, *rest in warehouse.execute(
            "select projekt, utfall_ack, utfall_period, underlag, avvikelse < 0, andel_forbrukad "
            "from marts.investeringsuppfoljning where ar = 2026"
        ).fetchall()
    }
    # No outcome yet: the plan is the prognos, nothing spent.
    assert rows["P9022"][0] == 0 and rows["P9022"][2:] == ["plan", False, 0.0]
    # The delivered prognos (115 % of the plan) wins and shows an overrun.
    assert rows["P9007"][1:4] == ["2026-10", "prognos", True]
    # 75 % of the plan's pace over ten months: 0.75 × 10 / 12 of the plan spent.
    assert rows["P9001"][3] is False and abs(rows["P9001"][4] - 0.625) < 1e-6
    totals = warehouse.execute(
        "select niva, sum(budget), sum(utfall_ack), sum(antal_projekt) "
        "from marts.investeringsuppfoljning_per_namnd where ar = 2026 group by niva order by niva"
    ).fetchall()
    (kommun, namnd) = totals
    assert kommun[0] == "kommun" and kommun[1:] == namnd[1:]


def test_the_published_demo_counts_period_13_in_december(warehouse):
    """The closing entries of 2025 (utfall_2025_13.csv, 185 000 − 42 500 + 96 000 + 23 750 −
    11 200 = 251 050 kr) are in December 2025 and in the year's outcome; no mart has a month 13
    and the report period is the ledger's latest month."""
    from pipelines.lib.demo.uppfoljning import BOKSLUT_KRONOR

    assert sum(BOKSLUT_KRONOR) == 251_050
    raw_year, raw_13 = warehouse.execute(
        "with latest as (select period, max(load_id) as load_id from raw.utfall group by period) "
        "select sum(belopp), sum(belopp) filter (where period = '2025-13') "
        "from raw.utfall inner join latest using (period, load_id) where period like '2025-%'"
    ).fetchone()
    assert raw_13 == 251_050
    mart_year, mart_december = warehouse.execute(
        "select sum(utfall), sum(utfall) filter (where period = '2025-12') "
        "from marts.fct_ekonomi_manad where ar = 2025"
    ).fetchone()
    assert mart_year == raw_year
    raw_december = warehouse.execute(
        "with latest as (select period, max(load_id) as load_id from raw.utfall group by period) "
        "select sum(belopp) from raw.utfall inner join latest using (period, load_id) "
        "where period = '2025-12'"
    ).fetchone()[0]
    assert mart_december == raw_december + raw_13
    for table, column in (
        ("fct_ekonomi_manad", "period"),
        ("budgetavvikelse", "period"),
        ("rapportperiod", "rapportperiod"),
        ("rapportperiod", "senaste_utfallsperiod"),
    ):
        assert not warehouse.execute(
            f"select count(*) from marts.{table} where right({column}, 2) = '13'"
        ).fetchone()[0], table
    assert warehouse.execute("select rapportperiod from marts.rapportperiod").fetchone() == (
        "2026-10",
    )
