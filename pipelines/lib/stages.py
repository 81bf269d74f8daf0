"""The names the refresh is wired by, each defined once: the Dagster definitions, the runner,
the progress lines and the failure messages all use these.

The stages are intake (inbox → raw), warehouse (dbt, publication, closed periods), forecast
and report; each is an asset group of the same name, except that dbt's models are grouped by
their schema (staging, intermediate, marts, referens), as analysts see them.
"""

JOB = "manadsuppfoljning"

INTAKE = "intake"
WAREHOUSE = "warehouse"
FORECAST = "forecast"
REPORT = "report"
# The year's other reports (delårsrapport, årsredovisning, ...): one asset per registered report
# type, run from the UI with the period or year as run config, never by the monthly refresh.
REPORTS = "rapporter"
REPORTS_JOB = "rapporter"

# Step (op) names of the job.
INTAKE_STEP = "intake"  # the inbox examined and loaded into raw
KOLADA_STEP = "kolada_fetch"
DBT_STEP = "dbt_build"  # every dbt model and data test except those below
DBT_AFTER_FORECAST_STEP = "dbt_efter_prognos"  # the marts published from the forecasts' tables
PERIODS_STEP = "rapporterade_perioder"
PUBLISH_STEP = "publicerat_lager"
REPORT_STEP = "manadsrapport"

# Run tags, so the UI's runs list can be filtered by month and by what started the run.
PERIOD_TAG = "styrhjul/period"
TRIGGER_TAG = "styrhjul/utlosare"
TRIGGERS = ("cli", "ui", "sensor", "schedule")

# Who answers for each stage's assets (Dagster's owners: the UI's owner filter and the asset
# page). The controllers own what they deliver and what the nämnder read; the data team owns
# the warehouse's models and the forecasts.
CONTROLLERS = "team:controller"
DATA_TEAM = "team:dataplattform"
OWNERS = {
    INTAKE: CONTROLLERS,
    WAREHOUSE: DATA_TEAM,
    FORECAST: DATA_TEAM,
    REPORT: CONTROLLERS,
    REPORTS: CONTROLLERS,
}


def owners(stage: str) -> list[str]:
    return [OWNERS[stage]]
