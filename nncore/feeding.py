"""How an epoch's mini-batches reach the training step, and the bookkeeping of an epoch in progress.

Rows are examples throughout: a mini-batch is ``(m, n_0)``, its one-hot targets ``(m, n_L)``. The
examples come from the training split's bytes (:meth:`nncore.data.Split.rows_into`), converted to the
network's dtype as they are gathered: the split is never copied as floats.
"""

import time

import numpy as np

STAGE_ROWS = 256   # at m = 1 without deferral: examples converted at a time (0.8 MB of float32 at n_0 = 784)


def stage_for(n_0, batch_size, block, dtype):
    """The reused buffer ``(rows, n_0)`` in ``dtype`` that :func:`feeder` converts examples into at m = 1:
    a deferred block's rows, or :data:`STAGE_ROWS` examples; None for m > 1 (the step's buffer serves)."""
    if batch_size != 1:
        return None
    return np.empty((block.size if block is not None else STAGE_ROWS, n_0), dtype)


def feeder(train, perm, targets, batch_size, distort, rng, buffers, stage):
    """``feed(batch)`` → (x, y) of mini-batch number ``batch`` of the epoch ordered by ``perm``.

    ``train`` is the training :class:`~nncore.data.Split`, ``targets`` the one-hot rows ``(n, n_L)``
    already in ``perm``'s order, ``buffers`` the run's :class:`~nncore.fast.StepBuffers` and ``stage``
    :func:`stage_for`'s buffer. A mini-batch is gathered into a reused buffer ``(m, n_0)``. At m = 1, one
    example is a row ``(n_0,)`` of ``stage``, which is filled :data:`STAGE_ROWS` examples at a time in
    ``perm``'s order; with a deferred first layer, examples come from the block's rows, loaded (and
    distorted) a whole block at a time. ``distort``, if given, is called as ``distort(x_batch, rng,
    y_batch)`` on the gathered rows in place, in the epoch's order whenever the stage is filled.
    """
    m, block = batch_size, buffers.block
    if block is not None:
        size, every = block.size, np.arange(block.size)

        def feed(j):
            k = j % size
            if k == 0:
                idx = perm[j:j + size]
                rows = train.rows_into(idx, stage[:len(idx)])
                block.load(rows, every[:len(idx)], distort, rng, targets[j:j + size])
            return block.rows[k], targets[j]
    elif m == 1:
        staged = [0, 0]      # the examples [first, stop) of the epoch's order held in stage

        def feed(j):
            first, stop = staged
            if not first <= j < stop:
                idx = perm[j:j + len(stage)]
                train.rows_into(idx, stage[:len(idx)])
                staged[:] = first, stop = j, j + len(idx)
            xj = stage[j - first]
            if distort is not None:
                distort(xj[None, :], rng, targets[j][None, :])
            return xj, targets[j]
    else:
        def feed(batch):
            idx = perm[batch * m:(batch + 1) * m]
            xb = train.rows_into(idx, buffers.x[:len(idx)])
            yb = targets[batch * m:(batch + 1) * m]
            if distort is not None:
                distort(xb, rng, yb)
            return xb, yb
    return feed


class EpochProgress:
    """Mutable bookkeeping of one epoch: the order, the batch reached and the running cost sums."""

    def __init__(self, perm, targets, batches):
        self.perm, self.targets, self.batches, self.batch = perm, targets, batches, 0
        self.cost_since, self.count_since, self.cost_epoch = 0.0, 0, 0.0
        self.t_start = self.last_report = time.perf_counter()

    def reset_since(self, now):
        """Restart the interval of the batch reports' running cost (the epoch's sum runs on)."""
        self.cost_since, self.count_since, self.last_report = 0.0, 0, now
