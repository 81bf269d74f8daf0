"""Reading the demo's files back, independently of the product's intake.

The functions here read the files the way the contract describes them (encoding, delimiter,
Swedish numbers, xlsx), so the demo tests check the generator's output, not the intake.
A module with its own name (not conftest) so tests can import it unambiguously.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[2]
SCB_FIXTURES = REPO / "tests" / "fixtures" / "scb"


def _header(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ascii_.strip().lower()


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _normalise(df: pl.DataFrame) -> pl.DataFrame:
    return df.rename({c: _header(c) for c in df.columns})


def read_frame(path: Path) -> pl.DataFrame:
    """Any delimited text or xlsx input file as a frame of str columns, headers normalised."""
    if path.suffix == ".xlsx":
        df = pl.read_excel(path, sheet_id=1, infer_schema_length=0)
        return _normalise(df).with_columns(pl.all().fill_null(""))
    text = _text(path.read_bytes())
    first = text.splitlines()[0]
    delim = max(("\t", ";", ","), key=first.count)
    df = pl.read_csv(
        io.BytesIO(text.encode("utf-8")),
        separator=delim,
        infer_schema=False,
        empty_string_is_null=False,
    )
    return _normalise(df).with_columns(pl.all().fill_null(""))


def read_table(path: Path) -> list[dict[str, str]]:
    return read_frame(path).to_dicts()


def ore_expr(column: str) -> pl.Expr:
    """Swedish or plain amount strings ('-1 234 567,50', NBSP allowed) as exact öre."""
    s = pl.col(column).str.replace_all("[\u00a0 ]", "")
    s = pl.when(s.str.contains(",")).then(s.str.replace_all(r"\.", "").str.replace(",", "."))
    s = s.otherwise(pl.col(column).str.replace_all("[\u00a0 ]", ""))
    parts = s.str.split_exact(".", 1)
    kronor = parts.struct.field("field_0")
    dec = (parts.struct.field("field_1").fill_null("") + "00").str.slice(0, 2).cast(pl.Int64)
    sign = pl.when(kronor.str.starts_with("-")).then(-1).otherwise(1)
    return sign * (kronor.str.replace("-", "").cast(pl.Int64) * 100 + dec)


def ore(value: object) -> int:
    """One amount as öre (numbers or Swedish strings)."""
    if isinstance(value, int | float):
        return round(float(value) * 100)
    return pl.DataFrame({"x": [str(value)]}).select(ore_expr("x")).item()


def read_utfall(inbox: Path, *later_folders: Path) -> pl.DataFrame:
    """The ledger as it stands after one refresh per folder (`inbox`, then each of `later_folders`):
    a later file (folder order, then name order) replaces a period entirely."""
    frames = []
    files = [p for folder in (inbox, *later_folders) for p in sorted(folder.glob("utfall_*"))]
    for order, path in enumerate(files):
        df = read_frame(path)
        if path.suffix == ".xlsx":  # numeric cells: read as text like '1234.5'
            df = df.with_columns(
                pl.col("belopp").cast(pl.Float64).mul(100).round(0).cast(pl.Int64).alias("ore")
            )
        else:
            df = df.with_columns(ore_expr("belopp").alias("ore"))
        frames.append(
            df.select(
                pl.col("period").str.replace("-", "").alias("p"),
                "ansvar",
                "verksamhet",
                "konto",
                "projekt",
                "motpart",
                "ore",
            )
            .with_columns(
                (pl.col("p").str.slice(0, 4) + "-" + pl.col("p").str.slice(4, 2)).alias("period"),
                pl.lit(path.name).alias("fil"),
                pl.lit(order).alias("ordning"),
            )
            .drop("p")
        )
    combined = pl.concat(frames)
    latest = combined.group_by("period").agg(pl.col("ordning").max())
    # After the replacement, as the warehouse does: period 13 (the closing entries) counts in
    # December (pipelines/lib/intake/bokslut.py).
    december = pl.col("period").str.slice(0, 4) + "-12"
    return (
        combined.join(latest, on=["period", "ordning"])
        .with_columns(
            pl.col("period").str.ends_with("-13").alias("bokslut"),
            pl.when(pl.col("period").str.ends_with("-13"))
            .then(december)
            .otherwise(pl.col("period"))
            .alias("period"),
        )
        .with_columns(
            pl.col("konto").str.slice(0, 1).cast(pl.Int32).alias("klass"),
            pl.col("period").str.slice(0, 4).cast(pl.Int32).alias("ar"),
            pl.col("period").str.slice(5, 2).cast(pl.Int32).alias("manad"),
        )
    )


def read_organisation(inbox: Path) -> pl.DataFrame:
    rows = read_table(next(inbox.glob("organisation_*")))
    return pl.DataFrame(rows).with_columns(
        pl.col("giltig_from").str.to_date(),
        pl.when(pl.col("giltig_tom") == "")
        .then(None)
        .otherwise(pl.col("giltig_tom"))
        .str.to_date()
        .alias("giltig_tom"),
    )


def read_budget(inbox: Path) -> pl.DataFrame:
    """Every budget row of every budget file, with its file and beslutsdatum ('' if none)."""
    frames = []
    for path in sorted(inbox.glob("budget_*")):
        df = read_frame(path)
        if "beslutsdatum" not in df.columns:
            df = df.with_columns(pl.lit("").alias("beslutsdatum"))
        frames.append(
            df.select(
                pl.col("ar").cast(pl.Int32),
                "ansvar",
                "verksamhet",
                "konto",
                ore_expr("belopp").alias("ore"),
                "version",
                "nyckel",
                "beslutsdatum",
                pl.col("konto").str.slice(0, 1).cast(pl.Int32).alias("klass"),
                pl.lit(path.name).alias("fil"),
            )
        )
    return pl.concat(frames)


def read_periodisering(inbox: Path) -> pl.DataFrame:
    rows = []
    for path in sorted(inbox.glob("periodisering_*")):
        rows += read_table(path)
    return pl.DataFrame(
        {
            "ar": [int(r["ar"]) for r in rows],
            "nyckel": [r["nyckel"] for r in rows],
            "manad": [int(r["manad"]) for r in rows],
            "andel": [float(r["andel"].replace(",", ".")) for r in rows],
        }
    )


def read_befolkning(inbox: Path) -> pl.DataFrame:
    rows = read_table(next(inbox.glob("befolkning_*")))
    return pl.DataFrame(rows).with_columns(
        pl.col("ar").cast(pl.Int32), pl.col("alder").cast(pl.Int32), pl.col("antal").cast(pl.Int64)
    )
