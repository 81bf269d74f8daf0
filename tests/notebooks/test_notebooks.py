"""Every notebook in notebooks/ runs from top to bottom against a demo workspace, and what is
committed is what notebooks/build_notebooks.py writes (no outputs)."""

from __future__ import annotations

import importlib.util

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOKS = REPO / "notebooks"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", NOTEBOOKS / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_is_built_by_the_script_and_committed_without_outputs():
    builder = _builder()
    committed = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert committed == sorted(builder.NOTEBOOKS)
    for name in committed:
        on_disk = nbformat.read(NOTEBOOKS / name, as_version=4)
        assert on_disk == builder.build(name), f"{name}: run notebooks/build_notebooks.py"
        assert all(not c.get("outputs") for c in on_disk.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_the_notebook_runs_against_the_published_demo(name, published_demo, monkeypatch):
    monkeypatch.setenv("STYRHJUL_HOME", str(published_demo["home"]))
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": NOTEBOOKS}}
    ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # The charts were drawn (as SVG, offline), and the tables are not empty.
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)
    assert all("shape: (0," not in o.get("data", {}).get("text/plain", "") for o in outputs)
