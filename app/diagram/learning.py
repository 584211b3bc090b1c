"""The larger grains of learning, each on a copy: one mini-batch (here), one epoch (for a worker thread).

Both are nncore's: the mini-batch's gradient is :meth:`Network.backward`'s mean over its examples and
its step :func:`nncore.inspection.apply_step`; the epoch is :class:`nncore.SGD`. Both read only the
training split (the first ``train_size`` of its images, as a run does), never validation or test images.
"""

from dataclasses import dataclass

import numpy as np

from nncore.evaluation import evaluate
from nncore.inspection import apply_step
from nncore.network import one_hot
from nncore.reports import EpochReport
from nncore.training import SGD

DEFAULT_ETA = 3.0      # the settings' defaults (TrainingConfig's), until the window sends its settings
DEFAULT_BATCH = 10


@dataclass(frozen=True)
class LearningSettings:
    """η, the mini-batch size m and how many training images to learn from (None: all of them)."""

    eta: float = DEFAULT_ETA
    batch_size: int = DEFAULT_BATCH
    train_size: int | None = None

    @classmethod
    def from_config(cls, cfg, previous):
        """The settings of ``cfg`` (a TrainingConfig; None while the settings are invalid: ``previous``)."""
        if cfg is None:
            return previous
        return cls(float(cfg.learning_rate), int(cfg.batch_size), getattr(cfg, "train_size", None))

    def text(self):
        """'η = 3, mini-batch 10', for a label beside the buttons."""
        return f"η = {self.eta:g}, mini-batch {self.batch_size}"


def training_images(dataset, train_size=None):
    """The split the diagram learns from: ``dataset.train``, its first ``train_size`` images if given."""
    train = dataset.train
    return train.head(train_size) if train_size is not None and train_size < len(train) else train


def batch_rows(start, m, n):
    """The row indexes ``(m,)`` of the mini-batch from ``start`` in a split of ``n``, wrapping at its end."""
    return (start + np.arange(min(m, n))) % n


def rows_text(rows):
    """'training images 0 to 9' (the picker's numbering), or two runs when the batch wraps at the end."""
    runs, first = [], 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k] != rows[k - 1] + 1:
            runs.append((int(rows[first]), int(rows[k - 1])))
            first = k
    spans = " and ".join(f"{a:,}" if a == b else f"{a:,} to {b:,}" for a, b in runs)
    return f"training image{'s' if len(rows) > 1 else ''} {spans}"


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

    ``test`` is only measured (the report's accuracy), never learned from. ``control`` (an nncore
    TrainingControl) can stop it between mini-batches; then the report is None.
    """
    trained = network.copy()
    report = None
    sgd = SGD(trained, train, learning_rate=eta, epochs=1, batch_size=min(batch_size, len(train)), rng=seed,
              test=test, control=control)
    for record in sgd.run():
        if isinstance(record, EpochReport):
            report = record
    return trained, report
