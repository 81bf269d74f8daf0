"""Nothing outside dbt reads dbt's private layers: Python, the forecasts and the notebooks read
the public marts (or, for the intake itself, raw), never `staging.*` or `intermediate.*`."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRIVATE = re.compile(r"\b(staging|intermediate)\.[a-z_]\w*", re.IGNORECASE)


def private_references(text: str) -> list[str]:
    return [m.group(0) for m in PRIVATE.finditer(text)]


def test_the_detector_finds_sql_references_to_private_layers():
    assert private_references("select x from staging.stg_inkorg__mal join marts.mal") == [
        "staging.stg_inkorg__mal"
    ]
    assert private_references('f"from INTERMEDIATE.int_rapportperiod"') == [
        "INTERMEDIATE.int_rapportperiod"
    ]
    assert private_references("the staging and intermediate schemas; marts.rapportperiod") == []


# The dbt step's own wiring: it reads the build status dbt recorded (int_byggstatus) to tell
# dbt whether a new code version needs --full-refresh. That is dbt's bookkeeping, not a reader.
DBT_GLUE = {("pipelines/defs/warehouse/dbt.py", "intermediate.int_byggstatus")}


def test_no_python_outside_dbt_reads_staging_or_intermediate():
    found = [
        f"{path.relative_to(REPO)}: {ref}"
        for folder in ("pipelines", "models", "notebooks")
        for path in sorted((REPO / folder).rglob("*.py"))
        for ref in private_references(path.read_text(encoding="utf-8"))
        if (str(path.relative_to(REPO)), ref) not in DBT_GLUE
    ]
    assert found == []
