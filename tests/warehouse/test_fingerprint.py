"""The marts' fingerprint: equal for the same figures, whatever the run, the order or the time."""

import duckdb

from pipelines.lib.warehouse import fingerprint


def _warehouse(path, rows, run_id="run-a", when="2026-11-05 08:00:00"):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.budgetavvikelse (org varchar, period varchar, "
            "avvikelse decimal(18,2), andel double, run_id varchar, skapad timestamp)"
        )
        con.executemany(
            "insert into marts.budgetavvikelse values (?, ?, ?, ?, ?, ?)",
            [(*row, run_id, when) for row in rows],
        )
        con.execute("create view marts.antal as select count(*) as n from marts.budgetavvikelse")
    return path


ROWS = [("SOC", "2026-10", -1.25, 0.1), ("TN", "2026-10", 2.50, 1 / 3)]


def test_same_figures_in_another_order_from_another_run_give_the_same_fingerprint(tmp_path):
    a = _warehouse(tmp_path / "a.duckdb", ROWS)
    b = _warehouse(
        tmp_path / "b.duckdb", list(reversed(ROWS)), run_id="run-b", when="2026-12-01 09:30:00"
    )
    assert fingerprint.warehouse_fingerprints(a) == fingerprint.warehouse_fingerprints(b)
    assert fingerprint.fingerprint(a) == fingerprint.fingerprint(b)
    assert set(fingerprint.warehouse_fingerprints(a)) == {"budgetavvikelse", "antal"}


def test_a_changed_figure_or_a_duplicated_row_changes_the_fingerprint(tmp_path):
    base = fingerprint.warehouse_fingerprints(_warehouse(tmp_path / "a.duckdb", ROWS))
    changed = [("SOC", "2026-10", -1.26, 0.1), ROWS[1]]
    twice = [*ROWS, ROWS[0]]
    for name, rows in (("changed", changed), ("twice", twice)):
        other = fingerprint.warehouse_fingerprints(_warehouse(tmp_path / f"{name}.duckdb", rows))
        expected = ["antal", "budgetavvikelse"] if name == "twice" else ["budgetavvikelse"]
        assert fingerprint.differing_marts(base, other) == expected


def test_a_double_differing_only_in_its_last_bits_counts_as_equal(tmp_path):
    noisy = [(*ROWS[0][:3], 0.1 + 1e-13), ROWS[1]]
    a = fingerprint.warehouse_fingerprints(_warehouse(tmp_path / "a.duckdb", ROWS))
    b = fingerprint.warehouse_fingerprints(_warehouse(tmp_path / "b.duckdb", noisy))
    assert a == b
