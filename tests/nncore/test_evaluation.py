"""One evaluation path: cost, accuracy and predictions agree with a plain per-example computation,
and training, Network and the CLI all report its numbers."""

import numpy as np
import pytest

from nncore import SGD, EpochReport, Network, evaluate
from nncore.evaluation import CHUNK


def per_example(net, x, labels):
    """(mean cost, accuracy, predictions) one example at a time, without nncore's evaluation."""
    costs, answers = [], []
    for xi, label in zip(x.astype(np.float64), labels):
        zs, acts = net.forward(xi)
        costs.append(net.cost.value(acts[-1], np.eye(10)[label], zs[-1]))
        answers.append(int(np.argmax(acts[-1])))
    answers = np.array(answers)
    return np.mean(costs), np.mean(answers == labels), answers


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_evaluate_equals_the_per_example_computation_across_chunks(mnist, cost):
    """On CHUNK + 7 examples (two chunks): the same predictions and accuracy, the mean cost to 1e-12."""
    net = Network([784, 16, 10], cost=cost, init="scaled", rng=2, dtype=np.float64)
    x, labels = mnist.test.x[:CHUNK + 7], mnist.test.labels[:CHUNK + 7]
    result = evaluate(net, x, labels, predictions=True)
    mean_cost, accuracy, answers = per_example(net, x, labels)
    assert result.predictions.shape == (CHUNK + 7,) and result.predictions.dtype == np.int64
    np.testing.assert_array_equal(result.predictions, answers)
    assert result.accuracy == accuracy and result.cost == pytest.approx(mean_cost, rel=1e-12)
    assert evaluate(net, x, labels).predictions is None


def test_predict_takes_a_batch_and_accuracy_agrees(mnist):
    """predict: (m, n_0) → (m,) for any m ≥ 1; a single 1-D example is refused, saying what to pass."""
    net = Network([784, 8, 10], rng=1)
    x, labels = mnist.test.x[:50], mnist.test.labels[:50]
    assert net.predict(x).shape == (50,) and net.predict(x[:1]).shape == (1,)
    assert net.accuracy(x, labels) == np.mean(net.predict(x) == labels)
    with pytest.raises(ValueError, match=r"x\[None, :\]"):
        net.predict(x[0])


def test_empty_input_gives_zero_and_no_labels_gives_only_predictions(mnist):
    """No rows: cost and accuracy 0; no labels: cost and accuracy None, predictions still made."""
    net = Network([784, 8, 10], rng=1)
    empty = evaluate(net, mnist.test.x[:0], mnist.test.labels[:0], predictions=True)
    assert (empty.cost, empty.accuracy, empty.predictions.shape) == (0.0, 0.0, (0,))
    unlabelled = evaluate(net, mnist.test.x[:5], predictions=True)
    assert unlabelled.cost is None and unlabelled.accuracy is None and unlabelled.predictions.shape == (5,)


def test_epoch_reports_are_evaluate_on_the_trained_network(mnist):
    """The last epoch report's validation cost and accuracy and test accuracy are evaluate()'s exactly."""
    data = mnist.with_train_size(500)
    net = Network([784, 10, 10], rng=3)
    reports = list(SGD(net, data.train, learning_rate=3.0, epochs=1, batch_size=10, rng=3,
                       validation=data.validation, test=data.test).run())
    last = [r for r in reports if isinstance(r, EpochReport)][-1]
    validation = evaluate(net, data.validation.x, data.validation.labels)
    assert (last.validation_cost, last.validation_accuracy) == (validation.cost, validation.accuracy)
    assert last.test_accuracy == evaluate(net, data.test.x, data.test.labels).accuracy
