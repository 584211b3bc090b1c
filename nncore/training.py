"""Stochastic gradient descent: the derivation's algorithm, and its mini-batch extension.

With ``batch_size=1`` every example is followed by the step W ← W − η D_W C, b ← b − η dC/db: the
derivation's algorithm. With m > 1 the step uses the mean gradient of m examples. Each epoch
shuffles with the given ``numpy.random.Generator`` and then evaluates on the held-out splits.
Progress comes out as records (see :mod:`nncore.reports`); nothing is printed.

The loop is written for speed (:mod:`nncore.fast`: the same math as :meth:`Network.backprop`,
checked against it in the tests): buffers are allocated once and reused with ``out=``, η/m is folded
into the small δ instead of the large gradient, weights are updated in place, mini-batches are
gathered into a reused buffer instead of copying the shuffled training set, and their one-hot targets
are gathered once per epoch. The data is read as it is held, uint8 pixels converted per mini-batch
(and per evaluation piece): a run allocates per mini-batch, never a float copy of a split. At m = 1
the first layer's updates are deferred over blocks of ``first_layer_block`` examples (every example
still sees every earlier one; only the rounding order differs) and made current before every report,
pause and stop; blocks start at fixed places in the epoch, so the results do not depend on when reports
fall. BLAS threads are chosen by the work (:func:`nncore.fast.threads.blas_threads_for`) unless the
caller sets them. Each epoch ends with :func:`nncore.evaluation.evaluate` on the held-out splits.
"""

import math
import time

import numpy as np

from .control import TrainingControl
from .errors import ConfigError
from .evaluation import evaluate
from .fast import StepBuffers, train_single, train_step
from .fast.threads import CoreMonitor, blas_threads, blas_threads_chosen_by_user, blas_threads_for, set_blas_threads
from .feeding import EpochProgress, feeder, stage_for
from .gradient_norms import speed_and_saturation
from .momentum import Momentum
from .reports import BatchReport, EpochReport, RunEnd, epochs_text
from .run_spec import MOMENTUM
from .schedule import Schedule, is_number, is_whole, validate_run, validate_schedule

SATURATION_SAMPLE = 1000   # the first training examples that saturation and learning speed are measured on
BUSY_ELSEWHERE = 0.5   # cores kept busy by other processes from which a run drops to one BLAS thread
# Examples per deferred block at m = 1, by the first layer's width: a longer block makes fewer passes
# over W¹ but a longer Σ_{s<k} per example (per epoch, one thread: 784-30-10 0.68–0.70 s at 32–64,
# 0.76 s at 128; 784-100-10 0.92 s at 32, 0.89 s at 64; 784-1000-10 2.98 s at 32, 2.50 s at 64).
FIRST_LAYER_BLOCK, WIDE_FIRST_LAYER_BLOCK, WIDE_FROM = 32, 64, 100


def first_layer_block_for(sizes):
    """The deferred block length :class:`SGD` uses at m = 1 unless told: 32, or 64 from 100 neurons."""
    return WIDE_FIRST_LAYER_BLOCK if sizes[1] >= WIDE_FROM else FIRST_LAYER_BLOCK


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
    (:func:`nncore.fast.deferred.train_example_deferred`, about twice as fast). 1 makes every update at
    once, the step exactly as the derivation writes it.

    ``threads``: BLAS threads while the run trains and evaluates. None chooses by the work
    (:func:`nncore.fast.threads.blas_threads_for`: two only for layers wide enough to gain) and drops to
    one whenever another process keeps a core busy (:class:`nncore.fast.threads.CoreMonitor`, asked at
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

    ``momentum`` = μ, 0 ≤ μ < 1: momentum-based gradient descent (:class:`~nncore.momentum.Momentum`, Nielsen ch. 3),
    v ← μv − η∇C, w ← w + v. 0, the default, is plain gradient descent on the fast steps above; with
    μ > 0 every step is the readable :meth:`Network.backward` followed by the velocity update (slower,
    and never deferred).
    """

    def __init__(self, network, train, *, learning_rate, epochs, batch_size, rng,
                 validation=None, test=None, control=None, report_interval=0.1, distort=None,
                 start_epoch=1, first_layer_block=None, threads=None, l2=0.0, patience=None,
                 halve_eta=None, momentum=0.0):
        validate_run(learning_rate, epochs, batch_size, len(train))
        validate_schedule(l2, patience, halve_eta, validation is not None and len(validation) > 0)
        if train.n_inputs != network.sizes[0]:
            raise ConfigError(f"the data has {train.n_inputs} inputs but the network's input layer "
                              f"has {network.sizes[0]}")
        if first_layer_block is None:
            first_layer_block = first_layer_block_for(network.sizes)
        if not (is_number(momentum) and momentum in MOMENTUM):
            raise ConfigError(f"momentum μ must be a number from {MOMENTUM.text()}, got {momentum!r}")
        if l2 or momentum:
            first_layer_block = 1   # the deferred step models neither the decay nor a velocity
        if not (is_whole(first_layer_block) and first_layer_block >= 1):
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
        self._watch = Schedule(network, self.learning_rate, patience, halve_eta) if patience or halve_eta else None
        self._last_report = None   # the last EpochReport, which the schedule reads
        self.restored_epoch = None  # the epoch whose network early stopping put back, once it did
        dtype = network.dtype
        self._eye = np.eye(network.sizes[-1], dtype=dtype)
        self._buffers = StepBuffers(network.sizes, batch_size, dtype, first_layer_block)
        self._stage = stage_for(network.sizes[0], batch_size, self._buffers.block, dtype)
        self._snapshot = network.copy()
        self._momentum = Momentum(network, float(momentum)) if momentum else None
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
        yield RunEnd("finished", last, len(self.train), f"finished {epochs_text(self.epochs)}")

    def _schedule(self, epoch):
        """After an epoch: early stopping and η halving by the validation accuracy; a RunEnd if it ends."""
        end, eta = self._watch.after_epoch(epoch, self._last_report.validation_accuracy, self.network,
                                           self.learning_rate, len(self.train))
        self.restored_epoch = self._watch.restored_epoch
        if eta != self.learning_rate:
            self.learning_rate = eta
            if self.control.learning_rate is not None:   # the control's η would override it
                self.control.learning_rate = eta
        return end

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
        progress = EpochProgress(perm, targets, -(-n // m))
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
        step = self._momentum.step if self._momentum else train_single if m == 1 else train_step
        feed = feeder(self.train, p.perm, p.targets, m, self.distort, self.rng, buffers, self._stage)
        clock, interval, last_report = time.perf_counter, self.report_interval, p.last_report
        is_running, stop_requested = control._running.is_set, control._stop.is_set
        eta, batch, batches, decay = self.learning_rate, p.batch, p.batches, self._decay
        first, cost_since, cost_epoch, outcome = batch, p.cost_since, p.cost_epoch, None
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
            cost_epoch += cost             # in the epoch's order: the same sum whenever reports fall
            if stepped or batch == batches or clock() - last_report >= interval:
                break
        p.batch, p.cost_since, p.cost_epoch = batch, cost_since, cost_epoch
        p.count_since += min(batch * m, n) - min(first * m, n)
        if outcome is not None:
            return outcome
        buffers.settle(net)
        if not net.is_finite():
            return self._diverged(epoch, batch * m)
        self._snapshot.set_parameters(net.weights, net.biases)   # the last known finite state
        return None

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
            result = evaluate(self.network, self.validation.stored, self.validation.labels)
            val_cost, val_acc = result.cost, result.accuracy
        if self.test is not None and len(self.test):
            test_acc = evaluate(self.network, self.test.stored, self.test.labels).accuracy
        sample = self.train.inputs(slice(0, SATURATION_SAMPLE), self.network.dtype)
        labels = self.train.labels[:SATURATION_SAMPLE]
        speed, sat = speed_and_saturation(self.network, sample, labels)
        return EpochReport(epoch, last_epoch, train_cost, val_cost, val_acc, test_acc,
                           self.learning_rate, seconds, time.perf_counter() - t0, sat, speed)
