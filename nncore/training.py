"""Stochastic gradient descent: the derivation's algorithm, and its mini-batch extension.

With ``batch_size=1`` every example is followed by the step W ← W − η D_W C, b ← b − η dC/db: the
derivation's algorithm. With m > 1 the step uses the mean gradient of m examples. Each epoch
shuffles with the given ``numpy.random.Generator`` and then evaluates on the held-out splits.
Progress comes out as records (see :mod:`nncore.reports`); nothing is printed.

The loop is written for speed (:mod:`nncore.sgd_step`: the same math as :meth:`Network.backprop`,
checked against it in the tests): buffers are allocated once and reused with ``out=``, η/m is folded
into the small δ instead of the large gradient, weights are updated in place, mini-batches are
gathered into a reused buffer instead of copying the shuffled training set, and their one-hot targets
are gathered once per epoch. At m = 1 the first layer's updates are deferred over blocks of
``first_layer_block`` examples (every example still sees every earlier one; only the rounding order
differs) and made current before every report, pause and stop; blocks start at fixed places in the
epoch, so the results do not depend on when reports fall. BLAS threads are chosen by the work
(:func:`nncore.process.blas_threads_for`) unless the caller sets them. Each epoch ends with
:func:`nncore.evaluation.evaluate` on the held-out splits.
"""

import math
import time

import numpy as np

from .control import TrainingControl
from .errors import ConfigError
from .evaluation import evaluate
from .gradient_norms import speed_and_saturation
from .limits import BATCH_SIZE, EPOCHS, L2, LEARNING_RATE
from .process import CoreMonitor, blas_threads, blas_threads_chosen_by_user, blas_threads_for, set_blas_threads
from .reports import BatchReport, EpochReport, RunEnd
from .sgd_step import StepBuffers, _train_single, train_step

SATURATION_SAMPLE = 1000   # the first training examples that saturation and learning speed are measured on
BUSY_ELSEWHERE = 0.5   # cores kept busy by other processes from which a run drops to one BLAS thread
# Examples per deferred block at m = 1, by the first layer's width: a longer block makes fewer passes
# over W¹ but a longer Σ_{s<k} per example (per epoch, one thread: 784-30-10 0.68–0.70 s at 32–64,
# 0.76 s at 128; 784-100-10 0.92 s at 32, 0.89 s at 64; 784-1000-10 2.98 s at 32, 2.50 s at 64).
FIRST_LAYER_BLOCK, WIDE_FIRST_LAYER_BLOCK, WIDE_FROM = 32, 64, 100
ETA_FLOOR = 128   # halve_eta stops the run once η has fallen to 1/128 of its start (the book's)


def first_layer_block_for(sizes):
    """The deferred block length :class:`SGD` uses at m = 1 unless told: 32, or 64 from 100 neurons."""
    return WIDE_FIRST_LAYER_BLOCK if sizes[1] >= WIDE_FROM else FIRST_LAYER_BLOCK


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


def validate_schedule(l2, patience, halve_eta, has_validation):
    """Raise ConfigError with what is accepted unless λ, ``patience`` and ``halve_eta`` can run.

    λ is :mod:`nncore.limits`' L2; patience and halve_eta are None (off) or whole numbers of at least
    1, and need a validation split to watch.
    """
    if not (_is_number(l2) and l2 in L2):
        raise ConfigError(f"L2 regularisation λ must be a number from {L2.text()}, got {l2!r}")
    for name, value in (("patience", patience), ("halve_eta", halve_eta)):
        if value is None:
            continue
        if not (_is_whole(value) and value in EPOCHS):
            raise ConfigError(f"{name} must be a whole number of epochs from {EPOCHS.text()}, got {value!r}")
        if not has_validation:
            raise ConfigError(f"{name} watches the validation accuracy, but no validation split was given")


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


class SGD:
    """Train ``network`` on ``train`` (a :class:`~nncore.data.Split`) by gradient descent.

    ``run()`` is a generator of reports. ``control`` (a :class:`TrainingControl`) stops, pauses,
    steps and changes η between mini-batches from any thread. ``report_interval`` is the minimum
    number of seconds between batch reports (0 reports after every mini-batch). ``distort``, if
    given, is called as ``distort(x_batch, rng, y_batch)`` on each gathered ``(m, n_0)`` batch in place
    (``y_batch (m, n_L)``, its one-hot targets).

    ``first_layer_block``: with ``batch_size=1``, the first layer's updates are deferred over blocks
    of this many examples (None: :func:`first_layer_block_for` the sizes) and applied with one matrix
    product; every example still sees every earlier update, through the block's Gram matrix, so this
    is the derivation's algorithm with the sums in another order
    (:func:`nncore.sgd_step.train_example_deferred`, about twice as fast). 1 makes every update at
    once, the step exactly as the derivation writes it.

    ``threads``: BLAS threads while the run trains and evaluates. None chooses by the work
    (:func:`nncore.process.blas_threads_for`: two only for layers wide enough to gain) and drops to
    one whenever another process keeps a core busy (:class:`nncore.process.CoreMonitor`, asked at
    every report; two threads are 2–7× slower than one then), and off Linux, where it cannot tell.
    A number sets the count: a window that needs a core for its event loop passes 1. The attribute
    ``threads`` may be changed from another thread while the run goes on; it takes effect at the next
    report. The count the process had is restored when the run ends. When the user set
    ``OPENBLAS_NUM_THREADS``, None leaves their count alone. OpenBLAS splits a wide product's sums
    differently on two threads, so a wide network's bits depend on the thread count: for runs that
    must repeat bit for bit, pass a number (narrow networks always run on one thread).

    ``l2`` = λ ≥ 0: L2 regularisation, C = C₀ + λ/(2n) Σ w² over the weights, n = len(train); each
    step first shrinks the weights by (1 − ηλ/n). With λ > 0 the first layer's updates are never
    deferred (``first_layer_block`` is taken as 1). The reported costs are C₀'s.

    ``patience``: stop after this many epochs without a better validation accuracy, and put back
    the network of the best epoch. ``halve_eta``: halve η after this many epochs without a better
    validation accuracy, and stop once η has fallen to 1/128 of its start. None: off. Either ends the
    run with a RunEnd 'finished' whose message says why.
    """

    def __init__(self, network, train, *, learning_rate, epochs, batch_size, rng,
                 validation=None, test=None, control=None, report_interval=0.1, distort=None,
                 start_epoch=1, first_layer_block=None, threads=None, l2=0.0, patience=None,
                 halve_eta=None):
        validate_run(learning_rate, epochs, batch_size, len(train))
        validate_schedule(l2, patience, halve_eta, validation is not None and len(validation) > 0)
        if train.x.shape[1] != network.sizes[0]:
            raise ConfigError(f"the data has {train.x.shape[1]} inputs but the network's input layer "
                              f"has {network.sizes[0]}")
        if first_layer_block is None:
            first_layer_block = first_layer_block_for(network.sizes)
        if l2:
            first_layer_block = 1   # the deferred step does not model the decay between examples
        if not (_is_whole(first_layer_block) and first_layer_block >= 1):
            raise ConfigError(f"first_layer_block must be a whole number of at least 1, got {first_layer_block!r}")
        self.network, self.train = network, train
        self.validation, self.test = validation, test
        self.learning_rate, self.epochs, self.batch_size = float(learning_rate), epochs, batch_size
        self.rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        self.control = control or TrainingControl()
        self.report_interval, self.distort = report_interval, distort
        self.start_epoch = start_epoch
        self.threads = threads
        self.l2, self.patience, self.halve_eta = float(l2), patience, halve_eta
        self._decay = self.l2 / len(train)   # λ/n
        self._watch = _Watch(network, self.learning_rate) if patience or halve_eta else None
        self._last_report = None   # the last EpochReport, which the schedule reads
        self.restored_epoch = None  # the epoch whose network early stopping put back, once it did
        dtype = network.dtype
        for split in (validation, test):   # convert held-out pixels now, not inside epoch 1's timing
            if split is not None:
                _ = split.x
        self._x = train.x if train.x.dtype == dtype else train.x.astype(dtype)
        self._eye = np.eye(network.sizes[-1], dtype=dtype)
        self._buffers = StepBuffers(network.sizes, batch_size, dtype, first_layer_block)
        self._snapshot = network.copy()
        self._threads_set = None    # the BLAS thread count this run asked for, once it did
        self._cores = CoreMonitor()

    def run(self):
        """Yield BatchReport, EpochReport ... and one RunEnd; the network is trained in place."""
        previous = blas_threads()
        try:
            yield from self._run()
        finally:   # also when the run is interrupted (Ctrl-C) or closed between reports
            self._buffers.settle(self.network)
            if self._threads_set is not None and previous is not None and previous != self._threads_set:
                set_blas_threads(previous)

    def _run(self):
        """The epochs, then the RunEnd (``run`` sets the BLAS threads around it)."""
        last = self.start_epoch + self.epochs - 1
        for epoch in range(self.start_epoch, last + 1):
            outcome = yield from self._epoch(epoch, last)
            if outcome is None and self._watch is not None:
                outcome = self._schedule(epoch)
            if outcome is not None:
                yield outcome
                return
            if self.control.stop_requested:
                yield RunEnd("stopped", epoch, len(self.train), f"stopped after epoch {epoch}")
                return
        yield RunEnd("finished", last, len(self.train), f"finished {self.epochs} epochs")

    def _schedule(self, epoch):
        """After an epoch: early stopping and η halving by the validation accuracy; a RunEnd if it ends."""
        watch = self._watch
        if watch.see(self._last_report.validation_accuracy, epoch):
            watch.keep(self.network)
            return None
        if self.patience and watch.since_best >= self.patience:
            watch.restore(self.network)
            self.restored_epoch = watch.best_epoch
            return RunEnd("finished", epoch, len(self.train),
                          f"stopped early after epoch {epoch}: no better validation accuracy for "
                          f"{self.patience} epochs; kept the network of epoch {watch.best_epoch} "
                          f"(validation {100 * watch.best_accuracy:.2f}%)")
        if self.halve_eta and watch.since_change >= self.halve_eta:
            watch.since_change = 0
            eta = self.learning_rate / 2
            if eta <= watch.start_eta / ETA_FLOOR * (1 + 1e-9):
                return RunEnd("finished", epoch, len(self.train),
                              f"stopped after epoch {epoch}: η was halved down to 1/{ETA_FLOOR} of its "
                              f"start ({watch.start_eta:g} → {eta:g}) without a better validation accuracy")
            self.learning_rate = eta
            if self.control.learning_rate is not None:   # the control's η would override it
                self.control.learning_rate = eta
        return None

    def _apply_threads(self):
        """Set the BLAS threads this run should use now: ``threads``, or chosen by the work, and one
        while another process keeps a core busy (or before the first look at the cores)."""
        wanted = self.threads
        if wanted is None:
            if blas_threads_chosen_by_user():
                return
            wanted = blas_threads_for(self.network.sizes, self.batch_size)
            others = self._cores.others() if wanted > 1 else 0.0
            if others is None or others >= BUSY_ELSEWHERE:   # not known yet, or a core is taken
                wanted = 1
        if wanted != self._threads_set:
            if blas_threads() != wanted:   # no call at all when the count is already right
                set_blas_threads(wanted)
            self._threads_set = wanted

    def _epoch(self, epoch, last_epoch):
        """Train one epoch, yielding batch reports then the epoch report; return a RunEnd if it ended."""
        n, m = len(self.train), self.batch_size
        perm = self.rng.permutation(n)
        targets = np.take(self._eye, self.train.labels[perm], axis=0)   # one-hot rows, in this order
        progress = _EpochProgress(perm, targets, -(-n // m))
        while progress.batch < progress.batches:
            self._apply_threads()
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
        self._apply_threads()
        self._last_report = self._evaluate(epoch, last_epoch, progress.cost_epoch / n, seconds)
        yield self._last_report
        return None

    def _train_until_report(self, epoch, p):
        """Run mini-batches until a report is due; return a RunEnd if the run must end.

        This is the hot loop (50,000 passes an epoch at m = 1), so lookups are bound to locals.
        """
        net, control, buffers, m, n = self.network, self.control, self._buffers, self.batch_size, len(self.train)
        step = _train_single if m == 1 else train_step
        feed = self._feeder(p.perm, p.targets)
        clock, interval, last_report = time.perf_counter, self.report_interval, p.last_report
        is_running, stop_requested = control._running.is_set, control._stop.is_set
        eta, batch, batches, decay = self.learning_rate, p.batch, p.batches, self._decay
        first, cost_since, outcome = batch, p.cost_since, None
        isfinite = math.isfinite
        while batch < batches:
            stepped = False
            if not is_running():
                buffers.settle(net)        # a paused run shows current weights
                stepped = control.wait_turn()
            if stop_requested():
                buffers.settle(net)        # a stopped run ends with current weights
                outcome = RunEnd("stopped", epoch, batch * m, f"stopped in epoch {epoch}")
                break
            if control.learning_rate is not None:
                eta = self.learning_rate = float(control.learning_rate)
            xb, yb = feed(batch)
            cost = step(net, xb, yb, eta, buffers, decay)
            if not isfinite(cost):
                outcome = self._diverged(epoch, batch * m)
                break
            batch += 1
            cost_since += cost
            if stepped or batch == batches or clock() - last_report >= interval:
                break
        p.batch, p.cost_since = batch, cost_since
        p.count_since += min(batch * m, n) - min(first * m, n)
        if outcome is not None:
            return outcome
        buffers.settle(net)
        if not net.is_finite():
            return self._diverged(epoch, batch * m)
        self._snapshot.set_parameters(net.weights, net.biases)   # the last known finite state
        return None

    def _feeder(self, perm, targets):
        """``feed(batch)`` → (x, y) of mini-batch number ``batch`` of the epoch ordered by ``perm``.

        A mini-batch is gathered into a reused buffer ``(m, n_0)``; one example is a view ``(n_0,)``
        of the data (copied only to be distorted); with a deferred first layer, examples come from
        the block's rows, loaded (and distorted) a whole block at a time.
        """
        x, m, distort, rng, buffers = self._x, self.batch_size, self.distort, self.rng, self._buffers
        block = buffers.block
        if block is not None:
            size = block.size

            def feed(j):
                k = j % size
                if k == 0:
                    block.load(x, perm[j:j + size], distort, rng, targets[j:j + size])
                return block.rows[k], targets[j]
        elif m == 1:
            single = buffers.x[0]

            def feed(j):
                xj = x[perm[j]]
                if distort is not None:
                    np.copyto(single, xj)
                    distort(single[None, :], rng, targets[j][None, :])
                    xj = single
                return xj, targets[j]
        else:
            rows_into = self.train.rows_into if x is self.train.x else (
                lambda idx, out: np.take(x, idx, axis=0, out=out))    # a float64 copy of the inputs

            def feed(batch):
                idx = perm[batch * m:(batch + 1) * m]
                xb = rows_into(idx, buffers.x[:len(idx)])
                yb = targets[batch * m:(batch + 1) * m]
                if distort is not None:
                    distort(xb, rng, yb)
                return xb, yb
        return feed

    def _diverged(self, epoch, examples):
        """Restore the last finite weights and explain what happened."""
        if self._buffers.block is not None:
            self._buffers.block.discard()
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
        sample, labels = self._x[:SATURATION_SAMPLE], self.train.labels[:SATURATION_SAMPLE]
        speed, sat = speed_and_saturation(self.network, sample, labels)
        return EpochReport(epoch, last_epoch, train_cost, val_cost, val_acc, test_acc,
                           self.learning_rate, seconds, time.perf_counter() - t0, sat, speed)


class _EpochProgress:
    """Mutable bookkeeping of one epoch: the order, the batch reached and the running cost sums."""

    def __init__(self, perm, targets, batches):
        self.perm, self.targets, self.batches, self.batch = perm, targets, batches, 0
        self.cost_since, self.count_since, self.cost_epoch = 0.0, 0, 0.0
        self.t_start = self.last_report = time.perf_counter()

    def reset_since(self, now):
        """Fold the costs since the last report into the epoch's sum and restart the interval."""
        self.cost_epoch += self.cost_since
        self.cost_since, self.count_since, self.last_report = 0.0, 0, now


class _Watch:
    """The best validation accuracy so far, its epoch and network, and the epochs since it improved."""

    def __init__(self, network, start_eta):
        self.start_eta, self.best_accuracy, self.best_epoch = start_eta, -1.0, None
        self.since_best = self.since_change = 0
        self.best = network.copy()

    def see(self, accuracy, epoch):
        """Record an epoch's validation accuracy; True when it is a new best (the network is kept)."""
        if accuracy is not None and accuracy > self.best_accuracy:
            self.best_accuracy, self.best_epoch = accuracy, epoch
            self.since_best = self.since_change = 0
            return True
        self.since_best += 1
        self.since_change += 1
        return False

    def keep(self, network):
        """Copy ``network``'s parameters as the best one's."""
        self.best.set_parameters(network.weights, network.biases)

    def restore(self, network):
        """Put the best epoch's parameters back into ``network``."""
        network.set_parameters(self.best.weights, self.best.biases)
