"""SGD learns, is reproducible bit for bit, reports progress, and obeys stop, pause, step and η."""

import threading

import numpy as np
import pytest

from nncore import SGD, BatchReport, ConfigError, EpochReport, Network, RunEnd, Split, TrainingControl


def blobs(rng, n=600):
    """A small 2-class problem with 4 inputs: class = whether the first two inputs sum above 1."""
    x = rng.uniform(0, 1, (n, 4)).astype(np.float32)
    labels = (x[:, 0] + x[:, 1] > 1.0).astype(np.uint8)
    return Split(np.zeros((n, 4), np.uint8), labels), x


def split_of(x, labels):
    """A Split whose float inputs are given directly (no uint8 pixels behind them)."""
    return Split(np.zeros(x.shape, np.uint8), labels, given_x=x)


def run_all(sgd):
    """All reports of a run, as a list."""
    return list(sgd.run())


def test_a_small_network_learns_a_small_problem(rng):
    """A 4-8-2 network reaches at least 90% on a linearly separable problem it starts near 50% on."""
    _, x = blobs(rng)
    labels = (x[:, 0] + x[:, 1] > 1.0).astype(np.uint8)
    train, held = split_of(x[:500], labels[:500]), split_of(x[500:], labels[500:])
    net = Network([4, 8, 2], rng=1)
    before = net.accuracy(held.x, held.labels)
    reports = run_all(SGD(net, train, learning_rate=3.0, epochs=30, batch_size=10, rng=2,
                          validation=held))
    epochs = [r for r in reports if isinstance(r, EpochReport)]
    assert len(epochs) == 30 and isinstance(reports[-1], RunEnd) and reports[-1].reason == "finished"
    assert epochs[-1].validation_accuracy >= 0.9 > before
    assert epochs[-1].train_cost < epochs[0].train_cost


def test_learns_mnist_subset(mnist):
    """784-30-10 on 2,000 MNIST examples for 3 epochs gets well above chance on the validation set."""
    data = mnist.with_train_size(2000)
    net = Network([784, 30, 10], rng=3)
    reports = run_all(SGD(net, data.train, learning_rate=3.0, epochs=3, batch_size=10, rng=3,
                          validation=data.validation))
    assert [r for r in reports if isinstance(r, EpochReport)][-1].validation_accuracy > 0.5


@pytest.mark.parametrize("batch_size", [1, 10, 33])
def test_same_seed_same_weights_bit_for_bit(mnist, batch_size):
    """Two runs with the same seed, data and settings end with identical bytes in every weight."""
    data = mnist.with_train_size(400)

    def train():
        rng = np.random.default_rng(7)
        net = Network([784, 16, 10], rng=rng)
        run_all(SGD(net, data.train, learning_rate=1.0, epochs=2, batch_size=batch_size, rng=rng))
        return net

    a, b = train(), train()
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases):
        assert wa.tobytes() == wb.tobytes()
    c = Network([784, 16, 10], rng=8)
    assert c.weights[0].tobytes() != a.weights[0].tobytes()


@pytest.mark.parametrize("block", [1, 32], ids=["every update at once", "first layer deferred"])
def test_batch_size_one_is_the_derivations_per_example_update(mnist, block):
    """With m = 1 the run equals applying W ← W − η·backprop(x, y) example by example in its order,
    with the step as written and with the first layer's updates deferred over blocks (the default)."""
    data = mnist.with_train_size(70)
    net = Network([784, 5, 10], rng=4, dtype=np.float64)
    reference = net.copy()
    run_all(SGD(net, data.train, learning_rate=0.5, epochs=1, batch_size=1, rng=np.random.default_rng(5),
                first_layer_block=block))
    order = np.random.default_rng(5).permutation(70)
    for j in order:
        y = np.eye(10)[data.train.labels[j]]
        nabla_b, nabla_w = reference.backprop(data.train.x[j].astype(np.float64), y)
        for l in range(2):
            reference.weights[l] -= 0.5 * nabla_w[l]
            reference.biases[l] -= 0.5 * nabla_b[l]
    for w, r in zip(net.weights + net.biases, reference.weights + reference.biases):
        np.testing.assert_allclose(w, r, rtol=1e-10, atol=1e-12)


def test_reports_count_every_example_and_last_batch_may_be_short(mnist):
    """With 105 examples and m = 10 there are 11 batches; the reports end at 105 examples."""
    data = mnist.with_train_size(105)
    reports = run_all(SGD(Network([784, 5, 10], rng=1), data.train, learning_rate=1.0, epochs=1,
                          batch_size=10, rng=1, report_interval=0))
    batches = [r for r in reports if isinstance(r, BatchReport)]
    assert [r.batch for r in batches] == list(range(1, 12))
    assert batches[-1].examples == 105 and batches[-1].fractional_epoch == 1.0
    assert all(np.isfinite(r.cost) and r.cost > 0 for r in batches)


def test_stop_between_minibatches(mnist):
    """A stop requested after the third report ends the run with 'stopped' and no epoch report."""
    data = mnist.with_train_size(500)
    control = TrainingControl()
    reports = []
    for r in SGD(Network([784, 5, 10], rng=1), data.train, learning_rate=1.0, epochs=5, batch_size=10,
                 rng=1, control=control, report_interval=0).run():
        reports.append(r)
        if len(reports) == 3:
            control.stop()
    assert len(reports) == 4 and reports[-1].reason == "stopped" and reports[-1].examples == 30


def test_learning_rate_change_reaches_the_next_minibatch(mnist):
    """Setting control.learning_rate mid-epoch shows in the very next batch report's η."""
    data = mnist.with_train_size(100)
    control = TrainingControl()
    etas = []
    for r in SGD(Network([784, 5, 10], rng=1), data.train, learning_rate=3.0, epochs=1, batch_size=10,
                 rng=1, control=control, report_interval=0).run():
        if isinstance(r, BatchReport):
            etas.append(r.learning_rate)
            if r.batch == 4:
                control.learning_rate = 0.25
    assert etas[:4] == [3.0] * 4 and etas[4:] == [0.25] * 6


def test_pause_and_step_from_another_thread(mnist):
    """While paused, step(2) lets exactly two mini-batches run; stop() then ends the paused run."""
    data = mnist.with_train_size(200)
    control = TrainingControl()
    control.pause()
    seen = []
    sgd = SGD(Network([784, 5, 10], rng=1), data.train, learning_rate=1.0, epochs=1, batch_size=10,
              rng=1, control=control, report_interval=60)
    worker = threading.Thread(target=lambda: seen.extend(sgd.run()))
    worker.start()
    control.step(2)
    worker.join(0.5)
    assert worker.is_alive()
    control.stop()
    worker.join(5)
    assert not worker.is_alive()
    assert [r.examples for r in seen[:-1]] == [10, 20] and seen[-1].reason == "stopped"


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_divergence_restores_last_finite_weights(mnist, cost):
    """η raised to infinity mid-run: the run ends 'diverged', weights back to the last finite state.

    No NumPy warning escapes (they would raise here).
    """
    data = mnist.with_train_size(200)
    net = Network([784, 10, 10], cost=cost, rng=1)
    control = TrainingControl()
    reports = []
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for r in SGD(net, data.train, learning_rate=1.0, epochs=3, batch_size=5, rng=1,
                     report_interval=0, control=control).run():
            reports.append(r)
            if isinstance(r, BatchReport) and r.batch == 3:
                good = net.copy()
                control.learning_rate = float("inf")
    assert reports[-1].reason == "diverged" and "smaller learning rate" in reports[-1].message
    assert net.is_finite()
    for w, g in zip(net.weights + net.biases, good.weights + good.biases):
        assert np.array_equal(w, g)


@pytest.mark.parametrize("kwargs, words", [
    ({"learning_rate": 0.0}, "η must be a number from 1e-06 to 10,000"),
    ({"learning_rate": -1.0}, "η must be a number from 1e-06 to 10,000"),
    ({"epochs": 0}, "epochs must be a whole number from 1 to 10,000"),
    ({"batch_size": 500}, r"at most the training-set size \(100\)"),
    ({"first_layer_block": 0}, "first_layer_block must be a whole number of at least 1"),
])
def test_impossible_settings_are_refused_with_what_is_accepted(mnist, kwargs, words):
    """η ≤ 0, zero epochs, a batch larger than the training set or an empty deferred block raise
    ConfigError naming the rule."""
    settings = dict(learning_rate=1.0, epochs=1, batch_size=10, rng=1) | kwargs
    with pytest.raises(ConfigError, match=words):
        SGD(Network([784, 5, 10], rng=1), mnist.with_train_size(100).train, **settings)


def with_validation_accuracies(monkeypatch, accuracies):
    """Make every epoch report carry the next of ``accuracies`` as its validation accuracy."""
    import dataclasses
    sequence, evaluate_epoch = iter(accuracies), SGD._evaluate

    def fake(self, *args):
        return dataclasses.replace(evaluate_epoch(self, *args), validation_accuracy=next(sequence))
    monkeypatch.setattr(SGD, "_evaluate", fake)


def blob_run(rng, **kwargs):
    """An SGD on the blobs problem with a validation split, 4-5-2, η 1, m = 10."""
    train, x = blobs(rng)
    data = split_of(x, train.labels)
    net = Network([4, 5, 2], rng=rng)
    return net, SGD(net, data, learning_rate=1.0, batch_size=10, rng=rng, validation=data, **kwargs)


def test_patience_stops_after_n_epochs_without_a_better_validation_accuracy(rng, monkeypatch):
    """Accuracies 0.5, 0.6, 0.55, 0.6, 0.59 with patience 3: the run ends after epoch 5, saying why,
    and the network is epoch 2's (the best), not epoch 5's."""
    with_validation_accuracies(monkeypatch, [0.5, 0.6, 0.55, 0.6, 0.59, 0.9, 0.9])
    net, sgd = blob_run(rng, epochs=7, patience=3)
    kept = {}
    for report in sgd.run():
        if isinstance(report, EpochReport):
            kept[report.epoch] = net.copy()
        end = report
    assert isinstance(end, RunEnd) and end.reason == "finished" and end.epoch == 5
    assert "no better validation accuracy for 3 epochs" in end.message and "epoch 2 " in end.message
    assert sgd.restored_epoch == 2
    for p, q in zip(net.weights + net.biases, kept[2].weights + kept[2].biases):
        assert p.tobytes() == q.tobytes()
    assert any(not np.array_equal(p, q) for p, q in zip(net.weights, kept[5].weights))


def test_halve_eta_halves_after_n_flat_epochs_and_stops_at_a_128th(rng, monkeypatch):
    """No better accuracy after epoch 1, halve_eta 2: η halves after epochs 3, 5, …, 13, and the run
    ends after epoch 15, where η would reach η₀/128."""
    with_validation_accuracies(monkeypatch, [0.5] + [0.4] * 29)
    _, sgd = blob_run(rng, epochs=30, halve_eta=2)
    reports = run_all(sgd)
    etas = [r.learning_rate for r in reports if isinstance(r, EpochReport)]
    assert etas == [1.0] * 3 + [0.5] * 2 + [0.25] * 2 + [0.125] * 2 + [1 / 16] * 2 + [1 / 32] * 2 + [1 / 64] * 2
    assert reports[-1].reason == "finished" and reports[-1].epoch == 15
    assert "1/128" in reports[-1].message


def test_an_improvement_resets_the_halving_count(rng, monkeypatch):
    """A better accuracy in between restarts the count: 0.5, 0.4, 0.6, 0.4, 0.4 halves only after epoch 5."""
    with_validation_accuracies(monkeypatch, [0.5, 0.4, 0.6, 0.4, 0.4, 0.4])
    _, sgd = blob_run(rng, epochs=6, halve_eta=2)
    etas = [r.learning_rate for r in run_all(sgd) if isinstance(r, EpochReport)]
    assert etas == [1.0] * 5 + [0.5]


@pytest.mark.parametrize("kwargs, words", [({"l2": -1.0}, "λ must be a number from 0 to 1,000"),
                                           ({"patience": 0}, "patience must be a whole number"),
                                           ({"halve_eta": 2.5}, "halve_eta must be a whole number")])
def test_bad_l2_patience_or_halve_eta_is_refused(rng, kwargs, words):
    """λ outside 0 … 1000, or a patience or halving count below 1 or fractional, is a ConfigError."""
    with pytest.raises(ConfigError, match=words):
        blob_run(rng, epochs=2, **kwargs)


def test_patience_needs_a_validation_split(rng):
    """Early stopping without validation data says what it needs."""
    train, x = blobs(rng)
    with pytest.raises(ConfigError, match="no validation split"):
        SGD(Network([4, 5, 2], rng=rng), split_of(x, train.labels), learning_rate=1.0, epochs=2,
            batch_size=10, rng=rng, patience=2)


def test_mini_batch_rows_from_the_pixels_have_x_s_bits(mnist, rng):
    """rows_into fetches a mini-batch as uint8 pixels and divides by 255: the bytes of x's rows, for
    MNIST's rows and for every pixel value 0–255; given inputs and a float64 buffer take x's rows."""
    idx = rng.permutation(len(mnist.train))[:100]
    out = np.empty((100, 784), np.float32)
    assert mnist.train.rows_into(idx, out).tobytes() == mnist.train.x[idx].tobytes()
    every = Split(np.arange(256, dtype=np.uint8).reshape(4, 64), np.zeros(4, np.uint8))
    assert every.rows_into(np.arange(4), np.empty((4, 64), np.float32)).tobytes() == every.x.tobytes()
    given = split_of(rng.uniform(0, 1, (5, 4)).astype(np.float32), np.zeros(5, np.uint8))
    assert given.rows_into(np.array([4, 1]), np.empty((2, 4), np.float32)).tolist() == given.x[[4, 1]].tolist()
    head = mnist.train.head(300)
    assert head.rows_into(idx[idx < 300], np.empty(((idx < 300).sum(), 784), np.float32)).tobytes() == \
        mnist.train.x[idx[idx < 300]].tobytes()
