"""The inspector's core: the traced quantities are backprop's, the step is −η × gradient, the check works."""

import numpy as np
import pytest

from nncore import Network
from nncore.activations import sigmoid_prime
from nncore.costs import COSTS
from nncore.inspection import CheckCancelled, apply_step, example_cost, gradient_check, saturation, trace


@pytest.fixture
def net():
    """A small float64 network with three layers of weights."""
    return Network([784, 20, 15, 10], init="scaled", rng=5, dtype=np.float64)


@pytest.mark.parametrize("cost", list(COSTS))
def test_trace_equals_backprop_and_the_facts_link_the_panels(mnist, cost):
    """Each traced gradient equals Network.backprop; Fact 6 of layer l is Fact 1's role for l−1."""
    net = Network([784, 20, 15, 10], cost=cost, init="scaled", rng=5, dtype=np.float64)
    x, label = mnist.test.x[3].astype(np.float64), int(mnist.test.labels[3])
    tr = trace(net, x, label)
    nabla_b, nabla_w = net.backprop(x, np.eye(10)[label])
    for l in range(3):
        np.testing.assert_allclose(tr.nabla_w[l], nabla_w[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(tr.nabla_b[l], nabla_b[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(tr.nabla_b[l], tr.dC_dz[l])                  # Fact 3
        np.testing.assert_allclose(tr.nabla_w[l], np.outer(tr.dC_dz[l], tr.activations[l]))  # Fact 5
        if l < 2 or net.cost.output == "sigmoid":   # a softmax output has no elementwise σ′
            np.testing.assert_allclose(tr.sigma_prime[l], sigmoid_prime(tr.zs[l]), rtol=1e-10)
    for l in (1, 2):
        np.testing.assert_allclose(tr.dC_da[l - 1], net.weights[l].T @ tr.dC_dz[l])  # Fact 6 → Fact 2
        np.testing.assert_allclose(tr.dC_dz[l - 1], tr.dC_da[l - 1] * tr.sigma_prime[l - 1])
    np.testing.assert_allclose(tr.activations[-1], net.feedforward(x))
    np.testing.assert_allclose(tr.dC_da[-1], net.cost.dC_da(tr.activations[-1], np.eye(10)[label]))
    if net.cost.output == "sigmoid":
        np.testing.assert_allclose(tr.dC_dz[-1], tr.dC_da[-1] * tr.sigma_prime[-1], rtol=1e-9)  # Fact 2
    else:   # softmax: δᴸ = aᴸ − y, its Jacobian (not only the diagonal a(1 − a)) applied to dC/daᴸ
        np.testing.assert_allclose(tr.dC_dz[-1], tr.activations[-1] - np.eye(10)[label], rtol=1e-12)
    if cost == "quadratic":
        np.testing.assert_allclose(tr.dC_da[-1], tr.activations[-1] - np.eye(10)[label])  # Fact 1


def test_apply_step_moves_by_exactly_minus_eta_times_the_gradient(net, mnist):
    """After one step every weight moved by −η × D_W C and the example's cost went down."""
    x, label = mnist.test.x[0].astype(np.float64), 8   # a "7" taught to be an "8"
    before = net.copy()
    tr = trace(net, x, label)
    apply_step(net, tr, 0.1)
    for l in range(3):
        np.testing.assert_allclose(net.weights[l] - before.weights[l], -0.1 * tr.nabla_w[l], atol=1e-15)
        np.testing.assert_allclose(net.biases[l] - before.biases[l], -0.1 * tr.nabla_b[l], atol=1e-15)
    assert example_cost(net, x, label) < tr.cost
    assert net.feedforward(x)[8] > before.feedforward(x)[8]


def test_gradient_check_is_tiny_for_backprop_and_large_for_a_wrong_gradient(net, mnist):
    """Backprop agrees with finite differences below 1e-6 ("backprop is right"); a gradient off by 1%
    shows ‖0.01 g‖ / (2.01 ‖g‖) ≈ 5e-3 in that layer only, and the verdict says it is wrong."""
    x, label = mnist.test.x[1].astype(np.float64), int(mnist.test.labels[1])
    good = gradient_check(net, x, label)
    assert [c.layer for c in good] == [1, 2, 3] and max(c.error for c in good) < 1e-6
    assert all(c.verdict().endswith("backprop is right") for c in good)

    def wrong(n, a, y):
        nabla_b, nabla_w = n.backprop(a, y)
        nabla_w[1] = nabla_w[1] * 1.01
        return nabla_b, nabla_w

    bad = gradient_check(net, x, label, gradient=wrong)
    assert bad[1].weights_error == pytest.approx(0.01 / 2.01, rel=1e-3)
    assert bad[1].biases_error < 1e-6 and bad[0].error < 1e-6 and bad[2].error < 1e-6
    assert "wrong" in bad[1].verdict()
    name, index, backprop, numeric = bad[1].worst[0]
    assert name == "w" and backprop == pytest.approx(1.01 * numeric, rel=1e-5)


def test_gradient_check_reports_progress_and_can_be_cancelled(net, mnist):
    """The check calls task.progress as it goes and stops with CheckCancelled when asked."""
    x, label = mnist.test.x[1].astype(np.float64), int(mnist.test.labels[1])

    class Task:
        def __init__(self, cancel_after):
            self.seen, self.cancel_after = [], cancel_after

        def progress(self, done, total):
            self.seen.append((done, total))

        def cancelled(self):
            return len(self.seen) >= self.cancel_after

    task = Task(cancel_after=10**9)
    gradient_check(net, x, label, per_layer=60, task=task)
    assert task.seen and task.seen[-1][1] == sum(min(60, n) for n in (20 * 784, 20, 15 * 20, 15, 10 * 15, 10))
    assert [d for d, _ in task.seen] == sorted(d for d, _ in task.seen)
    with pytest.raises(CheckCancelled):
        gradient_check(net, x, label, per_layer=60, task=Task(cancel_after=2))


def test_saturation_counts_flat_sigmoids(mnist):
    """A normal-init 784-100-10 has many saturated hidden neurons; scaled init has far fewer."""
    x = mnist.train.x[:300]
    normal = saturation(Network([784, 100, 10], init="normal", rng=1), x)
    scaled = saturation(Network([784, 100, 10], init="scaled", rng=1), x)
    assert len(normal) == 2 and all(0 <= s <= 1 for s in normal)
    assert normal[0] > 0.3 > scaled[0]
