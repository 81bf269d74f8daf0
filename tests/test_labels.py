"""Code values in the warehouse are ASCII snake_case; their Swedish words live in labels.py.

The dbt YAML's accepted_values are the contract for each coded mart column; labels.py must have
a label for exactly those codes, so a new code cannot reach the report as a bare code and a
removed one does not linger.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pipelines.lib import labels

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "dbt_project" / "models"

# (model, column) → the label family its codes belong to, and whether the column takes every
# code of the family (False: a subset, e.g. an indicator is never saknar_indikator).
CODED = {
    ("atgardsplan", "status"): ("atgardsplan_status", True),
    ("atgardsplan", "helarsprognos_kalla"): ("helarsprognos_kalla", False),
    ("budgetavvikelse", "helarsprognos_kalla"): ("helarsprognos_kalla", True),
    ("budgetavvikelse", "niva"): ("niva", False),
    ("helarsprognos_statistisk", "metod"): ("helarsprognos_metod", True),
    ("maluppfyllelse", "status"): ("malstatus", True),
    ("maluppfyllelse", "trafikljus"): ("trafikljus", True),
    ("maluppfyllelse_indikator", "status"): ("malstatus", False),
    ("maluppfyllelse_indikator", "trafikljus"): ("trafikljus", True),
    ("intern_kontroll", "trafikljus"): ("trafikljus", True),
    ("malkedja_brister", "brist"): ("malkedja_brist", True),
    ("perioder", "status"): ("periodstatus", True),
    ("uppdrag", "status"): ("uppdragsstatus", True),
    ("investeringsuppfoljning", "underlag"): ("investering_underlag", True),
    ("analys", "avsnitt"): ("analys_avsnitt", True),
    ("forandringsanalys", "komponent"): ("forandring_komponent", True),
}

# Text a model writes as a value that is content, not a code: KF's financial goals' titles.
TITLAR = {
    "Resultatandel (årets resultat / skatteintäkter och generella statsbidrag)",
    "Självfinansieringsgrad av investeringar",
    "God ekonomisk hushållning: ",
}


def _accepted_values() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for path in MODELS.rglob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []:
            for column in model.get("columns") or []:
                for test in column.get("data_tests") or []:
                    if isinstance(test, dict) and "accepted_values" in test:
                        values = test["accepted_values"]["arguments"]["values"]
                        found[(model["name"], column["name"])] = [str(v) for v in values]
    return found


ACCEPTED = _accepted_values()


@pytest.mark.parametrize("model_column", sorted(CODED), ids="{0[0]}.{0[1]}".format)
def test_every_code_of_a_coded_column_has_a_label(model_column):
    family, complete = CODED[model_column]
    codes = ACCEPTED[model_column]
    known = set(labels.FAMILIES[family])
    assert set(codes) <= known, f"no label for {set(codes) - known}"
    if complete:
        stale = known - set(codes)
        assert not stale, f"labels for codes the column no longer has: {stale}"


def test_every_accepted_value_in_the_marts_is_an_ascii_code():
    # kon is SCB's M/K; every other code is lower-case snake_case.
    for (model, column), values in ACCEPTED.items():
        for value in values:
            pattern = r"[MK]" if column == "kon" else r"[a-z][a-z0-9]*(_[a-z0-9]+)*"
            assert re.fullmatch(pattern, value), f"{model}.{column}: {value!r}"


def test_no_model_writes_swedish_display_text_as_a_value():
    offenders = []
    for path in MODELS.rglob("*.sql"):
        for nr, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for literal in re.findall(r"'([^']*)'", line.split("--")[0]):
                display = not literal.isascii() or re.search(r"[a-z] [a-z]", literal)
                if display and literal not in TITLAR:
                    offenders.append(f"{path.relative_to(ROOT)}:{nr}: {literal!r}")
    assert not offenders, "\n".join(offenders)


def test_the_labels_are_the_swedish_words():
    assert labels.label("atgardsplan_status", "kraver_atgardsplan") == "kräver åtgärdsplan"
    assert labels.label("atgardsplan_status", "forsenad") == "försenad"
    assert labels.label("atgardsplan_status", "atgardad") == "åtgärdad"
    assert labels.label("trafikljus", "gron") == "grön"
    assert labels.label("trafikljus", "gra") == "grå"
    assert labels.label("malstatus", "saknar_varde") == "saknar värde"
    assert labels.label("helarsprognos_kalla", "namndernas_prognoser") == "nämndernas prognoser"
    assert labels.label("periodstatus", "stangd") == "stängd"
    assert labels.label("uppdragsstatus", "pagar") == "pågår"
    assert labels.label("uppdragsstatus", "avslutat_ej_genomfort") == "avslutat, ej genomfört"
    assert labels.label("perspektiv", "hallbarhet") == "Hållbarhet"
    assert labels.label("riktning", "lagre") == "lägre är bättre"


def test_a_missing_value_stays_missing_and_an_unknown_code_shows_as_itself():
    assert labels.label("trafikljus", None) is None
    assert labels.label("atgardsplan_status", "ny_kod") == "ny_kod"
    with pytest.raises(KeyError):
        labels.label("ingen_familj", "ny")
