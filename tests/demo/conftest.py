"""Fixtures for the demo generator's tests: generated inboxes, read back once per session."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest
from demo_readers import (
    read_befolkning,
    read_budget,
    read_organisation,
    read_periodisering,
    read_utfall,
)

from pipelines.lib.demo import DemoSummary, generate_demo


def _generate(path: Path, scale: float) -> tuple[DemoSummary, float]:
    start = time.perf_counter()
    summary = generate_demo(path, scale=scale)
    return summary, time.perf_counter() - start


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> tuple[DemoSummary, float]:
    """The default demo (scale 1) and the seconds it took."""
    return _generate(tmp_path_factory.mktemp("demo_skala_1"), 1.0)


@pytest.fixture(scope="session")
def demo_small(tmp_path_factory) -> tuple[DemoSummary, float]:
    return _generate(tmp_path_factory.mktemp("demo_skala_0_1"), 0.1)


@pytest.fixture(scope="session")
def inbox(demo) -> Path:
    return demo[0].inbox


@pytest.fixture(scope="session")
def second_delivery(demo, tmp_path_factory) -> Path:
    """The held-back files (the corrected month), as delivered to the second refresh."""
    folder = tmp_path_factory.mktemp("demo_andra_leveransen")
    demo[0].deliver_later(folder)
    return folder


@pytest.fixture(scope="session")
def utfall(inbox, second_delivery) -> pl.DataFrame:
    """The ledger after both refreshes."""
    return read_utfall(inbox, second_delivery)


@pytest.fixture(scope="session")
def budget(inbox) -> pl.DataFrame:
    return read_budget(inbox)


@pytest.fixture(scope="session")
def organisation(inbox) -> pl.DataFrame:
    return read_organisation(inbox)


@pytest.fixture(scope="session")
def befolkning(inbox) -> pl.DataFrame:
    return read_befolkning(inbox)


@pytest.fixture(scope="session")
def periodisering(inbox) -> pl.DataFrame:
    return read_periodisering(inbox)
