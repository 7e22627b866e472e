"""Typed results: egan's JSON outputs with their numbers as NumPy arrays.

Every result keeps the exact JSON object egan wrote (`to_dict()` returns it unchanged, `provenance` included), and
exposes the numbers a researcher plots as arrays: eigenvalues complex, one entry per γ for studies. The schemas are
docs/json-schema.md; attribute names are the JSON keys in snake_case.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np


def _complex(mode: Optional[dict]) -> complex:
    return complex(np.nan, np.nan) if mode is None else complex(mode["re"], mode["im"])


def _floats(values) -> np.ndarray:
    """A float64 array in which JSON nulls become NaN (a rate that does not exist at that γ)."""
    return np.array([np.nan if value is None else value for value in values], dtype=np.float64)


def _value(key: str, doc: str = "") -> property:
    """A top-level JSON value as is."""
    return property(lambda self: self.data[key], doc=doc or f"`{key}` of egan's JSON.")


def _column(items: str, key: str, doc: str = "") -> property:
    """One number per entry of a JSON list (`points`, `checks`, `runs`, `rows`), as a float64 array."""
    return property(lambda self: _floats(item.get(key) for item in self.data[items]),
                    doc=doc or f"`{items}[].{key}` as a float64 array (NaN for null).")


def _modes(items: str, key: Optional[str] = None, doc: str = "") -> property:
    """Eigenvalues of a JSON list (the list's modes, or each entry's `key` mode), as complex128."""
    return property(lambda self: np.array([_complex(item if key is None else item[key]) for item in self.data[items]],
                                          dtype=np.complex128), doc=doc)


@dataclass(frozen=True)
class Result:
    """Base of every result: the JSON egan wrote, as a dict."""

    data: dict = field(repr=False)

    def to_dict(self) -> dict:
        """The JSON object egan wrote, unchanged (a deep copy)."""
        return copy.deepcopy(self.data)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __repr__(self) -> str:
        shown = {key: value for key, value in self.data.items()
                 if isinstance(value, (int, float, str, bool)) and key != "schema"}
        words = ", ".join(f"{key}={value!r}" for key, value in list(shown.items())[:6])
        return f"{type(self).__name__}({self.data.get('schema', '')}: {words})"

    @property
    def provenance(self) -> dict:
        return self.data.get("provenance", {})


@dataclass(frozen=True)
class Analysis(Result):
    """`egan analyze`: the classified spectrum at one γ."""

    gamma = _value("gamma")
    rate = _value("rate", "r = −max Re λ over the active modes.")
    regime = _value("regime")
    eigenvalues = _modes("modes", doc="Every active eigenvalue, slowest first (complex128).")
    damping_ratios = _column("modes", "dampingRatio")

    @property
    def dominant(self) -> complex:
        return _complex(self.data["dominant"])

    @property
    def kinds(self) -> np.ndarray:
        return np.array([mode["kind"] for mode in self.data["modes"]])

    @property
    def counts(self) -> dict:
        return dict(self.data["counts"])


@dataclass(frozen=True)
class Sweep(Result):
    """`egan sweep`: regime, rate and dominant mode along a grid of one parameter."""

    parameter = _value("parameter")
    values = _column("points", "value")
    rate = _column("points", "rate")
    dominant = _modes("points", "dominant", "The dominant eigenvalue per grid point (NaN where none).")
    critical_points = _column("criticalPoints", "value")

    @property
    def gamma(self) -> np.ndarray:
        """The grid when the swept parameter is γ (else a KeyError names the parameter)."""
        if self.parameter != "regularizer.strength":
            raise AttributeError(f"this sweep is over {self.parameter}, not gamma; use .values")
        return self.values

    @property
    def regime(self) -> np.ndarray:
        return np.array([point["regime"] for point in self.data["points"]])

    @property
    def branches(self) -> np.ndarray:
        """Tracked eigenvalues, shape (branches, grid points), complex128."""
        rows = [np.array(branch["re"]) + 1j * np.array(branch["im"]) for branch in self.data["branches"]]
        return np.array(rows, dtype=np.complex128).reshape(len(rows), len(self.data["points"]))


@dataclass(frozen=True)
class Optimum(Result):
    """`egan optimize`: γ* = argmax r(γ) to relative 1e-6, and what kind of point it is."""

    gamma = _value("gamma", "γ*.")
    rate = _value("rate", "r(γ*).")
    relation = _value("relation")
    damping_ratio = _value("oscillatorDampingRatio", "ζ of the slowest oscillatory mode at γ* (None if none).")
    critical_points = _column("criticalPoints", "value")

    @property
    def dominant(self) -> complex:
        return _complex(self.data["dominant"])


@dataclass(frozen=True)
class StepLimits(Result):
    """`egan steps`: the largest stable learning rate h_max per γ (and the contraction at `lr`)."""

    gamma = _column("points", "gamma")
    h_max = _column("points", "hMax")
    contraction = _column("points", "contraction")


@dataclass(frozen=True)
class Simulation(Result):
    """`egan simulate`: observables at the sample times, and the particles' trajectories (T, N, d)."""

    trajectories: Optional[np.ndarray] = field(default=None, repr=False)

    OBSERVABLES = (
        "distance", "theta_norm", "grad_norm", "collapse", "w2", "covered", "collapse_cos", "covered_cos",
        "mean_abs_cos")

    @property
    def t(self) -> np.ndarray:
        return _floats(self.data["t"])

    @property
    def completed(self) -> bool:
        return bool(self.data["status"]["completed"])

    @property
    def status(self) -> dict:
        return dict(self.data["status"])

    @property
    def final_state(self) -> np.ndarray:
        return _floats(self.data["finalState"])

    def __getattr__(self, name: str) -> np.ndarray:
        if name in Simulation.OBSERVABLES and name in self.data:
            return _floats(self.data[name])
        raise AttributeError(name)


@dataclass(frozen=True)
class CrossCheck(Result):
    """`egan crosscheck`: linear prediction against simulation, per γ."""

    gamma = _column("checks", "gamma")
    predicted_rate = _column("checks", "predictedRate")
    measured_rate = _column("checks", "measuredRate")
    rate_error = _column("checks", "rateError")

    @property
    def passed(self) -> bool:
        return bool(self.data["passed"])


@dataclass(frozen=True)
class Convergence(Result):
    """`egan convergence`: time to converge per γ, beside the linear γ*."""

    gamma = _column("runs", "gamma")
    time = _column("runs", "time", "First time after which the measure stays below the threshold (NaN: never).")
    final_distance = _column("runs", "finalDistance")
    fastest_gamma = _value("fastestGamma")

    @property
    def linear_optimum(self) -> dict:
        return dict(self.data["linearOptimum"])


@dataclass(frozen=True)
class Collapse(Result):
    """`egan collapse`: the mode-collapse phase diagram; rows × column values."""

    transition = _column("rows", "transition", "φ_c per row, in column units (NaN where no transition was found).")
    fitted_transition = _column("rows", "fittedTransition")

    @property
    def ratios(self) -> np.ndarray:
        return _floats(self.data["ratios"])

    @property
    def row_values(self) -> list:
        return [row["value"] for row in self.data["rows"]]

    @property
    def mean_metric(self) -> np.ndarray:
        """Shape (rows, column values)."""
        return np.array([_floats(row["meanMetric"]) for row in self.data["rows"]])

    @property
    def standard_error(self) -> np.ndarray:
        return np.array([_floats(row["standardError"]) for row in self.data["rows"]])

    @property
    def interval(self) -> np.ndarray:
        """[low, high] bracket of φ_c per row, shape (rows, 2); NaN for an unbounded end."""
        return np.array([_floats(row["interval"] or [None, None]) for row in self.data["rows"]])


@dataclass(frozen=True)
class Report(Result):
    """`egan report`: the paths written and the headline numbers."""

    path = _value("report", "The Markdown report's path.")
    gamma_star = _value("gammaStar")
    rate = _value("rate")
    global_outcome = _value("globalOutcome")

    @property
    def figures(self) -> list:
        return list(self.data["figures"])

    def markdown(self) -> str:
        with open(self.path, encoding="utf-8") as handle:
            return handle.read()


@dataclass(frozen=True)
class Transfer(Result):
    """`egan transfer`: γ* of a generator network by its empirical kernel Θ(w*), its universal fit and its
    infinite-width NTK; rows in that order."""

    gamma = _column("rows", "gamma")
    rate = _column("rows", "rate")
    gamma_gap = _column("rows", "gammaGap", "γ* relative to the empirical kernel's, minus 1 (NaN: unavailable).")
    measured_rate = _column("rows", "measuredRate", "With measure=True: the network's own rate at each row's γ*.")

    @property
    def kernels(self) -> list:
        return [row["kernel"] for row in self.data["rows"]]


@dataclass(frozen=True)
class KernelFit(Result):
    """`egan kernel`: a generator's infinite-width NTK and its universal fit (φ, g₁), with the empirical check."""

    @property
    def ratio(self) -> float:
        return self.data["infiniteWidth"]["ratio"]

    @property
    def g1(self) -> float:
        return self.data["infiniteWidth"]["g1"]

    @property
    def g2(self) -> float:
        return self.data["infiniteWidth"]["g2"]
