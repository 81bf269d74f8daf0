"""Every public mart is a dbt model under an enforced contract, each column described in
Swedish, each numeric column with its unit (pipelines/lib/warehouse/units.py), read from the dbt
YAML the report also reads its units from."""

from __future__ import annotations

from typing import Any

from pipelines.lib.warehouse import units


def contract_problems(models: dict[str, dict[str, Any]]) -> list[str]:
    """What a mart's declaration lacks: contract, column type, description or unit."""
    problems = []
    for name, model in sorted(models.items()):
        contract = ((model.get("config") or {}).get("contract") or {}).get("enforced")
        if contract is not True:
            problems.append(f"{name}: no enforced contract")
        if not (model.get("description") or "").strip():
            problems.append(f"{name}: no description")
        for column in model.get("columns") or []:
            where = f"{name}.{column['name']}"
            if not (column.get("description") or "").strip():
                problems.append(f"{where}: no description")
            if not column.get("data_type"):
                problems.append(f"{where}: no data_type")
            unit = units.column_unit(column)
            if units.is_numeric(column.get("data_type")) and unit is None:
                problems.append(f"{where}: numeric without a unit")
            if unit is not None and unit not in units.ENHETER:
                problems.append(f"{where}: unknown unit {unit!r}")
    return problems


def test_every_mart_has_a_contract_descriptions_and_units():
    assert contract_problems(units.mart_models()) == []


def test_every_mart_model_is_declared():
    sql = {f"marts.{p.stem}" for p in units.MARTS_DIR.rglob("*.sql")}
    assert sql - set(units.mart_models()) == set()
    # the five once written by Python are among them
    assert {
        "marts.langtidsprognos",
        "marts.helarsprognos_statistisk",
        "marts.helarsprognos_precision",
        "marts.perioder",
        "marts.budgetavvikelse_rapporterad",
        "marts.rapportperiod",
    } <= sql


def test_the_check_finds_what_a_declaration_lacks():
    models = {
        "marts.x": {
            "description": "X.",
            "config": {"contract": {"enforced": True}},
            "columns": [
                {"name": "belopp", "data_type": "decimal(18,2)", "description": "Belopp."},
                {"name": "ar", "data_type": "integer", "config": {"meta": {"enhet": "ar"}}},
                {
                    "name": "andel",
                    "data_type": "double",
                    "description": "A.",
                    "config": {"meta": {"enhet": "promille"}},
                },
                {"name": "namn", "data_type": "varchar", "description": "Namn."},
            ],
        },
        "marts.y": {"description": "Y.", "columns": [{"name": "a", "description": "A."}]},
    }
    assert contract_problems(models) == [
        "marts.x.belopp: numeric without a unit",
        "marts.x.ar: no description",
        "marts.x.andel: unknown unit 'promille'",
        "marts.y: no enforced contract",
        "marts.y.a: no data_type",
    ]


def test_units_read_from_the_yaml():
    assert units.enhet("marts.langtidsprognos", "arets_resultat") == "mnkr"
    assert units.enhet("marts.langtidsprognos", "resultatandel") == "andel"
    assert units.enhet("marts.resultatrakning", "arets_resultat") == "kr"
    assert units.enhet("marts.budgetavvikelse", "org_namn") is None
    assert units.is_numeric("DECIMAL(18,2)") and units.is_numeric("bigint")
    assert not units.is_numeric("varchar") and not units.is_numeric("boolean")
