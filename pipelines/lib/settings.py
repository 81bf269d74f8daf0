"""The municipality's configuration: KF's thresholds and the controllers' choices, never code.

Lives in `<home>/config/styrhjul.yaml`, written with the defaults on first use so a controller can
see and edit every setting. Each refresh copies the settings into `raw.installningar`, and dbt
reads them from there (no dbt --vars: they would disable partial parsing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEFAULTS: dict[str, Any] = {
    "kommun": {"kod": "0680", "namn": "Jönköpings kommun"},
    # Similar municipalities Kolada values are compared with (docs/rules.md).
    "jamforelsegrupp": ["0580", "0581", "0780", "1880", "1980"],
    "atgardsplan": {
        # A nämnd is flagged when its helårsavvikelse is below minus this many kronor.
        "tolerans_kr": 0,
        # A flag with no decided plan this many months after it was raised is "försenad".
        "forsening_manader": 2,
    },
    "malstyrning": {
        # "delvis uppfyllt": moved from the baseline toward the target by at least this share.
        "delvis_andel": 0.5,
    },
    "finansiella_mal": {"resultatandel": 0.02, "sjalvfinansieringsgrad": 1.0},
    # Risk matrix traffic lights: riskvärde (sannolikhet × konsekvens) from which gul and röd.
    "intern_kontroll": {"gul_fran": 8, "rod_fran": 15},
    # Motpart codes that mean trade inside the municipality (eliminated at kommun level).
    "intern_motpart": ["INT"],
    # Konto prefixes of realisationsvinster, deducted in the balanskrav result.
    "realisationsvinst_konton": ["3670"],
    # online: fetch the goal register's Kolada KPIs (and these) into the inbox before each
    # refresh; offline (default): drop kolada_*.json files in the inbox by hand.
    "kolada": {"online": False, "kpi": []},
}

HEADER = """\
# Styrhjul: kommunens inställningar. Ändra värdena här; nästa uppdatering använder dem.
# (Written with the defaults on first use; every value is documented in the README.)
"""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(config_file: Path) -> dict[str, Any]:
    """Defaults overlaid with the workspace's file; the file is created if missing."""
    if not config_file.exists():
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(
            HEADER + yaml.safe_dump(DEFAULTS, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        return dict(DEFAULTS)
    try:
        loaded = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"Inställningsfilen {config_file} går inte att läsa: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ValueError(f"Inställningsfilen {config_file} ska innehålla nyckel: värde-par.")
    return _merge(DEFAULTS, loaded)


def flatten(settings: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """`{"atgardsplan": {"tolerans_kr": 0}}` -> `[("atgardsplan.tolerans_kr", "0")]`.

    Lists become comma-separated text, so one narrow table serves dbt.
    """
    rows: list[tuple[str, str]] = []
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(flatten(value, f"{name}."))
        elif isinstance(value, list):
            rows.append((name, ",".join(str(v) for v in value)))
        else:
            rows.append((name, str(value)))
    return rows
