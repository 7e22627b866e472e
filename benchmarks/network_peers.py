"""The generator network's training steps in PyTorch and in JAX: the peers of `egan bench network-steps-784`.

Each reads the workload's starting point (`egan bench network-steps-784 --resolved`, schema egan.network-start/1:
the latents Z, the network's initial weights w0, the critic theta* and the targets) and takes the same
simultaneous gradient steps as egan (model section 4, `network`), written the way a researcher writes a GAN step
in that framework, with its automatic differentiation doing every derivative:

    X = G(Z; w)                                     the generator network on its N latents
    w     += h * eta_G * grad_w  mean_i g(D(x_i))
    theta += h * eta_D * grad_theta [ mean_m f(D(y_m)) + mean_i f(-D(x_i)) - gamma/2 mean_m |grad_y D(y_m)|^2
                                      - mu/2 |theta|^2 ]

R1 is the double-backward of `torch.autograd.grad(..., create_graph=True)` / nested `jax.grad`. PyTorch runs
eagerly (warm: after one untimed run); JAX compiles all the steps into one `lax.fori_loop` (`jax.jit`, timed after
compilation). Both in float64 on the CPU. Scope: MLP generators (relu, leaky_relu, tanh, erf; ntk and standard
parameterisations), one-hidden-layer critics (relu, tanh) trained `all`, the three losses, r1 and weight decay.

    pip install torch jax      # or the CPU torch wheel a machine carries
"""

import math

import numpy as np


class Start:
    """The network-steps workload's starting point, as numpy arrays."""

    def __init__(self, document):
        if document.get("schema") != "egan.network-start/1":
            raise ValueError("expected the output of `egan bench network-steps-784 --resolved`")
        resolved, network = document["resolved"], document["network"]
        disc = resolved["discriminator"]
        if disc["kind"] != "mlp" or disc["train"] != "all" or disc["activation"] not in ("relu", "tanh"):
            raise ValueError("the peers implement one-hidden-layer relu/tanh critics trained `all`")
        if "layers" in disc and len(disc["layers"]) > 1:
            raise ValueError("the peers implement one-hidden-layer critics")
        if resolved["regularizer"] not in ("none", "r1"):
            raise ValueError("the peers implement the r1 regulariser (or none)")
        self.Y = np.array(resolved["targets"], dtype=float)
        self.Z = np.array(document["latents"], dtype=float)
        self.w0 = np.array(document["weights"], dtype=float)
        self.W0 = np.array(disc["W"], dtype=float)
        self.b0 = np.array(disc["b"], dtype=float)
        self.critic_activation = disc["activation"]
        self.output_bias = disc["outputBias"]
        self.mu = disc["weightDecay"]
        self.eta_d = resolved["etaD"]
        self.loss = resolved["loss"]
        self.gamma = resolved["gamma"] if resolved["regularizer"] == "r1" else 0.0
        self.eta_g = network["learningRate"]
        self.activation = network["activation"]
        self.slope = network["negativeSlope"]
        widths = [network["latentDimension"], *network["layers"], network["outputDimension"]]
        self.shapes = list(zip(widths[:-1], widths[1:]))  # (fan_in, fan_out)
        ntk = network["parameterization"] == "ntk"
        self.scales = [(math.sqrt(network["weightVariance"] / fan_in), math.sqrt(network["biasVariance"]))
                       if ntk else (1.0, 1.0) for fan_in, _ in self.shapes]
        self.H = self.W0.shape[0]

    def layers(self, w):
        """(W_l fan_out x fan_in, b_l) views of a flat weight vector, W row-major then b per layer."""
        out, offset = [], 0
        for fan_in, fan_out in self.shapes:
            W = w[offset:offset + fan_out * fan_in].reshape(fan_out, fan_in)
            offset += fan_out * fan_in
            out.append((W, w[offset:offset + fan_out]))
            offset += fan_out
        return out

    def theta0(self):
        """theta* = (a = 0, W0, b0[, c = 0]), the layout of egan's state."""
        parts = [np.zeros(self.H), self.W0.ravel(), self.b0] + ([np.zeros(1)] if self.output_bias else [])
        return np.concatenate(parts)


class TorchSteps:
    """The steps in eager PyTorch (float64, CPU): `run(rounds, h)` returns (X, theta) after the steps."""

    def __init__(self, start):
        import torch
        self.torch, self.start = torch, start
        f = dict(wgan=lambda t: t, minimax=torch.nn.functional.logsigmoid,
                 nonsaturating=torch.nn.functional.logsigmoid)[start.loss]
        g = dict(wgan=lambda t: t, minimax=torch.nn.functional.softplus,
                 nonsaturating=torch.nn.functional.logsigmoid)[start.loss]
        self.f, self.g = f, g
        as_tensor = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731
        self.Z, self.Y = as_tensor(start.Z), as_tensor(start.Y).requires_grad_(True)
        self.w0, self.theta0 = as_tensor(start.w0), as_tensor(start.theta0())
        phi = {"relu": torch.relu, "tanh": torch.tanh, "erf": torch.erf,
               "leaky_relu": lambda h: torch.nn.functional.leaky_relu(h, start.slope)}
        self.phi, self.critic_phi = phi[start.activation], phi[start.critic_activation]

    def generator(self, w):
        x = self.Z
        layers = self.start.layers(w)
        for l, ((W, b), (s, beta)) in enumerate(zip(layers, self.start.scales)):
            x = s * (x @ W.T) + beta * b
            if l < len(layers) - 1:
                x = self.phi(x)
        return x

    def critic(self, x, a, W, b, c):
        return c + self.critic_phi(x @ W.T + b) @ a / math.sqrt(self.start.H)

    def unpack(self, theta):
        H, d = self.start.H, self.start.Y.shape[1]
        a, W, b = theta[:H], theta[H:H + H * d].view(H, d), theta[H + H * d:H + H * d + H]
        return a, W, b, (theta[-1] if self.start.output_bias else 0.0)

    def run(self, rounds, h):
        torch, start = self.torch, self.start
        w = self.w0.clone().requires_grad_(True)
        theta = self.theta0.clone().requires_grad_(True)
        for _ in range(rounds):
            X = self.generator(w)
            critic = self.unpack(theta)
            DY, DX = self.critic(self.Y, *critic), self.critic(X, *critic)
            value = self.f(DY).mean() + self.f(-DX).mean() - 0.5 * start.mu * theta.pow(2).sum()
            if start.gamma:
                (gY,) = torch.autograd.grad(DY.sum(), self.Y, create_graph=True)
                value = value - 0.5 * start.gamma * gY.pow(2).sum(1).mean()
            (ascent,) = torch.autograd.grad(value, theta, retain_graph=True)
            (pull,) = torch.autograd.grad(self.g(DX).mean(), w)
            with torch.no_grad():
                w += h * start.eta_g * pull
                theta += h * start.eta_d * ascent
        with torch.no_grad():
            return self.generator(w).numpy(), theta.detach().numpy()


class JaxSteps:
    """The steps in JAX, all rounds in one jit-compiled `lax.fori_loop`: `run(rounds, h)` as TorchSteps'."""

    def __init__(self, start):
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        self.jax, self.jnp, self.start = jax, jnp, start
        f = dict(wgan=lambda t: t, minimax=jax.nn.log_sigmoid, nonsaturating=jax.nn.log_sigmoid)[start.loss]
        g = dict(wgan=lambda t: t, minimax=jax.nn.softplus, nonsaturating=jax.nn.log_sigmoid)[start.loss]
        phi = {"relu": jax.nn.relu, "tanh": jnp.tanh, "erf": jax.scipy.special.erf,
               "leaky_relu": lambda h: jax.nn.leaky_relu(h, start.slope)}
        act, critic_act = phi[start.activation], phi[start.critic_activation]
        Z, Y = jnp.asarray(start.Z), jnp.asarray(start.Y)
        H, d = start.H, start.Y.shape[1]
        scale = 1 / math.sqrt(H)

        def generator(w):
            x = Z
            layers = start.layers(w)
            for l, ((W, b), (s, beta)) in enumerate(zip(layers, start.scales)):
                x = s * (x @ W.T) + beta * b
                if l < len(layers) - 1:
                    x = act(x)
            return x

        def critic(theta, x):
            a, W, b = theta[:H], theta[H:H + H * d].reshape(H, d), theta[H + H * d:H + H * d + H]
            c = theta[-1] if start.output_bias else 0.0
            return c + critic_act(x @ W.T + b) @ a * scale

        def critic_value(theta, X):
            value = f(critic(theta, Y)).mean() + f(-critic(theta, X)).mean() - 0.5 * start.mu * theta @ theta
            if start.gamma:
                gY = jax.vmap(jax.grad(lambda y: critic(theta, y[None, :])[0]))(Y)
                value = value - 0.5 * start.gamma * (gY * gY).sum(1).mean()
            return value

        def generator_value(w, theta):
            return g(critic(theta, generator(w))).mean()

        def step(_, state):
            w, theta = state
            X = generator(w)
            ascent = jax.grad(critic_value)(theta, X)
            pull = jax.grad(generator_value)(w, theta)
            return w + self.h * start.eta_g * pull, theta + self.h * start.eta_d * ascent

        self.generator, self.step = jax.jit(generator), step
        self.compiled = {}

    def run(self, rounds, h):
        jax, jnp = self.jax, self.jnp
        key = (rounds, h)
        if key not in self.compiled:
            self.h = h
            self.compiled[key] = jax.jit(lambda w, t: jax.lax.fori_loop(0, rounds, self.step, (w, t)))
        w, theta = self.compiled[key](jnp.asarray(self.start.w0), jnp.asarray(self.start.theta0()))
        X = self.generator(w).block_until_ready()
        return np.asarray(X), np.asarray(theta)
