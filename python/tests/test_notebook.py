"""The worked PyTorch example (notebooks-text/15-pytorch-gan.py, a jupytext percent notebook) runs and checks
itself on its small subset: torch training beside egan's predictions, with its own assertions."""

import os
import runpy
from pathlib import Path

import pytest

pytest.importorskip("torch")


def test_pytorch_example_small_subset(monkeypatch):
    notebook = Path(__file__).resolve().parents[2] / "notebooks-text" / "15-pytorch-gan.py"
    monkeypatch.setenv("EGAN_EXAMPLE", "small")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = runpy.run_path(str(notebook), run_name="__notebook__")
    assert namespace["fastest"] == namespace["optimum"].gamma
    assert all(row["gap"] < 0.02 for row in namespace["rows"])
