"""learning_speed is ‖∂C/∂bˡ‖ of the mean cost, per layer: it matches finite differences, and it shows
the book's vanishing gradient (chapter 5) in a freshly initialised deep sigmoid network."""

import json

import numpy as np
import pytest

import nncore.gradient_norms as speed_module
from nncore import SGD, EpochReport, Network
from nncore.cli import main
from nncore.costs import COSTS
from nncore.evaluation import saturation
from nncore.gradient_norms import learning_speed
from nncore.network import one_hot


def mean_cost(net, x, y):
    """Mean C over the rows of x from the forward pass alone (no backprop)."""
    zs, acts = net.forward(x)
    return net.cost.value(acts[-1], y, zs[-1]) / len(x)


def finite_difference_speeds(net, x, labels, h=1e-3):
    """‖∂C/∂bˡ‖ per layer from five-point central differences of the mean cost (error O(h⁴))."""
    y = one_hot(labels, net.sizes[-1], np.float64)
    speeds = []
    for b in net.biases:
        grad = np.empty_like(b)
        for i in range(b.size):
            old, c = b[i], []
            for step in (2, 1, -1, -2):
                b[i] = old + step * h
                c.append(mean_cost(net, x, y))
            b[i] = old
            grad[i] = (-c[0] + 8 * c[1] - 8 * c[2] + c[3]) / (12 * h)
        speeds.append(float(np.linalg.norm(grad)))
    return speeds


@pytest.mark.parametrize("cost", list(COSTS))
@pytest.mark.parametrize("sizes", [[3, 2], [6, 5, 4, 3], [5, 7, 6, 5, 4]])
def test_equals_finite_differences_of_the_mean_cost(sizes, cost, rng):
    """Each layer's speed is the length of the numerical gradient of the mean C in its biases (1e-9)."""
    net = Network(sizes, cost=cost, init="normal", rng=rng, dtype=np.float64)
    x = rng.random((9, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=9)
    speeds = learning_speed(net, x, labels)
    expected = finite_difference_speeds(net, x, labels)
    assert len(speeds) == len(sizes) - 1
    np.testing.assert_allclose(speeds, expected, rtol=1e-9, atol=0)


def test_chunks_give_the_same_mean_and_the_network_is_left_alone(rng, monkeypatch):
    """Chunks of a few rows average to the one-chunk speeds; a float32 network is read, not changed."""
    net = Network([8, 6, 5, 4], rng=rng)                         # float32
    x, labels = rng.random((23, 8)), rng.integers(0, 4, size=23)
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    whole = learning_speed(net, x, labels)
    monkeypatch.setattr(speed_module, "CHUNK_BYTES", 6 * 8 * sum(net.sizes) * 3)   # 3 rows a chunk
    np.testing.assert_allclose(learning_speed(net, x, labels), whole, rtol=1e-12)
    after = net.weights + net.biases
    assert all(a.dtype == np.float32 and np.array_equal(a, b) for a, b in zip(after, before))


@pytest.mark.parametrize("cost", list(COSTS))
def test_float32_speeds_agree_with_float64s(mnist, cost):
    """The epoch reports compute in the network's float32: 784-30-30-30-10 on 500 training images gives
    float64's speeds to 1e-6 (relative), over a first layer 10–100 times slower than the last."""
    net = Network([784, 30, 30, 30, 10], cost=cost, init="normal", rng=5)
    x, labels = mnist.train.x[:500], mnist.train.labels[:500]
    fast = learning_speed(net, x, labels, dtype=np.float32)
    exact = learning_speed(net, x, labels)
    assert fast != exact                          # it really computed in float32
    np.testing.assert_allclose(fast, exact, rtol=1e-6, atol=0)


def test_bad_shapes_are_refused(rng):
    """x must be (m, n_0) with one label per row."""
    net = Network([4, 3, 2], rng=rng)
    with pytest.raises(ValueError, match=r"x \(m, n_0\) and labels \(m,\)"):
        learning_speed(net, rng.random((5, 4)), [0, 1])


def test_earlier_layers_learn_slower_in_a_deep_sigmoid_network(mnist):
    """784-30-30-30-30-10, N(0, 1), seed 1, on 1,000 training images: the speed grows layer by layer
    through the hidden layers and the first is under a fifth of the last hidden one (the book's 0.003
    against 0.285 is the same effect)."""
    net = Network([784, 30, 30, 30, 30, 10], init="normal", rng=1)
    speeds = learning_speed(net, mnist.train.x[:1000], mnist.train.labels[:1000])
    hidden = speeds[:-1]
    assert len(speeds) == 5
    assert all(a < b for a, b in zip(hidden, hidden[1:])), speeds
    assert hidden[0] < 0.2 * hidden[-1], speeds


def test_learning_speed_is_exported_from_the_package():
    """nncore.learning_speed is the function itself (its module has another name, so nothing shadows it)."""
    import nncore
    from nncore.gradient_norms import learning_speed

    assert nncore.learning_speed is learning_speed


def test_every_epoch_report_carries_the_speeds_on_the_first_1000_training_images(mnist):
    """SGD's epoch report holds learning_speed of the network as it stands after that epoch, measured on
    x[:1000] of the training set; the speeds change as it learns."""
    net = Network([784, 12, 10], rng=3)
    data = mnist.with_train_size(2000)
    sgd = SGD(net, data.train, learning_rate=3.0, epochs=2, batch_size=10, rng=np.random.default_rng(3))
    speeds = []
    for report in sgd.run():
        if isinstance(report, EpochReport):
            speeds.append(report.learning_speed)
            x, labels = data.train.x[:1000], data.train.labels[:1000]
            assert report.learning_speed == learning_speed(net, x, labels, dtype=net.dtype)
            assert report.saturation == tuple(saturation(net, x))
    assert len(speeds) == 2 and all(len(s) == 2 for s in speeds) and speeds[0] != speeds[1]


def test_json_lines_print_the_learning_speed_per_layer(capsys):
    """train --json: every epoch line has "learning_speed", one positive number per layer."""
    assert main(["train", "--sizes", "784,10,10,10", "--epochs", "2", "--train-size", "1000", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [len(line["learning_speed"]) for line in lines] == [3, 3]
    assert all(v > 0 for line in lines for v in line["learning_speed"])
