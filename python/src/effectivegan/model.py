"""`Model`: an effective GAN model from a preset, a config (file or dict) or arrays, and every egan command on it.

A model is immutable; `set("discriminator.width", 64)` returns an edited copy. Configs are egan's own (spec §8,
docs/config.md), so every key is reachable; NumPy arrays anywhere in a config are accepted, and a kernel matrix is
handed to egan as a float64 `.npy` file (exact, and fast for large N·d).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence, Union

import numpy as np

from . import _egan
from .results import (
    Analysis, Collapse, Convergence, CrossCheck, KernelFit, Optimum, Report, Simulation, StepLimits, Sweep,
    Transfer)

Source = Union[str, os.PathLike, dict, "Model"]


class Model:
    """One effective model. Build it with `Model.preset`, `Model.from_config`, `Model.from_arrays` or
    `Model.from_torch`; run commands as methods (`model.optimize()`), each returning a typed result."""

    def __init__(self, source: Source, *, name: Optional[str] = None):
        """`name` titles reports and studies (default: the preset, the file's base name or the config's `name`)."""
        self._name = name
        if isinstance(source, Model):
            self._preset, self._path, self._document = source._preset, source._path, source._document
            self._name = name or source._name
            return
        self._preset: Optional[str] = None
        self._path: Optional[Path] = None
        self._document: Optional[dict] = None
        if isinstance(source, dict):
            self._document = _absolute_paths(copy.deepcopy(source), Path.cwd())
        elif isinstance(source, os.PathLike) or (
                isinstance(source, str) and (source.lower().endswith(".json") or os.path.isfile(source))):
            path = Path(source).resolve()
            if not path.is_file():
                raise _egan.EganError(f"no config file at {path}", exit_code=2, command=[])
            self._path = path
        elif isinstance(source, str):
            self._preset = source
        else:
            raise TypeError(f"a Model is built from a preset name, a .json path or a dict, not {type(source).__name__}")

    # -- construction -------------------------------------------------------------------------------------------

    @classmethod
    def preset(cls, name: str) -> "Model":
        """A built-in model (`effectivegan.presets()` lists them)."""
        return cls(name)

    @classmethod
    def from_config(cls, config: Union[str, os.PathLike, dict]) -> "Model":
        """A config file (relative data paths start at its folder) or a config dict (relative paths start at the
        working directory)."""
        return cls(config if isinstance(config, dict) else Path(config))

    @classmethod
    def from_arrays(
        cls, targets, kernel=None, *, particles: Optional[int] = None, lr_g: float = 1.0,
        critic: Optional[dict] = None, lr_d: float = 1.0, loss: str = "wgan", regularizer: str = "r1",
        gamma: float = 0.0, name: Optional[str] = None,
    ) -> "Model":
        """A model from arrays: `targets` (M, d); `kernel` Θ, the generator's tangent kernel on its N latent
        samples, (N, N) or (N·d, N·d) particle-major (None: the identity, independent particles; give
        `particles=N` when the side could be either); `critic` a `critic_from_torch(...)` description (its
        weights) or a discriminator config dict (weights drawn from its seed; default `{"kind": "linear"}`).

        One time unit (spec §4): K = (lr_g/N)·Θ, so a tangent kernel measured with torch goes in as is. `lr_d` is
        the torch critic's SGD learning rate when `critic` comes from `critic_from_torch` (η_D = H·lr_d), and
        egan's η_D (`discriminator.learningRate`) for a dict critic.
        """
        targets = _finite_array(targets, "targets")
        if targets.ndim == 1:
            targets = targets[:, None]
        if targets.ndim != 2 or targets.shape[0] == 0:
            raise _egan.EganError(f"targets: shape {targets.shape}; give M points as an (M, d) array", exit_code=2,
                                  command=[])
        if particles is not None and (int(particles) != particles or particles < 1):
            raise _egan.EganError(f"particles: {particles} is not a whole number ≥ 1", exit_code=2, command=[])
        for name, value in (("lr_g", lr_g), ("lr_d", lr_d)):
            if not (np.isfinite(value) and value > 0):
                raise _egan.EganError(f"{name}: {value} is not a positive learning rate", exit_code=2, command=[])
        modes, dimension = targets.shape
        if kernel is not None:
            kernel = _finite_array(kernel, "kernel")
            if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1]:
                raise _egan.EganError(f"kernel: shape {kernel.shape} is not square", exit_code=2, command=[])
            particles = particles or _particles_of(kernel.shape[0], modes, dimension)
        particles = particles or modes
        weights_given = critic is not None and not isinstance(critic, dict)
        if weights_given:
            if not hasattr(critic, "discriminator"):
                raise _egan.EganError(
                    f"critic: a {type(critic).__name__} is not a critic description; give "
                    "effectivegan.torch.critic_from_torch(module), a discriminator dict, or None", exit_code=2,
                    command=[])
            # lr_d is the torch critic's SGD learning rate: egan's η_D is H·lr_d (docs/python.md).
            lr_d = lr_d * (critic.width if critic.kind == "mlp" else 1)
            critic = critic.discriminator
        if weights_given or (critic is not None and "W" in critic):
            return cls._resolved_from_arrays(targets, kernel, particles, lr_g, critic, lr_d, loss, regularizer,
                                             gamma, name)
        config: dict = {
            "name": name or "from-arrays",
            "dimension": int(dimension),
            "target": {"kind": "points", "points": targets},
            "generator": {
                "particles": int(particles), "learningRate": float(lr_g),
                "kernel": ({"kind": "universal"} if kernel is None else {"kind": "explicit", "matrix": kernel}),
            },
            "discriminator": {**(critic or {"kind": "linear"}), "learningRate": float(lr_d)},
            "loss": loss,
            "regularizer": {"kind": regularizer, "strength": float(gamma)},
        }
        return cls(config)

    @classmethod
    def _resolved_from_arrays(cls, targets, kernel, particles, lr_g, critic, lr_d, loss, regularizer, gamma, name):
        """A critic with given weights has no config form (configs draw W, b from a seed): the model is written as
        a resolved model (spec §8), with the particles at the matched equilibrium and K = (lr_g/N)·Θ."""
        positions = targets[np.arange(particles) % targets.shape[0]]
        theta = np.eye(particles) if kernel is None else kernel
        resolved = {
            "targets": targets, "particles": positions, "initialParticles": positions,
            "kernel": theta * (lr_g / particles), "discriminator": critic, "etaD": float(lr_d), "loss": loss,
            "regularizer": regularizer, "gamma": float(gamma),
        }
        return cls(resolved, name=name or "from-arrays")

    @classmethod
    def from_torch(cls, generator, critic, z, targets, **options) -> "Model":
        """Build the model of a PyTorch GAN in the one time unit; see `effectivegan.torch.model_from_torch`."""
        from .torch import model_from_torch

        return model_from_torch(generator, critic, z, targets, **options)

    # -- the config -------------------------------------------------------------------------------------------

    @property
    def config(self) -> dict:
        """The model's config as a dict (for a preset or file: egan's `model --config`)."""
        if self._document is not None:
            return copy.deepcopy(self._document)
        with self._argument() as argument:
            document = json.loads(_egan.run(["model", argument, "--config"]))
        if self._path is not None:  # relative data paths start at the file's folder: keep them pointing there
            document = _absolute_paths(document, self._path.parent)
        return document

    def set(self, path: str, value: Any) -> "Model":
        """A copy with one config key changed: `model.set("discriminator.width", 64)`."""
        document = self.config
        if "targets" in document:
            raise _egan.EganError(
                "set: this model is a resolved model (every number given); edit its arrays instead",
                exit_code=2, command=[])
        node = document
        *parents, last = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise _egan.EganError(f"set: {path} passes through a value that is not an object", exit_code=2,
                                      command=[])
        node[last] = value
        return Model(document)

    def resolved(self) -> dict:
        """Every number of the model (spec §8), as egan resolves it; arrays as NumPy arrays."""
        with self._argument() as argument:
            document = json.loads(_egan.run(["model", argument, "--resolved"]))
        for key in ("targets", "particles", "initialParticles", "kernel"):
            document[key] = np.array(document[key], dtype=np.float64)
        return document

    def summary(self) -> dict:
        """What the model is made of (`egan model --format json`)."""
        with self._argument() as argument:
            return _egan.run_json(["model", argument])

    def __repr__(self) -> str:
        origin = self._name or self._preset or (str(self._path) if self._path else self._document.get("name", "config"))
        return f"Model({origin!r})"

    # -- commands ---------------------------------------------------------------------------------------------

    def analyze(self, gamma: Optional[float] = None, **options) -> Analysis:
        return Analysis(self._json("analyze", gamma=_one(gamma, "gamma"), **options))

    def sweep(self, start: Optional[float] = None, stop: Optional[float] = None, points: Optional[int] = None, *,
              param: Optional[str] = None, progress: bool = False, **options) -> Sweep:
        return Sweep(self._json("sweep", progress=progress, **{"from": start, "to": stop}, points=points,
                                param=param, **options))

    def optimize(self, start: Optional[float] = None, stop: Optional[float] = None, *, progress: bool = False,
                 **options) -> Optimum:
        return Optimum(self._json("optimize", progress=progress, **{"from": start, "to": stop}, **options))

    def steps(self, gamma: Optional[float] = None, *, progress: bool = False, **options) -> StepLimits:
        return StepLimits(self._json("steps", progress=progress, gamma=_one(gamma, "gamma"), **options))

    def simulate(self, gamma: Optional[float] = None, *, trajectories: Union[bool, str, os.PathLike] = False,
                 progress: bool = False, **options) -> Simulation:
        """The full nonlinear run; with `trajectories=True` (or a CSV path to keep the file) also every particle at
        every sample, `result.trajectories` of shape (T, N, d)."""
        with tempfile.TemporaryDirectory(prefix="egan-") as folder:
            keep = isinstance(trajectories, (str, os.PathLike))
            path = Path(trajectories).resolve() if keep else Path(folder) / "trajectories.csv"
            data = self._json("simulate", progress=progress, gamma=_one(gamma, "gamma"),
                              trajectories=str(path) if trajectories else None, **options)
            paths = _read_trajectories(path) if trajectories else None
        return Simulation(data, paths)

    def crosscheck(self, gamma: Union[float, Sequence[float], None] = None, *, progress: bool = False,
                   **options) -> CrossCheck:
        return CrossCheck(self._json("crosscheck", progress=progress, gamma=gamma, **options))

    def convergence(self, gammas: Sequence[float], *, progress: bool = False, **options) -> Convergence:
        return Convergence(self._json("convergence", progress=progress, gammas=gammas, **options))

    def collapse(self, ratios: Union[str, Sequence[float], None] = None, *, progress: bool = False,
                 **options) -> Collapse:
        """The collapse phase diagram; `vs={"discriminator.weightStd": [0.5, 1, 2]}` adds a second axis."""
        return Collapse(self._json("collapse", progress=progress, ratios=ratios, **options))

    def transfer(self, start: Optional[float] = None, stop: Optional[float] = None, *, progress: bool = False,
                 **options) -> Transfer:
        """For a `generator.network` config: γ* by the empirical kernel Θ(w*), its universal fit and the NTK."""
        return Transfer(self._json("transfer", progress=progress, **{"from": start, "to": stop}, **options))

    def report(self, output: Union[str, os.PathLike], *, progress: bool = False, **options) -> Report:
        """Writes the Markdown stability report (and its SVG figures beside it) to `output`."""
        return Report(self._json("report", progress=progress, output=str(Path(output).resolve()), **options))

    # -- plumbing ---------------------------------------------------------------------------------------------

    def _json(self, command: str, *, progress: bool = False, **options) -> dict:
        with self._argument() as argument:
            flags = _egan.flag_arguments(options, comma_lists=("gammas", "ratios"))
            return _egan.run_json([command, argument, *flags], progress=progress)

    @contextlib.contextmanager
    def _argument(self) -> Iterator[str]:
        """The CONFIG argument egan takes: a preset name, a path, or this model's dict as a temporary file."""
        if self._preset is not None:
            yield self._preset
            return
        if self._path is not None:
            yield str(self._path)
            return
        yield str(self._materialized())

    def _materialized(self) -> Path:
        """This model's dict as a file egan reads, written once per model (a model is immutable, and a large
        resolved model takes seconds to serialise) into a temporary folder that lives as long as the model and
        is removed with it, or at interpreter exit."""
        if getattr(self, "_file", None) is not None and self._file.exists():
            return self._file
        folder = tempfile.TemporaryDirectory(prefix="egan-")
        try:
            path = Path(folder.name) / f"{_safe_name(self._name or self._document.get('name', 'model'))}.json"
            document = _plain(_externalise_kernel(self._document, Path(folder.name)))
            _check_finite(document, "")
            path.write_text(json.dumps(document, allow_nan=False))
        except BaseException:
            folder.cleanup()
            raise
        self._folder, self._file = folder, path
        return path


def _particles_of(side: int, modes: int, dimension: int) -> int:
    """N from a kernel's side: N × N, or (N·d) × (N·d) particle-major; N must be a multiple of M."""
    candidates = {side} if side % modes == 0 else set()
    if dimension > 1 and side % dimension == 0 and (side // dimension) % modes == 0:
        candidates.add(side // dimension)
    if len(candidates) == 1:
        return candidates.pop()
    if not candidates:
        raise _egan.EganError(
            f"kernel: side {side} is neither N nor N·d for an N that is a multiple of the {modes} targets "
            f"(d = {dimension}); give particles=N", exit_code=2, command=[])
    raise _egan.EganError(
        f"kernel: side {side} could be N = {side} (N × N) or N = {side // dimension} ((N·d) × (N·d)); "
        "give particles=N", exit_code=2, command=[])


def _safe_name(name: Any) -> str:
    text = "".join(character if character.isalnum() or character in "-_" else "-" for character in str(name))
    return text[:60] or "model"


def _absolute_paths(value: Any, base: Path) -> Any:
    """Every relative data path of a config (`path` keys, and `labels` given as a file) made absolute against
    `base`, so the config means the same files wherever egan reads it from (a temporary folder)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("path", "labels") and isinstance(item, str) and not os.path.isabs(item):
                value[key] = str(base / item)
            else:
                _absolute_paths(item, base)
    elif isinstance(value, list):
        for item in value:
            _absolute_paths(item, base)
    return value


def _externalise_kernel(document: dict, folder: Path) -> dict:
    """A kernel matrix given as a NumPy array goes to egan as a float64 .npy file (`generator.kernel.path`): exact,
    and several times faster than JSON text for large N·d. (Target points stay inline: a file would put its
    temporary path into the resolved model and change its hash from call to call.)"""
    kernel = document.get("generator", {}).get("kernel", {})
    if not isinstance(kernel, dict) or not isinstance(kernel.get("matrix"), np.ndarray):
        return document
    path = folder / "kernel.npy"
    np.save(path, np.ascontiguousarray(kernel["matrix"], dtype=np.float64))
    kernel = {key: value for key, value in kernel.items() if key != "matrix"}
    kernel["path"] = str(path)
    return dict(document, generator=dict(document["generator"], kernel=kernel))


def _check_finite(value: Any, path: str) -> None:
    """Refuses NaN and infinity before egan sees the JSON, naming the key (`regularizer.strength`)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, float) and not np.isfinite(item):
                raise _egan.EganError(f"'{path}' holds {item} at index {index}; every number must be finite",
                                      exit_code=2, command=[])
            if isinstance(item, (list, dict)):
                _check_finite(item, path)
    elif isinstance(value, float) and not np.isfinite(value):
        raise _egan.EganError(f"'{path}' must be finite (got {value})", exit_code=2, command=[])


def _finite_array(values: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise _egan.EganError(f"{name}: not an array of numbers ({error})", exit_code=2, command=[])
    if not np.all(np.isfinite(array)):
        raise _egan.EganError(f"{name} holds a non-finite entry (NaN or infinity)", exit_code=2, command=[])
    return array


def _one(value: Any, name: str) -> Any:
    """A single-valued option (egan would keep the last of several)."""
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.size != 1):
        raise _egan.EganError(f"{name}: one value, not {value!r} (crosscheck and convergence take several)",
                              exit_code=2, command=[])
    return value


def _plain(value: Any) -> Any:
    """JSON-ready: NumPy arrays and scalars to lists and Python numbers (floats keep their exact value)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # a torch tensor
        return value.tolist()
    return value


def _read_trajectories(path: Path) -> np.ndarray:
    """egan's `--trajectories` CSV (t, particle, x1…xd) as an array (T, N, d)."""
    with open(path, newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].startswith("#")]
    header, body = rows[0], np.array(rows[1:], dtype=np.float64)
    times = np.unique(body[:, 0])
    particles = int(body[:, 1].max()) + 1 if body.size else 0
    return body[:, 2:].reshape(len(times), particles, len(header) - 2)
