"""The Dagster code location loads, and its lineage is a visible diff: the asset keys, checks and
jobs are snapshotted in tests/snapshots/asset_keys.txt (regenerate it with
`STYRHJUL_UPDATE_SNAPSHOT=1 uv run pytest tests/test_definitions.py`)."""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_keys.txt"


def _lineage() -> str:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        parents = sorted(p.to_user_string() for p in node.parent_keys)
        lines.append(f"{key.to_user_string()} [{node.group_name}] <- {', '.join(parents) or '-'}")
    checks = sorted(
        f"check {c.asset_key.to_user_string()}:{c.name}" for c in graph.asset_check_keys
    )
    jobs = sorted(f"job {job.name}" for job in defs.resolve_all_job_defs())
    sensors = sorted(f"sensor {sensor.name}" for sensor in defs.sensors or [])
    schedules = sorted(f"schedule {s.name} {s.cron_schedule}" for s in defs.schedules or [])
    return "\n".join([*lines, *checks, *jobs, *sensors, *schedules]) + "\n"


def test_definitions_load_and_lineage_matches_the_snapshot():
    lineage = _lineage()
    if os.environ.get("STYRHJUL_UPDATE_SNAPSHOT"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(lineage, encoding="utf-8")
    assert lineage == SNAPSHOT.read_text(encoding="utf-8")


def test_the_monthly_job_covers_intake_to_report():
    lineage = _lineage()
    for key in (
        "raw/utfall",
        "marts/budgetavvikelse",
        "marts/langtidsprognos",
        "publicerat_lager",
        "manadsrapport",
        "check marts/fct_ekonomi_manad:avstamning_utfall",
    ):
        assert key in lineage
    assert "job manadsuppfoljning" in lineage


def test_publication_waits_for_every_mart_and_every_table_python_writes():
    import dagster as dg

    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    written = dg.AssetSelection.key_prefixes(["marts"], ["prognos_ut"], ["arkiv"]).resolve(graph)
    assert dg.AssetKey(["marts", "langtidsprognos"]) in written
    assert dg.AssetKey(["prognos_ut", "langtidsprognos"]) in written
    assert written - graph.get(dg.AssetKey(["publicerat_lager"])).parent_keys == set()


def test_every_asset_has_an_owner_and_a_description_and_the_ledger_a_freshness_policy():
    import datetime as dt

    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.lib import stages

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue  # dbt's sources: the raw tables the intake writes
        assert node.owners and set(node.owners) <= set(stages.OWNERS.values()), key
        assert (node.description or "").strip(), key
    policy = graph.get(dg.AssetKey(["raw", "utfall"])).freshness_policy
    assert policy.fail_window.to_timedelta() == dt.timedelta(days=45)
    assert policy.warn_window.to_timedelta() == dt.timedelta(days=35)
