"""The effective GAN model in plain NumPy/SciPy: the peer that `egan bench` is compared against.

This is the implementation a competent researcher would write from the spec (../shared/spec/MODEL.md in the
team repository; the README's "Model" section summarises it): vectorised over particles, targets and hidden
units, the analytic Jacobian in the same block form as egan's, `scipy.linalg.eigvals` for spectra and
`scipy.integrate.solve_ivp(method="DOP853")` (an explicit 8th-order Runge-Kutta pair, like GSL's rk8pd) for
simulations. It reads resolved models (`egan model CONFIG --resolved`, `egan bench WORKLOAD --resolved`).

Scope: MLP discriminators (every activation, `outer` and `all` training, with or without output bias), the three
losses, regularisers none / r1 / l2 and weight decay. R2's mixed Jacobian term and the linear discriminator are
not needed by the benchmark workloads and are refused.

    python3 benchmarks/numpy_peer.py --self-test     # analytic Jacobian against central differences
"""

import json
import sys

import numpy as np
import scipy.integrate
import scipy.linalg


def activation(name, h):
    """(phi, phi', phi'', phi''') of the pre-activations h."""
    if name == "tanh":
        t = np.tanh(h)
        s = 1 - t * t
        return t, s, -2 * t * s, s * (6 * t * t - 2)
    if name == "cos":
        c, s = np.cos(h), np.sin(h)
        return c, -s, -c, s
    if name == "sin":
        s, c = np.sin(h), np.cos(h)
        return s, c, -s, -c
    if name == "relu":
        on = (h > 0).astype(float)
        return h * on, on, 0 * h, 0 * h
    if name == "sigmoid":
        p = 1 / (1 + np.exp(-h))
        q = 1 - p
        d1 = p * q
        return p, d1, d1 * (q - p), d1 * (1 - 6 * p * q)
    if name == "softplus":
        p = 1 / (1 + np.exp(-h))
        q = 1 - p
        return np.logaddexp(0, h), p, p * q, p * q * (q - p)
    raise ValueError(f"activation {name!r} is not supported")


def sigma(t):
    return 1 / (1 + np.exp(-t))


LOSSES = {
    # (f', f'', g', g'') of spec section 2.
    "wgan": (lambda t: np.ones_like(t), lambda t: np.zeros_like(t),
             lambda t: np.ones_like(t), lambda t: np.zeros_like(t)),
    "minimax": (lambda t: sigma(-t), lambda t: -sigma(t) * sigma(-t),
                lambda t: sigma(t), lambda t: sigma(t) * sigma(-t)),
    "nonsaturating": (lambda t: sigma(-t), lambda t: -sigma(t) * sigma(-t),
                      lambda t: sigma(-t), lambda t: -sigma(t) * sigma(-t)),
}


class Model:
    """A resolved model: z = (vec X, theta), theta = (a, W row-major, b, c) as in spec section 1."""

    def __init__(self, resolved, gamma=None):
        disc = resolved["discriminator"]
        if disc["kind"] != "mlp":
            raise ValueError("the peer implements the mlp discriminator only")
        if resolved["regularizer"] == "r2":
            raise ValueError("the peer does not implement r2")
        self.Y = np.array(resolved["targets"], dtype=float)
        self.Xstar = np.array(resolved["particles"], dtype=float)
        self.X0 = np.array(resolved["initialParticles"], dtype=float)
        self.K = np.array(resolved["kernel"], dtype=float)
        self.W0 = np.array(disc["W"], dtype=float)
        self.b0 = np.array(disc["b"], dtype=float)
        self.act = disc["activation"]
        self.inner = disc["train"] == "all"
        self.bias = disc["outputBias"]
        self.mu = disc["weightDecay"]
        self.etaD = resolved["etaD"]
        self.fp, self.fpp, self.gp, self.gpp = LOSSES[resolved["loss"]]
        self.reg = resolved["regularizer"]
        self.gamma = resolved["gamma"] if gamma is None else gamma
        self.N, self.d = self.Xstar.shape
        self.M = self.Y.shape[0]
        self.H = self.W0.shape[0]
        self.s = 1 / np.sqrt(self.H)
        H, d = self.H, self.d
        self.P = H + (H * d + H if self.inner else 0) + (1 if self.bias else 0)
        # Global index of each unit's local parameters (a_k, w_k1..w_kd, b_k).
        if self.inner:
            k = np.arange(H)
            self.local = np.column_stack([k, H + k[:, None] * d + np.arange(d)[None, :], H + H * d + k])

    # --- state -------------------------------------------------------------------------------------------
    def theta_star(self):
        theta = np.zeros(self.P)
        if self.inner:
            H, d = self.H, self.d
            theta[H:H + H * d] = self.W0.ravel()
            theta[H + H * d:H + H * d + H] = self.b0
        return theta

    def equilibrium(self):
        return np.concatenate([self.Xstar.ravel(), self.theta_star()])

    def initial(self):
        return np.concatenate([self.X0.ravel(), self.theta_star()])

    def unpack(self, z):
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

    # --- first order ---------------------------------------------------------------------------------------
    def evaluate(self, P, a, W, b, c):
        phi = activation(self.act, P @ W.T + b)
        D = c + self.s * phi[0] @ a
        g = self.s * (phi[1] * a) @ W
        return phi, D, g

    def param_gradient(self, P, phi, w, a):
        """sum_p w_p dD/dtheta(x_p)."""
        s = self.s
        parts = [s * phi[0].T @ w]
        if self.inner:
            parts.append((s * a[:, None] * (phi[1].T @ (w[:, None] * P))).ravel())
            parts.append(s * a * (phi[1].T @ w))
        if self.bias:
            parts.append([w.sum()])
        return np.concatenate(parts)

    def penalty_gradient(self, P, phi, g, a, W):
        """(1/n) sum_p G_p^T g_p = grad_theta of 1/2 mean ||grad_x D||^2."""
        s, n = self.s, P.shape[0]
        rho = g @ W.T
        parts = [s * np.sum(phi[1] * rho, axis=0) / n]
        if self.inner:
            pr = phi[2] * rho
            parts.append((s * a[:, None] * (pr.T @ P + phi[1].T @ g) / n).ravel())
            parts.append(s * a * pr.sum(axis=0) / n)
        if self.bias:
            parts.append([0.0])
        return np.concatenate(parts)

    def field(self, z):
        X, th, a, W, b, c = self.unpack(z)
        phiY, DY, gY = self.evaluate(self.Y, a, W, b, c)
        phiX, DX, gX = self.evaluate(X, a, W, b, c)
        xdot = self.K @ (self.gp(DX)[:, None] * gX)
        grad = (self.param_gradient(self.Y, phiY, self.fp(DY) / self.M, a)
                + self.param_gradient(X, phiX, -self.fp(-DX) / self.N, a))
        if self.reg == "r1":
            grad -= self.gamma * self.penalty_gradient(self.Y, phiY, gY, a, W)
        decay = self.mu + (self.gamma if self.reg == "l2" else 0.0)
        return np.concatenate([xdot.ravel(), self.etaD * (grad - decay * th)])

    # --- second order ---------------------------------------------------------------------------------------
    def derivatives(self, P, a, W, b, c):
        """phi, D, g, q (n x P), G (n x d x P), spatial Hessians (n x d x d)."""
        s, n, d, H = self.s, P.shape[0], self.d, self.H
        phi, D, g = self.evaluate(P, a, W, b, c)
        q_parts = [s * phi[0]]
        G_parts = [s * phi[1][:, None, :] * W.T[None, :, :]]
        if self.inner:
            q_parts.append((s * a * phi[1])[:, :, None] * P[:, None, :])
            q_parts[-1] = q_parts[-1].reshape(n, H * d)
            q_parts.append(s * a * phi[1])
            sa2 = s * a * phi[2]                                              # n x H
            Gw = sa2[:, None, :, None] * W.T[None, :, :, None] * P[:, None, None, :]  # n, alpha, k, beta
            Gw = Gw + (s * a * phi[1])[:, None, :, None] * np.eye(d)[None, :, None, :]
            G_parts.append(Gw.reshape(n, d, H * d))
            G_parts.append(sa2[:, None, :] * W.T[None, :, :])
        if self.bias:
            q_parts.append(np.ones((n, 1)))
            G_parts.append(np.zeros((n, d, 1)))
        q = np.concatenate(q_parts, axis=1)
        G = np.concatenate(G_parts, axis=2)
        Hx = np.einsum("pk,ka,kb->pab", s * phi[2] * a, W, W)
        return phi, D, g, q, G, Hx

    def scatter_local(self, L, out):
        """out[local_k, local_k] += L[k] for every unit k."""
        idx = self.local
        np.add.at(out, (idx[:, :, None], idx[:, None, :]), L)

    def add_param_hessians(self, P, phi, w, a, out):
        """out += sum_p w_p d2D/dtheta2(x_p) (zero unless W, b train)."""
        if not self.inner:
            return
        s = self.s
        xi = np.column_stack([P, np.ones(P.shape[0])])
        L = np.zeros((self.H, self.d + 2, self.d + 2))
        cross = s * np.einsum("p,pk,pl->kl", w, phi[1], xi)
        L[:, 0, 1:] = cross
        L[:, 1:, 0] = cross
        L[:, 1:, 1:] = s * a[:, None, None] * np.einsum("p,pk,pl,pm->klm", w, phi[2], xi, xi)
        self.scatter_local(L, out)

    def add_penalty_curvature(self, P, phi, r, w, a, W, out):
        """out += sum_p w_p d2/dtheta2 (r_p . grad_x D)(x_p)."""
        if not self.inner:
            return
        s = self.s
        n = P.shape[0]
        xi = np.column_stack([P, np.ones(n)])
        rt = np.column_stack([r, np.zeros(n)])
        rho = r @ W.T
        L = np.zeros((self.H, self.d + 2, self.d + 2))
        cross = s * (np.einsum("p,pk,pl->kl", w, phi[2] * rho, xi) + np.einsum("p,pk,pl->kl", w, phi[1], rt))
        L[:, 0, 1:] = cross
        L[:, 1:, 0] = cross
        inner = (np.einsum("p,pk,pl,pm->klm", w, phi[3] * rho, xi, xi)
                 + np.einsum("p,pk,pl,pm->klm", w, phi[2], xi, rt)
                 + np.einsum("p,pk,pl,pm->klm", w, phi[2], rt, xi))
        L[:, 1:, 1:] = s * a[:, None, None] * inner
        self.scatter_local(L, out)

    def jacobian(self, z):
        X, th, a, W, b, c = self.unpack(z)
        N, d, P, M = self.N, self.d, self.P, self.M
        phiX, DX, gX, qX, GX, HX = self.derivatives(X, a, W, b, c)
        phiY, DY, gY, qY, GY, _ = self.derivatives(self.Y, a, W, b, c)
        nd = N * d
        J = np.zeros((nd + P, nd + P))
        # Generator rows.
        B = self.gpp(DX)[:, None, None] * gX[:, :, None] * gX[:, None, :] + self.gp(DX)[:, None, None] * HX
        J[:nd, :nd] = np.einsum("ij,jab->iajb", self.K, B).reshape(nd, nd)
        C = self.gpp(DX)[:, None, None] * gX[:, :, None] * qX[:, None, :] + self.gp(DX)[:, None, None] * GX
        J[:nd, nd:] = np.einsum("ij,jap->iap", self.K, C).reshape(nd, P)
        # Discriminator rows, particle columns.
        fppX = self.fpp(-DX) / N
        fpX = self.fp(-DX) / N
        T = fppX[:, None, None] * qX[:, None, :] * gX[:, :, None] - fpX[:, None, None] * GX  # i, beta, p
        J[nd:, :nd] = self.etaD * T.reshape(nd, P).T
        # Discriminator rows, parameter columns.
        Hth = (qY.T * (self.fpp(DY) / M)) @ qY + (qX.T * fppX) @ qX
        self.add_param_hessians(self.Y, phiY, self.fp(DY) / M, a, Hth)
        self.add_param_hessians(X, phiX, -fpX, a, Hth)
        if self.reg == "r1" and self.gamma != 0:
            GYf = GY.reshape(M * d, P)
            Hth -= self.gamma / M * (GYf.T @ GYf)
            self.add_penalty_curvature(self.Y, phiY, gY, np.full(M, -self.gamma / M), a, W, Hth)
        decay = self.mu + (self.gamma if self.reg == "l2" else 0.0)
        Hth -= decay * np.eye(P)
        J[nd:, nd:] = self.etaD * Hth
        return J

    # --- workloads -----------------------------------------------------------------------------------------
    def eigenvalues(self):
        return scipy.linalg.eigvals(self.jacobian(self.equilibrium()), overwrite_a=True, check_finite=False)

    def simulate(self, t_end, samples, rtol=1e-8, atol=1e-10):
        times = np.linspace(0, t_end, samples)
        solution = scipy.integrate.solve_ivp(
            lambda t, z: self.field(z), (0, t_end), self.initial(), method="DOP853", t_eval=times,
            rtol=rtol, atol=atol)
        if not solution.success:
            raise RuntimeError(solution.message)
        return solution.y[:, -1], solution.nfev


def active(eigenvalues, neutral=None):
    """The active eigenvalues (spec section 6): without the `neutral` smallest in modulus when the neutral count
    is known by structure (egan reports it), else those above the fallback tolerance 1e-8 rho."""
    if neutral is not None:
        return eigenvalues[np.argsort(np.abs(eigenvalues), kind="stable")[neutral:]]
    rho = max(1.0, np.abs(eigenvalues).max())
    return eigenvalues[np.abs(eigenvalues) > 1e-8 * rho]


def rate(eigenvalues, neutral=None):
    """r = -max Re over active eigenvalues (spec section 6)."""
    return -active(eigenvalues, neutral).real.max()


def self_test():
    """Analytic Jacobian against central differences on small random models of every supported kind."""
    rng = np.random.default_rng(1)
    worst = 0.0
    for act in ["tanh", "cos", "sin", "relu", "sigmoid", "softplus"]:
        for train in ["outer", "all"]:
            for loss in LOSSES:
                for reg in ["none", "r1", "l2"]:
                    H, d, N = 6, 2, 4
                    Y = rng.normal(size=(2, d))
                    resolved = {
                        "targets": Y.tolist(), "particles": np.vstack([Y, Y]).tolist(),
                        "initialParticles": np.vstack([Y, Y]).tolist(),
                        "kernel": (0.2 * np.eye(N) + 0.05).tolist(),
                        "discriminator": {"kind": "mlp", "activation": act, "train": train,
                                          "W": rng.normal(size=(H, d)).tolist(), "b": rng.normal(size=H).tolist(),
                                          "outputBias": True, "weightDecay": 0.1},
                        "etaD": 1.3, "loss": loss, "regularizer": reg, "gamma": 0.7}
                    model = Model(resolved)
                    z = model.equilibrium() + 0.4 * rng.normal(size=model.equilibrium().size)
                    J = model.jacobian(z)
                    eps = 1e-6
                    F = np.column_stack([(model.field(z + eps * e) - model.field(z - eps * e)) / (2 * eps)
                                         for e in np.eye(z.size)])
                    error = np.linalg.norm(J - F) / np.linalg.norm(F)
                    worst = max(worst, error)
                    if error > 1e-6:
                        print(f"FAIL {act} {train} {loss} {reg}: {error:.2e}")
                        return 1
    print(f"ok: analytic Jacobian = central differences, worst relative error {worst:.2e}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    print(__doc__)
