import pytest

from pipelines.lib.settings import DEFAULTS, SettingsError, flatten, load_settings


def test_first_use_writes_the_defaults_for_the_controller(tmp_path):
    config = tmp_path / "config" / "styrhjul.yaml"
    settings = load_settings(config)
    assert config.exists()
    assert settings["atgardsplan"]["tolerans_kr"] == 0
    assert "tolerans_kr: 0" in config.read_text(encoding="utf-8")


def test_the_file_overrides_single_values_and_keeps_the_other_defaults(tmp_path):
    config = tmp_path / "styrhjul.yaml"
    config.write_text("atgardsplan:\n  tolerans_kr: 500000\n", encoding="utf-8")
    settings = load_settings(config)
    assert settings["atgardsplan"] == {"tolerans_kr": 500000, "forsening_manader": 2}
    assert settings["finansiella_mal"] == DEFAULTS["finansiella_mal"]


def test_flatten_gives_dbt_one_narrow_table():
    rows = dict(flatten({"a": {"b": 1, "c": [1, "x"]}, "d": "e"}))
    assert rows == {"a.b": "1", "a.c": "1,x", "d": "e"}


def _problems(tmp_path, text: str) -> str:
    config = tmp_path / "styrhjul.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    return str(caught.value)


def test_a_written_default_file_reads_back_as_the_defaults(tmp_path):
    config = tmp_path / "styrhjul.yaml"
    load_settings(config)
    assert load_settings(config) == DEFAULTS


def test_numbers_written_the_swedish_way_follow_the_one_number_rule(tmp_path):
    config = tmp_path / "styrhjul.yaml"
    config.write_text(
        "atgardsplan:\n  tolerans_kr: 5 000 000\nfinansiella_mal:\n  resultatandel: 0,02\n",
        encoding="utf-8",
    )
    loaded = load_settings(config)
    assert loaded["atgardsplan"]["tolerans_kr"] == 5_000_000
    assert loaded["finansiella_mal"]["resultatandel"] == 0.02


def test_an_amount_with_a_unit_is_an_error_not_zero(tmp_path):
    message = _problems(tmp_path, "atgardsplan:\n  tolerans_kr: 5 mnkr\n")
    assert "atgardsplan.tolerans_kr ska vara ett heltal" in message
    assert "'5 mnkr'" in message


def test_an_unquoted_kommun_code_is_an_error_not_another_municipality(tmp_path):
    # YAML reads `0127` as the octal number 87.
    message = _problems(tmp_path, "kommun:\n  kod: 0127\n")
    assert "kommun.kod ska vara text inom citattecken" in message


def test_a_percent_sign_is_an_error_that_says_how_to_write_a_share(tmp_path):
    message = _problems(tmp_path, "finansiella_mal:\n  resultatandel: 2 %\n")
    assert "finansiella_mal.resultatandel" in message
    assert "2 % skrivs 0.02" in message


def test_an_unknown_key_is_named_as_a_possible_misspelling(tmp_path):
    message = _problems(tmp_path, "atgardsplan:\n  toleranskr: 500000\n")
    assert "atgardsplan.toleranskr är ingen känd inställning (stavfel?)" in message


def test_every_problem_is_listed_at_once(tmp_path):
    message = _problems(
        tmp_path,
        "atgardsplan:\n  tolerans_kr: -1\nintern_kontroll:\n  gul_fran: 16\nkommun:\n  kod: 680\n",
    )
    assert "atgardsplan.tolerans_kr ska vara minst 0" in message
    assert "gul_fran får inte vara större än rod_fran" in message
    assert "kommun.kod ska vara text inom citattecken" in message
    assert message.count("\n- ") == 3


def test_a_whole_number_is_accepted_for_a_share(tmp_path):
    config = tmp_path / "styrhjul.yaml"
    config.write_text("finansiella_mal:\n  sjalvfinansieringsgrad: 1\n", encoding="utf-8")
    assert load_settings(config)["finansiella_mal"]["sjalvfinansieringsgrad"] == 1.0


def test_a_bad_settings_file_is_rejected_input_with_its_own_sentence(tmp_path):
    from pipelines.defs.intake.assets import InputRejected, _settings
    from pipelines.lib.intake.inbox import REJECTED_TAG
    from pipelines.lib.workspace import Workspace

    ws = Workspace(tmp_path)
    ws.config_file.parent.mkdir(parents=True)
    ws.config_file.write_text("atgardsplan:\n  tolerans_kr: 5 mnkr\n", encoding="utf-8")
    with pytest.raises(InputRejected) as caught:
        _settings(ws)
    assert caught.value.description.startswith(f"Inställningsfilen {ws.config_file} har fel")
    # Rejected input: the CLI exits 2 and publishes nothing.
    assert caught.value.metadata[REJECTED_TAG].value is True


def test_valar_is_a_list_of_years_with_the_swedish_elections_by_default(tmp_path):
    from pipelines.lib.settings import DEFAULTS, SettingsError, validate

    assert {2022, 2024, 2026} <= set(DEFAULTS["valar"])
    assert validate({"valar": [2026, "2030"]}).valar == [2026, 2030]
    with pytest.raises(SettingsError, match="valar"):
        validate({"valar": "2026"})


def test_prestanda_defaults_suit_an_8_gb_machine_and_are_checked():
    from pipelines.lib import settings

    assert settings.DEFAULTS["prestanda"] == {"minnesgrans_gb": 3.0, "tradar": 2}
    parsed = settings.validate({"prestanda": {"minnesgrans_gb": "1,5"}})
    assert parsed.prestanda.minnesgrans_gb == 1.5
    with pytest.raises(settings.SettingsError, match="prestanda.tradar"):
        settings.validate({"prestanda": {"tradar": 0}})
