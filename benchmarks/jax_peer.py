"""The effective GAN vector field in JAX, jit-compiled: the second peer of `benchmarks/compare.py`.

The same field as `numpy_peer.Model.field` (spec section 4: particles follow K g'(D) grad_x D, the discriminator
ascends V_D minus the R1 penalty and weight decay), written with the closed-form first derivatives in matrix form
so XLA sees the same BLAS-3 products egan uses, in float64 (`jax_enable_x64`). Two workloads:

  steps(z, rounds, h)      `rounds` simultaneous gradient steps z <- z + h F(z) in one `lax.fori_loop`
  simulate(z, t_end, ...)  diffrax's Dopri8 (an 8th-order Dormand-Prince pair, like GSL's rk8pd) with a PID
                           step-size controller at the same rtol/atol as egan

Both are compiled once (`jax.jit`) and timed warm by compare.py, after their answers have been checked against
egan's. Scope as the NumPy peer's field: MLP discriminators, every activation, `outer`/`all`, the three losses,
regularisers none / r1 / l2 and weight decay.

    pip install jax diffrax
"""

import jax

jax.config.update("jax_enable_x64", True)

import diffrax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402


def _activation(name):
    """(phi, phi', phi'') of the pre-activations as a jnp function."""
    def relu(h):
        on = (h > 0).astype(h.dtype)
        return h * on, on, jnp.zeros_like(h)

    def tanh(h):
        t = jnp.tanh(h)
        s = 1 - t * t
        return t, s, -2 * t * s

    def cos(h):
        c, s = jnp.cos(h), jnp.sin(h)
        return c, -s, -c

    def sin(h):
        s, c = jnp.sin(h), jnp.cos(h)
        return s, c, -s

    def sigmoid(h):
        p = jax.nn.sigmoid(h)
        q = 1 - p
        return p, p * q, p * q * (q - p)

    def softplus(h):
        p = jax.nn.sigmoid(h)
        return jnp.logaddexp(0.0, h), p, p * (1 - p)

    return {"relu": relu, "tanh": tanh, "cos": cos, "sin": sin, "sigmoid": sigmoid, "softplus": softplus}[name]


_LOSSES = {
    # (f', g') of spec section 2.
    "wgan": (lambda t: jnp.ones_like(t), lambda t: jnp.ones_like(t)),
    "minimax": (lambda t: jax.nn.sigmoid(-t), lambda t: jax.nn.sigmoid(t)),
    "nonsaturating": (lambda t: jax.nn.sigmoid(-t), lambda t: jax.nn.sigmoid(-t)),
}


class Field:
    """F(z) of a resolved model (`egan model CONFIG --resolved`), z = (vec X, theta) as in spec section 1."""

    def __init__(self, resolved):
        disc = resolved["discriminator"]
        if disc["kind"] != "mlp" or resolved["regularizer"] == "r2":
            raise ValueError("the JAX peer implements mlp discriminators with none / r1 / l2")
        self.Y = jnp.asarray(resolved["targets"], dtype=jnp.float64)
        self.X0 = np.asarray(resolved["initialParticles"], dtype=float)
        self.K = jnp.asarray(resolved["kernel"], dtype=jnp.float64)
        W0 = np.asarray(disc["W"], dtype=float)
        b0 = np.asarray(disc["b"], dtype=float)
        self.W0, self.b0 = jnp.asarray(W0), jnp.asarray(b0)
        self.phi = _activation(disc["activation"])
        self.inner = disc["train"] == "all"
        self.bias = disc["outputBias"]
        self.fp, self.gp = _LOSSES[resolved["loss"]]
        self.N, self.d = self.X0.shape
        self.M = self.Y.shape[0]
        self.H = W0.shape[0]
        self.s = 1 / np.sqrt(self.H)
        self.etaD = resolved["etaD"]
        reg, gamma = resolved["regularizer"], resolved["gamma"]
        self.penalty = gamma if reg == "r1" else 0.0
        self.decay = disc["weightDecay"] + (gamma if reg == "l2" else 0.0)
        H, d = self.H, self.d
        theta = np.zeros(H + (H * d + H if self.inner else 0) + (1 if self.bias else 0))
        if self.inner:
            theta[H:H + H * d] = W0.ravel()
            theta[H + H * d:H + H * d + H] = b0
        self.z0 = np.concatenate([self.X0.ravel(), theta])
        self.field = jax.jit(self._field)

    def _unpack(self, z):
        N, d, H = self.N, self.d, self.H
        X = z[:N * d].reshape(N, d)
        th = z[N * d:]
        a = th[:H]
        if self.inner:
            W = th[H:H + H * d].reshape(H, d)
            b = th[H + H * d:H + H * d + H]
        else:
            W, b = self.W0, self.b0
        c = th[-1] if self.bias else 0.0
        return X, th, a, W, b, c

    def _field(self, z):
        X, th, a, W, b, c = self._unpack(z)
        s = self.s

        def evaluate(P):
            phi0, phi1, phi2 = self.phi(P @ W.T + b)
            return phi0, phi1, phi2, c + s * phi0 @ a, s * (phi1 * a) @ W

        def ascent(P, phi0, phi1, phi2, g, w, omega):
            """sum_p w_p dD/dtheta(x_p) + omega sum_p G_p^T g_p (the R1 gradient when omega != 0)."""
            rho = g @ W.T
            parts = [s * phi0.T @ w + omega * s * jnp.sum(phi1 * rho, axis=0)]
            if self.inner:
                right = s * w[:, None] * P + omega * s * g
                left = phi1 * a
                wpart = left.T @ right + omega * s * (phi2 * rho * a).T @ P
                parts.append(wpart.ravel())
                parts.append(s * a * (phi1.T @ w) + omega * s * a * jnp.sum(phi2 * rho, axis=0))
            if self.bias:
                parts.append(jnp.sum(w)[None])
            return jnp.concatenate(parts)

        y0, y1, y2, DY, gY = evaluate(self.Y)
        x0, x1, x2, DX, gX = evaluate(X)
        xdot = self.K @ (self.gp(DX)[:, None] * gX)
        grad = (ascent(self.Y, y0, y1, y2, gY, self.fp(DY) / self.M, -self.penalty / self.M)
                + ascent(X, x0, x1, x2, gX, -self.fp(-DX) / self.N, 0.0))
        return jnp.concatenate([xdot.ravel(), self.etaD * (grad - self.decay * th)])

    def stepper(self, rounds, h):
        """A compiled function z -> z after `rounds` simultaneous gradient steps of size h."""
        def body(_, z):
            return z + h * self._field(z)
        return jax.jit(lambda z: jax.lax.fori_loop(0, rounds, body, z))

    def integrator(self, t_end, rtol, atol):
        """A compiled function z -> (z(t_end), right-hand-side evaluations) with Dopri8."""
        term = diffrax.ODETerm(lambda t, z, args: self._field(z))
        controller = diffrax.PIDController(rtol=rtol, atol=atol)

        def solve(z):
            solution = diffrax.diffeqsolve(
                term, diffrax.Dopri8(), t0=0.0, t1=t_end, dt0=min(1e-3, t_end / 1e3), y0=z,
                stepsize_controller=controller, saveat=diffrax.SaveAt(t1=True), max_steps=10_000_000)
            return solution.ys[-1], solution.stats["num_steps"]
        return jax.jit(solve)
