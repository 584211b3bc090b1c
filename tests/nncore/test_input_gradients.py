"""Backprop carried to the pixels: dC/dx matches finite differences for every cost, one gradient per
example; nudging reads another digit after a small change; dreams are read as what they dream of."""

import re

import numpy as np
import pytest

import nncore
from nncore import Network, dream, dream_neuron, input_gradient, toward, toward_steps
from nncore.costs import COSTS
from nncore.data import resources_dir
from nncore.input_gradients import _cut, _dC_dx, _laplacian
from nncore.network import one_hot

SHAPES = [[3, 2], [5, 4, 3], [7, 6, 5, 4], [4, 8, 8, 8, 2]]


@pytest.fixture(scope="module")
def default_network():
    """The shipped default network (784-100-10, cross-entropy), as the pad first reads with it."""
    return nncore.load(resources_dir() / "default-network.npz")


def network(sizes, cost, rng):
    """A float64 network of ``sizes`` with the cost class ``cost``."""
    net = Network(sizes, init="normal", rng=rng, dtype=np.float64)
    return Network.from_parameters(net.sizes, cost, net.init, net.weights, net.biases)


def numeric_input_gradient(f, x, h=1e-3):
    """Five-point central differences of the scalar f at every entry of x (float64), O(h⁴) off."""
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old, c = flat[i], []
        for step in (2, 1, -1, -2):
            flat[i] = old + step * h
            c.append(f(x))
        flat[i] = old
        gflat[i] = (-c[0] + 8 * c[1] - 8 * c[2] + c[3]) / (12 * h)
    return g


def max_relative_error(analytic, numeric):
    """max |a − n| / (|a| + |n|), entries below 1/1000 of the largest measured against that thousandth."""
    floor = max(1e-3 * float(np.max(np.abs(analytic))), 1e-300)
    return float(np.max(np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)))


@pytest.mark.parametrize("cost", COSTS.values(), ids=lambda c: c.name)
@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("m", [None, 4], ids=["one example", "batch of 4"])
def test_input_gradient_matches_finite_differences(sizes, cost, m, rng):
    """dC/dx of every input of every example agrees with central differences of C to 1e-6."""
    net = network(sizes, cost, rng)
    x = rng.uniform(0, 1, (sizes[0],) if m is None else (m, sizes[0]))
    labels = int(rng.integers(sizes[-1])) if m is None else rng.integers(sizes[-1], size=m)
    y = one_hot(np.atleast_1d(labels), sizes[-1], np.float64)
    y = y[0] if m is None else y

    def total_cost(x):   # Σ over the rows of C: row i's gradient is dC_i/dx_i, as nothing else depends on it
        zs, acts = net.forward(x)
        return net.cost.value(acts[-1], y, zs[-1])

    analytic = input_gradient(net, x, labels)
    assert analytic.shape == x.shape and analytic.dtype == np.float64
    assert max_relative_error(analytic, numeric_input_gradient(total_cost, x.copy())) < 1e-6


@pytest.mark.parametrize("cost", COSTS.values(), ids=lambda c: c.name)
def test_a_batch_gives_each_example_its_own_unscaled_gradient(cost, rng):
    """Row i of a batch's dC/dx equals example i's dC/dx alone: not averaged, not divided by m."""
    net = network([6, 5, 4, 3], cost, rng)
    x, labels = rng.uniform(0, 1, (9, 6)), rng.integers(3, size=9)
    batch = input_gradient(net, x, labels)
    for i in range(9):
        np.testing.assert_allclose(batch[i], input_gradient(net, x[i], int(labels[i])), rtol=1e-12, atol=0)


def test_input_gradient_of_a_float32_network_is_float64_and_leaves_it_alone(default_network, mnist):
    """A float32 network gives a float64 (784,) gradient, and its own weights are not touched."""
    before = [w.copy() for w in default_network.weights]
    g = input_gradient(default_network, mnist.test.x[0], int(mnist.test.labels[0]))
    assert g.shape == (784,) and g.dtype == np.float64 and np.abs(g).max() > 0
    assert default_network.dtype == np.float32
    assert all(np.array_equal(w, b) for w, b in zip(default_network.weights, before))


@pytest.mark.parametrize("x_shape, labels, message", [
    ((5,), 3, "x must have shape (4,) for one example or (m, 4) for a batch, got (5,)"),
    ((4,), 7, "labels must be one whole number from 0 to 2, got 7"),
    ((4,), 1.0, "labels must be one whole number from 0 to 2"),
    ((2, 4), [0, 1, 2], "labels must be one whole number from 0 to 2 or 2 of them, got [0, 1, 2]"),
])
def test_bad_input_is_refused_with_what_is_accepted(x_shape, labels, message, rng):
    """A wrong input shape or a label that is not a digit of the output layer is a ValueError that says why."""
    net = network([4, 3], COSTS["quadratic"], rng)
    with pytest.raises(ValueError, match=re.escape(message)):
        input_gradient(net, np.zeros(x_shape), labels)


def test_toward_reads_another_digit_after_a_small_change(default_network, mnist):
    """200 test images nudged toward (label + 1) % 10: ≥ 95% are read so, with a median L2 change below 2.5."""
    x, labels = mnist.test.x[:200], mnist.test.labels[:200].astype(int)
    target = (labels + 1) % 10
    x_new, steps = toward(default_network, x, target)
    reached = default_network.copy(np.float64).feedforward(x_new).argmax(axis=1) == target
    change = np.linalg.norm(x_new - x, axis=1)
    assert x_new.shape == x.shape and x_new.min() >= 0 and x_new.max() <= 1
    assert reached.mean() >= 0.95, f"only {reached.mean():.1%} read as the target"
    assert np.median(change) < 2.5, f"median change {np.median(change):.2f} (an image's norm is about 9)"
    assert steps.shape == (200,) and 0 < np.median(steps) < 200


def test_toward_steps_stop_as_soon_as_the_target_is_read(default_network, mnist):
    """One example: a record per step, each moving x by at most step_size, the last the first read as the target."""
    x, label = mnist.test.x[0], int(mnist.test.labels[0])
    records = list(toward_steps(default_network, x, (label + 1) % 10, step_size=0.1))
    assert [r.step for r in records] == list(range(len(records))) and len(records) > 2
    np.testing.assert_array_equal(records[0].x, x)
    assert [r.reached for r in records] == [False] * (len(records) - 1) + [True]
    assert records[-1].outputs.argmax() == (label + 1) % 10 and records[-1].steps == len(records) - 1
    moves = [np.linalg.norm(b.x - a.x) for a, b in zip(records, records[1:])]
    assert max(moves) <= 0.1 + 1e-12 and min(moves) > 0.05
    x_new, steps = toward(default_network, x, (label + 1) % 10, step_size=0.1)
    np.testing.assert_array_equal(x_new, records[-1].x)
    assert steps == records[-1].steps
    assert not records[-1].x.flags.writeable


def test_toward_leaves_an_input_already_read_as_the_target_alone(default_network, mnist):
    """Nudging an image toward the digit it is already read as takes no step and changes nothing."""
    x = mnist.test.x[:5]
    read = default_network.predict(x)
    x_new, steps = toward(default_network, x, read)
    np.testing.assert_array_equal(x_new, x)
    np.testing.assert_array_equal(steps, 0)


def test_toward_refuses_pixels_outside_0_to_1(default_network):
    """An input that is not an image in [0, 1] is refused, not silently clipped."""
    with pytest.raises(ValueError, match=r"the pixels of x must lie in \[0, 1\]"):
        toward(default_network, np.full(784, 2.0), 3)


def test_each_dream_is_read_as_its_digit(default_network):
    """Each of the ten dreams is an image in [0, 1] read as its digit with an output above 0.99."""
    dreams = np.array([dream(default_network, digit) for digit in range(10)])
    outputs = default_network.copy(np.float64).feedforward(dreams)
    assert dreams.shape == (10, 784) and dreams.min() >= 0 and dreams.max() <= 1
    np.testing.assert_array_equal(outputs.argmax(axis=1), np.arange(10))
    assert outputs[np.arange(10), np.arange(10)].min() > 0.99


def test_a_neuron_dream_drives_it_far_above_what_test_images_do(default_network, mnist):
    """A hidden neuron's dream gives an activation above 0.99 and a z above its highest on 1,000 test
    images, for neurons spread over the layer."""
    net = default_network.copy(np.float64)
    zs, _ = net.forward(mnist.test.x[:1000])
    n = net.sizes[1]
    for j in (0, n // 3, 2 * n // 3, n - 1):
        z_dream, a_dream = net.forward(dream_neuron(default_network, 1, j))
        assert a_dream[1][j] > 0.99
        assert z_dream[0][j] > zs[0][:, j].max()


@pytest.mark.parametrize("layer", [1, 2, 3])
def test_the_neuron_objective_gradient_matches_finite_differences(layer, rng):
    """The cut network's backward pass gives −dzˡ_j/dx (what dream_neuron climbs) to 1e-6."""
    net = network([6, 5, 4, 3], COSTS["quadratic"], rng)
    x, j = rng.uniform(0, 1, 6), int(rng.integers(net.sizes[layer]))
    analytic = _dC_dx(_cut(net, layer), x, one_hot([j], net.sizes[layer], np.float64)[0])
    numeric = numeric_input_gradient(lambda x: -net.forward(x)[0][layer - 1][j], x.copy())
    assert max_relative_error(analytic, numeric) < 1e-6


def test_the_smoothness_gradient_is_the_derivative_of_its_penalty(rng):
    """_laplacian(x) is d/dx of ½ Σ (x_p − x_q)² over horizontally and vertically adjacent pixels."""
    x = rng.uniform(0, 1, 784)

    def penalty(x):
        image = x.reshape(28, 28)
        return 0.5 * (np.sum(np.diff(image, axis=0) ** 2) + np.sum(np.diff(image, axis=1) ** 2))

    g = _laplacian(x)
    assert max_relative_error(g, numeric_input_gradient(penalty, x.copy())) < 1e-6


def test_dreams_refuse_a_layer_or_neuron_that_does_not_exist_and_smoothing_a_non_image(default_network, rng):
    """Bad layer, neuron, or a smoothness prior on a network whose input is not 28×28: a ValueError saying why."""
    with pytest.raises(ValueError, match="layer must be a whole number from 1 to 2, got 3"):
        dream_neuron(default_network, 3, 0)
    n = default_network.sizes[1]
    with pytest.raises(ValueError, match=f"neuron must be one whole number from 0 to {n - 1}, got {n}"):
        dream_neuron(default_network, 1, n)
    with pytest.raises(ValueError, match="digit must be one whole number from 0 to 9, got 10"):
        dream(default_network, 10)
    small = network([6, 5, 3], COSTS["quadratic"], rng)
    with pytest.raises(ValueError, match="the smoothness prior needs 28×28 = 784 inputs"):
        dream(small, 1)
    x = dream(small, 1, smoothness=0)   # an untrained network: output 1 rises, but need not win
    assert x.shape == (6,) and small.feedforward(x)[1] > small.feedforward(np.full(6, 0.05))[1]
