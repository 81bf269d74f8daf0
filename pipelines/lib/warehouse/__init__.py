"""The warehouse stage: the dbt project, the build copy and its atomic publication, closed
periods."""

from pathlib import Path

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"
