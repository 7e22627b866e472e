"""The toolkit through Python: closed forms, the CLI's own JSON, exact float64 round trips, errors, interrupts."""

import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import effectivegan as eg
from conftest import without_command

CONFIGS = Path(__file__).resolve().parents[2] / "notebooks-text" / "configs"


def test_dirac_closed_form():
    # Spec §6 oracle: λ = −γ/2 ± √(γ²/4 − 1) for wgan + r1, η_G = η_D = 1; γ* = γ_c = 2.
    for gamma in (0.5, 1.0, 1.5):
        analysis = eg.analyze("dirac", gamma=gamma)
        expected = -gamma / 2 + 1j * math.sqrt(1 - gamma ** 2 / 4)
        assert analysis.eigenvalues.dtype == np.complex128
        assert sorted(analysis.eigenvalues, key=lambda value: value.imag) == pytest.approx(
            [expected.conjugate(), expected], rel=1e-12)
        assert analysis.rate == pytest.approx(gamma / 2, rel=1e-12)
        assert analysis.regime == "underdamped"
    optimum = eg.optimize("dirac")
    assert optimum.gamma == pytest.approx(2.0, rel=1e-6)
    assert optimum.rate == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("call, arguments", [
    (lambda: eg.analyze("ring8", gamma=0.5), ["analyze", "ring8", "--gamma", "0.5"]),
    (lambda: eg.sweep("ring8", 0.1, 100, 7), ["sweep", "ring8", "--from", "0.1", "--to", "100", "--points", "7"]),
    (lambda: eg.optimize("dirac"), ["optimize", "dirac"]),
    (lambda: eg.steps("ring8", gamma=19, scheme="alternating", critic_steps=5),
     ["steps", "ring8", "--gamma", "19", "--scheme", "alternating", "--critic-steps", "5"]),
    (lambda: eg.simulate("dirac", gamma=1, perturb=0.1, t_end=10, samples=6),
     ["simulate", "dirac", "--gamma", "1", "--perturb", "0.1", "--t-end", "10", "--samples", "6"]),
    (lambda: eg.crosscheck("dirac", gamma=[0.5, 1.0]), ["crosscheck", "dirac", "--gamma", "0.5", "--gamma", "1"]),
    (lambda: eg.convergence("dirac", [1, 2], t_end=40), ["convergence", "dirac", "--gammas", "1,2", "--t-end", "40"]),
    (lambda: eg.collapse("ring8-collapse", [0, 0.5], seeds=1, t_end=20, integrator="gd", lr=0.05),
     ["collapse", "ring8-collapse", "--ratios", "0,0.5", "--seeds", "1", "--t-end", "20", "--integrator", "gd",
      "--lr", "0.05"]),
    (lambda: eg.transfer(str(CONFIGS / "ring8-network.json")),
     ["transfer", str(CONFIGS / "ring8-network.json")]),
    (lambda: eg.kernel(depth=2, latent_dim=8, latent_samples=4, networks=0),
     ["kernel", "--depth", "2", "--latent-dim", "8", "--latent-samples", "4", "--networks", "0"]),
])
def test_every_result_equals_the_cli_json(cli, call, arguments):
    result = call()
    direct = cli(*arguments)
    assert without_command(result.to_dict()) == without_command(direct)
    assert result.provenance["version"] == eg.egan_version().split()[-1]


def test_typed_views_of_a_sweep_and_a_collapse():
    sweep = eg.sweep("ring8", 0.1, 1000, 9)
    assert sweep.gamma.shape == sweep.rate.shape == (9,)
    assert sweep.gamma[0] == 0.1 and sweep.gamma[-1] == 1000
    assert sweep.branches.dtype == np.complex128 and sweep.branches.shape[1] == 9
    assert set(sweep.regime) <= {"underdamped", "overdamped", "marginal", "unstable"}
    # The rate at each grid point is the dominant mode's −Re λ.
    np.testing.assert_array_equal(sweep.rate, -sweep.dominant.real)
    collapse = eg.collapse("ring8-collapse", [0, 0.9], seeds=1, t_end=20, integrator="gd", lr=0.05)
    assert collapse.mean_metric.shape == (1, 2)
    assert collapse.interval.shape == (1, 2)


def test_float64_round_trip_is_exact():
    rng = np.random.default_rng(7)
    targets = rng.normal(size=(3, 2)) * np.array([1e-3, 10.0])
    targets[0, 0] = 0.1 + 0.2  # not 0.3: the shortest decimal must carry every bit
    theta = rng.normal(size=(6, 6))
    theta = theta @ theta.T
    model = eg.Model.from_arrays(targets, theta, particles=3, lr_g=0.37)
    resolved = model.resolved()
    np.testing.assert_array_equal(resolved["targets"], targets)
    # Spec §4: K = (η_G/N)·Θ, the (N·d) × (N·d) block kernel read from the .npy file the package wrote.
    np.testing.assert_array_equal(resolved["kernel"], (0.37 / 3) * theta)
    # And back: the resolved model as a dict reproduces the same analysis bit for bit.
    again = eg.Model({key: value.tolist() if isinstance(value, np.ndarray) else value
                      for key, value in resolved.items()})
    assert again.analyze(1.0).to_dict()["modes"] == model.analyze(1.0).to_dict()["modes"]


def test_one_time_unit_universal_equals_explicit():
    # The grid25 user's case in small: one generator as universal (φ, g₁) and as the same Θ given explicitly.
    phi, g1, particles = 0.3, 2.5, 8
    base = eg.Model("ring8").set("generator.kernel", {"kind": "universal", "ratio": phi, "self": g1})
    theta = g1 * ((1 - phi) * np.eye(particles) + phi * np.ones((particles, particles)))
    explicit = base.set("generator.kernel", {"kind": "explicit", "matrix": theta})
    assert explicit.optimize().gamma == pytest.approx(base.optimize().gamma, rel=1e-6)


def test_set_reaches_every_config_key():
    model = eg.Model("ring8").set("discriminator.width", 16).set("discriminator.activation", "tanh")
    summary = model.summary()
    assert summary["parameters"]["a"] == 16
    assert model.config["discriminator"]["activation"] == "tanh"


def test_errors_are_one_line_value_errors():
    with pytest.raises(eg.EganError) as error:
        eg.analyze("ring8", gamma=-1)
    assert isinstance(error.value, ValueError) and error.value.exit_code == 2
    assert "gamma" in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(eg.EganError, match="discriminator.widht"):
        eg.Model("ring8").set("discriminator.widht", 3).analyze(1)
    with pytest.raises(eg.EganError, match="kernel"):
        eg.Model.from_arrays(np.zeros((2, 2)), np.ones((3, 4)))
    with pytest.raises(eg.EganError, match="positive semi-definite|symmetric"):
        eg.Model.from_arrays(np.zeros((2, 1)) + [[0.0], [1.0]], -np.eye(2)).analyze(1)


def test_progress_reaches_stderr(capfd):
    eg.sweep("ring8", 0.1, 100, 40, progress=True)
    assert "40/40" in capfd.readouterr().err


def test_interrupt_stops_egan_and_leaves_no_file(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    script = textwrap.dedent("""
        import effectivegan as eg
        model = eg.Model("ring8-collapse").set("name", "interrupt-me")
        try:
            model.collapse("0:0.9:40", seeds=8, t_end=3000)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
    """)
    environment = dict(os.environ, TMPDIR=str(scratch))
    child = subprocess.Popen([sys.executable, "-c", script], env=environment, stdout=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline and not any(scratch.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=60)
    assert "interrupted" in output
    assert list(scratch.iterdir()) == []
    left = subprocess.run(["pgrep", "-f", str(scratch)], capture_output=True, text=True).stdout
    assert left == ""


def test_readme_from_python_block_runs():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## From Python", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["gamma_star"] == pytest.approx(19.09195, rel=1e-5)


def test_non_finite_inputs_name_the_field():
    config = eg.Model("ring8").config
    config["regularizer"]["strength"] = float("nan")
    with pytest.raises(eg.EganError, match="regularizer.strength"):
        eg.Model(config).analyze()
    with pytest.raises(eg.EganError, match="targets holds a non-finite"):
        eg.Model.from_arrays(np.array([[0.0, np.inf]]))
    with pytest.raises(eg.EganError, match="gamma: one value"):
        eg.analyze("ring8", gamma=[1, 2])


def test_egan_notes_become_warnings():
    relu = {"dimension": 2, "target": {"kind": "ring", "modes": 2}, "generator": {"particles": 2},
            "discriminator": {"kind": "mlp", "width": 4, "activation": "relu"},
            "regularizer": {"kind": "r1", "strength": 1.0}}
    with pytest.warns(eg.EganWarning, match="gradient steps"):
        eg.simulate(relu, t_end=1.0, samples=3)


def test_interrupting_a_simulation_is_prompt(tmp_path):
    script = textwrap.dedent("""
        import effectivegan as eg
        try:
            eg.simulate("ring8", gamma=19, t_end=2e6, integrator="msbdf", samples=200000)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ, TMPDIR=str(tmp_path)),
                             stdout=subprocess.PIPE, text=True)
    time.sleep(3)
    start = time.time()
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=30)
    assert "interrupted" in output
    assert time.time() - start < 9  # egan drains its partial output and exits (0.3 s alone); no 10 s kill
    assert list(tmp_path.iterdir()) == []


def test_relative_data_paths_of_a_dict_start_at_the_working_directory(tmp_path, monkeypatch):
    np.save(tmp_path / "points.npy", np.array([[0.0, 1.0], [1.0, 0.0]]))
    monkeypatch.chdir(tmp_path)
    config = {"dimension": 2, "target": {"kind": "file", "path": "points.npy"}, "generator": {"particles": 2},
              "discriminator": {"kind": "linear"}, "regularizer": {"kind": "r1", "strength": 1.0}}
    model = eg.Model(config)
    monkeypatch.chdir("/")  # the config keeps meaning the same file
    assert model.summary()["targets"] == 2


def test_the_error_line_wins_over_a_note():
    from effectivegan import _egan

    assert _egan._message(["egan: note: relu makes the flow discontinuous", "egan: error: t_end is too long"],
                          2) == "t_end is too long"
    lines: list = []
    _egan._take("simulate ███··· 3/10egan: error: stopped", _egan._ProgressSink(False), lines)
    assert lines == ["egan: error: stopped"]
