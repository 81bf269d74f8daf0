"""The municipality's configuration: KF's thresholds and the controllers' choices, never code.

Lives in `<home>/config/styrhjul.yaml`, written with the defaults on first use so a controller can
see and edit every setting. The file is validated against `Settings` (pydantic): a mistyped value
(`resultatandel: 2 %`, `tolerans_kr: 5 mnkr`) or an unknown key stops the refresh with a
Swedish sentence naming the setting, instead of silently becoming a default. Each refresh copies
the settings into `raw.installningar`, and dbt reads them from there (no dbt --vars: they would
disable partial parsing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from pipelines.lib.intake.amounts import parse_number


def _swedish_number(value: Any) -> Any:
    """A number written as text follows the product's one number rule (`5 000 000`, `0,02`);
    anything that rule cannot read is left for the type check to reject."""
    if isinstance(value, str):
        number = parse_number(value)
        if number is not None:
            return int(number) if number.is_integer() else number
    return value


# Codes are digits kept as text (a kommunkod has a leading zero).
KommunKod = Annotated[str, Field(pattern=r"^\d{4}$")]
Integer = Annotated[int, BeforeValidator(_swedish_number)]
Number = Annotated[float, BeforeValidator(_swedish_number)]


class _Section(BaseModel):
    # Unknown keys are an error (a misspelt key would otherwise be ignored); strict types, so a
    # code written as a number (`kod: 0127`, which YAML reads as 87) is not silently converted.
    # Numbers written as text go through the one number rule first (Integer, Number).
    model_config = ConfigDict(extra="forbid", strict=True)


class Kommun(_Section):
    kod: KommunKod = "0680"
    namn: str = Field("Jönköpings kommun", min_length=1)
    # The defaults are the demo municipality's: true until a controller confirms these are the
    # municipality's own settings. While true, real files loaded give a warning
    # (pipelines/lib/run/demo_files.py).
    demo: bool = True


class Atgardsplan(_Section):
    # A nämnd is flagged when its helårsavvikelse is below minus this many kronor.
    tolerans_kr: Integer = Field(0, ge=0)
    # A flag with no decided plan this many months after it was raised is "försenad".
    forsening_manader: Integer = Field(2, ge=1, le=12)


class Malstyrning(_Section):
    # "delvis uppfyllt": moved from the baseline toward the target by at least this share.
    delvis_andel: Number = Field(0.5, gt=0, lt=1)


class FinansiellaMal(_Section):
    # Shares, not percent: 0.02 is 2 %.
    resultatandel: Number = Field(0.02, ge=-1, le=1)
    sjalvfinansieringsgrad: Number = Field(1.0, ge=0, le=10)


class InternKontroll(_Section):
    # Risk matrix traffic lights: riskvärde (sannolikhet × konsekvens, 1–25) from which gul, röd.
    gul_fran: Integer = Field(8, ge=1, le=25)
    rod_fran: Integer = Field(15, ge=1, le=25)

    @model_validator(mode="after")
    def _gul_before_rod(self) -> InternKontroll:
        if self.gul_fran > self.rod_fran:
            raise ValueError("gul_fran får inte vara större än rod_fran")
        return self


class Kolada(_Section):
    # online: fetch the goal register's Kolada KPIs (and these) into the inbox before each
    # refresh; offline (default): drop kolada_*.json files in the inbox by hand.
    online: bool = False
    kpi: list[str] = []


class Automatik(_Section):
    # The monthly schedule (off until a controller turns it on in the UI) runs at 06:00
    # Europe/Stockholm on this day of the month, after the ledger has closed (1–28: every
    # month has the day).
    korningsdag: Integer = Field(8, ge=1, le=28)
    # The inbox sensor starts a run only when the inbox has been unchanged this long, so a
    # file still being copied never starts one.
    inkorg_stilla_sekunder: Integer = Field(120, ge=0, le=86_400)
    # A refresh (or close, or undo from the UI) that finds another one running waits this long
    # for it to finish, then gives up with a message; 0 = refuse at once.
    vanta_pa_uppdatering_sekunder: Integer = Field(600, ge=0, le=86_400)


class Inlasning(_Section):
    """Limits on one delivered file, checked before it is read (pipelines.lib.intake.screening):
    a file beyond them is refused with a Swedish sentence naming the limit and this setting."""

    # Bytes on disk; far above a year's ledger of the largest municipality (about 100 MB).
    max_filstorlek_mb: Integer = Field(500, ge=1, le=100_000)
    # Data rows of one file (a table, or the values of a json-stat2 or Kolada file).
    max_rader: Integer = Field(5_000_000, ge=1, le=1_000_000_000)
    # What an .xlsx would unpack to: refused before anything is unpacked (a "zip bomb").
    max_uppackad_mb: Integer = Field(300, ge=1, le=100_000)


class Prestanda(_Section):
    # What dbt and DuckDB may use while building the warehouse: memory (DuckDB spills to disk
    # beyond it) and threads. The defaults suit an 8 GB laptop with two cores or more.
    minnesgrans_gb: Number = Field(3.0, gt=0, le=1024)
    tradar: Integer = Field(2, ge=1, le=64)


class Settings(_Section):
    kommun: Kommun = Kommun()
    # Similar municipalities Kolada values are compared with (docs/rules.md).
    jamforelsegrupp: list[KommunKod] = ["0580", "0581", "0780", "1880", "1980"]
    atgardsplan: Atgardsplan = Atgardsplan()
    malstyrning: Malstyrning = Malstyrning()
    finansiella_mal: FinansiellaMal = FinansiellaMal()
    intern_kontroll: InternKontroll = InternKontroll()
    # Motpart codes that mean trade inside the municipality (eliminated at kommun level).
    intern_motpart: list[str] = ["INT"]
    # Konto prefixes of realisationsvinster, deducted in the balanskrav result.
    realisationsvinst_konton: list[str] = ["3670"]
    kolada: Kolada = Kolada()
    automatik: Automatik = Automatik()
    # Valår: år med allmänna val eller val till Europaparlamentet. Helårsprognosen jämför en
    # nämnd som följer valcykeln (valnämnden) bara med år av samma slag.
    valar: list[Integer] = [2014, 2018, 2019, 2022, 2024, 2026, 2029, 2030]
    inlasning: Inlasning = Inlasning()
    prestanda: Prestanda = Prestanda()


DEFAULTS: dict[str, Any] = Settings().model_dump()

HEADER = """\
# Styrhjul: kommunens inställningar. Ändra värdena här; nästa uppdatering använder dem.
# (Written with the defaults on first use; every value is documented in the README.)
"""


class SettingsError(ValueError):
    """The settings file cannot be used; the message is Swedish and names every problem."""


# Pydantic's error types in the words a controller acts on.
_MESSAGES = {
    "int_type": "ska vara ett heltal utan mellanslag, enhet eller decimaler",
    "int_parsing": "ska vara ett heltal utan mellanslag, enhet eller decimaler",
    "int_from_float": "ska vara ett heltal, utan decimaler",
    "float_type": "ska vara ett tal med punkt som decimaltecken, som andel (2 % skrivs 0.02)",
    "float_parsing": "ska vara ett tal med punkt som decimaltecken, som andel (2 % skrivs 0.02)",
    "bool_type": "ska vara true eller false",
    "string_type": 'ska vara text inom citattecken (t.ex. "0680")',
    "list_type": 'ska vara en lista, t.ex. ["INT"]',
    "string_pattern_mismatch": 'ska vara fyra siffror inom citattecken, t.ex. "0680"',
    "string_too_short": "får inte vara tom",
    "extra_forbidden": "är ingen känd inställning (stavfel?)",
    "model_type": "ska vara en grupp av inställningar (nyckel: värde på egna rader)",
}
_BOUNDS = {
    "greater_than_equal": "ska vara minst {ge}",
    "greater_than": "ska vara större än {gt}",
    "less_than_equal": "ska vara högst {le}",
    "less_than": "ska vara mindre än {lt}",
}


def _problem(error: dict[str, Any]) -> str:
    name = ".".join(str(part) for part in error["loc"]) or "filen"
    kind = error["type"]
    if kind in _BOUNDS:
        reason = _BOUNDS[kind].format(**error.get("ctx", {}))
    elif kind == "value_error":
        reason = str(error.get("ctx", {}).get("error", error["msg"]))
    else:
        reason = _MESSAGES.get(kind, error["msg"])
    silent = kind in ("extra_forbidden", "model_type", "value_error")
    given = "" if silent else f" (angivet: {error['input']!r})"
    return f"{name} {reason}{given}"


def validate(loaded: dict[str, Any], source: Path | str = "inställningarna") -> Settings:
    """`loaded` as a validated Settings, or SettingsError listing every problem at once."""
    try:
        return Settings.model_validate(loaded)
    except ValidationError as exc:
        problems = "\n".join(f"- {_problem(e)}" for e in exc.errors(include_url=False))
        raise SettingsError(
            f"Inställningsfilen {source} har fel; rätta dem och kör igen:\n{problems}"
        ) from None


def load_settings(config_file: Path) -> dict[str, Any]:
    """The workspace's validated settings (defaults for what the file leaves out); the file is
    created with the defaults if missing."""
    if not config_file.exists():
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(
            HEADER + yaml.safe_dump(DEFAULTS, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        return Settings().model_dump()
    try:
        loaded = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"Inställningsfilen {config_file} går inte att läsa: {exc}") from None
    if not isinstance(loaded, dict):
        raise SettingsError(f"Inställningsfilen {config_file} ska innehålla nyckel: värde-par.")
    return validate(loaded, config_file).model_dump()


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


def describe(config_file: Path) -> list[str]:
    """`styrhjul settings`: every setting in effect, one line each, marking where the file
    departs from the default."""
    effective = dict(flatten(load_settings(config_file)))
    defaults = dict(flatten(DEFAULTS))
    return [
        f"{name}: {value}"
        + ("" if value == defaults[name] else f"   (ändrad; standard: {defaults[name]})")
        for name, value in effective.items()
    ]
