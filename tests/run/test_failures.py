"""A failure inside dbt or a check reaches the controller as Swedish sentences, never as a dbt
test name."""

from __future__ import annotations

from pipelines.lib.run import failures

DBT_OUTPUT = """\
12:01:02  Failure in test not_null_fct_ekonomi_manad_namnd (models/marts/_marts__models.yml)
12:01:02    Got 12 results, configured to fail if != 0
12:01:02  Failure in model atgardsplan (models/marts/atgardsplan.sql)
12:01:02    Runtime Error in model atgardsplan (models/marts/atgardsplan.sql)
"""


def test_a_failed_not_null_test_is_said_in_words():
    message = failures.dbt_failure_message(DBT_OUTPUT)
    assert "not_null" not in message and "not_null_fct_ekonomi_manad_namnd" not in message
    assert "att kolumnen namnd alltid har ett värde i fct_ekonomi_manad" in message
    assert "12 rader" in message
    assert "Tabellen atgardsplan kunde inte beräknas" in message
    assert message.startswith("Lagret kunde inte byggas.")
    assert "logs/senaste_korning.log" in message


def test_generic_test_names_split_at_the_longest_model_name():
    assert failures.describe_test("unique_budgetavvikelse_org") == (
        "att kolumnen org inte har dubbletter i budgetavvikelse"
    )
    assert failures.describe_test("accepted_values_atgardsplan_status__ny") == (
        "att kolumnen status__ny bara har tillåtna värden i atgardsplan"
    )


def test_unparsed_output_still_gives_a_sentence():
    message = failures.dbt_failure_message("something unexpected")
    assert "okänd anledning" in message


def test_a_failed_check_names_what_it_found():
    message = failures.check_failure_message(
        "avstamning_utfall",
        "Marterna stämmer inte med huvudbokens inlästa belopp; inget publiceras.",
        ["2026-09: raw 100.00 / mart 90.00"],
    )
    assert "avstamning_utfall" not in message
    assert "2026-09: raw 100.00 / mart 90.00" in message
