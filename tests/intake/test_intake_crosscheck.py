"""Codes must exist in the organisation when the row applies (docs/contract.md)."""

import datetime as dt
from decimal import Decimal

import polars as pl

from pipelines.lib.intake.crosscheck import known_orgs, org_problems

ORG = pl.DataFrame(
    {
        "ansvar": ["30010", "30010", "10001"],
        "forvaltning": ["SOCF", "SOCF", "UTBF"],
        "namnd": ["IFO", "SOC", "BUN"],
        "verksamhetsomrade": [None, None, "Grundskola"],
        "giltig_from": [dt.date(2019, 1, 1), dt.date(2025, 1, 1), dt.date(2019, 1, 1)],
        "giltig_tom": [dt.date(2024, 12, 31), None, None],
    }
)


def test_ledger_ansvar_must_be_valid_on_its_period():
    rows = pl.DataFrame(
        {
            "period": ["2024-12", "2025-01", "2026-03"],
            "ansvar": ["30010", "30010", "99999"],
            "belopp": [Decimal("1.00")] * 3,
            "source_row": [2, 3, 4],
        }
    )
    problems = org_problems("utfall", {"utfall": rows}, ORG, "utfall_x.csv")
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "ansvar", "99999")]
    assert "2026-03" in problems[0].reason


def test_namnd_must_exist_during_the_year():
    rows = pl.DataFrame({"namnd": ["IFO", "IFO"], "ar": [2024, 2026], "source_row": [2, 3]})
    problems = org_problems("risk", {"risk": rows}, ORG, "risk_x.csv")
    assert [p.row for p in problems] == [3]  # IFO was merged into SOC from 2025


def test_without_an_organisation_the_file_is_rejected_with_advice():
    rows = pl.DataFrame({"period": ["2026-01"], "ansvar": ["1"], "source_row": [2]})
    problems = org_problems("utfall", {"utfall": rows}, ORG.head(0), "utfall_x.csv")
    assert len(problems) == 1 and "organisation_" in problems[0].reason


def test_known_orgs_per_level():
    orgs = known_orgs(ORG)
    assert orgs["namnd"] == {"IFO", "SOC", "BUN"}
    assert "Grundskola" in orgs["verksamhet"] and "30010" in orgs["verksamhet"]
