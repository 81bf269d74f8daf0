"""Progress lines for controllers running the refresh from the CLI.

Dagster's console logger shows everything (each dbt node, debug events, tracebacks); at the
terminal a controller needs one line per step and the messages our assets write for people.
The UI keeps the full log either way.
"""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg

from pipelines.lib import stages

STEP_LABELS = {
    stages.KOLADA_STEP: "Kolada",
    stages.INTAKE_STEP: "Läser och kontrollerar inkorgen",
    stages.DBT_STEP: "Bygger lagret (dbt: modeller och datatester)",
    stages.PERIODS_STEP: "Perioder och rapporterade versioner",
    "helarsprognos": "Helårsprognoser, intervall och backtest",
    "langtidsprognos": "Långtidsprognos (10 år) och känslighetsanalys",
    stages.DBT_AFTER_FORECAST_STEP: "Lägger prognoserna och perioderna i lagret (dbt)",
    "marts__fct_ekonomi_manad_avstamning_utfall": "Avstämning mot huvudboken",
    "marts__atgardsplan_atgardsplan_flaggor": "Åtgärdsplansflaggor",
    stages.PUBLISH_STEP: "Publicerar lagret",
    stages.REPORT_STEP: "Skriver månadsrapporten",
}
# Where progress goes; the runner points it at the terminal while dbt's raw output (which
# dagster-dbt writes to sys.stdout) is redirected to the run's log file.
STREAM = None

# Steps whose own log lines are too detailed for the terminal (dbt logs every node).
QUIET_STEPS = {stages.DBT_STEP, stages.DBT_AFTER_FORECAST_STEP}


class _ProgressHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.started: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None)
        if not meta:
            return
        step = meta.get("step_key")
        event = meta.get("dagster_event")
        label = STEP_LABELS.get(step or "", step)
        if event is not None:
            kind = event.event_type_value
            if kind == "STEP_START":
                self.started[step] = time.monotonic()
                self._write(f"• {label} ...")
            elif kind == "STEP_SUCCESS":
                seconds = time.monotonic() - self.started.get(step, time.monotonic())
                self._write(f"  klart ({seconds:.1f} s)")
            elif kind == "STEP_FAILURE":
                self._write(f"  misslyckades: {label}")
            elif kind == "ASSET_CHECK_EVALUATION":
                data = event.event_specific_data
                if not data.passed:
                    self._write(f"  kontroll ej godkänd: {data.asset_check_key.name}")
            return
        message = meta.get("orig_message", record.getMessage())
        if "Not executing" in message:
            return  # the engine's note on skipped steps; the failure above says why
        if step not in QUIET_STEPS and record.levelno >= logging.INFO:
            self._write(f"  {message}")

    def _write(self, line: str) -> None:
        print(line, file=STREAM or sys.stdout, flush=True)


@dg.logger(description="Korta framstegsrader på svenska för kommandoraden.")
def framsteg(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("styrhjul.framsteg")
    logger.handlers.clear()
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(_ProgressHandler())
    return logger
