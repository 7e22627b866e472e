"""What the Python package costs over the CLI, and what empirical_ntk costs against the straightforward recipe.

    .venv/bin/python benchmarks/python_overhead.py            # call overhead (analyze dirac; d = 784 from arrays)
    .venv/bin/python benchmarks/python_overhead.py --ntk      # also the 297 k-parameter generator at N = 100

Answers are checked before anything is timed (the Python result equals the CLI's JSON; the two NTK methods agree
with vmap(jacrev) to 1e-12 relative). Peak memory of each NTK method is measured in a fresh process (ru_maxrss).
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

import effectivegan as eg
from effectivegan import _egan


def median_time(call, repeats=15):
    call()  # warm
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli(arguments):
    return subprocess.run([str(_egan.binary()), *arguments], check=True, capture_output=True).stdout


def overhead():
    direct = json.loads(cli(["analyze", "dirac", "--format", "json"]))
    assert eg.analyze("dirac").to_dict()["modes"] == direct["modes"]
    cli_time = median_time(lambda: cli(["analyze", "dirac", "--format", "json"]))
    py_time = median_time(lambda: eg.analyze("dirac"))
    print(f"analyze dirac: CLI {cli_time * 1e3:.1f} ms, Python {py_time * 1e3:.1f} ms "
          f"(overhead {(py_time - cli_time) * 1e3:.1f} ms, ratio {py_time / cli_time:.2f})")
    rng = np.random.default_rng(0)
    targets = rng.normal(size=(100, 784))
    model = eg.Model.from_arrays(targets, lr_g=1.0)
    summary = model.summary()
    assert summary["dimension"] == 784 and summary["particles"] == 100
    # The same model as a file egan reads itself, to separate the array hand-over from egan's own work.
    with open("/tmp/egan-d784.json", "w") as handle:
        json.dump(eg.model._plain(model.config), handle)
    cli_time = median_time(lambda: cli(["model", "/tmp/egan-d784.json", "--format", "json"]), repeats=7)
    py_time = median_time(lambda: eg.Model.from_arrays(targets, lr_g=1.0).summary(), repeats=7)
    print(f"d = 784 model from arrays: CLI {cli_time * 1e3:.1f} ms, Python {py_time * 1e3:.1f} ms "
          f"(overhead {(py_time - cli_time) * 1e3:.1f} ms, ratio {py_time / cli_time:.2f})")


NTK_CHILD = """
import sys, time, resource, torch
from torch.func import functional_call, jacrev, vmap
from effectivegan.torch import empirical_ntk
torch.manual_seed(0)
G = torch.nn.Sequential(torch.nn.Linear(64, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(),
                        torch.nn.Linear(512, 2)).double()
z = torch.randn(100, 64, dtype=torch.float64)
method = sys.argv[1]
start = time.perf_counter()
if method == "vmap-jacrev":
    params = {k: v.detach() for k, v in G.named_parameters()}
    jac = vmap(jacrev(lambda p, x: functional_call(G, p, (x[None],))[0]), (None, 0))(params, z)
    J = torch.cat([j.reshape(100 * 2, -1) for j in jac.values()], 1)
    theta = (J @ J.T).numpy()
else:
    theta = empirical_ntk(G, z, method=method, memory_budget=float(sys.argv[2]))
elapsed = time.perf_counter() - start
import numpy
numpy.save(sys.argv[3], theta)
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def ntk():
    results = {}
    for method, budget in (("vmap-jacrev", 0), ("jacobian", 2 ** 31), ("products", 2 ** 27)):
        output = subprocess.run([sys.executable, "-c", NTK_CHILD, method, str(budget), f"/tmp/ntk-{method}.npy"],
                                check=True, capture_output=True, text=True).stdout.split()
        results[method] = (float(output[0]), float(output[1]), np.load(f"/tmp/ntk-{method}.npy"))
    reference = results["vmap-jacrev"][2]
    for method, (seconds, megabytes, theta) in results.items():
        error = np.abs(theta - reference).max() / np.abs(reference).max()
        assert error < 1e-12, (method, error)
        print(f"empirical_ntk 297k params, N = 100, float64, {method:12s}: {seconds:6.2f} s, peak RSS "
              f"{megabytes:7.0f} MB (max rel. difference to vmap(jacrev) {error:.1e})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--ntk", action="store_true")
    overhead()
    if parser.parse_args().ntk:
        ntk()
