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


@dataclass(frozen=True)
class Result:
    """Base of every result: the JSON egan wrote, as a dict."""

    data: dict = field(repr=False)

    def to_dict(self) -> dict:
        """The JSON object egan wrote, unchanged (a deep copy)."""
        return copy.deepcopy(self.data)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def provenance(self) -> dict:
        return self.data.get("provenance", {})


@dataclass(frozen=True)
class Analysis(Result):
    """`egan analyze`: the classified spectrum at one γ."""

    @property
    def gamma(self) -> float:
        return self.data["gamma"]

    @property
    def rate(self) -> float:
        return self.data["rate"]

    @property
    def regime(self) -> str:
        return self.data["regime"]

    @property
    def dominant(self) -> complex:
        return _complex(self.data["dominant"])

    @property
    def eigenvalues(self) -> np.ndarray:
        """Every active eigenvalue, slowest first (complex128)."""
        return np.array([_complex(mode) for mode in self.data["modes"]], dtype=np.complex128)

    @property
    def kinds(self) -> np.ndarray:
        return np.array([mode["kind"] for mode in self.data["modes"]])

    @property
    def damping_ratios(self) -> np.ndarray:
        return _floats(mode["dampingRatio"] for mode in self.data["modes"])

    @property
    def counts(self) -> dict:
        return dict(self.data["counts"])


@dataclass(frozen=True)
class Sweep(Result):
    """`egan sweep`: regime, rate and dominant mode along a grid of one parameter."""

    @property
    def parameter(self) -> str:
        return self.data["parameter"]

    @property
    def values(self) -> np.ndarray:
        return _floats(point["value"] for point in self.data["points"])

    @property
    def gamma(self) -> np.ndarray:
        """The grid when the swept parameter is γ (else a KeyError names the parameter)."""
        if self.parameter != "regularizer.strength":
            raise KeyError(f"this sweep is over {self.parameter}, not gamma; use .values")
        return self.values

    @property
    def rate(self) -> np.ndarray:
        return _floats(point["rate"] for point in self.data["points"])

    @property
    def regime(self) -> np.ndarray:
        return np.array([point["regime"] for point in self.data["points"]])

    @property
    def dominant(self) -> np.ndarray:
        return np.array([_complex(point["dominant"]) for point in self.data["points"]], dtype=np.complex128)

    @property
    def critical_points(self) -> np.ndarray:
        return _floats(point["value"] for point in self.data["criticalPoints"])

    @property
    def branches(self) -> np.ndarray:
        """Tracked eigenvalues, shape (branches, grid points), complex128."""
        rows = [np.array(branch["re"]) + 1j * np.array(branch["im"]) for branch in self.data["branches"]]
        return np.array(rows, dtype=np.complex128).reshape(len(rows), len(self.data["points"]))


@dataclass(frozen=True)
class Optimum(Result):
    """`egan optimize`: γ* = argmax r(γ) to relative 1e-6, and what kind of point it is."""

    @property
    def gamma(self) -> float:
        return self.data["gamma"]

    @property
    def rate(self) -> float:
        return self.data["rate"]

    @property
    def dominant(self) -> complex:
        return _complex(self.data["dominant"])

    @property
    def relation(self) -> str:
        return self.data["relation"]

    @property
    def damping_ratio(self) -> Optional[float]:
        return self.data["oscillatorDampingRatio"]

    @property
    def critical_points(self) -> np.ndarray:
        return _floats(point["value"] for point in self.data["criticalPoints"])


@dataclass(frozen=True)
class StepLimits(Result):
    """`egan steps`: the largest stable learning rate h_max per γ (and the contraction at `lr`)."""

    @property
    def gamma(self) -> np.ndarray:
        return _floats(point["gamma"] for point in self.data["points"])

    @property
    def h_max(self) -> np.ndarray:
        return _floats(point["hMax"] for point in self.data["points"])

    @property
    def contraction(self) -> np.ndarray:
        return _floats(point.get("contraction") for point in self.data["points"])


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

    @property
    def passed(self) -> bool:
        return bool(self.data["passed"])

    @property
    def gamma(self) -> np.ndarray:
        return _floats(check["gamma"] for check in self.data["checks"])

    @property
    def predicted_rate(self) -> np.ndarray:
        return _floats(check["predictedRate"] for check in self.data["checks"])

    @property
    def measured_rate(self) -> np.ndarray:
        return _floats(check["measuredRate"] for check in self.data["checks"])

    @property
    def rate_error(self) -> np.ndarray:
        return _floats(check["rateError"] for check in self.data["checks"])


@dataclass(frozen=True)
class Convergence(Result):
    """`egan convergence`: time to converge per γ, beside the linear γ*."""

    @property
    def gamma(self) -> np.ndarray:
        return _floats(run["gamma"] for run in self.data["runs"])

    @property
    def time(self) -> np.ndarray:
        """First time after which the measure stays below the threshold (NaN: never)."""
        return _floats(run["time"] for run in self.data["runs"])

    @property
    def final_distance(self) -> np.ndarray:
        return _floats(run["finalDistance"] for run in self.data["runs"])

    @property
    def fastest_gamma(self) -> Optional[float]:
        return self.data["fastestGamma"]

    @property
    def linear_optimum(self) -> dict:
        return dict(self.data["linearOptimum"])


@dataclass(frozen=True)
class Collapse(Result):
    """`egan collapse`: the mode-collapse phase diagram; rows × column values."""

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
    def transition(self) -> np.ndarray:
        """φ_c per row, in column units (NaN where no transition was found)."""
        return _floats(row["transition"] for row in self.data["rows"])

    @property
    def interval(self) -> np.ndarray:
        """[low, high] bracket of φ_c per row, shape (rows, 2); NaN for an unbounded end."""
        return np.array([_floats(row["interval"] or [None, None]) for row in self.data["rows"]])

    @property
    def fitted_transition(self) -> np.ndarray:
        return _floats(row.get("fittedTransition") for row in self.data["rows"])


@dataclass(frozen=True)
class Report(Result):
    """`egan report`: the paths written and the headline numbers."""

    @property
    def path(self) -> str:
        return self.data["report"]

    @property
    def figures(self) -> list:
        return list(self.data["figures"])

    @property
    def gamma_star(self) -> float:
        return self.data["gammaStar"]

    @property
    def rate(self) -> float:
        return self.data["rate"]

    @property
    def global_outcome(self) -> str:
        return self.data["globalOutcome"]

    def markdown(self) -> str:
        with open(self.path, encoding="utf-8") as handle:
            return handle.read()


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
