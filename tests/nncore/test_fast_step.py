"""The fast paths compute what the readable ones do: the deferred per-example step is the derivation's
SGD, the mini-batch step keeps its bits, wide layers and the BLAS update agree with backprop, and the
evaluation with Network.forward."""

import numpy as np
import pytest

from nncore import SGD, BatchReport, Network, TrainingControl, evaluate
from nncore.costs import COSTS
from nncore.data import Split
from nncore.evaluation import CHUNK, PIECE
from nncore.fast.buffers import WIDE_LAYER, StepBuffers
from nncore.fast.steps import input_span, train_step

N_EXAMPLES, BLOCK = 100, 32    # three whole blocks and a short one


def per_example_reference(net, x, labels, order, eta, block=None):
    """The derivation's SGD in float64 with ``Network.backward``: every example, in ``order``, is
    followed by W ← W − η D_W C and b ← b − η dC/db.

    With ``block``, the first layer's updates are instead held back and applied every ``block``
    examples, so that the examples of a block do not see each other's updates (the counterexample).
    """
    ref = net.copy(np.float64)
    held_w, held_b = 0.0, 0.0
    for i, j in enumerate(order):
        b = ref.backward(x[j].astype(np.float64), np.eye(ref.sizes[-1])[labels[j]])
        for l in range(len(ref.weights)):
            if block and l == 0:
                held_w, held_b = held_w + eta * b.nabla_w[0], held_b + eta * b.nabla_b[0]
                if (i + 1) % block == 0 or i + 1 == len(order):
                    ref.weights[0] -= held_w
                    ref.biases[0] -= held_b
                    held_w, held_b = 0.0, 0.0
            else:
                ref.weights[l] -= eta * b.nabla_w[l]
                ref.biases[l] -= eta * b.nabla_b[l]
    return ref


def relative_error(net, ref):
    """The largest |difference| of any parameter array, relative to that array's largest |value|."""
    return max(float(np.max(np.abs(p.astype(np.float64) - r)) / np.max(np.abs(r)))
               for p, r in zip(net.weights + net.biases, ref.weights + ref.biases))


def train_per_example(net, train, eta, seed, **kwargs):
    """One epoch of SGD at m = 1 (shuffled by ``seed``); returns the reports."""
    return list(SGD(net, train, learning_rate=eta, epochs=1, batch_size=1,
                    rng=np.random.default_rng(seed), **kwargs).run())


@pytest.mark.parametrize("sizes", [[784, 30, 10], [784, 20, 20, 10], [784, 10]], ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("cost", list(COSTS))
def test_deferred_step_is_the_derivations_per_example_sgd(mnist, cost, sizes):
    """float64, m = 1, blocks of 32: within 1e-10 of backward-and-update example by example; holding
    the first layer's updates for a block without replaying them is 1e8 times further off."""
    train = mnist.with_train_size(N_EXAMPLES).train
    net = Network(sizes, cost=cost, rng=4, dtype=np.float64)
    order = np.random.default_rng(5).permutation(N_EXAMPLES)
    ref = per_example_reference(net, train.x, train.labels, order, 0.5)
    stale = per_example_reference(net, train.x, train.labels, order, 0.5, block=BLOCK)
    train_per_example(net, train, 0.5, seed=5, first_layer_block=BLOCK)
    assert relative_error(net, ref) < 1e-10
    assert relative_error(stale, ref) > 1e-2


@pytest.mark.parametrize("cost", list(COSTS))
def test_deferred_float32_differs_from_the_exact_step_only_by_rounding(mnist, cost):
    """float32: the deferred step is as close to the float64 derivation as the exact float32 step is
    (both off by rounding only: < 1e-5 relative for the quadratic cost after 100 examples)."""
    train = mnist.with_train_size(N_EXAMPLES).train
    net = Network([784, 30, 10], cost=cost, rng=4, init="scaled")
    order = np.random.default_rng(5).permutation(N_EXAMPLES)
    ref = per_example_reference(net, train.x, train.labels, order, 0.5)
    stale = per_example_reference(net, train.x, train.labels, order, 0.5, block=BLOCK)
    exact, deferred = net.copy(), net.copy()
    train_per_example(exact, train, 0.5, seed=5, first_layer_block=1)
    train_per_example(deferred, train, 0.5, seed=5, first_layer_block=BLOCK)
    e_exact, e_deferred = relative_error(exact, ref), relative_error(deferred, ref)
    assert e_deferred <= 2 * e_exact + 2e-6
    assert e_deferred < relative_error(stale, ref) / 100
    if cost == "quadratic":
        assert e_deferred < 1e-5


def test_reports_and_pauses_find_the_weights_current_and_change_no_bits(mnist):
    """m = 1 with a report after every example: each report's network equals the derivation after
    that many examples (float64, 1e-10); the final weights are the same bytes as with rare reports."""
    train = mnist.with_train_size(70).train
    net = Network([784, 16, 10], rng=6, dtype=np.float64)
    order = np.random.default_rng(7).permutation(70)
    quiet, chatty = net.copy(), net.copy()
    train_per_example(quiet, train, 1.0, seed=7, report_interval=60)
    seen = 0
    for r in SGD(chatty, train, learning_rate=1.0, epochs=1, batch_size=1, rng=np.random.default_rng(7),
                 report_interval=0).run():
        if isinstance(r, BatchReport) and r.examples in (5, 33, 64):
            ref = per_example_reference(net, train.x, train.labels, order[:r.examples], 1.0)
            assert relative_error(chatty, ref) < 1e-10
            seen += 1
    assert seen == 3
    for a, b in zip(quiet.weights + quiet.biases, chatty.weights + chatty.biases):
        assert a.tobytes() == b.tobytes()


def test_a_stop_in_the_middle_of_a_block_ends_with_current_weights(mnist):
    """A stop requested while example 33 (the second block's first) is prepared: the run ends after
    it with the derivation's weights after 33 examples, nothing pending."""
    train = mnist.with_train_size(N_EXAMPLES).train
    net = Network([784, 16, 10], rng=16, dtype=np.float64)
    start, control, loads = net.copy(), TrainingControl(), []

    def stop_at_second_block(xb, rng, yb):       # leaves the inputs as they are
        loads.append(len(xb))
        if len(loads) == 2:
            control.stop()

    reports = train_per_example(net, train, 1.0, seed=17, control=control, report_interval=60,
                                distort=stop_at_second_block, first_layer_block=BLOCK)
    assert reports[-1].reason == "stopped" and reports[-1].examples == BLOCK + 1
    order = np.random.default_rng(17).permutation(N_EXAMPLES)
    assert relative_error(net, per_example_reference(start, train.x, train.labels, order[:BLOCK + 1], 1.0)) < 1e-10


def test_a_wide_first_layer_defers_through_blas_as_exactly(mnist):
    """784-300-10 (blocks of 64, applied by one BLAS call), reports after every example: the
    derivation within 1e-12 (float64), and the same bytes as a run with no report inside a block."""
    train = mnist.with_train_size(N_EXAMPLES).train
    net = Network([784, 300, 10], cost="cross-entropy", init="scaled", rng=14, dtype=np.float64)
    order = np.random.default_rng(15).permutation(N_EXAMPLES)
    ref = per_example_reference(net, train.x, train.labels, order, 0.3)
    quiet, chatty = net.copy(), net.copy()
    train_per_example(quiet, train, 0.3, seed=15, report_interval=60)
    train_per_example(chatty, train, 0.3, seed=15, report_interval=0)
    assert relative_error(chatty, ref) < 1e-12
    for a, b in zip(quiet.weights + quiet.biases, chatty.weights + chatty.biases):
        assert a.tobytes() == b.tobytes()


def test_a_paused_run_shows_the_weights_after_exactly_the_stepped_examples(mnist):
    """Paused, then step(5): after each stepped example, mid-block, the network is the derivation's."""
    train = mnist.with_train_size(40).train
    net = Network([784, 12, 10], rng=8, dtype=np.float64)
    start = net.copy()
    control = TrainingControl()
    control.pause()
    control.step(5)
    run = SGD(net, train, learning_rate=2.0, epochs=1, batch_size=1, rng=np.random.default_rng(9),
              control=control, report_interval=60).run()
    order = np.random.default_rng(9).permutation(40)
    for k in range(1, 6):                        # a stepped mini-batch is reported right after it
        report = next(run)
        assert isinstance(report, BatchReport) and report.examples == k
        assert relative_error(net, per_example_reference(start, train.x, train.labels, order[:k], 2.0)) < 1e-10
    control.stop()
    assert list(run)[-1].reason == "stopped"


def plain_minibatch_step(net, x, y, eta):
    """The mini-batch step as plain NumPy expressions, in the order of the first fast version."""
    half, one = np.array(0.5, net.dtype), np.array(1.0, net.dtype)
    activations, zs = [x], []
    for w, b in zip(net.weights, net.biases):
        z = x @ w.T + b if not zs else activations[-1] @ w.T + b
        zs.append(z)
        activations.append(np.tanh(z * half) * half + half)
    if net.cost.output != "sigmoid":              # the output activation the cost declares
        activations[-1] = net.cost.activate(zs[-1])
    a = activations[-1]
    delta = net.cost.dC_da(a, y) if not net.cost.sigma_prime_cancels else net.cost.delta(zs[-1], a, y)
    if not net.cost.sigma_prime_cancels:
        delta = delta * ((one - a) * a)
    delta = delta * np.array(eta / len(x), net.dtype)
    for l in range(len(net.weights) - 1, -1, -1):
        delta_prev = delta @ net.weights[l]
        net.weights[l] -= delta.T @ activations[l]
        net.biases[l] -= delta.sum(axis=0)
        delta = delta_prev * ((one - activations[l]) * activations[l])


@pytest.mark.parametrize("cost", list(COSTS))
def test_minibatch_step_of_narrow_layers_keeps_its_bits(mnist, cost):
    """784-30-10 and 784-100-10, m = 10, 20 steps: the same bytes as the plain NumPy expressions of
    the same arithmetic, so a run gives the bits it gave before the step was sped up."""
    x, labels = mnist.train.x[:200], mnist.train.labels[:200]
    for sizes in ([784, 30, 10], [784, 100, 10]):
        fast = Network(sizes, cost=cost, rng=10)
        plain = fast.copy()
        buf = StepBuffers(sizes, 10, np.float32)
        for k in range(0, 200, 10):
            y = np.eye(10, dtype=np.float32)[labels[k:k + 10]]
            train_step(fast, x[k:k + 10], y, 3.0, buf)
            plain_minibatch_step(plain, x[k:k + 10], y, 3.0)
        for a, b in zip(fast.weights + fast.biases, plain.weights + plain.biases):
            assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("m", [1, 7, 40], ids=lambda m: f"m={m}")
@pytest.mark.parametrize("cost", list(COSTS))
def test_wide_layers_step_equals_backprop(cost, m, rng):
    """A layer of WIDE_LAYER + 44 neurons (examples as columns, BLAS update): every parameter moves by
    −η × backprop's mean gradient (float64, 1e-12), the last short batch included."""
    sizes = [200, WIDE_LAYER + 44, 12, 5]
    net = Network(sizes, cost=cost, rng=11, dtype=np.float64)
    x, y = rng.uniform(0, 1, (m, 200)), np.eye(5)[rng.integers(0, 5, m)]
    nabla_b, nabla_w = net.backprop(x, y)
    expected = [p - 0.3 * g for p, g in zip(net.weights + net.biases, nabla_w + nabla_b)]
    train_step(net, x, y, 0.3, StepBuffers(sizes, 40, np.float64))
    for p, e in zip(net.weights + net.biases, expected):
        np.testing.assert_allclose(p, e, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("m", [1, 7, 40], ids=lambda m: f"m={m}")
def test_a_wide_first_layer_uses_only_the_input_columns_in_use(m, rng):
    """Inputs zero outside columns 37–149 (as MNIST's borders): the step works on columns 32:160 of W¹
    only, and still moves every parameter by −η × backprop's mean gradient (float64, 1e-12); the
    unused columns of W¹ keep their bytes (a NaN planted there is never multiplied: the step's cost
    stays finite)."""
    sizes = [200, WIDE_LAYER + 44, 12, 5]
    net = Network(sizes, cost="cross-entropy", rng=11, dtype=np.float64)
    x, y = np.zeros((m, 200)), np.eye(5)[rng.integers(0, 5, m)]
    x[:, 37:150] = rng.uniform(0, 1, (m, 113)) * (rng.random((m, 113)) < 0.5)
    x[0, 37] = x[-1, 149] = 0.5
    assert input_span(x) == slice(32, 160)
    nabla_b, nabla_w = net.backprop(x, y)
    expected = [p - 0.3 * g for p, g in zip(net.weights + net.biases, nabla_w + nabla_b)]
    net.weights[0][:, 180] = expected[0][:, 180] = np.nan   # a product with it would make z¹ NaN
    outside = np.concatenate([net.weights[0][:, :32], net.weights[0][:, 160:]], axis=1)
    buffers = StepBuffers(sizes, 40, np.float64)
    if not buffers.trim_input:
        pytest.skip("NumPy's BLAS is not an OpenBLAS")
    assert np.isfinite(train_step(net, x, y, 0.3, buffers))
    for p, e in zip(net.weights + net.biases, expected):
        np.testing.assert_allclose(p, e, rtol=1e-12, atol=1e-14)
    after = np.concatenate([net.weights[0][:, :32], net.weights[0][:, 160:]], axis=1)
    assert after.tobytes() == outside.tobytes()


def test_the_input_span_is_aligned_and_never_empty():
    """The span widens to multiples of 16 within the row; an all-zero batch keeps columns 0:16."""
    x = np.zeros((3, 100))
    assert input_span(x) == slice(0, 16)
    x[1, 17], x[2, 90] = 1.0, -2.0
    assert input_span(x) == slice(16, 96)
    x[0, 99] = 3.0
    assert input_span(x) == slice(16, 100)


@pytest.mark.parametrize("sizes", [[784, 300, 10], [784, 40, 10]], ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("n", [7, PIECE + 1, 2 * PIECE + 3, CHUNK + 260])
def test_evaluation_equals_network_forward(mnist, sizes, n):
    """Pieces, chunks, wide layers and short tails: predictions and mean cost as Network.forward's,
    the cost to the last bit in float32."""
    x, labels = mnist.test.x[:n], mnist.test.labels[:n]
    net = Network(sizes, cost="cross-entropy", rng=12)
    result = evaluate(net, x, labels, predictions=True)
    total, answers = 0.0, []
    for start in range(0, n, CHUNK):
        zs, acts = net.forward(x[start:start + CHUNK])
        total += net.cost.value(acts[-1], np.eye(10, dtype=np.float32)[labels[start:start + CHUNK]], zs[-1])
        answers.append(np.argmax(acts[-1], axis=1))
    np.testing.assert_array_equal(result.predictions, np.concatenate(answers))
    assert result.cost == total / n


@pytest.mark.parametrize("sizes, cost", [([784, 300, 30, 10], "quadratic"), ([784, 30, 10], "quadratic"),
                                         ([784, 30, 10], "log-likelihood")],
                         ids=lambda v: "-".join(map(str, v)) if isinstance(v, list) else v)
def test_saturation_of_the_epoch_reports_is_network_forwards(mnist, sizes, cost):
    """The epoch reports' saturation (evaluation's buffered forward pass) equals the share of σ′ < 0.01
    in Network.forward's activations exactly, the output activation the cost declares included."""
    from nncore.activations import sigmoid_prime_from_a
    from nncore.evaluation import saturation

    net = Network(sizes, cost=cost, rng=13)
    x = mnist.train.x[:PIECE * 2 + 17]
    _, activations = net.forward(x)
    assert saturation(net, x) == [float(np.mean(sigmoid_prime_from_a(a) < 0.01)) for a in activations[1:]]


def test_l2_at_m_1_takes_the_exact_step_with_the_decay_example_by_example(mnist):
    """λ > 0 at m = 1: no deferred block (it does not model the decay), and one epoch of 40 examples
    equals W ← (1 − ηλ/n) W − η ∇C₀ example by example with Network.backward (float64, 1e-10)."""
    x, labels = mnist.train.x[:40].astype(np.float64), mnist.train.labels[:40]
    net = Network([784, 12, 10], cost="cross-entropy", rng=4, dtype=np.float64)
    ref = net.copy()
    train = Split(mnist.train.pixels[:40], labels)
    sgd = SGD(net, train, learning_rate=0.5, epochs=1, batch_size=1, rng=np.random.default_rng(9), l2=5.0)
    assert sgd._buffers.block is None
    list(sgd.run())
    eta, shrink = 0.5, 1 - 0.5 * 5.0 / 40
    for j in np.random.default_rng(9).permutation(40):
        nabla_b, nabla_w = ref.backprop(x[j], np.eye(10)[labels[j]])
        for l in range(2):
            ref.weights[l] = shrink * ref.weights[l] - eta * nabla_w[l]
            ref.biases[l] = ref.biases[l] - eta * nabla_b[l]
    assert relative_error(net, ref) < 1e-10
