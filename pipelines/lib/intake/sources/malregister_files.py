"""Reading the goal register's files into items: (row the user sees, {normalised key: value}).

YAML keeps every scalar as text (no implicit typing, so ``org: 0123`` stays "0123"); Excel cells
come as openpyxl gives them. Keys and sheet names are normalised by the intake's one header
rule (:func:`~pipelines.lib.intake.readers.normalise_header`: ``Nivå`` -> ``niva``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipelines.lib.intake.readers import normalise_header
from pipelines.lib.intake.sources import Problem, SourceError

Items = list[tuple[int, dict]]
_NULLS = {"", "~", "null", "none"}


def _key(name: Any) -> str:
    return normalise_header(str(name))


def item_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return None if text.lower() in _NULLS else text


def read_yaml_items(path: Path) -> tuple[Items, Items, str, str]:
    """The items of the lists 'mal' and 'indikatorer', and how a row is named in each."""
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            [Problem(name, "Filen är inte UTF-8-kodad; spara målregistret som UTF-8.")]
        ) from exc
    try:
        doc = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds no objects
        tree = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SourceError(
            [
                Problem(
                    name,
                    # PyYAML's own words are English and technical: the line is what helps.
                    "Filen är inte giltig YAML: strukturen går inte att tolka"
                    + (f" på rad {line}" if line else "")
                    + ". Kontrollera indrag, kolon och citattecken där (och raden före)",
                    row=line,
                )
            ]
        ) from exc
    if not isinstance(doc, dict):
        raise SourceError(
            [
                Problem(
                    name,
                    "Målregistret ska ha två listor på översta nivån: 'mal' och 'indikatorer'.",
                )
            ]
        )
    # the line (1-based) where each list item starts: the row the user sees in the file
    item_lines: dict[str, list[int]] = {}
    for key_node, value_node in tree.value:
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[_key(key_node.value)] = [n.start_mark.line + 1 for n in value_node.value]
    doc = {_key(k): v for k, v in doc.items()}
    problems = []
    lists = {}
    for section in ("mal", "indikatorer"):
        items = doc.get(section)
        if items is None or items == "":
            items = []
        if not isinstance(items, list):
            problems.append(
                Problem(name, f"'{section}' ska vara en lista med en post per rad.", column=section)
            )
            continue
        records = []
        lines = item_lines.get(section, [])
        for pos, item in enumerate(items):
            line = lines[pos] if pos < len(lines) else None
            if not isinstance(item, dict):
                problems.append(
                    Problem(
                        name,
                        f"Post {pos + 1} i '{section}' (rad {line}) är inte ett objekt med "
                        "nycklar och värden.",
                        row=line,
                        column=section,
                    )
                )
                continue
            records.append((line, {_key(k): v for k, v in item.items()}))
        lists[section] = records
    if "mal" not in doc:
        problems.append(Problem(name, "Målregistret saknar listan 'mal'.", column="mal"))
    if problems:
        raise SourceError(problems)
    return lists["mal"], lists["indikatorer"], "mal-listan, rad", "indikatorlistan, rad"


def read_xlsx_items(path: Path) -> tuple[Items, Items, str, str]:
    """The rows of the sheets 'mal' and 'indikatorer', and how a row is named in each."""
    import openpyxl

    name = path.name
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SourceError(
            [Problem(name, f"Excel-filen kunde inte öppnas ({type(exc).__name__}: {exc}).")]
        ) from exc
    try:
        sheets = {_key(s): s for s in workbook.sheetnames}
        found = {}
        problems = []
        for wanted in ("mal", "indikatorer"):
            sheet = sheets.get(wanted)
            if sheet is None:
                problems.append(
                    Problem(
                        name,
                        f"Arbetsboken saknar bladet '{wanted}' (har "
                        f"{', '.join(workbook.sheetnames)}). Målregistret ska ha bladen 'mal' "
                        "och 'indikatorer'.",
                        column=wanted,
                    )
                )
                continue
            rows = workbook[sheet].iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                found[wanted] = []
                continue
            keys = [_key(h) if h is not None else None for h in header]
            records = []
            for number, values in enumerate(rows, start=2):
                if values is None or all(item_text(v) is None for v in values):
                    continue
                records.append(
                    (
                        number,
                        {k: v for k, v in zip(keys, values, strict=False) if k is not None},
                    )
                )
            found[wanted] = records
        if problems:
            raise SourceError(problems)
    finally:
        workbook.close()
    return found["mal"], found["indikatorer"], "bladet mal, rad", "bladet indikatorer, rad"
