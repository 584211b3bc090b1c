"""Momentum-based gradient descent (v ← μv − η∇C, w ← w + v) is exactly a plain reference loop, is off at
μ = 0, and reaches the command line, a sweep's list and a run's label."""

import json

import numpy as np
import pytest
from in_process_cli import cli

from nncore import SGD, ConfigError, EpochReport, Network
from nncore.network import one_hot
from nncore.run_spec import RunSpec

SIZES = [784, 12, 10]


def reference_momentum(train, *, eta, mu, m, epochs, seed, l2=0.0):
    """Nielsen's momentum loop written plainly in float64: shuffle, mini-batches of m, then for every
    weight and bias v ← μv − η∇C and w ← w + v, the gradient from ``Network.backprop``."""
    rng = np.random.default_rng(seed)
    net = Network(SIZES, rng=rng, dtype=np.float64)
    x, y, n = train.x.astype(np.float64), one_hot(train.labels, 10, np.float64), len(train)
    velocities = [np.zeros_like(p) for p in (*net.weights, *net.biases)]
    for _ in range(epochs):
        perm = rng.permutation(n)
        for k in range(0, n, m):
            idx = perm[k:k + m]
            nabla_b, nabla_w = net.backprop(x[idx], y[idx], l2=l2, n=n)
            for v, p, g in zip(velocities, (*net.weights, *net.biases), (*nabla_w, *nabla_b)):
                v[...] = mu * v - eta * g
                p += v
    return net


def sgd_momentum(train, *, eta, mu, m, epochs, seed, l2=0.0):
    rng = np.random.default_rng(seed)
    net = Network(SIZES, rng=rng, dtype=np.float64)
    list(SGD(net, train, learning_rate=eta, epochs=epochs, batch_size=m, rng=rng, l2=l2, momentum=mu).run())
    return net


@pytest.mark.parametrize("m, mu, l2", [(10, 0.9, 0.0), (1, 0.5, 0.0), (7, 0.7, 2.0)])
def test_sgd_with_momentum_is_the_reference_loop(mnist, m, mu, l2):
    """A few steps in float64 (two epochs of 70 examples; λ too): every weight and bias equals the
    reference loop's to 1e-12."""
    train = mnist.with_train_size(70).train
    ours = sgd_momentum(train, eta=0.5, mu=mu, m=m, epochs=2, seed=4, l2=l2)
    theirs = reference_momentum(train, eta=0.5, mu=mu, m=m, epochs=2, seed=4, l2=l2)
    for a, b in zip((*ours.weights, *ours.biases), (*theirs.weights, *theirs.biases)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_momentum_changes_the_path_and_zero_is_plain_sgd(mnist):
    """μ = 0.9 ends elsewhere than plain SGD from the same start; μ = 0 is plain SGD bit for bit."""
    train = mnist.with_train_size(70).train
    plain = Network(SIZES, rng=np.random.default_rng(4), dtype=np.float64)
    rng = np.random.default_rng(4)
    Network(SIZES, rng=rng)   # the same draws as the runs below
    list(SGD(plain, train, learning_rate=0.5, epochs=2, batch_size=10, rng=rng).run())
    zero = sgd_momentum(train, eta=0.5, mu=0.0, m=10, epochs=2, seed=4)
    moving = sgd_momentum(train, eta=0.5, mu=0.9, m=10, epochs=2, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(zero.weights, plain.weights))
    assert not np.allclose(moving.weights[0], plain.weights[0], atol=1e-3)


@pytest.mark.parametrize("mu", [-0.1, 1.0, float("nan"), "0.5"])
def test_sgd_refuses_a_momentum_outside_0_to_below_1(mnist, mu):
    """μ must be a number with 0 ≤ μ < 1: ConfigError naming the range."""
    train = mnist.with_train_size(70).train
    with pytest.raises(ConfigError, match="0 to below 1"):
        SGD(Network(SIZES, rng=1), train, learning_rate=0.5, epochs=1, batch_size=10, rng=1, momentum=mu)


def test_momentum_on_the_command_line_in_a_sweep_and_a_label(capsys):
    """--momentum 0.9 trains and differs from --momentum 0; 1 is refused in one line; a sweep lists it;
    the spec's label says μ."""
    args = ["train", "--sizes", "784,10,10", "--epochs", "1", "--train-size", "1000", "--json"]
    lines = {}
    for mu in ("0", "0.9"):
        status, out, err = cli(capsys, *args, "--momentum", mu)
        assert status == 0, err
        lines[mu] = EpochReport.from_json(json.loads(out))
    assert lines["0"].train_cost != lines["0.9"].train_cost
    status, out, err = cli(capsys, *args, "--momentum", "1")
    assert status == 2 and out == "" and "--momentum must be from 0 to below 1" in err
    status, out, err = cli(capsys, "sweep", *args[1:], "--momentum", "0,0.5", "--jobs", "1")
    assert status == 0, err
    assert sorted(json.loads(line)["sweep"]["momentum"] for line in out.splitlines()) == [0.0, 0.5]
    assert RunSpec(momentum=0.9).label() == "784-30-10 η=3 m=10 quadratic normal μ=0.9"
    assert "μ" not in RunSpec().label()
