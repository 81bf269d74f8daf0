"""SCB PxWebApi 2: population tables (json-stat2 answers) as the ``befolkning`` table.

Mapping of a population table (:func:`befolkning_from_jsonstat`):

* ``region``: the SCB region code as text ("00" riket, "06" län, "0680" kommun).
* ``ar`` / ``manad``: from the time code: ``2025`` -> ar 2025, manad null (annual);
  ``2026M04`` -> ar 2026, manad 4 (monthly tables, population at the end of the month).
* ``alder`` / ``aldersgrupp``: single-year categories ("0" .. "99", "100+") give ``alder``
  0..100 (100 means 100+) and a null ``aldersgrupp``. Band categories cannot be mapped to one
  age: they give a null ``alder`` and the band in ``aldersgrupp`` ("0-9", "0-4" for SCB's
  "-4", "90+", and "100+" for the band value sets' "100+10" / "100+5"). Total categories
  ("TotSA", "tot", ...) are dropped unless ``keep_totals`` (then ``aldersgrupp = "totalt"``).
* ``kon``: SCB codes 1 = män -> "M", 2 = kvinnor -> "K"; totals ("1+2", "TotSa") are dropped
  unless ``keep_totals`` (then ``kon = "T"``).
* ``antal`` (Int64, null for a missing cell), ``typ`` ("utfall" or "prognos"), ``source_row``
  (1-based position of the cell in the json-stat2 ``value`` array).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from pipelines.lib.intake.problems import json_error_reason
from pipelines.lib.intake.sources import Problem, SourceError
from pipelines.lib.intake.sources.befolkning_totals import (
    MAX_ALDER,
    TOTAL,
    check_totals,
)
from pipelines.lib.intake.sources.jsonstat import (
    JsonStatError,
    dimension_categories,
    jsonstat2_to_frame,
)

TYPER = ("utfall", "prognos")
MAX_CELL_PROBLEMS = 100

BEFOLKNING_SCHEMA: dict[str, pl.DataType] = {
    "region": pl.String(),
    "ar": pl.Int32(),
    "manad": pl.Int32(),
    "alder": pl.Int32(),
    "aldersgrupp": pl.String(),
    "kon": pl.String(),
    "antal": pl.Int64(),
    "typ": pl.String(),
    "source_row": pl.Int64(),
}


# --------------------------------------------------------------------------------------------
# json-stat2 -> befolkning
# --------------------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return (
        name.strip().lower().replace("å", "a").replace("ä", "a").replace("ö", "o").replace(" ", "")
    )


def _is_total_code(code: str) -> bool:
    low = code.strip().lower()
    return low.startswith("tot") or low in {"1+2", "t", "samtliga"}


def _age_category(code: str, label: str) -> tuple[int | None, str | None, bool] | None:
    """(alder, aldersgrupp, is_total) for an SCB age code, or None if it cannot be mapped."""
    c = code.strip()
    if _is_total_code(c):
        return None, TOTAL, True
    if re.fullmatch(r"\d{1,3}", c):
        n = int(c)
        if n < MAX_ALDER:
            return n, None, False
        if n == MAX_ALDER and ("+" in label or "äldre" in label.lower()):
            return MAX_ALDER, None, False
        return None
    if c == f"{MAX_ALDER}+":
        return MAX_ALDER, None, False
    if re.fullmatch(rf"{MAX_ALDER}\+\d+", c):  # "100+10", "100+5": 100+ within a band value set
        return None, f"{MAX_ALDER}+", False
    m = re.fullmatch(r"(\d{1,3})\+", c)
    if m:
        return None, f"{int(m.group(1))}+", False
    m = re.fullmatch(r"(\d{1,3})-(\d{1,3})", c)
    if m and int(m.group(1)) <= int(m.group(2)):
        return None, f"{int(m.group(1))}-{int(m.group(2))}", False
    m = re.fullmatch(r"-(\d{1,3})", c)  # SCB's "-4" = 0-4 år
    if m:
        return None, f"0-{int(m.group(1))}", False
    return None


def _sex_category(code: str) -> str | None:
    c = code.strip()
    if c == "1":
        return "M"
    if c == "2":
        return "K"
    if _is_total_code(c):
        return "T"
    return None


def _time_category(code: str) -> tuple[int, int | None] | None:
    c = code.strip()
    if re.fullmatch(r"\d{4}", c):
        return int(c), None
    m = re.fullmatch(r"(\d{4})M(\d{2})", c)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    return None


def _find_dim(ids: list[str], names: set[str]) -> str | None:
    for dim_id in ids:
        if _norm(dim_id) in names:
            return dim_id
    return None


def befolkning_from_jsonstat(
    doc: dict,
    file_name: str,
    *,
    typ: str = "utfall",
    contents_code: str | None = None,
    keep_totals: bool = False,
) -> pl.DataFrame:
    """Map a json-stat2 population table (region × ålder × kön × tid) to ``befolkning``.

    ``typ`` is "utfall" (default) or "prognos" (a projection such as SCB's BE0401).
    ``contents_code`` picks one ContentsCode when the table carries several.
    ``keep_totals`` keeps total rows (kon "T", aldersgrupp "totalt") for :func:`check_totals`.
    Raises :class:`SourceError` naming every code or cell that cannot be mapped.
    """
    if typ not in TYPER:
        raise ValueError(f"typ ska vara 'utfall' eller 'prognos', inte {typ!r}.")
    problems: list[Problem] = []
    try:
        tidy = jsonstat2_to_frame(doc)
    except JsonStatError as exc:
        raise SourceError(
            [Problem(file_name, f"Filen är inte ett giltigt json-stat2-svar från SCB: {exc}")]
        ) from exc
    ids = [str(i) for i in doc["id"]]
    sizes = dict(zip(ids, doc["size"], strict=True))
    role = doc.get("role") or {}
    time_ids = [t for t in role.get("time") or [] if t in ids]
    metric_ids = [t for t in role.get("metric") or [] if t in ids]
    dims = {
        "region": _find_dim(ids, {"region"}),
        "alder": _find_dim(ids, {"alder"}),
        "kon": _find_dim(ids, {"kon"}),
        "tid": time_ids[0] if time_ids else _find_dim(ids, {"tid", "ar", "manad"}),
    }
    metric = metric_ids[0] if metric_ids else _find_dim(ids, {"contentscode"})
    missing = [name for name, dim in dims.items() if dim is None]
    if missing:
        raise SourceError(
            [
                Problem(
                    file_name,
                    "Tabellen saknar dimensionerna "
                    + ", ".join(missing)
                    + f" (har {', '.join(ids)}). En befolkningstabell ska vara uppdelad på "
                    "region, ålder, kön och tid; välj alla fyra när tabellen hämtas.",
                    column=",".join(missing),
                )
            ]
        )
    used = set(dims.values()) | ({metric} if metric else set())
    for dim_id in ids:
        if dim_id not in used and sizes[dim_id] > 1:
            problems.append(
                Problem(
                    file_name,
                    f"Dimensionen '{dim_id}' har {sizes[dim_id]} värden och kan inte mappas "
                    "till befolkning; välj ett enda värde (eller eliminera den) vid hämtningen.",
                    column=dim_id,
                )
            )

    tidy = tidy.with_row_index("source_row", offset=1).with_columns(
        pl.col("source_row").cast(pl.Int64)
    )
    if metric is not None and sizes[metric] > 1:
        codes = [c for c, _ in dimension_categories(doc, metric)]
        if contents_code is None:
            problems.append(
                Problem(
                    file_name,
                    f"Tabellen har flera tabellinnehåll ({', '.join(codes)}); ange vilket som "
                    "är folkmängden (contents_code) eller hämta bara det.",
                    column=metric,
                )
            )
        elif contents_code not in codes:
            problems.append(
                Problem(
                    file_name,
                    f"Tabellinnehållet {contents_code!r} finns inte i tabellen "
                    f"({', '.join(codes)}).",
                    column=metric,
                    value=contents_code,
                )
            )
        else:
            tidy = tidy.filter(pl.col(metric) == contents_code)

    age_map: dict[str, tuple[int | None, str | None, bool]] = {}
    for code, label in dimension_categories(doc, dims["alder"]):
        mapped = _age_category(code, label)
        if mapped is None:
            problems.append(
                Problem(
                    file_name,
                    f"Åldersklassen {code!r} ({label}) kan inte tolkas: använd ettårsklasser "
                    "0–99 och 100+, åldersband som 0-9, eller totalen.",
                    column=dims["alder"],
                    value=code,
                )
            )
        else:
            age_map[code] = mapped
    sex_map: dict[str, str] = {}
    for code, label in dimension_categories(doc, dims["kon"]):
        mapped_sex = _sex_category(code)
        if mapped_sex is None:
            problems.append(
                Problem(
                    file_name,
                    f"Könskoden {code!r} ({label}) kan inte tolkas: SCB:s koder är 1 = män, "
                    "2 = kvinnor och 1+2/TotSa = totalt.",
                    column=dims["kon"],
                    value=code,
                )
            )
        else:
            sex_map[code] = mapped_sex
    time_map: dict[str, tuple[int, int | None]] = {}
    for code, _label in dimension_categories(doc, dims["tid"]):
        mapped_time = _time_category(code)
        if mapped_time is None:
            problems.append(
                Problem(
                    file_name,
                    f"Tidskoden {code!r} kan inte tolkas: använd år (2025) eller månad (2026M04).",
                    column=dims["tid"],
                    value=code,
                )
            )
        else:
            time_map[code] = mapped_time
    if problems:
        raise SourceError(problems)

    # cell values: whole, non-negative numbers (null allowed)
    bad_cells = tidy.filter(
        pl.col("value").is_not_null()
        & ((pl.col("value") < 0) | (pl.col("value") != pl.col("value").round(0)))
    )
    for rec in bad_cells.head(MAX_CELL_PROBLEMS).iter_rows(named=True):
        problems.append(
            Problem(
                file_name,
                f"Folkmängden {rec['value']} (region {rec[dims['region']]}, ålder "
                f"{rec[dims['alder']]}, kön {rec[dims['kon']]}, tid {rec[dims['tid']]}) är inte "
                "ett heltal ≥ 0.",
                row=rec["source_row"],
                column="value",
                value=str(rec["value"]),
            )
        )
    if bad_cells.height > MAX_CELL_PROBLEMS:
        problems.append(
            Problem(
                file_name,
                f"… och {bad_cells.height - MAX_CELL_PROBLEMS} celler till som inte är heltal ≥ 0.",
            )
        )
    if problems:
        raise SourceError(problems)

    age_codes = list(age_map)
    time_codes = list(time_map)
    out = tidy.select(
        pl.col(dims["region"]).alias("region"),
        pl.col(dims["tid"])
        .replace_strict(time_codes, [time_map[c][0] for c in time_codes], return_dtype=pl.Int32)
        .alias("ar"),
        pl.col(dims["tid"])
        .replace_strict(time_codes, [time_map[c][1] for c in time_codes], return_dtype=pl.Int32)
        .alias("manad"),
        pl.col(dims["alder"])
        .replace_strict(age_codes, [age_map[c][0] for c in age_codes], return_dtype=pl.Int32)
        .alias("alder"),
        pl.col(dims["alder"])
        .replace_strict(age_codes, [age_map[c][1] for c in age_codes], return_dtype=pl.String)
        .alias("aldersgrupp"),
        pl.col(dims["kon"])
        .replace_strict(list(sex_map), list(sex_map.values()), return_dtype=pl.String)
        .alias("kon"),
        pl.col("value").round(0).cast(pl.Int64).alias("antal"),
        pl.lit(typ, dtype=pl.String).alias("typ"),
        pl.col("source_row"),
    )
    if not keep_totals:
        out = out.filter((pl.col("kon") != "T") & (pl.col("aldersgrupp").fill_null("") != TOTAL))
    return out.select([pl.col(c).cast(t) for c, t in BEFOLKNING_SCHEMA.items()])


def _guess_typ(doc: dict, file_name: str) -> str:
    text = f"{file_name} {doc.get('label', '')}".lower()
    return "prognos" if ("prognos" in text or "framskriv" in text) else "utfall"


def read_befolkning_json_file(path: str | Path) -> dict[str, pl.DataFrame]:
    """Reader for ``befolkning_*.json`` (an SCB PxWebApi 2 json-stat2 answer).

    ``typ`` is "prognos" when the file name or the table label says prognos/framskrivning,
    else "utfall". Totals in the table are checked against their parts (:func:`check_totals`,
    defaults) and a mismatch rejects the file; the returned frame has no total rows.
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
        doc = json.loads(text)
    except OSError as exc:
        raise SourceError([Problem(name, f"Filen kunde inte läsas: {exc}.")]) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(
            [Problem(name, "Filen är inte UTF-8-kodad JSON; spara SCB:s svar som UTF-8.")]
        ) from exc
    except json.JSONDecodeError as exc:
        raise SourceError(
            [
                Problem(
                    name,
                    f"{json_error_reason(exc)}. Hämta tabellen på nytt från SCB i formatet "
                    "json-stat2.",
                    row=exc.lineno,
                )
            ]
        ) from exc
    if not isinstance(doc, dict):
        raise SourceError([Problem(name, "Filen ska innehålla ett json-stat2-objekt.")])
    frame = befolkning_from_jsonstat(doc, name, typ=_guess_typ(doc, name), keep_totals=True)
    mismatches = check_totals(frame)
    if mismatches:
        raise SourceError(
            [
                Problem(name, m.describe(), row=m.source_row, column="antal", value=str(m.total))
                for m in mismatches
            ]
        )
    frame = frame.filter((pl.col("kon") != "T") & (pl.col("aldersgrupp").fill_null("") != TOTAL))
    return {"befolkning": frame}
