"""The reconciliation check against the raw ledger, on a hand-made build copy: it passes when
the marts hold exactly the delivered amounts and fails, naming the period, when they do not."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.defs.resources import WorkspaceResource
from pipelines.defs.warehouse.checks import avstamning_utfall


def _build_copy(ws, mart_utfall: str, kommun_utfall: str) -> None:
    ws.build_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(ws.build_db)) as con:
        con.execute(
            f"""
            create schema raw; create schema marts;
            create table raw.installningar as select 'intern_motpart' as parameter, 'INT' as varde;
            -- Two deliveries of 2026-09: the later (load 2) replaces the first.
            create table raw.utfall as select * from (values
                ('2026-09', '5010', null, 100.00::decimal(18,2), 1),
                ('2026-09', '5010', null, 120.00::decimal(18,2), 2),
                ('2026-09', '4010', 'INT', 30.00::decimal(18,2), 2),
                ('2026-09', '1510', null, 999.00::decimal(18,2), 2)
            ) as t(period, konto, motpart, belopp, load_id);
            create table marts.fct_ekonomi_manad as
                select '2026-09' as period, {mart_utfall}::decimal(18,2) as utfall;
            create table marts.budgetavvikelse as
                select 'kommun' as niva, '2026-09' as period,
                       {kommun_utfall}::decimal(18,2) as utfall_manad;
            """
        )


@pytest.mark.parametrize(
    ("mart", "kommun", "passed"),
    [
        # 120 + 30 + 999 from the latest delivery; the kommun's net cost is 120 (class 3–7
        # without the internal 30, never the balance-sheet 999).
        ("1149.00", "120.00", True),
        ("1148.99", "120.00", False),  # one öre missing in the mart
        ("1149.00", "150.00", False),  # internal trade not eliminated at kommun level
        ("1249.00", "120.00", False),  # the replaced first delivery counted too
    ],
)
def test_reconciliation_to_the_ore(workspace, mart, kommun, passed):
    _build_copy(workspace, mart, kommun)
    result = avstamning_utfall(WorkspaceResource(home=str(workspace.home)))
    assert result.passed is passed
    if not passed:
        assert "inget publiceras" in result.description
        found = [*result.metadata["avvikande_perioder"].value]
        found += [*result.metadata["avvikande_kommunnivå"].value]
        assert any(line.startswith("2026-09") for line in found)
