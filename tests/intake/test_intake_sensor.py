import json
import os
import time

import dagster as dg

from pipelines.defs.intake.sensors import inkorg_sensor
from pipelines.defs.resources import WorkspaceResource
from pipelines.lib import stages


def _context(workspace, cursor=None):
    return dg.build_sensor_context(
        resources={"workspace": WorkspaceResource(home=str(workspace.home))}, cursor=cursor
    )


def _settle(context, seconds_ago: float) -> None:
    """As if the inbox's present state had been seen `seconds_ago`."""
    seen = json.loads(context.cursor)
    context.update_cursor(json.dumps({**seen, "since": time.time() - seconds_ago}))


def test_sensor_skips_an_empty_inbox(workspace):
    result = inkorg_sensor(_context(workspace))
    assert isinstance(result, dg.SkipReason)
    assert result.skip_message == "Inkorgen är tom."


def test_sensor_waits_until_the_inbox_has_been_unchanged_for_the_setting(workspace):
    (workspace.inbox / "utfall_2026-11.csv").write_text("period;ansvar\n", encoding="utf-8")
    context = _context(workspace)
    first = inkorg_sensor(context)
    assert isinstance(first, dg.SkipReason)
    assert "oförändrad i 120 s" in first.skip_message
    _settle(context, 119)
    assert isinstance(inkorg_sensor(context), dg.SkipReason)
    _settle(context, 121)
    request = inkorg_sensor(context)
    assert isinstance(request, dg.RunRequest)
    assert request.tags[stages.TRIGGER_TAG] == "sensor"


def test_a_file_still_growing_restarts_the_wait(workspace):
    ledger = workspace.inbox / "utfall_2026-11.csv"
    ledger.write_text("period;ansvar\n", encoding="utf-8")
    context = _context(workspace)
    inkorg_sensor(context)
    _settle(context, 500)
    ledger.write_text("period;ansvar\n2026-11;1000\n", encoding="utf-8")  # copy still running
    result = inkorg_sensor(context)
    assert isinstance(result, dg.SkipReason)
    assert "ändrades för 0 s sedan" in result.skip_message


def test_the_same_files_ask_for_one_run_and_new_files_for_another(workspace):
    workspace.config_file.write_text("automatik:\n  inkorg_stilla_sekunder: 0\n", encoding="utf-8")
    (workspace.inbox / "utfall_2026-11.csv").write_text("period;ansvar\n", encoding="utf-8")
    context = _context(workspace)
    first = inkorg_sensor(context)
    assert isinstance(first, dg.RunRequest)
    assert inkorg_sensor(context).run_key == first.run_key  # same files: same run key
    (workspace.inbox / "prognos_2026-11.csv").write_text("period;namnd\n", encoding="utf-8")
    assert inkorg_sensor(context).run_key != first.run_key


def test_no_run_while_the_quarantine_holds_a_file_rejected_after_the_last_publication(workspace):
    workspace.config_file.write_text("automatik:\n  inkorg_stilla_sekunder: 0\n", encoding="utf-8")
    workspace.published_db.write_bytes(b"")
    published = time.time() - 3600
    os.utime(workspace.published_db, (published, published))
    (workspace.inbox / "budget_2026.csv").write_text("ar;ansvar\n", encoding="utf-8")
    rejected = workspace.quarantine / "utfall_2026-11.csv"
    rejected.write_text("trasig\n", encoding="utf-8")
    (workspace.quarantine / "utfall_2026-11.csv.fel.txt").write_text("fel\n", encoding="utf-8")
    result = inkorg_sensor(_context(workspace))
    assert isinstance(result, dg.SkipReason)
    assert "utfall_2026-11.csv" in result.skip_message
    assert "ofullständig månad" in result.skip_message
    # A rejection from before the last publication does not hold the next run back.
    os.utime(workspace.quarantine / "utfall_2026-11.csv.fel.txt", (published - 60,) * 2)
    assert isinstance(inkorg_sensor(_context(workspace)), dg.RunRequest)


def test_a_bad_settings_file_is_the_skip_reason(workspace):
    workspace.config_file.write_text("automatik:\n  inkorg_stila: 5\n", encoding="utf-8")
    (workspace.inbox / "utfall_2026-11.csv").write_text("period;ansvar\n", encoding="utf-8")
    result = inkorg_sensor(_context(workspace))
    assert isinstance(result, dg.SkipReason)
    assert "automatik.inkorg_stila är ingen känd inställning" in result.skip_message
