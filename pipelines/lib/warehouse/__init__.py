"""The warehouse stage: the dbt project, the build copy and its atomic publication, closed
periods."""

import sys
from pathlib import Path

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"

# dbt from beside this interpreter, so the installed command runs from cron or a service unit
# with nothing on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

# Set for the run's process by `styrhjul refresh --full`: the dbt steps then rebuild every
# incremental model from the raw tables (pipelines/defs/warehouse/dbt.py).
FULL_REFRESH_ENV = "STYRHJUL_FULL_REFRESH"
