"""Backprop is the derivation's: it matches finite differences and each fact holds on its own."""

import numpy as np
import pytest

from nncore import Network
from nncore.activations import sigmoid, sigmoid_prime
from nncore.network import one_hot
from nncore.sgd_step import StepBuffers, train_step

SHAPES = [[3, 2], [5, 4, 3], [7, 6, 5, 4], [4, 8, 8, 8, 2], [784, 12, 10]]


def cost_of(net, x, y):
    """C for one example, computed from the forward pass alone (no backprop)."""
    zs, acts = net.forward(x)
    return net.cost.value(acts[-1], y, zs[-1])


def numeric_gradient(net, x, y, eps=1e-5):
    """Central finite differences of C with respect to every weight and bias (float64)."""
    grads = []
    for params in (net.biases, net.weights):
        layer_grads = []
        for p in params:
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + eps
                up = cost_of(net, x, y)
                flat[i] = old - eps
                down = cost_of(net, x, y)
                flat[i] = old
                gflat[i] = (up - down) / (2 * eps)
            layer_grads.append(g)
        grads.append(layer_grads)
    return grads


def max_relative_error(a, b):
    """max |a − b| / max(|a| + |b|, tiny) over all entries."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
@pytest.mark.parametrize("sizes", SHAPES[:4], ids=lambda s: "-".join(map(str, s)))
def test_backprop_matches_finite_differences(sizes, cost, rng):
    """Every weight's and bias's gradient agrees with central differences to 1e-6 relative error."""
    net = Network(sizes, cost=cost, init="scaled", rng=rng, dtype=np.float64)
    x = rng.uniform(0, 1, sizes[0])
    y = one_hot([rng.integers(sizes[-1])], sizes[-1], np.float64)[0]
    nabla_b, nabla_w = net.backprop(x, y)
    num_b, num_w = numeric_gradient(net, x, y)
    for l in range(len(sizes) - 1):
        assert nabla_w[l].shape == net.weights[l].shape and nabla_b[l].shape == net.biases[l].shape
        assert max_relative_error(nabla_w[l], num_w[l]) < 1e-6, f"layer {l + 1} weights"
        assert max_relative_error(nabla_b[l], num_b[l]) < 1e-6, f"layer {l + 1} biases"


def test_finite_differences_on_an_mnist_sized_first_layer(rng):
    """The 784-input case: a sample of first-layer weights checked against central differences."""
    net = Network([784, 12, 10], init="scaled", rng=rng, dtype=np.float64)
    x = rng.uniform(0, 1, 784) * (rng.uniform(0, 1, 784) < 0.2)   # sparse ink, like a digit
    y = one_hot([3], 10, np.float64)[0]
    _, nabla_w = net.backprop(x, y)
    for i, j in zip(rng.integers(0, 12, 40), rng.integers(0, 784, 40)):
        old = net.weights[0][i, j]
        net.weights[0][i, j] = old + 1e-5
        up = cost_of(net, x, y)
        net.weights[0][i, j] = old - 1e-5
        down = cost_of(net, x, y)
        net.weights[0][i, j] = old
        numeric = (up - down) / 2e-5
        assert abs(numeric - nabla_w[0][i, j]) <= 1e-6 * (abs(numeric) + abs(nabla_w[0][i, j])) + 1e-12


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_batched_gradient_is_the_mean_of_per_example_gradients(cost, rng):
    """backprop_batch over m examples equals the average of m single-example backprops."""
    net = Network([6, 5, 4, 3], cost=cost, rng=rng, dtype=np.float64)
    x = rng.uniform(0, 1, (9, 6))
    y = one_hot(rng.integers(0, 3, 9), 3, np.float64)
    batch_b, batch_w = net.backprop_batch(x, y)
    singles = [net.backprop(xi, yi) for xi, yi in zip(x, y)]
    for l in range(3):
        np.testing.assert_allclose(batch_b[l], np.mean([s[0][l] for s in singles], axis=0), rtol=1e-12)
        np.testing.assert_allclose(batch_w[l], np.mean([s[1][l] for s in singles], axis=0), rtol=1e-12)


def test_facts_hold_one_by_one(rng):
    """Facts 1, 2, 3, 5, 6 checked separately on one example with the quadratic cost."""
    net = Network([5, 4, 3], rng=rng, dtype=np.float64)
    x, y = rng.uniform(0, 1, 5), np.array([0.0, 1.0, 0.0])
    zs, acts = net.forward(x)
    nabla_b, nabla_w = net.backprop(x, y)
    dC_da = acts[-1] - y                                                  # Fact 1
    dC_dz = dC_da * sigmoid_prime(zs[-1])                                 # Fact 2
    np.testing.assert_allclose(nabla_b[-1], dC_dz, rtol=1e-12)            # Fact 3: dC/db = dC/dz
    np.testing.assert_allclose(nabla_w[-1], np.outer(dC_dz, acts[-2]), rtol=1e-12)  # Fact 5
    dC_da_prev = net.weights[-1].T @ dC_dz                                # Fact 6
    np.testing.assert_allclose(nabla_b[0], dC_da_prev * sigmoid_prime(zs[0]), rtol=1e-12)
    # Fact 1 is the gradient of C = ½‖y − a‖² in a: a nudge of a changes C by (a − y)·da.
    da = 1e-7 * rng.standard_normal(3)
    change = 0.5 * np.sum((y - acts[-1] - da) ** 2) - 0.5 * np.sum((y - acts[-1]) ** 2)
    assert change == pytest.approx(np.dot(dC_da, da), rel=1e-5)


@pytest.mark.parametrize("m", [1, 4, 7])
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_fast_training_step_equals_the_readable_one(m, cost, rng):
    """train_step (buffers, η folded into δ) moves every parameter by −η × backprop_batch's mean."""
    net = Network([8, 6, 5, 4], cost=cost, rng=rng, dtype=np.float64)
    x = rng.uniform(0, 1, (m, 8))
    y = one_hot(rng.integers(0, 4, m), 4, np.float64)
    eta = 0.7
    nabla_b, nabla_w = net.backprop_batch(x, y)
    expected_w = [w - eta * g for w, g in zip(net.weights, nabla_w)]
    expected_b = [b - eta * g for b, g in zip(net.biases, nabla_b)]
    cost_before = sum(cost_of(net, xi, yi) for xi, yi in zip(x, y))
    returned = train_step(net, x, y, eta, StepBuffers(net.sizes, 7, np.float64))
    assert returned == pytest.approx(cost_before, rel=1e-12)
    for l in range(3):
        np.testing.assert_allclose(net.weights[l], expected_w[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.biases[l], expected_b[l], rtol=1e-12, atol=1e-14)


def test_sigmoid_is_warning_free_and_correct_for_any_z():
    """σ never warns, saturates to exactly 0 and 1, and equals 1/(1+e^−z) where that is finite."""
    z = np.array([-1e308, -1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0, 1e308, -np.inf, np.inf])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = sigmoid(z)
        sp = sigmoid_prime(z)
    assert a[0] == 0.0 and a[-1] == 1.0 and a[4] == 0.5
    np.testing.assert_allclose(a[2:7], 1 / (1 + np.exp(-z[2:7])), rtol=1e-12)
    assert np.all(sp >= 0) and sp[4] == 0.25


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_costs_are_warning_free_for_extreme_finite_z(cost):
    """Cost values and output errors stay finite and silent for z from −1e308 to 1e308."""
    from nncore.costs import get_cost

    c = get_cost(cost)
    z = np.array([[-1e308, -800.0, 0.0, 800.0, 1e308]])
    y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = sigmoid(z)
        value = c.value(a, y, z)
        delta = c.delta(z, a, y)
    assert np.isfinite(delta).all() and delta.shape == z.shape
    assert np.isfinite(value)
    if cost == "quadratic":
        assert value == pytest.approx(0.5 * np.sum((a - y) ** 2))
