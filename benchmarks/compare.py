"""egan against two peers on the `egan bench` workloads: a NumPy/SciPy implementation and a jit-compiled JAX one.

    swift build -c release
    pip install jax diffrax torch    # the JAX and PyTorch peers (optional: without them only NumPy/SciPy)
    python3 benchmarks/compare.py [--egan .build/release/egan] [--repeats 3] [--markdown] [--network-only]

For each workload the peers read the workload's resolved model (`egan bench W --resolved`), run the same
computation, and their answers are checked against egan's before any time is reported:
  jacobian-1153      the analytic Jacobian at z* (NumPy) — timed only; its eigenvalues are checked by analyze-1153
  analyze-1153       the eigenvalues at z* above the dense solver's resolution: optimal one-to-one matching, max
                     |lambda_egan - lambda_peer| <= 1e-8 rho over |lambda| > 1e-5 rho (egan's closed-form groups
                     expanded). Below that, the peer's dense spectrum holds defective zero eigenvalues (inner weights
                     at a = 0) that rounding splits up to ~1e-6 rho, and they hide physical modes of rate ~1e-11 that
                     egan resolves from the structure (checked against closed forms in the test suite instead).
  sweep-1153         the rate r(gamma) at all 101 log-spaced gamma in [1e-2, 1e2]: |r_egan - r_peer| <= 1e-8 rho
  simulate-256       the final state at t = 200 (rk8pd vs DOP853 / diffrax Dopri8, rtol 1e-8, atol 1e-10): relative
  simulate-256-tanh  difference <= 1e-6 (cos and tanh features)
  steps-784          the displacement z(1) - z(0) after 100 simultaneous gradient steps (h = 0.01) of the d = 784
                     model: relative difference <= 1e-10 (the same arithmetic up to summation order)
  network-steps-784  100 simultaneous gradient steps (h = 0.01) of a generator network [512, 512] relu (d_z = 64,
                     N = 100) and its relu critic (width 512, all, R1) against mnist100: the displacement of
                     (G(Z; w), theta) after the steps, relative difference <= 1e-10, against PyTorch (eager autograd,
                     R1 by double backward) and JAX (jax.grad, all steps in one jit-compiled fori_loop)
                     (benchmarks/network_peers.py). Its repeats alternate egan, PyTorch and JAX, so that a noisy
                     machine slows all three alike; egan times the steps alone (the network built on the warm-up), the
                     median of three runs per repeat.
Medians over --repeats runs, each after one warm-up run (for JAX: after compilation); egan's come from
`egan bench --format json`. The JAX peer covers the field workloads (steps, simulations); eigenvalue workloads are
NumPy/SciPy only. Exit status 1 if any answer disagrees.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_peer import Model, rate  # noqa: E402

try:
    import jax_peer  # noqa: E402
except ImportError:  # jax or diffrax missing: NumPy/SciPy only
    jax_peer = None
import network_peers  # noqa: E402

try:
    import torch  # noqa: F401,E402
except ImportError:  # the network workload is then compared with JAX only (or not at all)
    torch = None
try:
    import jax  # noqa: F401,E402
except ImportError:
    jax = None

SWEEP = np.logspace(-2, 2, 101)


def egan(binary, *args):
    result = subprocess.run([binary, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"egan {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def timed(body, repeats):
    body()  # warm-up, as egan bench does
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def eigen_distance(a, b):
    cost = np.abs(a[:, None] - b[None, :])
    rows, cols = linear_sum_assignment(cost)
    return cost[rows, cols].max() / max(1.0, np.abs(a).max())


def network_comparison(options, resolved, workdir):
    """The network-steps-784 row and whether every peer's answer agrees; None without PyTorch and JAX.

    Answers first: egan's `simulate` of the workload's own config (gradient steps, h = 0.01, t = 1) against each
    peer's 100 steps from the same (w0, theta*). Then repeats that alternate egan, PyTorch and JAX.
    """
    start_document = resolved("network-steps-784")[1]
    start = network_peers.Start(start_document)
    peers = {}
    if torch:
        peers["torch"] = network_peers.TorchSteps(start)
    if jax:
        peers["jax"] = network_peers.JaxSteps(start)
    if not peers:
        return None
    config_path = os.path.join(workdir, "network-steps-784.config.json")
    with open(config_path, "w") as file:
        json.dump(start_document["config"], file)
    trained = json.loads(egan(options.egan, "simulate", config_path, "--integrator", "gd", "--lr", "0.01",
                              "--t-end", "1", "--samples", "2", "--format", "json"))
    egan_moved = np.array(trained["finalState"])
    origin = np.concatenate([part.ravel() for part in next(iter(peers.values())).run(0, 0.01)])
    egan_moved -= origin
    notes, agree = [], True
    for peer, steps in peers.items():
        moved = np.concatenate([part.ravel() for part in steps.run(100, 0.01)]) - origin
        difference = relative_difference(moved, egan_moved)
        ok = difference <= 1e-10
        agree &= ok
        notes.append(f"{'PyTorch' if peer == 'torch' else 'JAX'}: displacements of (G(Z; w), theta) after 100 steps "
                     f"agree to {difference:.1e}{'' if ok else ' — FAIL'}")

    samples = {"egan": [], **{peer: [] for peer in peers}}
    for _ in range(options.repeats):
        # egan's median of three runs after its warm-up in a fresh process; the peers stay warm in this one.
        run = json.loads(egan(options.egan, "bench", "network-steps-784", "--repeats", "3", "--format", "json"))
        samples["egan"].append(run["workloads"][0]["median"])
        dimension = run["workloads"][0]["dimension"]
        for peer, steps in peers.items():
            begin = time.perf_counter()
            steps.run(100, 0.01)
            samples[peer].append(time.perf_counter() - begin)
    times = {peer: statistics.median(samples[peer]) for peer in peers}
    row = ("network-steps-784", dimension, statistics.median(samples["egan"]), times, "; ".join(notes))
    return row, agree


def relative_difference(a, b):
    return np.linalg.norm(np.asarray(a) - b) / np.linalg.norm(b)


def print_rows(rows, markdown):
    def cell(times, peer, egan_time, ratio):
        if peer not in times:
            return "—"
        return f"{times[peer] / egan_time:.1f}×" if ratio else f"{times[peer]:.4f}"

    peers = ("numpy", "torch", "jax")
    if markdown:
        print("| workload | dimension | egan median s | NumPy/SciPy median s | PyTorch median s | JAX median s | "
              "vs NumPy | vs PyTorch | vs JAX | answers |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for w, dim, e, times, note in rows:
            print(f"| {w} | {dim} | {e:.4f} | " + " | ".join(cell(times, p, e, False) for p in peers) + " | "
                  + " | ".join(cell(times, p, e, True) for p in peers) + f" | {note} |")
    else:
        print(f"{'workload':<19}{'dim':>8}{'egan s':>9}{'numpy s':>9}{'torch s':>9}{'jax s':>9}{'/numpy':>8}"
              f"{'/torch':>8}{'/jax':>7}  answers")
        for w, dim, e, times, note in rows:
            print(f"{w:<19}{dim:>8}{e:>9.4f}" + "".join(f"{cell(times, p, e, False):>9}" for p in peers)
                  + "".join(f"{cell(times, p, e, True):>{8 if p != 'jax' else 7}}" for p in peers) + f"  {note}")


def installed():
    return (f"{os.cpu_count()} cores; JAX {'present' if jax else 'not installed'}, diffrax "
            f"{'present' if jax_peer else 'not installed'}; PyTorch {torch.__version__ if torch else 'not installed'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--egan", default=".build/release/egan")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    parser.add_argument("--network-only", action="store_true", help="only network-steps-784 (PyTorch and JAX)")
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="egan-compare-")

    def resolved(workload):
        path = os.path.join(workdir, workload + ".json")
        with open(path, "w") as file:
            file.write(egan(options.egan, "bench", workload, "--resolved"))
        with open(path) as file:
            return path, json.load(file)

    if options.network_only:
        network = network_comparison(options, resolved, workdir)
        if not network:
            sys.exit("network-steps-784 needs PyTorch or JAX: pip install torch jax")
        print_rows([network[0]], options.markdown)
        print(f"({installed()})")
        return 0 if network[1] else 1

    large_path, large = resolved("analyze-1153")
    sim_models = {w: resolved(w) for w in ("simulate-256", "simulate-256-tanh")}
    steps_path, steps_model = resolved("steps-784")
    model = Model(large)

    # Answers first: egan's, then each peer's against them.
    peer_eigenvalues = model.eigenvalues()
    analysis = json.loads(egan(options.egan, "analyze", large_path, "--format", "json"))
    egan_all = np.array([m["re"] + 1j * m["im"] for m in analysis["modes"] for _ in range(m.get("multiplicity", 1))])
    rho = max(1.0, np.abs(peer_eigenvalues).max())
    floor = 1e-5 * rho
    egan_active = egan_all[np.abs(egan_all) > floor]
    peer_active = peer_eigenvalues[np.abs(peer_eigenvalues) > floor]
    checks = {}  # (workload, peer) -> (note, ok)
    if len(peer_active) != len(egan_active):
        checks["analyze-1153", "numpy"] = (f"{len(egan_active)} vs {len(peer_active)} active eigenvalues", False)
    else:
        distance = eigen_distance(egan_active, peer_active)
        checks["analyze-1153", "numpy"] = (
            f"{len(egan_active)} eigenvalues above 1e-5 rho agree to {distance:.1e} rho", distance <= 1e-8)
    checks["jacobian-1153", "numpy"] = ("(eigenvalues checked by analyze-1153)", True)

    sweep = json.loads(egan(options.egan, "sweep", large_path, "--from", "1e-2", "--to", "1e2", "--points", "101",
                            "--scale", "log", "--format", "json"))
    egan_rates = np.array([p["rate"] for p in sweep["points"]])
    peer_rates = np.array([rate(Model(large, gamma=g).eigenvalues(), p["counts"]["neutral"])
                           for g, p in zip(SWEEP, sweep["points"])])
    sweep_error = np.abs(egan_rates - peer_rates).max()
    checks["sweep-1153", "numpy"] = (f"r(gamma) agrees to {sweep_error:.1e} at 101 points", sweep_error <= 1e-8 * rho)

    evaluations = {}
    for workload, (path, sim) in sim_models.items():
        simulation = json.loads(egan(options.egan, "simulate", path, "--t-end", "200", "--samples", "11",
                                     "--format", "json"))
        egan_final = np.array(simulation["finalState"])
        peer_final, evaluations[workload, "numpy"] = Model(sim).simulate(200, 11)
        difference = relative_difference(peer_final, egan_final)
        checks[workload, "numpy"] = (f"final states agree to {difference:.1e}", difference <= 1e-6)
        if jax_peer:
            field = jax_peer.Field(sim)
            solve = field.integrator(200.0, 1e-8, 1e-10)
            jax_final, steps = solve(field.z0)
            evaluations[workload, "jax"] = f"{int(steps)} Dopri8 steps"
            difference = relative_difference(jax_final, egan_final)
            checks[workload, "jax"] = (f"final states agree to {difference:.1e}", difference <= 1e-6)

    stepped = json.loads(egan(options.egan, "simulate", steps_path, "--integrator", "gd", "--lr", "0.01",
                              "--t-end", "1", "--samples", "2", "--format", "json"))
    egan_stepped = np.array(stepped["finalState"])
    steps_peer = Model(steps_model)

    def numpy_steps():
        z = steps_peer.initial()
        for _ in range(100):
            z = z + 0.01 * steps_peer.field(z)
        return z

    # Compared as displacements z(1) − z(0): W dominates |z| and barely moves in 100 steps, so whole states would
    # agree to ~1e-18 even if the steps were wrong.
    start_state = steps_peer.initial()
    egan_moved = egan_stepped - start_state
    difference = relative_difference(numpy_steps() - start_state, egan_moved)
    checks["steps-784", "numpy"] = (f"displacements after 100 steps agree to {difference:.1e}", difference <= 1e-10)
    if jax_peer:
        steps_field = jax_peer.Field(steps_model)
        jax_steps = steps_field.stepper(100, 0.01)
        z0 = jax_peer.jnp.asarray(steps_field.z0)
        difference = relative_difference(np.asarray(jax_steps(z0)) - start_state, egan_moved)
        checks["steps-784", "jax"] = (f"displacements after 100 steps agree to {difference:.1e}", difference <= 1e-10)

    # Then times.
    workloads = ["jacobian-1153", "analyze-1153", "sweep-1153", "simulate-256", "simulate-256-tanh", "steps-784"]
    bench = json.loads(egan(options.egan, "bench", *workloads, "--repeats", str(options.repeats), "--format", "json"))
    egan_times = {w["workload"]: (w["median"], w["dimension"]) for w in bench["workloads"]}
    numpy_work = {
        "jacobian-1153": lambda: model.jacobian(model.equilibrium()),
        "analyze-1153": lambda: rate(Model(large).eigenvalues()),
        "sweep-1153": lambda: [rate(Model(large, gamma=g).eigenvalues()) for g in SWEEP],
        "simulate-256": lambda: Model(sim_models["simulate-256"][1]).simulate(200, 11),
        "simulate-256-tanh": lambda: Model(sim_models["simulate-256-tanh"][1]).simulate(200, 11),
        "steps-784": numpy_steps,
    }
    jax_work = {}
    if jax_peer:
        for workload in ("simulate-256", "simulate-256-tanh"):
            field = jax_peer.Field(sim_models[workload][1])
            solve = field.integrator(200.0, 1e-8, 1e-10)
            z = jax_peer.jnp.asarray(field.z0)
            jax_work[workload] = lambda solve=solve, z=z: solve(z)[0].block_until_ready()
        jax_work["steps-784"] = lambda: jax_steps(z0).block_until_ready()

    rows = []
    failed = False
    for workload in workloads:
        egan_time, dimension = egan_times[workload]
        times, notes = {}, []
        for peer, work in (("numpy", numpy_work), ("jax", jax_work)):
            if workload not in work:
                continue
            note, ok = checks[workload, peer]
            failed |= not ok
            notes.append(f"{'NumPy' if peer == 'numpy' else 'JAX'}: {note}{'' if ok else ' — FAIL'}")
            times[peer] = timed(work[workload], options.repeats)
        rows.append((workload, dimension, egan_time, times, "; ".join(notes)))

    network = network_comparison(options, resolved, workdir)
    if network:
        row, network_ok = network
        rows.append(row)
        failed |= not network_ok
    print_rows(rows, options.markdown)
    counted = ", ".join(f"{w} {p} {n}" for (w, p), n in evaluations.items())
    print(f"(peer right-hand side evaluations: {counted}; vector math {bench['vectorMathBits']}-bit; {installed()})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
