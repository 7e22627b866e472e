"""effectivegan: will this GAN converge, with how much regularisation, and will it collapse — from Python.

    >>> import effectivegan as eg
    >>> eg.optimize("ring8").gamma        # γ* of the built-in ring of eight modes
    >>> from effectivegan.torch import empirical_ntk, critic_from_torch
    >>> model = eg.Model.from_arrays(targets, empirical_ntk(G, z), particles=len(z), lr_g=1e-3,
    ...                              critic=critic_from_torch(D), lr_d=1e-3)

Every function takes a model (a `Model`, a preset name, a config path or a config dict) and returns a typed result
whose numbers are NumPy arrays; `result.to_dict()` is egan's JSON unchanged. Errors raise `EganError` (a
ValueError) with egan's one-line message. The work runs in the bundled `egan` binary (see `_egan.py` for why).
"""

from __future__ import annotations

from typing import Any, Optional

from . import _egan
from ._egan import EganError, EganWarning
from .model import Model
from .results import (
    Analysis, Collapse, Convergence, CrossCheck, KernelFit, Optimum, Report, Result, Simulation, StepLimits, Sweep,
    Transfer)

__version__ = "0.9.0"

__all__ = [
    "EganError", "EganWarning", "Model", "analyze", "sweep", "optimize", "steps", "simulate", "crosscheck", "convergence",
    "collapse", "report", "transfer", "kernel", "presets", "egan_version", "Transfer", "Analysis", "Sweep", "Optimum", "StepLimits",
    "Simulation", "CrossCheck", "Convergence", "Collapse", "Report", "KernelFit", "Result",
]


def __getattr__(name: str):
    """`effectivegan.torch` on first use, so `import effectivegan` works without PyTorch installed."""
    if name == "torch":
        import importlib

        return importlib.import_module(".torch", __name__)
    raise AttributeError(f"module 'effectivegan' has no attribute {name!r}")


def _model(model: Any) -> Model:
    return model if isinstance(model, Model) else Model(model)


def analyze(model, gamma: Optional[float] = None, **options) -> Analysis:
    """The classified spectrum at γ: `analyze("dirac", gamma=1).eigenvalues`."""
    return _model(model).analyze(gamma, **options)


def sweep(model, start: Optional[float] = None, stop: Optional[float] = None, points: Optional[int] = None,
          **options) -> Sweep:
    """Regimes and rates along a log grid of γ (or `param="generator.kernel.ratio", scale="linear"`)."""
    return _model(model).sweep(start, stop, points, **options)


def optimize(model, start: Optional[float] = None, stop: Optional[float] = None, **options) -> Optimum:
    """γ* = argmax r(γ) to relative 1e-6."""
    return _model(model).optimize(start, stop, **options)


def steps(model, gamma: Optional[float] = None, **options) -> StepLimits:
    """The largest stable learning rate of discrete training (`scheme="alternating", critic_steps=5`)."""
    return _model(model).steps(gamma, **options)


def simulate(model, gamma: Optional[float] = None, **options) -> Simulation:
    """The full nonlinear dynamics; `trajectories=True` adds the particles, shape (T, N, d)."""
    return _model(model).simulate(gamma, **options)


def crosscheck(model, gamma=None, **options) -> CrossCheck:
    """Linear prediction against simulation at one or several γ."""
    return _model(model).crosscheck(gamma, **options)


def convergence(model, gammas, **options) -> Convergence:
    """Time to converge per γ, beside the linear γ*."""
    return _model(model).convergence(gammas, **options)


def collapse(model, ratios=None, **options) -> Collapse:
    """The mode-collapse phase diagram over φ (and a second axis with `vs={path: values}`)."""
    return _model(model).collapse(ratios, **options)


def report(model, output, **options) -> Report:
    """The Markdown stability report, written to `output`."""
    return _model(model).report(output, **options)


def transfer(model, start: Optional[float] = None, stop: Optional[float] = None, **options) -> Transfer:
    """γ* of a `generator.network` model by its empirical kernel, universal fit and infinite-width NTK."""
    return _model(model).transfer(start, stop, **options)


def kernel(**options) -> KernelFit:
    """A generator MLP's infinite-width NTK and its universal fit: `kernel(depth=2, latent_dim=64)`."""
    return KernelFit(_egan.run_json(["kernel", *_egan.flag_arguments(options)]))


def presets() -> dict:
    """The built-in models, name → one-line summary."""
    return {entry["name"]: entry["summary"] for entry in _egan.run_json(["presets"])["presets"]}


def egan_version() -> str:
    """The version of the bundled egan binary."""
    return _egan.run(["--version"]).strip()
