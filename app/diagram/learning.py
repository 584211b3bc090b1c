"""The larger grains of learning, each on a copy: one mini-batch (here), one epoch (for a worker thread).

Both are nncore's: the mini-batch's gradient is :meth:`Network.backward`'s mean over its examples and
its step :func:`nncore.inspection.apply_step`; the epoch is :class:`nncore.SGD`.
"""

import numpy as np

from nncore.evaluation import evaluate
from nncore.inspection import apply_step
from nncore.network import one_hot
from nncore.reports import EpochReport
from nncore.training import SGD


def batch_step(network, x, labels, eta):
    """One step ΔW = −η (mean ∂C/∂W over the rows of ``x (m, n_0)``) on a copy of ``network``.

    Returns ``(stepped, cost_before, cost_after)``, the costs being the batch's mean C per example.
    """
    net64 = network.copy(np.float64)
    y = one_hot(labels, net64.sizes[-1], np.float64)
    gradient = net64.backward(np.asarray(x, dtype=np.float64), y)   # Facts 1–6, mean over the rows
    stepped = network.copy()
    apply_step(stepped, gradient, eta)
    return stepped, evaluate(network, x, labels).cost, evaluate(stepped, x, labels).cost


def train_epoch(network, train, test, eta, batch_size, seed, control):
    """One epoch of SGD on a copy of ``network`` over split ``train``; returns ``(trained, EpochReport)``.

    ``control`` (an nncore TrainingControl) can stop it between mini-batches; then the report is None.
    """
    trained = network.copy()
    report = None
    sgd = SGD(trained, train, learning_rate=eta, epochs=1, batch_size=batch_size, rng=seed, test=test,
              control=control)
    for record in sgd.run():
        if isinstance(record, EpochReport):
            report = record
    return trained, report
