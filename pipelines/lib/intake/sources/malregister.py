"""The goal register (``mal_*.yaml`` / ``.yml`` / ``.xlsx``): goals and their indicators.

YAML::

    mal:
      - {id: KF1, niva: kommun, org: "0680", ar: 2026, titel: ..., perspektiv: medborgare,
         foralder: null, agenda2030: "4.1"}
    indikatorer:
      - {mal: KF1, indikator: N15419, kalla: kolada, riktning: högre, utgangsvarde: 80,
         malvarde: 85}

A goal is (ar, id): a goal kept into the next year keeps its id, so the same id may occur once
per year. An indicator belongs to the goal of its year: its optional ``ar`` names the year, and
without it the indicator takes the year of the goal with its id in the file (a file with the
same id in several years must give ``ar``).

Excel: a sheet ``mal`` and a sheet ``indikatorer`` (names case-insensitive), header in row 1.
Headers/keys are case-insensitive and may use Swedish letters (``nivå``, ``målvärde``,
``förälder``); other columns are ignored. YAML is read without implicit typing (every scalar
as text, so ``org: 0123`` stays "0123"), and numbers may use a decimal comma.

``source_row`` is the row the user sees: for YAML the line (1-based) where the item starts, for
Excel the row number in its sheet (header = row 1, first data row = 2).
:func:`read_malregister` rejects missing or unreadable values and then runs
:func:`validate_malregister` without the organisation check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipelines.lib.intake.sources import Problem, SourceError

NIVAER = ("kommun", "namnd", "forvaltning", "verksamhet")
PERSPEKTIV = ("medborgare", "ekonomi", "medarbetare", "hallbarhet")

MAL_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "niva": pl.String(),
    "org": pl.String(),
    "ar": pl.Int32(),
    "titel": pl.String(),
    "perspektiv": pl.String(),
    "foralder": pl.String(),
    "agenda2030": pl.String(),
    "source_row": pl.Int64(),
}
MALINDIKATOR_SCHEMA: dict[str, pl.DataType] = {
    "mal": pl.String(),
    "ar": pl.Int32(),
    "indikator": pl.String(),
    "kalla": pl.String(),
    "riktning": pl.String(),
    "utgangsvarde": pl.Float64(),
    "malvarde": pl.Float64(),
    "source_row": pl.Int64(),
}

_RIKTNING = {
    "högre": "hogre",
    "hogre": "hogre",
    "higher": "hogre",
    "lägre": "lagre",
    "lagre": "lagre",
    "lower": "lagre",
}
_NULLS = {"", "~", "null", "none"}
_MAL_REQUIRED = ("id", "niva", "org", "ar", "titel", "perspektiv")
_IND_REQUIRED = ("mal", "indikator")


def _key(name: Any) -> str:
    text = str(name).strip().lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), (" ", "_"), ("-", "_")):
        text = text.replace(a, b)
    return text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return None if text.lower() in _NULLS else text


def _number(value: Any) -> float | None:
    """A float from a number or text ("85", "85,5", "1 234,5"); raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = _text(value)
    if text is None:
        return None
    text = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
        raise ValueError(value)
    return float(text)


def _year(value: Any) -> int:
    """A year 1900-2200 from a number or text; raises ValueError."""
    number = _number(value)
    if number is None or not number.is_integer() or not 1900 <= number <= 2200:
        raise ValueError(value)
    return int(number)


def normalise_perspektiv(value: str | None) -> str | None:
    if value is None:
        return None
    low = value.strip().lower()
    return "hallbarhet" if low == "hållbarhet" else low


def normalise_riktning(value: str | None) -> str | None:
    """'hogre' / 'lagre' for högre/hogre/higher/lägre/lagre/lower; None if empty; raises
    ValueError for anything else."""
    if value is None:
        return None
    low = value.strip().lower()
    if low in _RIKTNING:
        return _RIKTNING[low]
    raise ValueError(value)


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]], str, str]:
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
                    f"Filen är inte giltig YAML ({getattr(exc, 'problem', None) or exc}). "
                    "Kontrollera indrag och citattecken" + (f" kring rad {line}." if line else "."),
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


def _read_xlsx(path: Path) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]], str, str]:
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
                if values is None or all(_text(v) is None for v in values):
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


def read_malregister(path: str | Path, *, validate: bool = True) -> dict[str, pl.DataFrame]:
    """Read a goal register: ``{"mal": frame, "malindikator": frame}``.

    Raises :class:`SourceError` for missing or unreadable values (every one found), and, when
    ``validate`` is true, for every rule of :func:`validate_malregister` (without the
    organisation check, which needs the organisation).
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if not path.exists():
        raise SourceError([Problem(name, "Filen finns inte.")])
    if suffix in (".yaml", ".yml"):
        mal_items, ind_items, mal_where, ind_where = _read_yaml(path)
    elif suffix == ".xlsx":
        mal_items, ind_items, mal_where, ind_where = _read_xlsx(path)
    else:
        raise SourceError(
            [Problem(name, f"Målregistret ska vara .yaml, .yml eller .xlsx, inte '{suffix}'.")]
        )

    problems: list[Problem] = []
    mal_rows: dict[str, list] = {c: [] for c in MAL_SCHEMA}
    for row, item in mal_items:
        values = {c: _text(item.get(c)) for c in MAL_SCHEMA if c not in ("ar", "source_row")}
        missing = [c for c in _MAL_REQUIRED if c != "ar" and values[c] is None]
        if _text(item.get("ar")) is None:
            missing.insert(3, "ar")
        label = f"Målet {values['id']!r}" if values["id"] else "Ett mål"
        for column in missing:
            problems.append(
                Problem(
                    name,
                    f"{label} ({mal_where} {row}) saknar '{column}'. Varje mål behöver id, niva, "
                    "org, ar, titel och perspektiv.",
                    row=row,
                    column=column,
                )
            )
        ar = None
        raw_ar = item.get("ar")
        if _text(raw_ar) is not None:
            try:
                ar = _year(raw_ar)
            except ValueError:
                problems.append(
                    Problem(
                        name,
                        f"{label} ({mal_where} {row}) har ogiltigt år {raw_ar!r}; 'ar' ska vara "
                        "ett årtal som 2026.",
                        row=row,
                        column="ar",
                        value=str(raw_ar),
                    )
                )
        values["perspektiv"] = normalise_perspektiv(values["perspektiv"])
        for column in MAL_SCHEMA:
            if column == "ar":
                mal_rows[column].append(ar)
            elif column == "source_row":
                mal_rows[column].append(row)
            else:
                mal_rows[column].append(values[column])

    # An indicator without 'ar' belongs to its goal's year when the file has its goal id in
    # one year only; otherwise it stays empty and validate_malregister names the ambiguity.
    years_by_id: dict[str, set[int]] = {}
    for gid, gar in zip(mal_rows["id"], mal_rows["ar"], strict=True):
        if gid is not None and gar is not None:
            years_by_id.setdefault(gid, set()).add(gar)

    ind_rows: dict[str, list] = {c: [] for c in MALINDIKATOR_SCHEMA}
    for row, item in ind_items:
        mal = _text(item.get("mal"))
        indikator = _text(item.get("indikator"))
        label = f"Indikatorn {indikator!r} för målet {mal!r} ({ind_where} {row})"
        ind_ar = None
        raw_ind_ar = item.get("ar")
        if _text(raw_ind_ar) is not None:
            try:
                ind_ar = _year(raw_ind_ar)
            except ValueError:
                problems.append(
                    Problem(
                        name,
                        f"{label} har ogiltigt år {raw_ind_ar!r}; 'ar' ska vara året för det "
                        "mål indikatorn hör till, ett årtal som 2026.",
                        row=row,
                        column="ar",
                        value=str(raw_ind_ar),
                    )
                )
        elif len(years_by_id.get(mal, ())) == 1:
            [ind_ar] = years_by_id[mal]
        for column in _IND_REQUIRED:
            if _text(item.get(column)) is None:
                problems.append(
                    Problem(
                        name,
                        f"{label} saknar '{column}'. Varje indikator behöver mal och indikator.",
                        row=row,
                        column=column,
                    )
                )
        riktning = None
        raw = _text(item.get("riktning"))
        try:
            riktning = normalise_riktning(raw)
        except ValueError:
            problems.append(
                Problem(
                    name,
                    f"{label} har okänd riktning {raw!r}; skriv 'högre' eller 'lägre' (vilket "
                    "håll som är bättre).",
                    row=row,
                    column="riktning",
                    value=raw,
                )
            )
        numbers: dict[str, float | None] = {}
        for column in ("utgangsvarde", "malvarde"):
            raw_value = item.get(column)
            try:
                numbers[column] = _number(raw_value)
            except ValueError:
                numbers[column] = None
                problems.append(
                    Problem(
                        name,
                        f"{label}: '{column}' = {raw_value!r} är inte ett tal.",
                        row=row,
                        column=column,
                        value=str(raw_value),
                    )
                )
        ind_rows["mal"].append(mal)
        ind_rows["ar"].append(ind_ar)
        ind_rows["indikator"].append(indikator)
        ind_rows["kalla"].append(_text(item.get("kalla")))
        ind_rows["riktning"].append(riktning)
        ind_rows["utgangsvarde"].append(numbers["utgangsvarde"])
        ind_rows["malvarde"].append(numbers["malvarde"])
        ind_rows["source_row"].append(row)

    if problems:
        raise SourceError(problems)
    mal = pl.DataFrame(mal_rows, schema=MAL_SCHEMA)
    malindikator = pl.DataFrame(ind_rows, schema=MALINDIKATOR_SCHEMA)
    if validate:
        found = validate_malregister(mal, malindikator, None, file_name=name)
        if found:
            raise SourceError(found)
    return {"mal": mal, "malindikator": malindikator}


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------


def _cycles(parent: dict[str, str | None]) -> list[list[str]]:
    """Every cycle in the parent links, each once, starting at its smallest id."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in parent:
        if state.get(start):
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and not state.get(node):
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            i = cycle.index(min(cycle))
            found.append(cycle[i:] + cycle[:i])
        for n in path:
            state[n] = 2
    return found


def validate_malregister(
    mal: pl.DataFrame,
    malindikator: pl.DataFrame,
    known_orgs: dict[str, set[str]] | None,
    *,
    file_name: str = "malregister",
) -> list[Problem]:
    """Every rule the register breaks, as Problems naming the goal id and row.

    A goal is (ar, id): the same id in two years is the normal case of a goal kept into the
    next year, and every rule below holds within a year.

    Rules: duplicate goal id within a year; niva not one of kommun, namnd, forvaltning,
    verksamhet; perspektiv not one of medborgare, ekonomi, medarbetare, hallbarhet
    ('hållbarhet' accepted); unknown parent goal (the parent is the goal of that id in the same
    year); parent not at a higher level; a cycle in the chain (per year); indicator for an
    unknown goal, or without 'ar' for an id the file has in several years; indicator without
    målvärde or riktning; the same indicator twice for one goal; and, when ``known_orgs``
    (niva -> org codes) is given, a goal at a level or org that does not exist. A goal without
    indicators is not a problem here.
    """
    problems: list[Problem] = []
    goals = list(mal.iter_rows(named=True))
    first_row: dict[tuple[int, str], int | None] = {}
    by_key: dict[tuple[int, str], dict] = {}
    years_by_id: dict[str, set[int]] = {}
    for g in goals:
        gid, key = g["id"], (g["ar"], g["id"])
        if key in by_key:
            problems.append(
                Problem(
                    file_name,
                    f"Mål-id {gid!r} förekommer flera gånger (rad {first_row[key]} och rad "
                    f"{g['source_row']}) för år {g['ar']}; varje mål ska ha ett eget id inom "
                    "året (samma id ett annat år är samma mål behållet).",
                    row=g["source_row"],
                    column="id",
                    value=gid,
                )
            )
            continue
        by_key[key] = g
        first_row[key] = g["source_row"]
        years_by_id.setdefault(gid, set()).add(g["ar"])

    for g in goals:
        gid, row = g["id"], g["source_row"]
        niva = g["niva"]
        if niva not in NIVAER:
            problems.append(
                Problem(
                    file_name,
                    f"Målet {gid!r} (rad {row}) har nivån {niva!r}; nivån ska vara en av "
                    f"{', '.join(NIVAER)}.",
                    row=row,
                    column="niva",
                    value=niva,
                )
            )
        perspektiv = normalise_perspektiv(g["perspektiv"])
        if perspektiv not in PERSPEKTIV:
            problems.append(
                Problem(
                    file_name,
                    f"Målet {gid!r} (rad {row}) har perspektivet {g['perspektiv']!r}; "
                    f"perspektivet ska vara ett av {', '.join(PERSPEKTIV)}.",
                    row=row,
                    column="perspektiv",
                    value=g["perspektiv"],
                )
            )
        if known_orgs is not None and niva in NIVAER:
            if niva not in known_orgs:
                problems.append(
                    Problem(
                        file_name,
                        f"Målet {gid!r} (rad {row}) ligger på nivån {niva!r}, som inte finns i "
                        "organisationen.",
                        row=row,
                        column="niva",
                        value=niva,
                    )
                )
            elif g["org"] not in known_orgs[niva]:
                problems.append(
                    Problem(
                        file_name,
                        f"Målet {gid!r} (rad {row}) hör till org {g['org']!r}, som inte finns på "
                        f"nivån {niva} i organisationen. Rätta org-koden eller organisationen.",
                        row=row,
                        column="org",
                        value=g["org"],
                    )
                )
        parent_id = g["foralder"]
        if parent_id is None:
            continue
        parent = by_key.get((g["ar"], parent_id))
        if parent is None:
            elsewhere = sorted(years_by_id.get(parent_id, set()) - {g["ar"]})
            hint = (
                f" för år {g['ar']} (bara för {', '.join(map(str, elsewhere))}); föräldern "
                "ska vara ett mål samma år"
                if elsewhere
                else ""
            )
            problems.append(
                Problem(
                    file_name,
                    f"Målet {gid!r} (rad {row}) har föräldern {parent_id!r}, som inte finns i "
                    f"målregistret{hint}.",
                    row=row,
                    column="foralder",
                    value=parent_id,
                )
            )
            continue
        if parent_id == gid or niva not in NIVAER:
            continue  # a self-link is reported as a cycle; a bad level is reported above
        level = NIVAER.index(niva)
        if level == 0:
            problems.append(
                Problem(
                    file_name,
                    f"Målet {gid!r} (rad {row}) ligger på nivån kommun och kan inte ha en "
                    f"förälder (har {parent_id!r}).",
                    row=row,
                    column="foralder",
                    value=parent_id,
                )
            )
        elif parent["niva"] in NIVAER and NIVAER.index(parent["niva"]) >= level:
            # A goal contributes to a goal at a higher level; levels may be skipped (in
            # Jönköping's styrmodell verksamhet goals contribute directly to nämnd goals).
            problems.append(
                Problem(
                    file_name,
                    f"Målet {gid!r} (rad {row}, nivå {niva}) har föräldern {parent_id!r} på "
                    f"nivån {parent['niva']}; föräldern ska ligga på en högre nivå "
                    f"({', '.join(NIVAER[:level])}).",
                    row=row,
                    column="foralder",
                    value=parent_id,
                )
            )

    cycles = []
    for ar in sorted({ar for ar, _ in by_key}, key=lambda a: (a is None, a or 0)):
        links = {gid: g["foralder"] for (g_ar, gid), g in by_key.items() if g_ar == ar}
        cycles += [(ar, cycle) for cycle in _cycles(links)]
    for ar, cycle in cycles:
        head = by_key[(ar, cycle[0])]
        problems.append(
            Problem(
                file_name,
                "Målkedjan har en cykel: "
                + " → ".join([*cycle, cycle[0]])
                + f" (målet {cycle[0]!r}, rad {head['source_row']}). Ett mål kan inte bidra "
                "till sig självt; rätta 'foralder'.",
                row=head["source_row"],
                column="foralder",
                value=head["foralder"],
            )
        )

    seen_pairs: dict[tuple[int | None, str, str], int] = {}
    for ind in malindikator.iter_rows(named=True):
        row, gid, kpi = ind["source_row"], ind["mal"], ind["indikator"]
        ar = ind.get("ar")
        label = f"Indikatorn {kpi!r} för målet {gid!r} (rad {row} bland indikatorerna)"
        years = years_by_id.get(gid, set())
        if ar is None and len(years) == 1:
            [ar] = years
        if ar is None and len(years) > 1:
            problems.append(
                Problem(
                    file_name,
                    f"{label}: målet {gid!r} finns för flera år "
                    f"({', '.join(map(str, sorted(years)))}); ange 'ar' för indikatorn så att "
                    "den hör till rätt års mål.",
                    row=row,
                    column="ar",
                    value=gid,
                )
            )
        elif (ar, gid) not in by_key:
            where = f" för år {ar}" if ar is not None and years else ""
            problems.append(
                Problem(
                    file_name,
                    f"{label} hör till ett mål som inte finns i målregistret{where}.",
                    row=row,
                    column="mal",
                    value=gid,
                )
            )
        if ind["malvarde"] is None:
            problems.append(
                Problem(
                    file_name,
                    f"{label} saknar målvärde ('malvarde'); ange det värde som ska nås.",
                    row=row,
                    column="malvarde",
                )
            )
        if ind["riktning"] is None:
            problems.append(
                Problem(
                    file_name,
                    f"{label} saknar riktning; ange 'högre' eller 'lägre' (vilket håll som är "
                    "bättre).",
                    row=row,
                    column="riktning",
                )
            )
        elif ind["riktning"] not in ("hogre", "lagre"):
            problems.append(
                Problem(
                    file_name,
                    f"{label} har riktningen {ind['riktning']!r}; den ska vara 'hogre' eller "
                    "'lagre'.",
                    row=row,
                    column="riktning",
                    value=ind["riktning"],
                )
            )
        pair = (ar, gid, kpi)
        if pair in seen_pairs:
            problems.append(
                Problem(
                    file_name,
                    f"{label} förekommer redan på rad {seen_pairs[pair]}; ta bort dubbletten.",
                    row=row,
                    column="indikator",
                    value=kpi,
                )
            )
        else:
            seen_pairs[pair] = row
    return problems
