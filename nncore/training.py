"""Stochastic gradient descent: the derivation's algorithm, and its mini-batch extension.

With ``batch_size=1`` every example is followed by the step W ← W − η D_W C, b ← b − η dC/db: the
derivation's algorithm exactly. With m > 1 the step uses the mean gradient of m examples. Each epoch
shuffles with the given ``numpy.random.Generator`` and then evaluates on the held-out splits.
Progress comes out as records (see :mod:`nncore.reports`); nothing is printed.

The loop is written for speed (:mod:`nncore.sgd_step`: the same math as :meth:`Network.backprop`,
checked against it in the tests): buffers are allocated once and reused with ``out=``, η/m is folded
into the small δ instead of the large gradient, weights are updated in place, and mini-batches are
gathered into a reused buffer instead of copying the shuffled training set. Each epoch ends with
:func:`nncore.evaluation.evaluate` on the held-out splits.
"""

import math
import time

import numpy as np

from .control import TrainingControl
from .errors import ConfigError
from .evaluation import evaluate
from .inspection import saturation
from .limits import BATCH_SIZE, EPOCHS, LEARNING_RATE
from .reports import BatchReport, EpochReport, RunEnd
from .sgd_step import StepBuffers, _train_single, train_step

SATURATION_SAMPLE = 1000


def validate_run(learning_rate, epochs, batch_size, n_train):
    """Raise ConfigError with what is accepted unless the settings can run.

    The bounds are :mod:`nncore.limits`' LEARNING_RATE, EPOCHS and BATCH_SIZE; a mini-batch also
    holds at most the ``n_train`` training examples.
    """
    if not (_is_number(learning_rate) and learning_rate in LEARNING_RATE):
        raise ConfigError(f"learning rate η must be a number from {LEARNING_RATE.text()}, "
                          f"got {learning_rate!r}")
    if not (_is_whole(epochs) and epochs in EPOCHS):
        raise ConfigError(f"epochs must be a whole number from {EPOCHS.text()}, got {epochs!r}")
    if n_train < 1:
        raise ConfigError("the training set is empty")
    if not (_is_whole(batch_size) and batch_size in BATCH_SIZE and batch_size <= n_train):
        raise ConfigError(f"mini-batch size must be a whole number from {BATCH_SIZE.text()} and at most "
                          f"the training-set size ({n_train:,}), got {batch_size!r}")


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


class SGD:
    """Train ``network`` on ``train`` (a :class:`~nncore.data.Split`) by gradient descent.

    ``run()`` is a generator of reports. ``control`` (a :class:`TrainingControl`) stops, pauses,
    steps and changes η between mini-batches from any thread. ``report_interval`` is the minimum
    number of seconds between batch reports (0 reports after every mini-batch). ``distort``, if
    given, is called as ``distort(x_batch, rng)`` on each gathered ``(m, n_0)`` batch in place.
    """

    def __init__(self, network, train, *, learning_rate, epochs, batch_size, rng,
                 validation=None, test=None, control=None, report_interval=0.1, distort=None,
                 start_epoch=1):
        validate_run(learning_rate, epochs, batch_size, len(train))
        if train.x.shape[1] != network.sizes[0]:
            raise ConfigError(f"the data has {train.x.shape[1]} inputs but the network's input layer "
                              f"has {network.sizes[0]}")
        self.network, self.train = network, train
        self.validation, self.test = validation, test
        self.learning_rate, self.epochs, self.batch_size = float(learning_rate), epochs, batch_size
        self.rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        self.control = control or TrainingControl()
        self.report_interval, self.distort = report_interval, distort
        self.start_epoch = start_epoch
        dtype = network.dtype
        for split in (validation, test):   # convert held-out pixels now, not inside epoch 1's timing
            if split is not None:
                _ = split.x
        self._x = train.x if train.x.dtype == dtype else train.x.astype(dtype)
        self._eye = np.eye(network.sizes[-1], dtype=dtype)
        self._buffers = StepBuffers(network.sizes, batch_size, dtype)
        self._snapshot = network.copy()

    def run(self):
        """Yield BatchReport, EpochReport ... and one RunEnd; the network is trained in place."""
        last = self.start_epoch + self.epochs - 1
        for epoch in range(self.start_epoch, last + 1):
            outcome = yield from self._epoch(epoch, last)
            if outcome is not None:
                yield outcome
                return
            if self.control.stop_requested:
                yield RunEnd("stopped", epoch, len(self.train), f"stopped after epoch {epoch}")
                return
        yield RunEnd("finished", last, len(self.train), f"finished {self.epochs} epochs")

    def _epoch(self, epoch, last_epoch):
        """Train one epoch, yielding batch reports then the epoch report; return a RunEnd if it ended."""
        n, m = len(self.train), self.batch_size
        progress = _EpochProgress(self.rng.permutation(n), -(-n // m))
        while progress.batch < progress.batches:
            # Overflow from a far too large η is detected and reported (RunEnd 'diverged'),
            # so NumPy's own warnings about it are silenced while the batches run.
            with np.errstate(over="ignore", invalid="ignore"):
                outcome = self._train_until_report(epoch, progress)
            if outcome is not None:
                return outcome
            now = time.perf_counter()
            yield BatchReport(epoch, progress.batch, progress.batches, min(progress.batch * m, n), n,
                              progress.cost_since / progress.count_since, self.learning_rate,
                              now - progress.t_start)
            progress.reset_since(now)
        seconds = time.perf_counter() - progress.t_start
        yield self._evaluate(epoch, last_epoch, progress.cost_epoch / n, seconds)
        return None

    def _train_until_report(self, epoch, p):
        """Run mini-batches until a report is due; return a RunEnd if the run must end.

        This is the hot loop (50,000 passes an epoch at m = 1), so lookups are bound to locals.
        """
        net, control, buffers, m = self.network, self.control, self._buffers, self.batch_size
        x, labels, eye, perm, distort = self._x, self.train.labels, self._eye, p.perm, self.distort
        step = _train_single if m == 1 else train_step
        gather, clock, interval = buffers.gather, time.perf_counter, self.report_interval
        is_running, stop_requested = control._running.is_set, control._stop.is_set
        eta, batch, batches = self.learning_rate, p.batch, p.batches
        cost_since, count_since = p.cost_since, p.count_since
        outcome = None
        while batch < batches:
            stepped = False if is_running() else control.wait_turn()
            if stop_requested():
                outcome = RunEnd("stopped", epoch, batch * m, f"stopped in epoch {epoch}")
                break
            if control.learning_rate is not None:
                eta = self.learning_rate = float(control.learning_rate)
            idx = perm[batch * m:(batch + 1) * m]
            xb, yb = gather(x, idx, eye, labels)
            if distort is not None:
                xb = _distorted(distort, xb, self.rng, buffers)
            cost = step(net, xb, yb, eta, buffers)
            if not math.isfinite(cost):
                outcome = self._diverged(epoch, batch * m)
                break
            batch += 1
            cost_since += cost
            count_since += len(idx)
            if stepped or batch == batches or clock() - p.last_report >= interval:
                break
        p.batch, p.cost_since, p.count_since = batch, cost_since, count_since
        if outcome is not None:
            return outcome
        if not net.is_finite():
            return self._diverged(epoch, batch * m)
        self._snapshot.set_parameters(net.weights, net.biases)   # the last known finite state
        return None

    def _diverged(self, epoch, examples):
        """Restore the last finite weights and explain what happened."""
        self.network.set_parameters(self._snapshot.weights, self._snapshot.biases)
        return RunEnd("diverged", epoch, examples,
                      f"training diverged in epoch {epoch} (the cost or the weights became NaN or "
                      f"infinite at η = {self.learning_rate:g}); the network was restored to its last "
                      "finite state. Try a smaller learning rate η.")

    def _evaluate(self, epoch, last_epoch, train_cost, seconds):
        """Cost and accuracy on the held-out splits → EpochReport."""
        t0 = time.perf_counter()
        val_cost = val_acc = test_acc = None
        if self.validation is not None and len(self.validation):
            result = evaluate(self.network, self.validation.x, self.validation.labels)
            val_cost, val_acc = result.cost, result.accuracy
        if self.test is not None and len(self.test):
            test_acc = evaluate(self.network, self.test.x, self.test.labels).accuracy
        sat = tuple(saturation(self.network, self._x[:SATURATION_SAMPLE]))
        return EpochReport(epoch, last_epoch, train_cost, val_cost, val_acc, test_acc,
                           self.learning_rate, seconds, time.perf_counter() - t0, sat)


class _EpochProgress:
    """Mutable bookkeeping of one epoch: the order, the batch reached and the running cost sums."""

    def __init__(self, perm, batches):
        self.perm, self.batches, self.batch = perm, batches, 0
        self.cost_since, self.count_since, self.cost_epoch = 0.0, 0, 0.0
        self.t_start = self.last_report = time.perf_counter()

    def reset_since(self, now):
        """Fold the costs since the last report into the epoch's sum and restart the interval."""
        self.cost_epoch += self.cost_since
        self.cost_since, self.count_since, self.last_report = 0.0, 0, now


def _distorted(distort, xb, rng, buffers):
    """Distort a gathered batch in place; a single example (a view of the data) is copied first."""
    if xb.ndim == 1:
        single = buffers.x[0]
        np.copyto(single, xb)
        distort(single[None, :], rng)
        return single
    distort(xb, rng)
    return xb
