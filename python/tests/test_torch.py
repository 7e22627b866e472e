"""The PyTorch bridge against independent computations: per-output autograd Jacobians for the tangent kernel, the
torch module itself for the critic, and spec §4's time unit for the model."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import effectivegan as eg
from effectivegan.torch import critic_from_torch, empirical_ntk, etaD_for, model_from_torch


def explicit_ntk(generator, z):
    """Θ = J Jᵀ with J built row by row from torch.autograd.grad of each output (independent of torch.func)."""
    outputs = generator(z).reshape(-1)
    parameters = [p for p in generator.parameters() if p.requires_grad]
    rows = []
    for index in range(outputs.numel()):
        gradients = torch.autograd.grad(outputs[index], parameters, retain_graph=True)
        rows.append(torch.cat([g.reshape(-1) for g in gradients]))
    jacobian = torch.stack(rows).double()
    return (jacobian @ jacobian.T).numpy()


@pytest.mark.parametrize("activation", [torch.nn.ReLU, torch.nn.Tanh])
@pytest.mark.parametrize("method, budget", [("auto", 2 ** 30), ("jacobian", 2 ** 30), ("products", 3e4)])
def test_empirical_ntk_equals_explicit_jacobians(activation, method, budget):
    torch.manual_seed(3)
    generator = torch.nn.Sequential(torch.nn.Linear(5, 24), activation(), torch.nn.Linear(24, 24), activation(),
                                    torch.nn.Linear(24, 3)).double()
    z = torch.randn(7, 5, dtype=torch.float64)
    theta = empirical_ntk(generator, z, method=method, memory_budget=budget)
    reference = explicit_ntk(generator, z)
    assert theta.shape == (21, 21) and theta.dtype == np.float64
    np.testing.assert_array_equal(theta, theta.T)
    assert np.max(np.abs(theta - reference)) <= 1e-12 * np.max(np.abs(reference))
    # Finite width: the cross-output blocks (a ≠ b) are not zero, which is why the kernel is (N·d) × (N·d).
    blocks = theta.reshape(7, 3, 7, 3)
    assert np.abs(blocks[:, 0, :, 1]).max() > 1e-3 * np.abs(blocks[:, 0, :, 0]).max()


def test_empirical_ntk_of_a_float32_module_in_float64_skips_frozen_parameters():
    torch.manual_seed(4)
    generator = torch.nn.Sequential(torch.nn.Linear(3, 10), torch.nn.Tanh(), torch.nn.Linear(10, 2))
    generator[0].weight.requires_grad_(False)
    z = torch.randn(4, 3)
    theta = empirical_ntk(generator, z)
    reference = explicit_ntk(generator.double(), z.double())
    assert np.max(np.abs(theta - reference)) <= 1e-12 * np.max(np.abs(reference))


ACTIVATIONS = [torch.nn.ReLU(), torch.nn.LeakyReLU(0.1), torch.nn.Tanh(), torch.nn.Sigmoid(), torch.nn.Softplus(),
               torch.nn.ELU()]


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda layer: type(layer).__name__)
def test_critic_value_and_gradient_equal_the_module(activation):
    torch.manual_seed(5)
    critic = torch.nn.Sequential(torch.nn.Linear(3, 9), activation, torch.nn.Linear(9, 1)).double()
    description = critic_from_torch(critic)
    x = torch.randn(11, 3, dtype=torch.float64, requires_grad=True)
    value = critic(x).reshape(-1)
    (gradient,) = torch.autograd.grad(value.sum(), x)
    np.testing.assert_allclose(description.value(x.detach().numpy()), value.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(description.gradient(x.detach().numpy()), gradient.numpy(), rtol=0, atol=1e-12)
    assert description.discriminator["kind"] == "mlp" and len(description.discriminator["W"]) == 9
    assert etaD_for(description, 0.01) == pytest.approx(0.09)


@pytest.mark.parametrize("activation", [torch.nn.LeakyReLU(0.2), torch.nn.Tanh(), torch.nn.ELU()],
                         ids=lambda layer: type(layer).__name__)
def test_deep_critic_value_and_gradient_equal_the_module(activation):
    torch.manual_seed(8)
    critic = torch.nn.Sequential(torch.nn.Linear(3, 7), activation, torch.nn.Linear(7, 5), activation,
                                 torch.nn.Linear(5, 1)).double()
    description = critic_from_torch(critic)
    assert [len(layer["b"]) for layer in description.discriminator["layers"]] == [7, 5]
    x = torch.randn(9, 3, dtype=torch.float64, requires_grad=True)
    value = critic(x).reshape(-1)
    (gradient,) = torch.autograd.grad(value.sum(), x)
    np.testing.assert_allclose(description.value(x.detach().numpy()), value.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(description.gradient(x.detach().numpy()), gradient.numpy(), rtol=0, atol=1e-12)


def test_deep_critic_model_runs_in_egan():
    torch.manual_seed(9)
    generator = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 2)).double()
    critic = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.LeakyReLU(0.2), torch.nn.Linear(6, 6),
                                 torch.nn.LeakyReLU(0.2), torch.nn.Linear(6, 1)).double()
    z = torch.randn(3, 4, dtype=torch.float64)
    model = eg.Model.from_torch(generator, critic, z, np.array([[1.0, 0.0], [-1.0, 0.5], [0.0, -1.0]]),
                                lr_g=0.1, lr_d=0.1, gamma=1.0)
    analysis = model.analyze()
    assert analysis["method"] == "oscillator" and analysis.rate > 0


def test_linear_critic():
    critic = torch.nn.Linear(2, 1).double()
    description = critic_from_torch(critic)
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    expected = critic(torch.tensor(x)).detach().numpy().reshape(-1)
    np.testing.assert_allclose(description.value(x), expected, atol=1e-15)
    assert description.discriminator == {"kind": "linear", "outputBias": True, "weightDecay": 0.0}


@pytest.mark.parametrize("critic, words", [
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Dropout(), torch.nn.Linear(4, 1)), "layer 1 (Dropout)"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 4), torch.nn.Tanh(),
                         torch.nn.Linear(4, 1)), "mixes"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.ReLU(), torch.nn.Linear(4, 1)),
     "Linear → ReLU → ReLU → Linear"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)), "Linear(·, 1)"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ELU(alpha=0.5), torch.nn.Linear(4, 1)), "alpha"),
    (torch.nn.Conv1d(1, 1, 1), "Conv1d"),
])
def test_unsupported_critics_are_refused_naming_the_layer(critic, words):
    with pytest.raises(eg.EganError) as error:
        critic_from_torch(critic)
    assert words in str(error.value)


def small_gan():
    torch.manual_seed(6)
    generator = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 2)).double()
    critic = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1)).double()
    z = torch.randn(6, 4, dtype=torch.float64)
    targets = np.array([[1.0, 0.0], [-1.0, 0.5], [0.0, -1.0]])
    return generator, critic, z, targets


def test_from_torch_is_in_the_one_time_unit():
    generator, critic, z, targets = small_gan()
    model = eg.Model.from_torch(generator, critic, z, targets, lr_g=0.03, lr_d=0.02, gamma=2.0)
    resolved = model.resolved()
    theta = empirical_ntk(generator, z)
    # Spec §4: K = (η_G/N)·Θ with η_G = lr_g and Θ the torch tangent kernel as measured, (N·d) × (N·d).
    np.testing.assert_array_equal(resolved["kernel"], theta * (0.03 / 6))
    assert resolved["etaD"] == pytest.approx(6 * 0.02)
    np.testing.assert_array_equal(resolved["particles"], targets[np.arange(6) % 3])
    np.testing.assert_allclose(resolved["initialParticles"], generator(z).detach().numpy(), atol=1e-15)
    assert model.analyze().gamma == 2.0


def test_from_torch_equals_from_arrays_with_the_same_pieces():
    generator, critic, z, targets = small_gan()
    model = eg.Model.from_torch(generator, critic, z, targets, lr_g=0.5, lr_d=0.1, gamma=1.0)
    description = critic_from_torch(critic)
    same = eg.Model.from_arrays(targets, empirical_ntk(generator, z), particles=6, lr_g=0.5, critic=description,
                                lr_d=0.1, gamma=1.0)  # the torch learning rate: from_arrays maps it to H·lr_d
    assert model.optimize().gamma == same.optimize().gamma


def test_optimizers_outside_the_flow_are_warned_about():
    generator, critic, z, targets = small_gan()
    with pytest.warns(UserWarning, match="Adam"):
        model_from_torch(generator, critic, z, targets, lr_g=0.1, lr_d=0.1,
                         optimizer=torch.optim.Adam(generator.parameters()))
    with pytest.warns(UserWarning, match="momentum"):
        model_from_torch(generator, critic, z, targets, lr_g=0.1, lr_d=0.1,
                         optimizer=torch.optim.SGD(generator.parameters(), lr=0.1, momentum=0.9))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model_from_torch(generator, critic, z, targets, lr_g=0.1, lr_d=0.1,
                         optimizer=torch.optim.SGD(generator.parameters(), lr=0.1))


def test_from_torch_refuses_mismatched_targets():
    generator, critic, z, _ = small_gan()
    with pytest.raises(eg.EganError, match="multiple"):
        model_from_torch(generator, critic, z, np.zeros((4, 2)), lr_g=0.1, lr_d=0.1)
    with pytest.raises(eg.EganError, match="dimension"):
        model_from_torch(generator, critic, z, np.zeros((3, 3)), lr_g=0.1, lr_d=0.1)


def test_frozen_readout_or_mixed_freezing_is_refused():
    critic = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    critic[2].weight.requires_grad_(False)
    with pytest.raises(eg.EganError, match="readout"):
        critic_from_torch(critic)
    critic = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    critic[0].weight.requires_grad_(False)
    with pytest.raises(eg.EganError, match="frozen and some trained"):
        critic_from_torch(critic)
