"""The units of the marts' numeric columns, defined once.

Each numeric column of a mart declares its unit in the dbt YAML beside its contract
(`config: {meta: {enhet: ...}}`, dbt_project/models/marts/); the unit is one of `ENHETER`
(tests/warehouse/test_marts_contracts.py holds every mart to it). The report formats amounts by
the unit it reads here.
"""

from __future__ import annotations

import functools
from typing import Any

import yaml

from pipelines.lib.warehouse import DBT_PROJECT_DIR

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"

# unit → what it means, as a controller reads it
ENHETER = {
    "kr": "kronor",
    "mnkr": "miljoner kronor",
    "andel": "andel (0–1; 0,034 = 3,4 %)",
    "procent": "procent (3,4 = 3,4 %)",
    "antal": "antal",
    "ar": "år (kalenderår eller antal år)",
    "manad": "månad (1–12) eller antal månader",
    "kr_per_invanare": "kronor per invånare",
    "poang": "poäng på en skala (t.ex. 1–5)",
    "index": "index (basåret = 1)",
    "kvot": "kvot utan enhet (t.ex. MASE, Brier-skicklighet, korrelation)",
    "rang": "rangordning (1 = bäst)",
    "kod": "ett nummer som identifierar (kod, radnummer), inget mått",
    "varierar": "radens egen enhet (indikatorns eller parameterns)",
}

NUMERIC_TYPES = ("integer", "bigint", "smallint", "hugeint", "double", "float", "decimal")


def is_numeric(data_type: str | None) -> bool:
    return (data_type or "").strip().lower().startswith(NUMERIC_TYPES)


@functools.cache
def mart_models() -> dict[str, dict[str, Any]]:
    """Every mart's properties as declared in dbt's YAML, by its warehouse name (marts.<name>)."""
    models: dict[str, dict[str, Any]] = {}
    for path in sorted(MARTS_DIR.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            models[f"marts.{model['name']}"] = model
    return models


def column_unit(column: dict[str, Any]) -> str | None:
    return ((column.get("config") or {}).get("meta") or {}).get("enhet")


def enhet(tabell: str, kolumn: str) -> str | None:
    """The unit of `kolumn` in the mart `tabell` (e.g. "marts.langtidsprognos"); None if the
    column declares none."""
    for column in mart_models().get(tabell, {}).get("columns") or []:
        if column["name"] == kolumn:
            return column_unit(column)
    return None
