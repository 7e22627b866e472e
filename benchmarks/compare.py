"""egan against the NumPy/SciPy peer on the `egan bench` workloads: same models, tolerances and answers.

    swift build -c release
    python3 benchmarks/compare.py [--egan .build/release/egan] [--repeats 3] [--markdown]

For each workload the peer reads the workload's resolved model (`egan bench W --resolved`), runs the same
computation, and its answers are checked against egan's before any time is reported:
  jacobian-1153  the analytic Jacobian at z* (peer) — timed only; its eigenvalues are checked by analyze-1153
  analyze-1153   the eigenvalues at z* above the dense solver's resolution: optimal one-to-one matching, max
                 |lambda_egan - lambda_peer| <= 1e-8 rho over |lambda| > 1e-5 rho (egan's closed-form groups
                 expanded). Below that, the peer's dense spectrum holds defective zero eigenvalues (inner weights at
                 a = 0) that rounding splits up to ~1e-6 rho, and they hide physical modes of rate ~1e-11 that egan
                 resolves from the structure (checked against closed forms in the test suite instead).
  sweep-1153     the rate r(gamma) at all 101 log-spaced gamma in [1e-2, 1e2]: |r_egan - r_peer| <= 1e-8 rho
  simulate-256   the final state at t = 200 (rk8pd vs DOP853, rtol 1e-8, atol 1e-10): relative difference <= 1e-6
Medians over --repeats runs; egan's come from `egan bench --json` (one warm-up run, then the repeats).
Exit status 1 if any answer disagrees.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--egan", default=".build/release/egan")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="egan-compare-")

    def resolved(workload):
        path = os.path.join(workdir, workload + ".json")
        with open(path, "w") as file:
            file.write(egan(options.egan, "bench", workload, "--resolved"))
        with open(path) as file:
            return path, json.load(file)

    rows = []
    failed = False
    large_path, large = resolved("analyze-1153")
    sim_path, sim = resolved("simulate-256")
    model = Model(large)

    # Answers first.
    peer_eigenvalues = model.eigenvalues()
    analysis = json.loads(egan(options.egan, "analyze", large_path, "--json"))
    egan_all = np.array([m["re"] + 1j * m["im"] for m in analysis["modes"] for _ in range(m.get("multiplicity", 1))])
    rho = max(1.0, np.abs(peer_eigenvalues).max())
    floor = 1e-5 * rho
    egan_active = egan_all[np.abs(egan_all) > floor]
    peer_active = peer_eigenvalues[np.abs(peer_eigenvalues) > floor]
    checks = {}
    if len(peer_active) != len(egan_active):
        checks["analyze-1153"] = (f"{len(egan_active)} vs {len(peer_active)} active eigenvalues", False)
    else:
        distance = eigen_distance(egan_active, peer_active)
        checks["analyze-1153"] = (f"{len(egan_active)} eigenvalues above 1e-5 rho agree to {distance:.1e} rho",
                                  distance <= 1e-8)
    checks["jacobian-1153"] = ("(eigenvalues checked by analyze-1153)", True)

    sweep = json.loads(egan(options.egan, "sweep", large_path, "--from", "1e-2", "--to", "1e2", "--steps", "101",
                            "--scale", "log", "--format", "json"))
    egan_rates = np.array([p["rate"] for p in sweep["points"]])
    peer_rates = np.array([rate(Model(large, gamma=g).eigenvalues(), p["counts"]["neutral"])
                           for g, p in zip(SWEEP, sweep["points"])])
    sweep_error = np.abs(egan_rates - peer_rates).max()
    checks["sweep-1153"] = (f"r(gamma) agrees to {sweep_error:.1e} at 101 points", sweep_error <= 1e-8 * rho)

    simulation = json.loads(egan(options.egan, "simulate", sim_path, "--t-end", "200", "--samples", "11",
                                 "--format", "json"))
    sim_model = Model(sim)
    peer_final, evaluations = sim_model.simulate(200, 11)
    egan_final = np.array(simulation["finalState"])
    difference = np.linalg.norm(egan_final - peer_final) / np.linalg.norm(egan_final)
    checks["simulate-256"] = (f"final states agree to {difference:.1e} (relative)", difference <= 1e-6)

    # Then times.
    bench = json.loads(egan(options.egan, "bench", "jacobian-1153", "analyze-1153", "sweep-1153", "simulate-256",
                            "--repeats", str(options.repeats), "--json"))
    egan_times = {w["workload"]: (w["median"], w["dimension"]) for w in bench["workloads"]}
    peer_work = {
        "jacobian-1153": lambda: model.jacobian(model.equilibrium()),
        "analyze-1153": lambda: rate(Model(large).eigenvalues()),
        "sweep-1153": lambda: [rate(Model(large, gamma=g).eigenvalues()) for g in SWEEP],
        "simulate-256": lambda: Model(sim).simulate(200, 11),
    }
    for workload, work in peer_work.items():
        peer_time = timed(work, options.repeats)
        egan_time, dimension = egan_times[workload]
        note, ok = checks[workload]
        failed |= not ok
        rows.append((workload, dimension, egan_time, peer_time, peer_time / egan_time, note, ok))

    if options.markdown:
        print("| workload | dimension | egan median s | NumPy/SciPy median s | speed-up | answers |")
        print("|---|---:|---:|---:|---:|---|")
        for w, dim, e, p, ratio, note, ok in rows:
            print(f"| {w} | {dim} | {e:.4f} | {p:.4f} | {ratio:.1f}× | {note}{'' if ok else ' — FAIL'} |")
    else:
        print(f"{'workload':<15}{'dim':>6}{'egan s':>10}{'numpy s':>10}{'ratio':>8}  answers")
        for w, dim, e, p, ratio, note, ok in rows:
            print(f"{w:<15}{dim:>6}{e:>10.4f}{p:>10.4f}{ratio:>7.1f}x  {'ok  ' if ok else 'FAIL'} {note}")
    print(f"(peer right-hand side evaluations for simulate-256: {evaluations}; vector math "
          f"{bench['vectorMathBits']}-bit; {os.cpu_count()} cores)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
