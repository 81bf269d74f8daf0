"""The real SCB figures the demo municipality is calibrated on, read from `data/reference/`.

The reference CSVs are small conversions of SCB's open data (CC0); `convert_scb` made them from
SCB's downloads (tests/fixtures/scb/), and the tests rerun it to prove the committed files
match. At run time the generator reads only the committed files inside the repository.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "data" / "reference"

KOMMUNKOD = "0680"
# Jönköping and its comparison group (docs/rules.md), in the order reports show them.
COMPARISON_GROUP: dict[str, str] = {
    "0680": "Jönköping",
    "0580": "Linköping",
    "0581": "Norrköping",
    "0780": "Växjö",
    "1880": "Örebro",
    "1980": "Västerås",
}

POPULATION_FILE = "folkmangd_alder_kon_0680_2019.csv"
COMPARISON_FILE = "folkmangd_jamforelsegrupp_2019.csv"
SKATTESATS_FILE = "skattesats_2019.csv"
TAXES_FILE = "skatter_statsbidrag_per_inv_2019.csv"

SEXES = ("M", "K")  # index 0 men, 1 women, everywhere in the demo package
MAX_AGE = 100  # 100 means 100+


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    men: int
    women: int
    skattesats: float
    skattesats_region: float
    skatteintakter_per_inv: int
    statsbidrag_per_inv: int

    @property
    def folkmangd(self) -> int:
        return self.men + self.women


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def load_population_2019(reference_dir: Path = REFERENCE_DIR) -> np.ndarray:
    """Jönköping's population at 31 Dec 2019 as an int array [kön (M, K), ålder 0–100]."""
    pop = np.zeros((2, MAX_AGE + 1), dtype=np.int64)
    for row in _read(reference_dir / POPULATION_FILE):
        pop[SEXES.index(row["kon"]), int(row["alder"])] = int(row["antal"])
    return pop


def load_municipalities(reference_dir: Path = REFERENCE_DIR) -> dict[str, Municipality]:
    """The 2019 key figures of Jönköping and the comparison group, by kommunkod."""
    people = {r["kommunkod"]: r for r in _read(reference_dir / COMPARISON_FILE)}
    rates = {r["kommunkod"]: r for r in _read(reference_dir / SKATTESATS_FILE)}
    taxes = {r["kommunkod"]: r for r in _read(reference_dir / TAXES_FILE)}
    return {
        code: Municipality(
            code=code,
            name=name,
            men=int(people[code]["man"]),
            women=int(people[code]["kvinnor"]),
            skattesats=float(rates[code]["kommunal_skattesats"]),
            skattesats_region=float(rates[code]["regional_skattesats"]),
            skatteintakter_per_inv=int(taxes[code]["skatteintakter_kr_per_inv"]),
            statsbidrag_per_inv=int(taxes[code]["generella_statsbidrag_kr_per_inv"]),
        )
        for code, name in COMPARISON_GROUP.items()
    }


def convert_scb(scb_dir: Path, out_dir: Path) -> list[Path]:
    """Convert SCB's downloads (tests/fixtures/scb/*.csv) into the reference CSVs.

    SCB's files name municipalities, not codes, and spell sex as `män`/`kvinnor`; the reference
    files carry kommunkod and `M`/`K`, and only the six municipalities the demo needs.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    codes = {r["kommun"]: r["kommunkod"] for r in _read(scb_dir / "kommuner.csv")}
    code_by_name = {name: code for name, code in codes.items() if code in COMPARISON_GROUP}
    sex_code = {"män": "M", "kvinnor": "K"}

    age_rows: list[list[object]] = []
    per_sex: dict[tuple[str, str], int] = {}
    for row in _read(scb_dir / "folkmangd_alder_kon_2019.csv"):
        code = code_by_name.get(row["region"])
        if code is None:
            continue
        sex = sex_code[row["kön"]]
        count = int(row["X2019"])
        per_sex[(code, sex)] = per_sex.get((code, sex), 0) + count
        if code == KOMMUNKOD:
            age_rows.append([code, 2019, int(row["ålder"]), sex, count])
    age_rows.sort(key=lambda r: (r[2], SEXES.index(str(r[3]))))

    rates: dict[str, dict[str, str]] = {}
    for row in _read(scb_dir / "skattesats_2019.csv"):
        code = code_by_name.get(row["region"])
        if code is not None:
            rates.setdefault(code, {})[row["Nivå"]] = row["X2019"]
    taxes: dict[str, dict[str, str]] = {}
    for row in _read(scb_dir / "skatter_statsbidrag_per_inv_2019.csv"):
        code = code_by_name.get(row["region"])
        if code is not None:
            taxes.setdefault(code, {})[row["resultaträkningsposter"]] = row["X2019"]

    paths = [out_dir / f for f in (POPULATION_FILE, COMPARISON_FILE, SKATTESATS_FILE, TAXES_FILE)]
    _write(paths[0], ["kommunkod", "ar", "alder", "kon", "antal"], age_rows)
    _write(
        paths[1],
        ["kommunkod", "kommun", "ar", "man", "kvinnor", "totalt"],
        [
            [
                code,
                name,
                2019,
                per_sex[(code, "M")],
                per_sex[(code, "K")],
                per_sex[(code, "M")] + per_sex[(code, "K")],
            ]
            for code, name in COMPARISON_GROUP.items()
        ],
    )
    _write(
        paths[2],
        ["kommunkod", "kommun", "ar", "kommunal_skattesats", "regional_skattesats"],
        [
            [code, name, 2019, rates[code]["Kommun"], rates[code]["Region"]]
            for code, name in COMPARISON_GROUP.items()
        ],
    )
    _write(
        paths[3],
        [
            "kommunkod",
            "kommun",
            "ar",
            "skatteintakter_kr_per_inv",
            "generella_statsbidrag_kr_per_inv",
        ],
        [
            [
                code,
                name,
                2019,
                taxes[code]["skatteintäkter"],
                taxes[code]["generella statsbidrag och utjämning"],
            ]
            for code, name in COMPARISON_GROUP.items()
        ],
    )
    return paths
