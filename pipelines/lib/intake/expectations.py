"""The great-expectations gate on each parsed ekonomi file's frame.

Parsing (parse.py) has already refused what cannot be read; these expectations check that what
was read is plausible: required values present, periods well-formed, no amount per row of five
billion kronor or more, Kommun-Bas accounts (kontoklass 1–9, 3–6 digits), and no personnummer in
any text column. Each failure becomes a Problem on the row the user sees (`source_row`).

great-expectations works on pandas frames only (not polars, not DuckDB through SQLAlchemy) and
costs seconds to import, so it is imported inside `validate_frame`, and one ephemeral context
with its suites is built once per process and reused. A frame is validated in one call.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from .kinds import KINDS_BY_NAME, FileKind
from .personnummer import PERSONNUMMER_PATTERN, PERSONNUMMER_REASON, mask_personnummer
from .problems import Problem
from .readers import SOURCE_ROW

PERIOD_REGEX = r"^\d{4}-(?:0[1-9]|1[0-2])$"
BOKSLUTSPERIOD_REGEX = r"^\d{4}-(?:0[1-9]|1[0-3])$"  # 13: the year-end closing entries
KONTO_REGEX = r"^[1-9]\d{2,5}$"
# Above any single ledger or budget row of even the largest municipality (Stockholm's whole
# skatteintäkter are about 50 bn): a larger amount is a unit or decimal-separator error.
MAX_ABS_BELOPP = 1e11
VALIDATED_KINDS = ("utfall", "budget", "prognos", "periodisering", "organisation", "atgardsplan")


@dataclass(frozen=True)
class Check:
    """One expectation, by great-expectations class name, with its Swedish reason."""

    expectation: str
    column: str
    reason: str
    kwargs: dict[str, Any] = field(default_factory=dict, hash=False)


def checks_for(kind: FileKind) -> list[Check]:
    """The ekonomi expectations, derived from the kind's declared columns and types."""
    checks: list[Check] = []
    for column in kind.required:
        checks.append(
            Check(
                "ExpectColumnValuesToNotBeNull",
                column,
                "Värde saknas, men kolumnen är obligatorisk",
            )
        )
    for column in kind.columns:
        type_name = kind.type_of(column)
        if type_name == "period":
            checks.append(
                Check(
                    "ExpectColumnValuesToMatchRegex",
                    column,
                    "Perioden ska ha formen ÅÅÅÅ-MM med månad 01–12",
                    {"regex": PERIOD_REGEX},
                )
            )
        elif type_name == "bokslutsperiod":
            checks.append(
                Check(
                    "ExpectColumnValuesToMatchRegex",
                    column,
                    "Perioden ska ha formen ÅÅÅÅ-MM med månad 01–13",
                    {"regex": BOKSLUTSPERIOD_REGEX},
                )
            )
        elif type_name == "belopp":
            checks.append(
                Check(
                    "ExpectColumnValuesToBeBetween",
                    column,
                    "Beloppet är orimligt stort (100 miljarder kronor eller mer på en rad); "
                    "kontrollera att det inte är i fel enhet eller saknar decimaltecken",
                    {
                        "min_value": -MAX_ABS_BELOPP,
                        "max_value": MAX_ABS_BELOPP,
                        "strict_min": True,
                        "strict_max": True,
                    },
                )
            )
        elif type_name in ("text", "fritext"):
            checks.append(
                Check(
                    "ExpectColumnValuesToNotMatchRegex",
                    column,
                    PERSONNUMMER_REASON,
                    {"regex": PERSONNUMMER_PATTERN},
                )
            )
    if "konto" in kind.columns:
        checks.append(
            Check(
                "ExpectColumnValuesToMatchRegex",
                "konto",
                "Kontot ska vara ett konto i Kommun-Bas: 3–6 siffror som börjar med kontoklass 1–9",
                {"regex": KONTO_REGEX},
            )
        )
    if kind.name == "periodisering":
        checks.append(
            Check(
                "ExpectColumnValuesToBeBetween",
                "andel",
                "Andelen ska ligga mellan 0 och 1",
                {"min_value": 0, "max_value": 1},
            )
        )
    return checks


_lock = threading.RLock()  # GE's context is not thread-safe: one validation at a time
_context: Any = None
_suites: dict[str, tuple[Any, Any]] = {}  # kind name -> (batch definition, suite)


def get_context() -> Any:
    """The process-wide ephemeral great-expectations context (created on first use)."""
    global _context
    with _lock:
        if _context is None:
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            context.data_sources.add_pandas("styrhjul_intake")
            _context = context
        return _context


def _suite_for(kind: FileKind) -> tuple[Any, Any]:
    context = get_context()
    with _lock:
        if kind.name not in _suites:
            import great_expectations as gx

            datasource = context.data_sources.get("styrhjul_intake")
            asset = datasource.add_dataframe_asset(kind.name)
            batch_definition = asset.add_batch_definition_whole_dataframe(kind.name)
            suite = gx.ExpectationSuite(name=f"intake_{kind.name}")
            for check in checks_for(kind):
                expectation_class = getattr(gx.expectations, check.expectation)
                suite.add_expectation(
                    expectation_class(
                        column=check.column, meta={"reason": check.reason}, **check.kwargs
                    )
                )
            _suites[kind.name] = (batch_definition, context.suites.add(suite))
        return _suites[kind.name]


def validate_frame(kind_name: str, frame: pl.DataFrame, file_name: str) -> list[Problem]:
    """Validate a typed frame (from parse_file) of an ekonomi kind; other kinds give []."""
    if kind_name not in VALIDATED_KINDS or frame.height == 0:
        return []
    kind = KINDS_BY_NAME[kind_name]
    pandas_frame = _to_pandas(kind, frame)
    with _lock:
        batch_definition, suite = _suite_for(kind)
        batch = batch_definition.get_batch(batch_parameters={"dataframe": pandas_frame})
        result = batch.validate(
            suite,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [SOURCE_ROW],
            },
        )
    problems: list[Problem] = []
    for outcome in result.results:
        if outcome.success:
            continue
        config = outcome.expectation_config
        if outcome.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"great-expectations could not run {config.type} on {kind_name}: "
                f"{outcome.exception_info.get('exception_message')}"
            )
        column = config.kwargs["column"]
        reason = config.meta["reason"]
        for entry in outcome.result.get("unexpected_index_list") or []:
            problems.append(
                Problem(
                    file_name,
                    reason,
                    row=int(entry[SOURCE_ROW]),
                    column=column,
                    value=_value_text(entry.get(column), reason),
                )
            )
    problems.sort(key=lambda p: (p.row or 0, kind.columns.index(p.column)))
    return problems


def _to_pandas(kind: FileKind, frame: pl.DataFrame):
    """Decimals as floats and dates as ISO text, since pandas and GE handle those best; every
    kind column present (a missing optional one as nulls)."""
    if SOURCE_ROW not in frame.columns:
        frame = frame.with_row_index(SOURCE_ROW, offset=2).with_columns(
            pl.col(SOURCE_ROW).cast(pl.Int64)
        )
    columns = []
    for column in kind.columns:
        if column not in frame.columns:
            columns.append(pl.lit(None, pl.String).alias(column))
            continue
        dtype = frame.schema[column]
        if isinstance(dtype, pl.Decimal):
            columns.append(pl.col(column).cast(pl.Float64))
        elif dtype in (pl.Date, pl.Datetime):
            columns.append(pl.col(column).cast(pl.String))
        else:
            columns.append(pl.col(column))
    return frame.select(*columns, pl.col(SOURCE_ROW)).to_pandas()


def _value_text(value: Any, reason: str) -> str | None:
    if value is None or value != value:  # None or NaN
        return None
    if isinstance(value, float):
        return f"{value:.15g}".replace(".", ",")
    text = str(value)
    return mask_personnummer(text) if reason == PERSONNUMMER_REASON else text
