from pipelines.lib.settings import DEFAULTS, flatten, load_settings


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
