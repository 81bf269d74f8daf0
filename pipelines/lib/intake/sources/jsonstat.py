"""JSON-stat 2.0 datasets (the default answer of SCB's PxWebApi 2) as tidy polars frames.

A dataset stores its cells in one flat ``value`` array in row-major order: the dimensions in
``id`` order, the last dimension varying fastest, each with ``size[k]`` categories ordered by
the category ``index`` (a list of codes, or a dict code -> position). ``value`` (and
``status``) may be dense lists or sparse dicts ``{"position": value}``.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

__all__ = ["JsonStatError", "jsonstat2_to_frame", "dimension_categories"]


class JsonStatError(ValueError):
    """The document is not a well-formed json-stat2 dataset (message in Swedish)."""


def dimension_categories(doc: dict, dim_id: str) -> list[tuple[str, str]]:
    """The (code, label) pairs of one dimension, in index order."""
    dims = doc.get("dimension")
    if not isinstance(dims, dict) or not isinstance(dims.get(dim_id), dict):
        raise JsonStatError(f"Dimensionen '{dim_id}' saknas under 'dimension'.")
    category = dims[dim_id].get("category")
    if not isinstance(category, dict):
        raise JsonStatError(f"Dimensionen '{dim_id}' saknar 'category'.")
    index = category.get("index")
    labels = category.get("label")
    if labels is not None and not isinstance(labels, dict):
        raise JsonStatError(f"Dimensionen '{dim_id}': 'category.label' ska vara ett objekt.")
    labels = labels or {}
    if index is None:
        # json-stat2 allows omitting the index when there is a single category.
        if len(labels) != 1:
            raise JsonStatError(
                f"Dimensionen '{dim_id}' saknar 'category.index' och har inte exakt en kategori."
            )
        codes = [str(next(iter(labels)))]
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        positions: dict[int, str] = {}
        for code, pos in index.items():
            if isinstance(pos, bool) or not isinstance(pos, int) or pos < 0 or pos in positions:
                raise JsonStatError(
                    f"Dimensionen '{dim_id}': ogiltig eller dubblerad position {pos!r} för "
                    f"kategorin '{code}' i 'category.index'."
                )
            positions[pos] = str(code)
        if sorted(positions) != list(range(len(positions))):
            raise JsonStatError(
                f"Dimensionen '{dim_id}': positionerna i 'category.index' ska vara 0..n-1 utan "
                "luckor."
            )
        codes = [positions[i] for i in range(len(positions))]
    else:
        raise JsonStatError(
            f"Dimensionen '{dim_id}': 'category.index' ska vara en lista eller ett objekt."
        )
    if len(set(codes)) != len(codes):
        raise JsonStatError(f"Dimensionen '{dim_id}' har dubblerade kategorikoder.")
    return [(code, str(labels.get(code, code))) for code in codes]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _dense(raw: Any, n: int, what: str, scalar_ok: bool) -> list[Any]:
    if isinstance(raw, list):
        if scalar_ok and len(raw) == 1 and n != 1:
            return raw * n
        if len(raw) != n:
            raise JsonStatError(
                f"'{what}' har {len(raw)} element men dimensionernas storlek ger {n} celler."
            )
        return raw
    if isinstance(raw, dict):
        out: list[Any] = [None] * n
        for key, item in raw.items():
            try:
                pos = int(key)
            except (TypeError, ValueError):
                raise JsonStatError(f"'{what}': nyckeln {key!r} är ingen position.") from None
            if not 0 <= pos < n:
                raise JsonStatError(f"'{what}': positionen {pos} ligger utanför 0..{n - 1}.")
            out[pos] = item
        return out
    if scalar_ok and isinstance(raw, str):
        return [raw] * n
    raise JsonStatError(f"'{what}' ska vara en lista eller ett objekt med positioner.")


def jsonstat2_to_frame(doc: dict) -> pl.DataFrame:
    """A json-stat2 dataset as tidy rows, in the dataset's own (row-major) order.

    Columns: for every dimension ``<id>`` (category code, String) and ``<id>_label`` (category
    label), then ``value`` (Float64, null for missing cells) and ``status`` (String) when the
    dataset has a status. Row ``i`` (0-based) is the cell at position ``i`` of ``value``.
    Raises :class:`JsonStatError` on a malformed document.
    """
    if not isinstance(doc, dict):
        raise JsonStatError("Ett json-stat2-dokument ska vara ett JSON-objekt.")
    if doc.get("class", "dataset") != "dataset":
        raise JsonStatError(
            f"Dokumentet är av klassen {doc.get('class')!r}, inte 'dataset' (json-stat2-data)."
        )
    ids = doc.get("id")
    sizes = doc.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise JsonStatError("'id' och 'size' ska vara listor lika långa (en per dimension).")
    if any(isinstance(s, bool) or not isinstance(s, int) or s < 0 for s in sizes):
        raise JsonStatError("'size' ska bara innehålla heltal ≥ 0.")
    ids = [str(i) for i in ids]
    if len(set(ids)) != len(ids):
        raise JsonStatError("'id' har dubblerade dimensioner.")
    reserved = {"value", "status"} | {f"{i}_label" for i in ids}
    clash = [i for i in ids if i in reserved]
    if clash:
        raise JsonStatError(f"Dimensionsnamnen {clash} krockar med kolumnnamn i resultatet.")

    n = math.prod(sizes)
    columns: dict[str, pl.Series] = {}
    stride = n
    position = pl.Series("pos", range(n), dtype=pl.Int64)
    for dim_id, size in zip(ids, sizes, strict=True):
        categories = dimension_categories(doc, dim_id)
        if len(categories) != size:
            raise JsonStatError(
                f"Dimensionen '{dim_id}' har {len(categories)} kategorier men 'size' säger {size}."
            )
        stride //= size if size else 1
        idx = (position // stride) % size if size else position
        codes = pl.Series([c for c, _ in categories], dtype=pl.String)
        labels = pl.Series([lab for _, lab in categories], dtype=pl.String)
        columns[dim_id] = codes.gather(idx).alias(dim_id)
        columns[f"{dim_id}_label"] = labels.gather(idx).alias(f"{dim_id}_label")

    raw_values = _dense(doc.get("value"), n, "value", scalar_ok=False)
    bad = next(
        ((i, v) for i, v in enumerate(raw_values) if v is not None and not _is_number(v)), None
    )
    if bad is not None:
        raise JsonStatError(f"'value' på position {bad[0]} är inte ett tal: {bad[1]!r}.")
    columns["value"] = pl.Series(
        "value", [None if v is None else float(v) for v in raw_values], dtype=pl.Float64
    )
    if doc.get("status") is not None:
        raw_status = _dense(doc["status"], n, "status", scalar_ok=True)
        columns["status"] = pl.Series(
            "status", [None if s is None else str(s) for s in raw_status], dtype=pl.String
        )
    return pl.DataFrame(list(columns.values()))
