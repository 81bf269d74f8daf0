"""json-stat2 -> tidy frame, on SCB's recorded answer and on hand-made documents."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.intake.sources.jsonstat import JsonStatError, jsonstat2_to_frame

REPO = Path(__file__).resolve().parents[3]
PXWEB = REPO / "tests" / "fixtures" / "pxweb"


def recorded(name: str) -> dict:
    path = PXWEB / name
    if not path.is_file():
        pytest.fail(
            f"The recorded SCB answer {path} is missing from the repository's tests/fixtures."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def test_recorded_tab6471_shape_and_order():
    doc = recorded("TAB6471_data.json")
    frame = jsonstat2_to_frame(doc)
    dims = ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert frame.columns == [c for d in dims for c in (d, f"{d}_label")] + ["value"]
    assert frame.height == math.prod([21, 11, 3, 1, 4]) == 2772
    assert frame["value"].dtype == pl.Float64
    # row-major: the last dimension (Tid) varies fastest, then Kon, then Alder, then Region
    assert frame["Tid"].head(5).to_list() == ["2026M01", "2026M02", "2026M03", "2026M04"] + [
        "2026M01"
    ]
    assert frame["Kon"].head(5).to_list() == ["TotSa"] * 4 + ["1"]
    assert frame["Region"][131] == "01" and frame["Region"][132] == "03"
    assert frame["Alder"].unique(maintain_order=True).to_list()[-1] == "100+10"
    assert frame["Region_label"][0] == "Stockholms län"
    assert frame["Kon_label"][4] == "män"


def cell(frame: pl.DataFrame, **codes: str) -> float:
    hit = frame.filter(*[pl.col(k) == v for k, v in codes.items()])
    assert hit.height == 1
    return hit["value"][0]


def test_recorded_tab6471_cells_looked_up_by_hand():
    frame = jsonstat2_to_frame(recorded("TAB6471_data.json"))
    # Strides from size [21, 11, 3, 1, 4]: Region 132, Alder 12, Kon 4, ContentsCode 4, Tid 1.
    # The "value" array starts on line 252 of the file, so value[p] is on line 252 + p.
    # Stockholms län (Region index 0), 0-9 (0), TotSa (0), 2026M01 (0): p = 0, line 252.
    assert cell(frame, Region="01", Alder="0-9", Kon="TotSa", Tid="2026M01") == 245284
    # Jönköpings län "06" (index 4), "100+10" (10), kvinnor "2" (2), 2026M04 (3):
    # p = 4*132 + 10*12 + 2*4 + 3 = 659, line 911.
    assert cell(frame, Region="06", Alder="100+10", Kon="2", Tid="2026M04") == 136
    # Norrbottens län "25" (index 20), 30-39 (3), män "1" (1), 2026M02 (1):
    # p = 20*132 + 3*12 + 1*4 + 1 = 2681, line 2933.
    assert cell(frame, Region="25", Alder="30-39", Kon="1", Tid="2026M02") == 17766
    # the last cell: p = 2771, line 3023.
    assert frame.row(-1, named=True)["value"] == 54
    assert frame.row(-1, named=True)["Region"] == "25"


def test_hand_made_sparse_value_dict_index_and_status():
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["A", "B"],
        "size": [2, 3],
        "dimension": {
            # a dict index given out of order: b is position 1, a is position 0
            "A": {"category": {"index": {"b": 1, "a": 0}, "label": {"a": "Alfa", "b": "Beta"}}},
            # a list index, no labels: the code is the label
            "B": {"category": {"index": ["x", "y", "z"]}},
        },
        "value": {"0": 1, "4": 5.5, "5": 0},
        "status": {"4": "p"},
    }
    frame = jsonstat2_to_frame(doc)
    assert frame.columns == ["A", "A_label", "B", "B_label", "value", "status"]
    assert frame.rows() == [
        ("a", "Alfa", "x", "x", 1.0, None),
        ("a", "Alfa", "y", "y", None, None),
        ("a", "Alfa", "z", "z", None, None),
        ("b", "Beta", "x", "x", None, None),
        ("b", "Beta", "y", "y", 5.5, "p"),
        ("b", "Beta", "z", "z", 0.0, None),
    ]


def test_single_category_without_index_and_scalar_status():
    doc = {
        "class": "dataset",
        "id": ["ContentsCode", "Tid"],
        "size": [1, 2],
        "dimension": {
            "ContentsCode": {"category": {"label": {"BE0101N1": "Folkmängd"}}},
            "Tid": {"category": {"index": {"2019": 0, "2020": 1}}},
        },
        "value": [10, None],
        "status": "..",
    }
    frame = jsonstat2_to_frame(doc)
    assert frame.select("ContentsCode", "ContentsCode_label", "Tid", "value", "status").rows() == [
        ("BE0101N1", "Folkmängd", "2019", 10.0, ".."),
        ("BE0101N1", "Folkmängd", "2020", None, ".."),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": [1, 2, 3]}, "4 celler"),
        ({"size": [2, 3]}, "kategorier"),
        ({"value": [1, "x", 3, 4]}, "inte ett tal"),
        ({"value": {"9": 1}}, "utanför"),
        ({"id": ["A"]}, "lika långa"),
        ({"class": "collection"}, "dataset"),
    ],
)
def test_malformed_documents_are_refused(change, message):
    doc = {
        "class": "dataset",
        "id": ["A", "B"],
        "size": [2, 2],
        "dimension": {
            "A": {"category": {"index": ["a1", "a2"]}},
            "B": {"category": {"index": ["b1", "b2"]}},
        },
        "value": [1, 2, 3, 4],
    } | change
    with pytest.raises(JsonStatError, match=message):
        jsonstat2_to_frame(doc)
