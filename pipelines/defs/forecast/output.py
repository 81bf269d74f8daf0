"""What the forecast steps share: the schema they write to and how a result is written."""

import duckdb
import polars as pl

# The schema the forecasts write to; dbt reads it as a source and publishes the marts
# (dbt_project/models/marts/prognos/).
OUTPUT_SCHEMA = "prognos_ut"


def write_output(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, comment: str):
    table = f"{OUTPUT_SCHEMA}.{name}"
    con.execute(f"create schema if not exists {OUTPUT_SCHEMA}")
    con.register("output_rows", frame)
    con.execute(f"create or replace table {table} as select * from output_rows")
    con.unregister("output_rows")
    con.execute(f"comment on table {table} is '{comment.replace(chr(39), chr(39) * 2)}'")


class SaknarIndata(Exception):
    """The projection's inputs have not been delivered yet: skip it, do not stop the refresh."""
