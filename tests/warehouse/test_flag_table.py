from pipelines.defs.warehouse.checks import _flag_table


def test_the_flagged_namnder_are_a_markdown_table_in_mnkr_with_swedish_words():
    table = _flag_table(
        [
            ("SOC", "Socialnämnden", "kraver_atgardsplan", -12_400_000.0),
            ("TN", "Tekniska nämnden", "forsenad", -560_000.0),
        ]
    )
    assert table.splitlines() == [
        "| Nämnd | Status | Helårsavvikelse (mnkr) |",
        "|---|---|---:|",
        "| Socialnämnden (SOC) | kräver åtgärdsplan | −12,4 |",
        "| Tekniska nämnden (TN) | försenad | −0,6 |",
    ]


def test_no_flag_is_a_sentence():
    assert _flag_table([]) == "Ingen nämnd har negativ helårsavvikelse."
