"""Backprop is the derivation's: it matches finite differences for every cost, each fact holds on its
own, and the fast training step moves the weights exactly as W ← W − η·backprop."""

import numpy as np
import pytest

from nncore import Network
from nncore.activations import sigmoid_prime
from nncore.costs import COSTS, Cost
from nncore.network import one_hot
from nncore.sgd_step import StepBuffers, train_step

SHAPES = [[3, 2], [5, 4, 3], [7, 6, 5, 4], [4, 8, 8, 8, 2]]


class QuarticCost(Cost):
    """C = ¼ Σ (a − y)⁴: a cost no module of nncore knows, to show that nothing tests costs by name."""

    name = "quartic"

    @staticmethod
    def value(a, y, z=None):
        return 0.25 * float(np.sum((a - y) ** 4))

    @staticmethod
    def dC_da(a, y, out=None):
        return np.power(np.subtract(a, y, out=out), 3, out=out)


# Every registered cost (a new one is covered automatically) and one from outside the registry.
ALL_COSTS = [*COSTS.values(), QuarticCost]


def network(sizes, cost, rng, init="scaled"):
    """A float64 network of ``sizes`` with the cost class ``cost``."""
    net = Network(sizes, init=init, rng=rng, dtype=np.float64)
    return Network.from_parameters(net.sizes, cost, net.init, net.weights, net.biases)


def mean_cost(net, x, y):
    """Mean C over the rows of x (or C of one example), from the forward pass alone (no backprop)."""
    zs, acts = net.forward(x)
    return net.cost.value(acts[-1], y, zs[-1]) / (len(x) if np.ndim(x) == 2 else 1)


def numeric_gradient(net, x, y, h=1e-3):
    """Five-point central differences of the mean C in every bias and weight (float64).

    (−C(p+2h) + 8C(p+h) − 8C(p−h) + C(p−2h)) / 12h is off by O(h⁴), so h can be large enough that
    rounding in C stays far below 1e-6 of even the smallest gradients.
    """
    grads = []
    for params in (net.biases, net.weights):
        layer_grads = []
        for p in params:
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for i in range(flat.size):
                old = flat[i]
                c = []
                for step in (2, 1, -1, -2):
                    flat[i] = old + step * h
                    c.append(mean_cost(net, x, y))
                flat[i] = old
                gflat[i] = (-c[0] + 8 * c[1] - 8 * c[2] + c[3]) / (12 * h)
            layer_grads.append(g)
        grads.append(layer_grads)
    return grads


def max_relative_error(analytic, numeric):
    """max |a − n| / (|a| + |n|) over the entries of one layer's gradient.

    Entries smaller than 1/1000 of the layer's largest are measured against that thousandth: float64
    differences of C cannot resolve them finer (a gradient wrong by 1% still shows as ~5e-3).
    """
    floor = max(1e-3 * float(np.max(np.abs(analytic))), 1e-300)
    return float(np.max(np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)))


@pytest.mark.parametrize("cost", ALL_COSTS, ids=lambda c: c.name)
@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("m", [None, 3], ids=["one example", "batch of 3"])
def test_backprop_matches_finite_differences(sizes, cost, m, rng):
    """Every weight's and bias's gradient agrees with central differences to 1e-6 relative error."""
    net = network(sizes, cost, rng)
    shape = (sizes[0],) if m is None else (m, sizes[0])
    x = rng.uniform(0, 1, shape)
    y = one_hot(rng.integers(sizes[-1], size=m or 1), sizes[-1], np.float64)
    y = y[0] if m is None else y
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
        up = mean_cost(net, x, y)
        net.weights[0][i, j] = old - 1e-5
        down = mean_cost(net, x, y)
        net.weights[0][i, j] = old
        numeric = (up - down) / 2e-5
        assert abs(numeric - nabla_w[0][i, j]) <= 1e-6 * (abs(numeric) + abs(nabla_w[0][i, j])) + 1e-12


@pytest.mark.parametrize("cost", ALL_COSTS, ids=lambda c: c.name)
def test_batched_gradient_is_the_mean_of_per_example_gradients(cost, rng):
    """backprop over a batch of m rows equals the average of m single-example backprops."""
    net = network([6, 5, 4, 3], cost, rng, init="normal")
    x = rng.uniform(0, 1, (9, 6))
    y = one_hot(rng.integers(0, 3, 9), 3, np.float64)
    batch_b, batch_w = net.backprop(x, y)
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


def test_backward_keeps_every_intermediate_with_the_stated_shapes(rng):
    """Network.backward of one example: 1-D vectors of the documented shapes, linked by Facts 2 and 6."""
    net = Network([7, 6, 5, 4], rng=rng, dtype=np.float64)
    b = net.backward(rng.uniform(0, 1, 7), np.eye(4)[2])
    assert [v.shape for v in b.dC_dz] == [v.shape for v in b.dC_da] == [v.shape for v in b.sigma_prime] \
        == [(6,), (5,), (4,)]
    assert [v.shape for v in b.dC_da_prev] == [(7,), (6,), (5,)]
    for l in range(3):
        np.testing.assert_allclose(b.dC_dz[l], b.dC_da[l] * b.sigma_prime[l], rtol=1e-12)   # Fact 2
        np.testing.assert_allclose(b.dC_da_prev[l], net.weights[l].T @ b.dC_dz[l], rtol=1e-12)  # Fact 6
    for l in (1, 2):
        np.testing.assert_array_equal(b.dC_da[l - 1], b.dC_da_prev[l])        # Fact 6 feeds Fact 2


@pytest.mark.parametrize("cost", ALL_COSTS, ids=lambda c: c.name)
@pytest.mark.parametrize("m", [None, 5], ids=["one example", "batch of 5"])
def test_a_biases_only_backward_pass_is_the_full_one_without_facts_5_and_the_last_6(cost, m, rng):
    """backward(biases_only=True): nabla_b, δ, σ′ and dC/da the same bits as the full pass; no weight
    gradient and no dC/dx (None), the rest of Fact 6 kept."""
    net = network([6, 5, 4, 3], cost, rng)
    x = rng.uniform(0, 1, 6 if m is None else (m, 6))
    y = np.eye(3)[1] if m is None else np.eye(3)[rng.integers(0, 3, m)]
    full, short = net.backward(x, y, l2=0.5, n=10), net.backward(x, y, l2=0.5, n=10, biases_only=True)
    for name in ("nabla_b", "dC_dz", "sigma_prime", "dC_da"):
        for a, b in zip(getattr(full, name), getattr(short, name)):
            np.testing.assert_array_equal(a, b)
    assert short.nabla_w == [None, None, None] and short.dC_da_prev[0] is None
    for a, b in zip(full.dC_da_prev[1:], short.dC_da_prev[1:]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("m", [None, 1, 4, 7], ids=["one example (1-D)", "m=1", "m=4 (short)", "m=7"])
@pytest.mark.parametrize("cost", ALL_COSTS, ids=lambda c: c.name)
def test_fast_training_step_equals_the_readable_one(m, cost, rng):
    """train_step (buffers, η folded into δ) moves every parameter by −η × backprop's mean gradient."""
    net = network([8, 6, 5, 4], cost, rng, init="normal")
    x = rng.uniform(0, 1, (m or 1, 8))
    y = one_hot(rng.integers(0, 4, m or 1), 4, np.float64)
    if m is None:             # the 1-D vectors of the m = 1 training path
        x, y = x[0], y[0]
    eta = 0.7
    nabla_b, nabla_w = net.backprop(x, y)
    expected_w = [w - eta * g for w, g in zip(net.weights, nabla_w)]
    expected_b = [b - eta * g for b, g in zip(net.biases, nabla_b)]
    cost_before = mean_cost(net, x, y) * (m or 1)
    returned = train_step(net, x, y, eta, StepBuffers(net.sizes, 7, np.float64))
    assert returned == pytest.approx(cost_before, rel=1e-12)
    for l in range(3):
        np.testing.assert_allclose(net.weights[l], expected_w[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.biases[l], expected_b[l], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("m", [None, 1, 4, 7], ids=["one example (1-D)", "m=1", "m=4 (short)", "m=7"])
@pytest.mark.parametrize("cost", list(COSTS.values()), ids=lambda c: c.name)
def test_l2_step_decays_the_weights_then_takes_the_gradient_step(m, cost, rng):
    """With λ, train_step gives W ← (1 − ηλ/n) W − η ∇C₀ (∇C₀ from Network.backward) and leaves the
    biases' step alone, float64 to 1e-12; backward(l2=λ, n=n) gives the same step as W − η ∇C."""
    net = network([8, 6, 5, 4], cost, rng, init="normal")
    x = rng.uniform(0, 1, (m or 1, 8))
    y = one_hot(rng.integers(0, 4, m or 1), 4, np.float64)
    if m is None:
        x, y = x[0], y[0]
    eta, lam, n = 0.7, 5.0, 50
    nabla_b, nabla_w = net.backprop(x, y)
    expected_w = [(1 - eta * lam / n) * w - eta * g for w, g in zip(net.weights, nabla_w)]
    expected_b = [b - eta * g for b, g in zip(net.biases, nabla_b)]
    _, nabla_w_l2 = net.backprop(x, y, l2=lam, n=n)
    for w, g, e in zip(net.weights, nabla_w_l2, expected_w):
        np.testing.assert_allclose(w - eta * g, e, rtol=1e-12, atol=1e-14)
    train_step(net, x, y, eta, StepBuffers(net.sizes, 7, np.float64), decay=lam / n)
    for l in range(3):
        np.testing.assert_allclose(net.weights[l], expected_w[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.biases[l], expected_b[l], rtol=1e-12, atol=1e-14)


def test_sigmoid_is_precise_everywhere_and_silent():
    """σ(z) = 1/(1 + e^(−z)) to 2 ulp of float64's value in float32 for z in [−88, 88], exactly 0 below
    (where the true value is subnormal) and 1 above, with no warning; integers (unsigned too) are
    converted first, and ``out`` may be z itself."""
    import warnings

    from nncore.activations import sigmoid

    z = np.linspace(-88, 88, 20001).astype(np.float32)
    exact = 1 / (1 + np.exp(-z.astype(np.float64)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = sigmoid(z)
        far = sigmoid(np.array([-1e4, -150.0, 150.0, 1e4], np.float32))
    assert a.dtype == np.float32
    np.testing.assert_allclose(a, exact, rtol=2.5e-7, atol=0)
    assert far.tolist() == [0.0, 0.0, 1.0, 1.0]
    np.testing.assert_allclose(sigmoid(np.array([1, 2], np.uint8)), 1 / (1 + np.exp([-1.0, -2.0])), rtol=1e-6)
    z64 = np.array([-3.0, 0.0, 3.0])
    assert sigmoid(z64, out=z64) is z64 and z64[1] == 0.5
