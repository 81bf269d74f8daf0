"""What a controller reads when the warehouse cannot be built: one Swedish sentence per failure
saying what failed in words and what to do, never a dbt test name or a traceback (those stay in
the run's log, behind --debug).

The intake catches what input can cause, so a failure here means either input that slipped
through or a defect; either way the published warehouse is unchanged and the message says so.
"""

from __future__ import annotations

import json
import re
from functools import cache

from pipelines.lib.warehouse import DBT_PROJECT_DIR

LOG_HINT = "dbt:s egna meddelanden finns i logs/senaste_korning.log i arbetsytan"

# Generic dbt tests, by the prefix dbt gives their names, as the property they check.
_GENERIC = (
    ("not_null_", "att kolumnen {column} alltid har ett värde"),
    ("unique_", "att kolumnen {column} inte har dubbletter"),
    ("accepted_values_", "att kolumnen {column} bara har tillåtna värden"),
    ("relationships_", "att kolumnen {column} bara hänvisar till kända värden"),
    ("unik_kombination_", "att varje rad förekommer en gång"),
)

_FAILURE = re.compile(r"Failure in (test|model|seed|snapshot|unit_test) (\S+)")
_RESULTS = re.compile(r"Got (\d+) results?")


@cache
def _model_names() -> tuple[str, ...]:
    """Every model's name, longest first (a test name embeds its model's name)."""
    names = {path.stem for path in (DBT_PROJECT_DIR / "models").rglob("*.sql")}
    return tuple(sorted(names, key=len, reverse=True))


@cache
def _test_descriptions() -> dict[str, str]:
    """Descriptions of the project's singular tests (their YAML), by test name."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        return {}
    nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    return {
        node["name"]: node.get("description") or ""
        for node in nodes.values()
        if node.get("resource_type") == "test" and node.get("description")
    }


def describe_test(name: str) -> str:
    """A dbt test's name as words: 'att kolumnen namnd alltid har ett värde i fct_ekonomi_manad'."""
    description = _test_descriptions().get(name)
    if description:
        return description.strip().rstrip(".")
    for prefix, template in _GENERIC:
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            model = next((m for m in _model_names() if rest.startswith(m + "_")), None)
            if model is None:
                return template.format(column="?") + " (" + rest.replace("_", " ") + ")"
            column = rest[len(model) + 1 :]
            return template.format(column=column) + f" i {model}"
    return "kontrollen " + name.replace("_", " ")


def dbt_failure_message(text: str) -> str:
    """dbt's failure output as Swedish sentences, one per failed node."""
    sentences = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _FAILURE.search(line)
        if match is None:
            continue
        node_type, name = match.groups()
        if node_type == "test":
            counted = next((_RESULTS.search(later) for later in lines[index + 1 : index + 4]), None)
            rows = f" ({counted.group(1)} rader bröt mot den)" if counted else ""
            sentences.append(
                f"Kontrollen {describe_test(name)} föll{rows}. Det betyder att de inlästa "
                "filerna innehåller något som intaget inte upptäckte: se över filerna i den här "
                "körningen (särskilt organisation och budget) och kör igen"
            )
        else:
            sentences.append(
                f"Tabellen {name} kunde inte beräknas. Det är troligen ett programfel; kontakta "
                "förvaltaren av Styrhjul och bifoga loggen"
            )
    if not sentences:
        sentences.append(
            "Lagret kunde inte byggas av okänd anledning; kontakta förvaltaren av Styrhjul och "
            "bifoga loggen"
        )
    return "Lagret kunde inte byggas. " + ". ".join(dict.fromkeys(sentences)) + f" ({LOG_HINT})."


def check_failure_message(check_name: str, description: str | None, details: list[str]) -> str:
    """A blocking asset check that failed, as what it found."""
    found = f" Avvikelser: {'; '.join(details[:5])}." if details else ""
    what = (description or f"Kontrollen {check_name.replace('_', ' ')} föll").rstrip(".")
    return (
        f"{what}.{found} Kontakta förvaltaren av Styrhjul med loggen om felet kvarstår efter en "
        "ny körning."
    )
