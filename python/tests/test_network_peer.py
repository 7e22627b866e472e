"""egan's training of a generator network against PyTorch's autograd of the same GAN step.

egan trains (w, theta) with its own batched backward pass and the critic's closed-form derivatives (R1 included);
`benchmarks/network_peers.TorchSteps` writes the step as a PyTorch user would and lets autograd (R1 by double
backward) do every derivative. Both start from the point `egan model CONFIG --network-start` exports, so the
displacements of (G(Z; w), theta) after the steps must agree to rounding.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from effectivegan import _egan

pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import network_peers  # noqa: E402

STEPS, STEP_SIZE = 20, 0.05


def config(network, critic, loss, strength):
    return {
        "name": "network-peer", "dimension": 64,
        "target": {"kind": "dataset", "name": "digits100", "standardize": True},
        "generator": {"particles": 100, "network": {"layers": [32, 32], "latentDimension": 8, "fit": False,
                                                    **network}},
        "discriminator": {"kind": "mlp", "width": 32, "train": "all", "seed": 3, "weightStd": 0.125, **critic},
        "loss": loss, "regularizer": {"kind": "r1", "strength": strength},
    }


CASES = {
    "relu standard wgan": config({"activation": "relu", "parameterization": "standard"},
                                 {"activation": "relu"}, "wgan", 1.0),
    "tanh ntk nonsaturating": config({"activation": "tanh", "parameterization": "ntk"},
                                     {"activation": "tanh"}, "nonsaturating", 0.5),
    "leaky relu standard minimax": config({"activation": "leaky_relu", "negativeSlope": 0.2,
                                           "parameterization": "standard"},
                                          {"activation": "tanh", "weightDecay": 0.01}, "minimax", 2.0),
}


def egan(*arguments):
    return subprocess.run([str(_egan.binary()), *arguments], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("case", CASES)
def test_network_steps_match_pytorch_autograd(case, tmp_path):
    path = tmp_path / "network.json"
    path.write_text(json.dumps(CASES[case]))
    start = network_peers.Start(json.loads(egan("model", str(path), "--network-start")))
    trained = json.loads(egan("simulate", str(path), "--integrator", "gd", "--lr", str(STEP_SIZE),
                              "--t-end", str(STEPS * STEP_SIZE), "--samples", "2", "--format", "json"))
    peer = network_peers.TorchSteps(start)
    origin = np.concatenate([part.ravel() for part in peer.run(0, STEP_SIZE)])
    moved = np.concatenate([part.ravel() for part in peer.run(STEPS, STEP_SIZE)]) - origin
    egan_moved = np.array(trained["finalState"]) - origin
    # The steps move the state (so agreement is not two zeros), and egan moves it as autograd does.
    assert np.linalg.norm(moved) > 1e-4 * np.linalg.norm(origin)
    assert np.linalg.norm(egan_moved - moved) <= 1e-10 * np.linalg.norm(moved)


def test_network_start_refuses_a_particle_model():
    result = subprocess.run([str(_egan.binary()), "model", "ring8", "--network-start"], capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "generator.network" in result.stderr and result.stderr.count("\n") == 1
