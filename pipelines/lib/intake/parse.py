"""Parse one delivered file into typed tables, collecting every problem in it.

`parse_file` never raises for bad input: it reads the file (readers.py, or a reader registered
for the kind), types each column by the kind's declaration (kinds.py) with the one number rule
(amounts.py), and returns every problem found, each with row, column and value, so a controller
can fix the whole file at once. A file with any problem is rejected whole by the caller.

Checks, in order: known prefix and extension; readable (encoding, quotes, Excel); not empty and
not only a header; required columns present; in every row: "Summa"/"Totalt" footer rows,
personnummer in any cell, required values present, each value parseable for its type (amount,
number, integer, year, period, date, kön, choice), ranges (månad 1–12, sannolikhet and
konsekvens 1–5, ...), periods not in the future; then per kind: periodisering shares sum to 1.

Typing is vectorised: one polars pass computes every typed column, a second every "bad" flag
from them, and only the flagged rows become Problems (300 000 ledger rows take about 1.5 s).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from .amounts import (
    BELOPP_DTYPE,
    DECIMAL_DTYPE,
    belopp_expr,
    decimal_expr,
    integer_expr,
    number_expr,
)
from .kinds import KNOWN_PREFIXES, FileKind, kind_for, reader_for, supported_suffixes
from .personnummer import (
    PERSONNUMMER_PATTERN,
    PERSONNUMMER_REASON,
    mask_personnummer,
)
from .problems import IntakeError, Problem
from .readers import SOURCE_ROW, read_raw

# A footer row that sums the rows above it would be loaded as one more row and double the total.
FOOTER_PATTERN = r"(?i)^\s*(summa|totalt)\b"
FOOTER_REASON = (
    "Raden ser ut som en summeringsrad. Summarader får inte finnas i filen, eftersom de annars "
    "skulle räknas in en gång till: ta bort raden"
)
MISSING_VALUE_REASON = "Värde saknas, men kolumnen är obligatorisk"


@dataclass
class ParsedFile:
    path: Path
    kind: FileKind | None
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_files(paths: Iterable[Path], today: date) -> list[ParsedFile]:
    return [parse_file(Path(p), today) for p in paths]


def parse_file(path: Path, today: date) -> ParsedFile:
    """Read and type one file; every problem found is in `.problems` (empty when ok)."""
    path = Path(path)
    name = path.name
    kind = kind_for(name)
    if kind is None:
        reason = (
            "Filnamnet börjar inte med något känt prefix, så det går inte att veta vad filen "
            f"innehåller. Kända prefix: {', '.join(KNOWN_PREFIXES)}"
        )
        return ParsedFile(path, None, problems=[Problem(name, reason)])

    suffix = path.suffix.lower()
    reader = reader_for(kind, suffix)
    if reader is not None:
        return _parse_registered(path, kind, reader)
    if suffix not in kind.table_suffixes:
        supported = supported_suffixes(kind)
        if supported:
            reason = (
                f"Filtypen {suffix or '(ingen)'} stöds inte för {kind.prefix}-filer. "
                f"Spara filen som {_or_list(supported)}"
            )
        else:
            reason = f"Det finns ingen inläsare för {kind.prefix}-filer i den här installationen"
        return ParsedFile(path, kind, problems=[Problem(name, reason)])

    try:
        raw = read_raw(path)
    except IntakeError as exc:
        return ParsedFile(path, kind, problems=exc.problems)
    except Exception as exc:  # a broken file can make a library fail in any way
        reason = f"Filen kunde inte läsas ({type(exc).__name__}: {exc})"
        return ParsedFile(path, kind, problems=[Problem(name, reason)])

    typed, problems = type_table(kind, raw.frame, name, today)
    return ParsedFile(path, kind, {kind.tables[0]: typed}, problems, raw.encoding)


def _or_list(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} eller {items[-1]}"


def _parse_registered(path: Path, kind: FileKind, reader: Callable) -> ParsedFile:
    name = path.name
    try:
        tables = reader(path)
    except IntakeError as exc:
        return ParsedFile(path, kind, problems=exc.problems)
    except Exception as exc:  # a broken file can make a library fail in any way
        reason = f"Filen kunde inte läsas ({type(exc).__name__}: {exc})"
        return ParsedFile(path, kind, problems=[Problem(name, reason)])
    problems: list[Problem] = []
    for frame in tables.values():
        text_columns = [c for c, t in frame.schema.items() if t == pl.String]
        problems += _personnummer_problems(frame, text_columns, name)
    return ParsedFile(path, kind, dict(tables), _sorted(problems, []))


# ---------------------------------------------------------------------------------------------
# Typing a raw all-text table by its kind


@dataclass(frozen=True)
class _Rule:
    """How one column is typed: the typed value and the reasons a present value is rejected."""

    value: pl.Expr  # from the stripped text; null when unparseable
    dtype: pl.DataType
    invalid_reason: str
    # Extra checks, on the typed value once computed: (flag true for a bad row, reason).
    checks: tuple[tuple[pl.Expr, str], ...] = ()
    # When the value can be null for a reason a check reports (a month 13), the flag for
    # `invalid_reason`; by default "present but the typed value is null".
    invalid: pl.Expr | None = None


def _range_checks(value: pl.Expr, bounds: tuple[int | None, int | None] | None):
    if bounds is None:
        return ()
    low, high = bounds
    if low is not None and high is not None:
        return (
            (~value.is_between(low, high), f"Värdet måste vara ett heltal från {low} till {high}"),
        )
    if low is not None:
        return ((value < low, f"Värdet får inte vara mindre än {low}"),)
    return ((value > high, f"Värdet får inte vara större än {high}"),)


def _rule(kind: FileKind, column: str, text: pl.Expr, typed: pl.Expr, today: date) -> _Rule:
    """`text` is the stripped raw column; `typed` refers to the typed value once computed, so
    that checks do not compute it again."""
    type_name = kind.type_of(column)
    this_month = f"{today.year:04d}-{today.month:02d}"
    if type_name in ("text", "fritext"):
        return _Rule(text, pl.String, "")
    if type_name == "belopp":
        return _Rule(
            belopp_expr(text),
            BELOPP_DTYPE,
            "Beloppet går inte att tolka som ett tal (skriv till exempel -1 234 567,50, "
            "med högst två decimaler)",
        )
    if type_name == "number":
        return _Rule(
            number_expr(text),
            pl.Float64,
            "Värdet går inte att tolka som ett tal (skriv till exempel 0,0833 eller 12,5)",
        )
    if type_name == "decimal":
        return _Rule(
            decimal_expr(text),
            DECIMAL_DTYPE,
            "Värdet går inte att tolka som ett tal (skriv till exempel 3,4 eller -1 234 567,50, "
            "med högst fyra decimaler)",
        )
    if type_name in ("integer", "integer64"):
        dtype = pl.Int32 if type_name == "integer" else pl.Int64
        value = integer_expr(text, dtype)
        return _Rule(
            value,
            dtype,
            "Värdet går inte att tolka som ett heltal",
            _range_checks(typed, kind.ranges.get(column)),
        )
    if type_name == "ar":
        value = integer_expr(text, pl.Int32)
        reason = "Året ska vara ett årtal med fyra siffror, till exempel 2026"
        return _Rule(value, pl.Int32, reason, ((~typed.is_between(1900, 2100), reason),))
    if type_name == "period":
        parts = text.str.extract_groups(r"^((?:19|20)[0-9]{2})-?([0-9]{2})$")
        year, month = parts.struct.field("1"), parts.struct.field("2")
        month_ok = month.cast(pl.Int32).is_between(1, 12)
        value = pl.when(month_ok).then(pl.concat_str([year, pl.lit("-"), month]))
        return _Rule(
            value,
            pl.String,
            "Perioden ska anges som ÅÅÅÅMM eller ÅÅÅÅ-MM, till exempel 202610 eller 2026-10",
            (
                (month.is_not_null() & ~month_ok, "Månaden i perioden måste vara 01–12"),
                (typed > this_month, _future_reason(this_month)),
            ),
            invalid=year.is_null(),
        )
    if type_name == "indikatorperiod":
        parts = text.str.extract_groups(r"^((?:19|20)[0-9]{2})(?:-?([0-9]{2}))?$")
        year, month = parts.struct.field("1"), parts.struct.field("2")
        month_ok = month.cast(pl.Int32).is_between(1, 12)
        value = (
            pl.when(year.is_not_null() & month.is_null())
            .then(year)
            .when(month_ok)
            .then(pl.concat_str([year, pl.lit("-"), month]))
        )
        in_future = (
            pl.when(month.is_null()).then(year > str(today.year)).otherwise(typed > this_month)
        )
        return _Rule(
            value,
            pl.String,
            "Perioden ska anges som ÅÅÅÅ, ÅÅÅÅMM eller ÅÅÅÅ-MM, till exempel 2025 eller 2025-10",
            (
                (
                    year.is_not_null() & month.is_not_null() & ~month_ok,
                    "Månaden i perioden måste vara 01–12",
                ),
                (in_future, _future_reason(this_month)),
            ),
            invalid=year.is_null(),
        )
    if type_name == "date":
        iso = (
            pl.when(text.str.contains(r"^[0-9]{8}$"))
            .then(
                pl.concat_str(
                    [text.str.slice(0, 4), text.str.slice(4, 2), text.str.slice(6, 2)],
                    separator="-",
                )
            )
            .when(text.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .then(text)
        )
        return _Rule(
            iso.str.to_date("%Y-%m-%d", strict=False),
            pl.Date,
            "Datumet går inte att tolka: skriv det som ÅÅÅÅ-MM-DD och kontrollera att dagen finns",
        )
    if type_name == "kon":
        return _Rule(
            _mapped(text, KON_VALUES),
            pl.String,
            "Kön ska vara M (män) eller K (kvinnor)",
        )
    if type_name == "riktning":
        return _Rule(
            _mapped(text, RIKTNING_VALUES),
            pl.String,
            "Riktningen ska vara högre (högre värde är bättre) eller lägre (lägre värde är bättre)",
        )
    if type_name == "alder":
        parts = text.str.extract_groups(r"^([0-9]{1,3})\s*(\+?)\s*(?:år)?$")
        number, plus = parts.struct.field("1"), parts.struct.field("2")
        value = integer_expr(number, pl.Int32)
        value = pl.when((plus == "+") & (value != 100)).then(None).otherwise(value)
        reason = (
            "Åldern ska vara ett heltal från 0 till 100 (100 eller 100+ betyder 100 år och äldre)"
        )
        return _Rule(value, pl.Int32, reason, ((typed > 100, reason),))
    if type_name == "val":
        allowed = kind.choices[column]
        lowered = text.str.to_lowercase()
        return _Rule(
            pl.when(lowered.is_in(allowed)).then(lowered),
            pl.String,
            f"Värdet måste vara ett av: {', '.join(allowed)}",
        )
    raise ValueError(f"unknown column type {type_name!r} for {kind.name}.{column}")


KON_VALUES = {
    "m": "M",
    "man": "M",
    "män": "M",
    "1": "M",
    "k": "K",
    "kvinna": "K",
    "kvinnor": "K",
    "2": "K",
}
RIKTNING_VALUES = {
    "högre": "hogre",
    "hogre": "hogre",
    "högre är bättre": "hogre",
    "hogre_ar_battre": "hogre",
    "öka": "hogre",
    "oka": "hogre",
    "lägre": "lagre",
    "lagre": "lagre",
    "lägre är bättre": "lagre",
    "lagre_ar_battre": "lagre",
    "minska": "lagre",
}


def _mapped(text: pl.Expr, mapping: dict[str, str]) -> pl.Expr:
    return text.str.to_lowercase().replace_strict(mapping, default=None, return_dtype=pl.String)


def _future_reason(this_month: str) -> str:
    return f"Perioden ligger i framtiden (den senaste möjliga perioden är {this_month})"


def type_table(
    kind: FileKind, raw: pl.DataFrame, file_name: str, today: date
) -> tuple[pl.DataFrame, list[Problem]]:
    """Type an all-text frame (with source_row) by the kind; returns (typed frame, problems).

    The typed frame has exactly the kind's columns (missing optional ones as nulls) and
    source_row. Useful for readers of other formats that produce text tables, too.
    """
    present = [c for c in raw.columns if c != SOURCE_ROW]
    problems: list[Problem] = []
    missing = [c for c in kind.required if c not in present]
    for column in missing:
        problems.append(
            Problem(
                file_name,
                f"Obligatorisk kolumn saknas: {column} (filen har kolumnerna "
                f"{', '.join(present) or 'inga'})",
                column=column,
            )
        )
    if raw.height == 0:
        problems.append(Problem(file_name, "Filen innehåller bara en rubrikrad och inga datarader"))

    footer_rows = _footer_rows(kind, raw, present, file_name, problems)
    problems += _personnummer_problems(raw, present, file_name)

    # First every typed column, then every flag from the typed columns, each computed once.
    rules: dict[str, _Rule] = {}
    for column in kind.columns:
        if column in present:
            typed = pl.col(f"__typed_{column}")
            rules[column] = _rule(kind, column, pl.col(column).str.strip_chars(), typed, today)
    staged = raw.with_columns(
        rule.value.cast(rule.dtype).alias(f"__typed_{column}") for column, rule in rules.items()
    )
    selections: list[pl.Expr] = [pl.col(SOURCE_ROW)]
    flags: list[tuple[str, str, str]] = []  # (flag column, column, reason)
    output: list[pl.Expr] = []
    for column in kind.columns:
        rule = rules.get(column)
        if rule is None:
            output.append(pl.lit(None, _dtype(kind, column, today)).alias(column))
            continue
        typed = pl.col(f"__typed_{column}")
        text = pl.col(column).str.strip_chars()
        is_present = text.is_not_null() & (text != "")
        output.append(typed.alias(column))
        selections += [typed, pl.col(column).alias(f"__raw_{column}")]
        conditions = []
        if column in kind.required:
            conditions.append((~is_present, MISSING_VALUE_REASON))
        if rule.invalid_reason:
            invalid = typed.is_null() if rule.invalid is None else rule.invalid
            conditions.append((is_present & invalid, rule.invalid_reason))
        conditions += [(is_present & bad.fill_null(False), reason) for bad, reason in rule.checks]
        for condition, reason in conditions:
            flag = f"__flag{len(flags)}"
            flags.append((flag, column, reason))
            selections.append(condition.alias(flag))

    checked = staged.select(selections)
    if footer_rows:
        checked = checked.filter(~pl.col(SOURCE_ROW).is_in(sorted(footer_rows)))
    for flag, column, reason in flags:
        bad = checked.filter(pl.col(flag)).select(SOURCE_ROW, f"__raw_{column}")
        for row, value in bad.iter_rows():
            problems.append(Problem(file_name, reason, row=row, column=column, value=value))

    typed_frame = checked.select(*output, pl.col(SOURCE_ROW))
    if not missing:
        check = TABLE_CHECKS.get(kind.name)
        if check is not None:
            problems += check(typed_frame, file_name)
    return typed_frame, _sorted(problems, list(kind.columns))


def _dtype(kind: FileKind, column: str, today: date) -> pl.DataType:
    return _rule(kind, column, pl.lit(None, pl.String), pl.lit(None), today).dtype


def _footer_rows(
    kind: FileKind, raw: pl.DataFrame, present: list[str], file_name: str, problems: list[Problem]
) -> set[int]:
    """Rows with a cell starting 'Summa'/'Totalt' (free-text columns exempt, where a risk may
    well be called "Totalt avbrott i ...")."""
    columns = [c for c in present if kind.type_of(c) != "fritext"]
    if not columns or raw.height == 0:
        return set()
    hits = raw.select(
        pl.col(SOURCE_ROW),
        *[pl.col(c).str.contains(FOOTER_PATTERN).fill_null(False).alias(c) for c in columns],
    ).filter(pl.any_horizontal(columns))
    rows: set[int] = set()
    for record in hits.iter_rows(named=True):
        row = record[SOURCE_ROW]
        column = next(c for c in columns if record[c])
        value = raw.filter(pl.col(SOURCE_ROW) == row).item(0, column)
        problems.append(Problem(file_name, FOOTER_REASON, row=row, column=column, value=value))
        rows.add(row)
    return rows


def _personnummer_problems(
    frame: pl.DataFrame, columns: list[str], file_name: str
) -> list[Problem]:
    columns = [c for c in columns if frame.schema[c] == pl.String]
    if not columns or frame.height == 0:
        return []
    rows = pl.col(SOURCE_ROW) if SOURCE_ROW in frame.columns else pl.lit(None, pl.Int64)
    hits = frame.select(
        rows.alias("__row"),
        *[
            pl.col(c).str.contains(PERSONNUMMER_PATTERN).fill_null(False).alias(f"__hit_{c}")
            for c in columns
        ],
        *[pl.col(c) for c in columns],
    ).filter(pl.any_horizontal([f"__hit_{c}" for c in columns]))
    problems = []
    for record in hits.iter_rows(named=True):
        for column in columns:
            if record[f"__hit_{column}"]:
                problems.append(
                    Problem(
                        file_name,
                        PERSONNUMMER_REASON,
                        row=record["__row"],
                        column=column,
                        value=mask_personnummer(record[column]),
                    )
                )
    return problems


def _sorted(problems: list[Problem], column_order: list[str]) -> list[Problem]:
    """File-level problems first, then by row and the kind's column order."""
    order = {c: i for i, c in enumerate(column_order)}

    def key(p: Problem):
        return (
            p.row is not None,
            p.row or 0,
            order.get(p.column or "", len(order)),
        )

    return sorted(problems, key=key)


# ---------------------------------------------------------------------------------------------
# Checks across rows, per kind


def _sv(number: float, decimals: int = 4) -> str:
    return f"{number:.{decimals}f}".replace(".", ",")


def _check_periodisering(typed: pl.DataFrame, file_name: str) -> list[Problem]:
    """Each key's shares sum to 1 (within 0.0001) per year; each month at most once."""
    complete = typed.drop_nulls(["ar", "nyckel", "manad", "andel"])
    problems = []
    sums = (
        complete.group_by("ar", "nyckel")
        .agg(pl.col("andel").sum().alias("summa"), pl.col(SOURCE_ROW).min().alias("forsta"))
        .filter((pl.col("summa") - 1).abs() > 0.0001)
        .sort("forsta")
    )
    for ar, nyckel, summa, _ in sums.iter_rows():
        problems.append(
            Problem(
                file_name,
                f"Andelarna för nyckeln {nyckel} år {ar} summerar till {_sv(summa)}, men ska "
                "summera till 1 (tillåten avvikelse 0,0001)",
                column="andel",
                value=_sv(summa),
            )
        )
    duplicates = complete.filter(pl.len().over("ar", "nyckel", "manad") > 1).sort(SOURCE_ROW)
    for record in duplicates.iter_rows(named=True):
        problems.append(
            Problem(
                file_name,
                f"Månad {record['manad']} finns flera gånger för nyckeln {record['nyckel']} "
                f"år {record['ar']}",
                row=record[SOURCE_ROW],
                column="manad",
                value=str(record["manad"]),
            )
        )
    return problems


TABLE_CHECKS: dict[str, Callable[[pl.DataFrame, str], list[Problem]]] = {
    "periodisering": _check_periodisering,
}
