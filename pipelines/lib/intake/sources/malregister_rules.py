"""The goal register's rules (:func:`validate_malregister`), each a function of its own.

A goal is (ar, id): the same id in two years is the normal case of a goal kept into the next
year, and every rule holds within a year.
"""

from __future__ import annotations

import polars as pl

from pipelines.lib.intake.sources import Problem

NIVAER = ("kommun", "namnd", "forvaltning", "verksamhet")
PERSPEKTIV = ("medborgare", "ekonomi", "medarbetare", "hallbarhet")

Key = tuple[int, str]


def normalise_perspektiv(value: str | None) -> str | None:
    if value is None:
        return None
    low = value.strip().lower()
    return "hallbarhet" if low == "hållbarhet" else low


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
    by_key, years_by_id = _index_goals(goals, file_name, problems)
    for g in goals:
        problems += _goal_problems(g, known_orgs, file_name)
        problems += _parent_problems(g, by_key, years_by_id, file_name)
    problems += _cycle_problems(by_key, file_name)
    problems += _indicator_problems(malindikator, by_key, years_by_id, file_name)
    return problems


def _index_goals(
    goals: list[dict], file_name: str, problems: list[Problem]
) -> tuple[dict[Key, dict], dict[str, set[int]]]:
    """Goals by (ar, id) and the years of each id; a duplicate (ar, id) adds a Problem."""
    first_row: dict[Key, int | None] = {}
    by_key: dict[Key, dict] = {}
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
    return by_key, years_by_id


def _goal_problems(
    g: dict, known_orgs: dict[str, set[str]] | None, file_name: str
) -> list[Problem]:
    """Level, perspective and (with ``known_orgs``) the goal's place in the organisation."""
    problems: list[Problem] = []
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
    return problems


def _parent_problems(
    g: dict, by_key: dict[Key, dict], years_by_id: dict[str, set[int]], file_name: str
) -> list[Problem]:
    """The parent goal exists in the same year and lies at a higher level."""
    problems: list[Problem] = []
    gid, row, niva = g["id"], g["source_row"], g["niva"]
    parent_id = g["foralder"]
    if parent_id is None:
        return problems
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
        return problems
    if parent_id == gid or niva not in NIVAER:
        return problems  # a self-link is reported as a cycle; a bad level by _goal_problems
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
    return problems


def _cycle_problems(by_key: dict[Key, dict], file_name: str) -> list[Problem]:
    """A cycle in the parent links of one year, once per cycle."""
    problems: list[Problem] = []
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

    return problems


def _indicator_problems(
    malindikator: pl.DataFrame,
    by_key: dict[Key, dict],
    years_by_id: dict[str, set[int]],
    file_name: str,
) -> list[Problem]:
    """Each indicator belongs to one known goal, has målvärde and riktning, and occurs once."""
    problems: list[Problem] = []
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
