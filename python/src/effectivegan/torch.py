"""The PyTorch bridge: a generator's empirical tangent kernel, a critic's weights, and the model of a torch GAN.

The mapping from a training script to the effective model (docs/python.md has the derivation):

* **Time.** Plain SGD with learning rates lr_g, lr_d is the Euler discretisation of the flow with step 1 per
  optimizer step when η_G = lr_g and the critic's rate is expressed in egan's parameterisation (next point): flow
  time t = number of steps. `egan steps` / `Model.steps(lr=1, ...)` then says whether that step is stable.
* **Generator.** The generator's loss is a mean over its N latents, so its outputs move with K = (lr_g/N)·Θ, Θ the
  empirical tangent kernel `empirical_ntk(generator, z)` — exactly, at every instant; the linear theory uses Θ at
  the current weights (the matched equilibrium's Θ(w*) under lazy training).
* **Critic.** torch writes D(x) = Σ_k a′_k φ(w_k·x + b_k) + c; egan writes D(x) = H^{-1/2} Σ_k a_k φ(…) + c (spec §1).
  Same function with a = √H a′; gradient descent on a′ at lr_d is gradient descent on a at H·lr_d, so
  `η_D = H·lr_d` (`etaD_for`). Exact for the readout — the only critic block that moves at the matched
  equilibrium (W, b are neutral there while a = 0) — so every linear answer (analyze, sweep, optimize, steps,
  crosscheck) is exact for wgan. Two parts are not: the output bias c learns H× faster than in torch (it matters
  for the σ-losses only; `model_from_torch` warns), and nonlinear runs with `train: "all"` move W, b at H·lr_d.
* **R1.** PyTorch code writes `loss_D += (r1_gamma / 2) * grad.pow(2).sum(1).mean()`; spec §3 is the same,
  R1 = ½ (1/M) Σ ‖∇D(y)‖², so `regularizer.strength = r1_gamma`.
* **n_critic.** k critic steps per generator step is `scheme="alternating", critic_steps=k` in `steps` and
  `simulate(integrator="gd")`.
* **Outside the flow.** Adam, RMSprop and momentum rescale or remember gradients: the flow's eigenvalues then do
  not give your run's rate, and γ* is the optimum of the gradient-flow model only (a useful order of magnitude,
  not a prediction). Minibatches add noise around the full-batch flow the model describes.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Dict, Optional

import numpy as np

from ._egan import EganError

try:
    import torch as _torch
    from torch import nn as _nn
    from torch.func import functional_call as _functional_call, jvp as _jvp, vjp as _vjp, vmap as _vmap
except ImportError as error:  # pragma: no cover - exercised only without torch
    raise ImportError("effectivegan.torch needs PyTorch: pip install 'effectivegan[torch]'") from error


# -- empirical tangent kernel ---------------------------------------------------------------------------------


def empirical_ntk(generator: "_nn.Module", z: "_torch.Tensor", *, dtype=_torch.float64,
                  memory_budget: float = 2 ** 30, method: str = "auto") -> np.ndarray:
    """The generator's empirical tangent kernel on the latents z: Θ_(i,a),(j,b) = Σ_p ∂G_a(z_i)/∂w_p ∂G_b(z_j)/∂w_p,
    an (N·d) × (N·d) float64 array, rows particle-major (row i·d + a), over the parameters that require grad.

    method: `"products"` (the default, `"auto"`) never holds the Jacobian J (N·d × P): per chunk of k rows it
    pulls those rows of J back (vmap over vjp) and pushes them forward (vmap over jvp), giving k rows of Θ, with k
    chosen so that about k·P numbers fit in `memory_budget` bytes; `"jacobian"` holds J (in row chunks, then one
    J Jᵀ product). Measured on the 297 k-parameter generator at N = 100 (benchmarks/python_overhead.py),
    `"products"` took half the time and 40 % of the memory of the `vmap(jacrev)` recipe. `dtype` is the arithmetic
    (float64 by default; the module is not modified — its parameters are copied).
    """
    names = [name for name, parameter in generator.named_parameters() if parameter.requires_grad]
    if not names:
        raise EganError("empirical_ntk: the generator has no parameter that requires grad", exit_code=2, command=[])
    parameters = {name: parameter.detach().to(dtype) for name, parameter in generator.named_parameters()
                  if parameter.requires_grad}
    frozen = {name: parameter.detach().to(dtype) for name, parameter in generator.named_parameters()
              if not parameter.requires_grad}
    frozen.update({name: buffer.to(dtype) if buffer.is_floating_point() else buffer
                   for name, buffer in generator.named_buffers()})
    latents = _latents(z).to(dtype)
    count = latents.shape[0]

    def outputs(trained: Dict[str, "_torch.Tensor"]) -> "_torch.Tensor":
        result = _functional_call(generator, {**trained, **frozen}, (latents,))
        if not isinstance(result, _torch.Tensor):
            raise EganError(f"empirical_ntk: the generator returns a {type(result).__name__}, not one tensor of "
                            "outputs (N, d)", exit_code=2, command=[])
        return result.reshape(count, -1).reshape(-1)

    try:
        return _ntk(outputs, parameters, names, count, dtype, memory_budget, method)
    except RuntimeError as error:
        hint = (" — call generator.eval() first (BatchNorm and Dropout in training mode have no tangent kernel)"
                if generator.training else "")
        raise EganError(f"empirical_ntk: the generator could not be differentiated on z of shape "
                        f"{tuple(latents.shape)}: {str(error).splitlines()[0]}{hint}", exit_code=2, command=[])


def _latents(z) -> "_torch.Tensor":
    latents = _torch.as_tensor(z)
    if latents.ndim < 2 or latents.shape[0] == 0:
        raise EganError(f"z: shape {tuple(latents.shape)}; give N latent samples as an (N, d_z) tensor", exit_code=2,
                        command=[])
    if latents.is_floating_point() and not bool(_torch.isfinite(latents).all()):
        raise EganError("z holds a non-finite entry (NaN or infinity)", exit_code=2, command=[])
    return latents


def _ntk(outputs, parameters, names, count, dtype, memory_budget, method) -> np.ndarray:
    rows = outputs(parameters).numel()
    size = sum(parameter.numel() for parameter in parameters.values())
    itemsize = _torch.finfo(dtype).bits // 8
    if method == "auto":
        method = "products"
    if method not in ("jacobian", "products"):
        raise EganError(f"empirical_ntk: method {method!r} is not one of auto, jacobian, products", exit_code=2,
                        command=[])
    _, pullback = _vjp(outputs, parameters)
    # Each vmapped vjp holds one gradient (P numbers) per row plus the passes' intermediates.
    chunk = max(1, min(rows, int(memory_budget // max(1, 3 * size * itemsize))))

    def cotangents(start):  # one-hot rows start … start + k of the identity, never the whole (N·d)² identity
        block = _torch.zeros(min(chunk, rows - start), rows, dtype=dtype)
        block[_torch.arange(block.shape[0]), _torch.arange(start, start + block.shape[0])] = 1
        return block

    with _torch.no_grad():
        if method == "jacobian":
            jacobian = _torch.empty(rows, size, dtype=dtype)
            for start in range(0, rows, chunk):
                (gradients,) = _vmap(pullback)(cotangents(start))
                column = 0
                for name in names:
                    block = gradients.pop(name).flatten(1)
                    jacobian[start:start + block.shape[0], column:column + block.shape[1]] = block
                    column += block.shape[1]
            theta = jacobian @ jacobian.T
        else:
            theta = _torch.empty(rows, rows, dtype=dtype)

            def push(tangent):
                return _jvp(outputs, (parameters,), (tangent,))[1]

            for start in range(0, rows, chunk):
                (gradients,) = _vmap(pullback)(cotangents(start))
                theta[start:start + chunk] = _vmap(push)(gradients)
    result = theta.cpu().numpy().astype(np.float64, copy=False)
    result += result.T  # exact symmetry (the halves differ only by rounding); NumPy buffers the overlap
    result *= 0.5
    return result


# -- critics --------------------------------------------------------------------------------------------------

_ACTIVATIONS = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "Tanh": "tanh", "Sigmoid": "sigmoid",
                "Softplus": "softplus", "ELU": "elu"}


@dataclass(frozen=True)
class TorchCritic:
    """A torch MLP critic in egan's terms (spec §1): `discriminator` is the object a resolved model holds (W, b,
    activation); `readout` a = √H·a′ and `bias` c are its current output layer, which the matched equilibrium
    resets to 0 but `value`/`gradient` use, so the mapping can be checked against the module."""

    discriminator: dict
    readout: np.ndarray
    bias: float
    width: int

    @property
    def kind(self) -> str:
        return self.discriminator["kind"]

    def _layers(self):
        if "layers" in self.discriminator:
            return [(np.array(layer["W"], dtype=np.float64), np.array(layer["b"], dtype=np.float64))
                    for layer in self.discriminator["layers"]]
        return [(np.array(self.discriminator["W"], dtype=np.float64),
                 np.array(self.discriminator["b"], dtype=np.float64))]

    def _activation(self, h: np.ndarray):
        """φ(h) and φ′(h) with PyTorch's conventions (φ′(0) of relu 0, of leaky relu its slope)."""
        kind = self.discriminator["activation"]
        slope = self.discriminator.get("negativeSlope", 0.0)
        if kind == "relu":
            return np.maximum(h, 0), (h > 0).astype(np.float64)
        if kind == "leaky_relu":
            return np.where(h > 0, h, slope * h), np.where(h > 0, 1.0, slope)
        if kind == "tanh":
            t = np.tanh(h)
            return t, 1 - t * t
        if kind == "sigmoid":
            s = 1 / (1 + np.exp(-h))
            return s, s * (1 - s)
        if kind == "softplus":
            return np.logaddexp(0, h), 1 / (1 + np.exp(-h))
        if kind == "elu":
            negative = np.minimum(h, 0)
            return np.where(h > 0, h, np.expm1(negative)), np.where(h > 0, 1.0, np.exp(negative))
        raise EganError(f"critic: activation {kind} has no NumPy evaluation here", exit_code=2, command=[])

    def _forward(self, x: np.ndarray):
        """Spec form: h¹ = W¹x + b¹, h^{l+1} = H_l^{-1/2} W^{l+1} φ(h^l) + b^{l+1}; returns φ(h^L) and ∂φ(h^L)/∂x."""
        current, jacobian, scale = x, np.broadcast_to(np.eye(x.shape[1]), (x.shape[0],) + (x.shape[1],) * 2), 1.0
        for weights, biases in self._layers():
            h = scale * current @ weights.T + biases
            jacobian = scale * np.einsum("kj,pja->pka", weights, jacobian)
            current, slope = self._activation(h)
            jacobian = slope[:, :, None] * jacobian
            scale = 1 / math.sqrt(weights.shape[0])
        return current, jacobian

    def value(self, x) -> np.ndarray:
        """D(x) for points x (n, d), by spec §1's formula with egan's weights."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if self.kind == "linear":
            return x @ self.readout + self.bias
        features, _ = self._forward(x)
        return features @ self.readout / math.sqrt(self.width) + self.bias

    def gradient(self, x) -> np.ndarray:
        """∇_x D at points x (n, d)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if self.kind == "linear":
            return np.tile(self.readout, (x.shape[0], 1))
        _, jacobian = self._forward(x)
        return np.einsum("k,pka->pa", self.readout, jacobian) / math.sqrt(self.width)


def critic_from_torch(module: "_nn.Module") -> TorchCritic:
    """egan's description of a torch critic with its current weights: `nn.Linear(d, 1)` (a linear critic) or
    `nn.Sequential(nn.Linear(d, H₁), act, nn.Linear(H₁, H₂), act, …, nn.Linear(H_L, 1))` with one activation kind:
    ReLU, LeakyReLU (its slope), Tanh, Sigmoid, Softplus (beta 1) or ELU (alpha 1). Anything else is refused,
    naming the layer. Weights after the first layer and the readout are rescaled by √H to egan's NTK form."""
    if isinstance(module, _nn.Linear):
        _check_readout(module, "critic")
        weight = module.weight.detach().double().numpy().reshape(-1)
        return TorchCritic(
            discriminator={"kind": "linear", "outputBias": module.bias is not None, "weightDecay": 0.0},
            readout=weight, bias=_bias(module), width=1)
    if not isinstance(module, _nn.Sequential):
        raise EganError(f"critic: {type(module).__name__} is not nn.Linear or nn.Sequential", exit_code=2,
                        command=[])
    layers = [layer for layer in module if not isinstance(layer, (_nn.Identity, _nn.Flatten))]
    for index, layer in enumerate(layers):
        if not isinstance(layer, _nn.Linear) and type(layer).__name__ not in _ACTIVATIONS:
            raise EganError(
                f"critic: layer {index} ({type(layer).__name__}) is not Linear or one of "
                f"{', '.join(sorted(_ACTIVATIONS))}", exit_code=2, command=[])
    hidden, activations = layers[0:-1:2], layers[1:-1:2]
    shaped = (len(layers) >= 3 and len(layers) % 2 == 1 and all(isinstance(l, _nn.Linear) for l in hidden)
              and not any(isinstance(l, _nn.Linear) for l in activations))
    if not shaped:
        raise EganError(
            "critic: egan describes Linear → activation → … → Linear(H, 1) critics (alternating, one activation "
            "kind); this one is " + " → ".join(type(layer).__name__ for layer in layers), exit_code=2, command=[])
    kinds = {type(layer).__name__ for layer in activations}
    if len(kinds) != 1:
        raise EganError(f"critic: every hidden layer must use one activation; this one mixes {sorted(kinds)}",
                        exit_code=2, command=[])
    slopes = {getattr(layer, "negative_slope", None) for layer in activations}
    if len(slopes) != 1:
        raise EganError(f"critic: every LeakyReLU must have one slope; this one has {sorted(slopes)}", exit_code=2,
                        command=[])
    linears = [*hidden, layers[-1]]
    for index in range(1, len(linears)):
        if linears[index].in_features != linears[index - 1].out_features:
            raise EganError(
                f"critic: layer {2 * index} takes {linears[index].in_features} inputs but layer {2 * index - 2} "
                f"gives {linears[index - 1].out_features}", exit_code=2, command=[])
    frozen = {parameter.requires_grad for layer in hidden for parameter in layer.parameters()}
    if len(frozen) != 1:
        raise EganError("critic: some hidden weights or biases are frozen and some trained; egan trains all of "
                        "them (train: all) or only the readout (train: outer)", exit_code=2, command=[])
    if not all(parameter.requires_grad for parameter in layers[-1].parameters()):
        raise EganError(f"critic: layer {len(layers) - 1} (the readout) is frozen; egan's readout a (and c) always "
                        "train", exit_code=2, command=[])
    for index, layer in enumerate(activations):
        _check_activation(layer, 2 * index + 1)
    last = layers[-1]
    _check_readout(last, f"critic layer {len(layers) - 1}")
    for index, layer in enumerate(hidden):
        if layer.bias is None:
            raise EganError(f"critic: layer {2 * index} has no bias; egan's hidden layers have one (b)", exit_code=2,
                            command=[])
    activation = activations[0]
    name = _ACTIVATIONS[type(activation).__name__]
    discriminator = {"kind": "mlp", "activation": name}
    if name == "leaky_relu":
        discriminator["negativeSlope"] = float(activation.negative_slope)
    # torch's h^{l+1} = W′ φ(h^l) + b is egan's H_l^{-1/2} W φ(h^l) + b with W = √H_l·W′ (layers after the first).
    mapped = []
    previous = None
    for layer in hidden:
        weights = layer.weight.detach().double().numpy()
        if previous is not None:
            weights = weights * math.sqrt(previous)
        mapped.append({"W": weights.tolist(), "b": layer.bias.detach().double().numpy().tolist()})
        previous = layer.out_features
    trained = all(layer.weight.requires_grad for layer in hidden)
    discriminator["train"] = "all" if trained else "outer"
    if len(mapped) == 1:
        discriminator.update(W=mapped[0]["W"], b=mapped[0]["b"])
    else:
        discriminator["layers"] = mapped
    discriminator.update(outputBias=last.bias is not None, weightDecay=0.0)
    width = hidden[-1].out_features
    readout = last.weight.detach().double().numpy().reshape(-1) * math.sqrt(width)
    return TorchCritic(discriminator=discriminator, readout=readout, bias=_bias(last), width=width)


def _check_readout(layer: "_nn.Linear", where: str) -> None:
    if not isinstance(layer, _nn.Linear) or layer.out_features != 1:
        raise EganError(f"{where}: the output layer must be nn.Linear(·, 1), a scalar critic", exit_code=2,
                        command=[])


def _check_activation(layer, index: int) -> None:
    kind = type(layer).__name__
    if kind == "Softplus" and (layer.beta != 1):
        raise EganError(f"critic: layer {index} Softplus has beta {layer.beta}; egan's softplus has beta 1",
                        exit_code=2, command=[])
    if kind == "ELU" and layer.alpha != 1:
        raise EganError(f"critic: layer {index} ELU has alpha {layer.alpha}; egan's elu has alpha 1", exit_code=2,
                        command=[])
    if kind == "LeakyReLU" and not 0 <= layer.negative_slope < 1:
        raise EganError(f"critic: layer {index} LeakyReLU slope {layer.negative_slope} is outside [0, 1)",
                        exit_code=2, command=[])


def _bias(layer: "_nn.Linear") -> float:
    return 0.0 if layer.bias is None else float(layer.bias.detach().double().reshape(-1)[0])


def etaD_for(critic: TorchCritic, lr_d: float) -> float:
    """egan's η_D for a torch critic trained by SGD at lr_d: H·lr_d for an MLP (see the module's docstring), lr_d
    for a linear critic."""
    return lr_d * (critic.width if critic.kind == "mlp" else 1)


# -- the model of a torch GAN ---------------------------------------------------------------------------------


def model_from_torch(generator, critic, z, targets, *, lr_g: float, lr_d: float, gamma: float = 0.0,
                     penalty: str = "r1", loss: str = "wgan", optimizer=None, memory_budget: float = 2 ** 30,
                     start=None, name: str = "from-torch"):
    """The effective model of a torch GAN, in the one time unit: K = (lr_g/N)·Θ with Θ = empirical_ntk(generator,
    z), the critic's hidden layers as they are (its last hidden layer's features are what the structure sees),
    η_D = etaD_for(critic, lr_d), the R1 strength γ = your
    r1_gamma, targets (M, d) with N a multiple of M. Simulations start at `start` (N, d), by default the
    generator's current outputs G(z). `optimizer` (a torch optimizer, optional) is only inspected: anything but momentum-free SGD is warned
    about, because the model's flow does not cover it."""
    from .model import Model

    for label, value in (("lr_g", lr_g), ("lr_d", lr_d), ("gamma", gamma)):
        if not (math.isfinite(value) and (value > 0 or (label == "gamma" and value == 0))):
            raise EganError(f"{label}: {value} is not a {'non-negative strength' if label == 'gamma' else 'positive learning rate'}",
                            exit_code=2, command=[])
    critic_description = critic if isinstance(critic, TorchCritic) else critic_from_torch(critic)
    _warn_about(optimizer, loss, critic_description)
    latents = _latents(z)
    parameters = list(generator.parameters())
    if not parameters:
        raise EganError("generator: it has no parameters, so no tangent kernel", exit_code=2, command=[])
    try:
        with _torch.no_grad():
            produced = generator(latents.to(parameters[0].dtype))
    except RuntimeError as error:
        raise EganError(f"z: the generator cannot take z of shape {tuple(latents.shape)}: "
                        f"{str(error).splitlines()[0]}", exit_code=2, command=[])
    if not isinstance(produced, _torch.Tensor):
        raise EganError(f"generator: it returns a {type(produced).__name__}, not one tensor (N, d)", exit_code=2,
                        command=[])
    outputs = produced.detach().double().reshape(latents.shape[0], -1).numpy()
    targets = np.atleast_2d(np.asarray(targets, dtype=np.float64))
    if not np.all(np.isfinite(targets)):
        raise EganError("targets holds a non-finite entry (NaN or infinity)", exit_code=2, command=[])
    count, dimension = outputs.shape
    if targets.shape[1] != dimension:
        raise EganError(f"targets: dimension {targets.shape[1]} but the generator outputs {dimension}",
                        exit_code=2, command=[])
    if count % targets.shape[0]:
        raise EganError(f"targets: N = {count} latents is not a multiple of M = {targets.shape[0]} targets",
                        exit_code=2, command=[])
    start = outputs if start is None else np.asarray(start, dtype=np.float64)
    if start.shape != (count, dimension):
        raise EganError(f"start: shape {start.shape}, expected ({count}, {dimension})", exit_code=2, command=[])
    theta = empirical_ntk(generator, latents, memory_budget=memory_budget)
    particles = targets[np.arange(count) % targets.shape[0]]
    resolved = {
        "targets": targets.tolist(), "particles": particles.tolist(), "initialParticles": start.tolist(),
        "kernel": (theta * (lr_g / count)).tolist(), "discriminator": critic_description.discriminator,
        "etaD": etaD_for(critic_description, lr_d), "loss": loss, "regularizer": penalty, "gamma": float(gamma),
    }
    return Model(resolved, name=name)


def _warn_about(optimizer, loss: str, critic: TorchCritic) -> None:
    if optimizer is not None:
        kind = type(optimizer).__name__
        momentum = optimizer.defaults.get("momentum", 0) if kind == "SGD" else None
        if kind == "SGD" and optimizer.defaults.get("weight_decay", 0):
            warnings.warn("SGD weight_decay is not in the generator's flow (egan's weight decay is the critic's, "
                          "discriminator.weightDecay = μ/H)", stacklevel=3)
        if kind != "SGD" or momentum:
            warnings.warn(
                f"{kind}{' with momentum' if momentum else ''} is outside the model's gradient flow: egan's rates "
                "and γ* describe plain SGD; read them as an order of magnitude for your optimizer", stacklevel=3)
    if loss != "wgan" and critic.kind == "mlp" and critic.discriminator.get("outputBias", True):
        warnings.warn(
            "with a σ-loss the critic's output bias c couples to the readout, and egan's c learns H× faster than "
            "torch's (η_D = H·lr_d); the linear answers are exact for the readout only", stacklevel=3)
