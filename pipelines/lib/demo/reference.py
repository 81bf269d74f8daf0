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
JAMFORELSEGRUPP: dict[str, str] = {
    "0680": "Jönköping",
    "0580": "Linköping",
    "0581": "Norrköping",
    "0780": "Växjö",
    "1880": "Örebro",
    "1980": "Västerås",
}

FOLKMANGD_FIL = "folkmangd_alder_kon_0680_2019.csv"
JAMFORELSE_FIL = "folkmangd_jamforelsegrupp_2019.csv"
SKATTESATS_FIL = "skattesats_2019.csv"
SKATTER_FIL = "skatter_statsbidrag_per_inv_2019.csv"

KON = ("M", "K")  # index 0 men, 1 women, everywhere in the demo package
MAX_ALDER = 100  # 100 means 100+


@dataclass(frozen=True)
class Kommun:
    kod: str
    namn: str
    man: int
    kvinnor: int
    skattesats: float
    skattesats_region: float
    skatteintakter_per_inv: int
    statsbidrag_per_inv: int

    @property
    def folkmangd(self) -> int:
        return self.man + self.kvinnor


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
    pop = np.zeros((2, MAX_ALDER + 1), dtype=np.int64)
    for row in _read(reference_dir / FOLKMANGD_FIL):
        pop[KON.index(row["kon"]), int(row["alder"])] = int(row["antal"])
    return pop


def load_kommuner(reference_dir: Path = REFERENCE_DIR) -> dict[str, Kommun]:
    """The 2019 key figures of Jönköping and the comparison group, by kommunkod."""
    folk = {r["kommunkod"]: r for r in _read(reference_dir / JAMFORELSE_FIL)}
    satser = {r["kommunkod"]: r for r in _read(reference_dir / SKATTESATS_FIL)}
    skatter = {r["kommunkod"]: r for r in _read(reference_dir / SKATTER_FIL)}
    return {
        kod: Kommun(
            kod=kod,
            namn=namn,
            man=int(folk[kod]["man"]),
            kvinnor=int(folk[kod]["kvinnor"]),
            skattesats=float(satser[kod]["kommunal_skattesats"]),
            skattesats_region=float(satser[kod]["regional_skattesats"]),
            skatteintakter_per_inv=int(skatter[kod]["skatteintakter_kr_per_inv"]),
            statsbidrag_per_inv=int(skatter[kod]["generella_statsbidrag_kr_per_inv"]),
        )
        for kod, namn in JAMFORELSEGRUPP.items()
    }


def convert_scb(scb_dir: Path, out_dir: Path) -> list[Path]:
    """Convert SCB's downloads (tests/fixtures/scb/*.csv) into the reference CSVs.

    SCB's files name municipalities, not codes, and spell sex as `män`/`kvinnor`; the reference
    files carry kommunkod and `M`/`K`, and only the six municipalities the demo needs.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    koder = {r["kommun"]: r["kommunkod"] for r in _read(scb_dir / "kommuner.csv")}
    namn_till_kod = {namn: kod for namn, kod in koder.items() if kod in JAMFORELSEGRUPP}
    kon_kod = {"män": "M", "kvinnor": "K"}

    alder_rows: list[list[object]] = []
    per_kon: dict[tuple[str, str], int] = {}
    for row in _read(scb_dir / "folkmangd_alder_kon_2019.csv"):
        kod = namn_till_kod.get(row["region"])
        if kod is None:
            continue
        kon = kon_kod[row["kön"]]
        antal = int(row["X2019"])
        per_kon[(kod, kon)] = per_kon.get((kod, kon), 0) + antal
        if kod == KOMMUNKOD:
            alder_rows.append([kod, 2019, int(row["ålder"]), kon, antal])
    alder_rows.sort(key=lambda r: (r[2], KON.index(str(r[3]))))

    satser: dict[str, dict[str, str]] = {}
    for row in _read(scb_dir / "skattesats_2019.csv"):
        kod = namn_till_kod.get(row["region"])
        if kod is not None:
            satser.setdefault(kod, {})[row["Nivå"]] = row["X2019"]
    skatter: dict[str, dict[str, str]] = {}
    for row in _read(scb_dir / "skatter_statsbidrag_per_inv_2019.csv"):
        kod = namn_till_kod.get(row["region"])
        if kod is not None:
            skatter.setdefault(kod, {})[row["resultaträkningsposter"]] = row["X2019"]

    paths = [out_dir / f for f in (FOLKMANGD_FIL, JAMFORELSE_FIL, SKATTESATS_FIL, SKATTER_FIL)]
    _write(paths[0], ["kommunkod", "ar", "alder", "kon", "antal"], alder_rows)
    _write(
        paths[1],
        ["kommunkod", "kommun", "ar", "man", "kvinnor", "totalt"],
        [
            [
                kod,
                namn,
                2019,
                per_kon[(kod, "M")],
                per_kon[(kod, "K")],
                per_kon[(kod, "M")] + per_kon[(kod, "K")],
            ]
            for kod, namn in JAMFORELSEGRUPP.items()
        ],
    )
    _write(
        paths[2],
        ["kommunkod", "kommun", "ar", "kommunal_skattesats", "regional_skattesats"],
        [
            [kod, namn, 2019, satser[kod]["Kommun"], satser[kod]["Region"]]
            for kod, namn in JAMFORELSEGRUPP.items()
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
                kod,
                namn,
                2019,
                skatter[kod]["skatteintäkter"],
                skatter[kod]["generella statsbidrag och utjämning"],
            ]
            for kod, namn in JAMFORELSEGRUPP.items()
        ],
    )
    return paths
