"""How an epoch's mini-batches reach the training step, and the bookkeeping of an epoch in progress.

Rows are examples throughout: a mini-batch is ``(m, n_0)``, its one-hot targets ``(m, n_L)``.
"""

import time

import numpy as np


def feeder(x, train, perm, targets, batch_size, distort, rng, buffers):
    """``feed(batch)`` → (x, y) of mini-batch number ``batch`` of the epoch ordered by ``perm``.

    ``x`` is the training inputs ``(n, n_0)`` in the network's dtype (``train.x`` itself, or a copy),
    ``targets`` the one-hot rows ``(n, n_L)`` already in ``perm``'s order, ``buffers`` the run's
    :class:`~nncore.fast.StepBuffers`. A mini-batch is gathered into a reused buffer ``(m, n_0)``; one
    example is a view ``(n_0,)`` of the data (copied only to be distorted); with a deferred first layer,
    examples come from the block's rows, loaded (and distorted) a whole block at a time. ``distort``,
    if given, is called as ``distort(x_batch, rng, y_batch)`` on the gathered rows in place.
    """
    m, block = batch_size, buffers.block
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
        rows_into = train.rows_into if x is train.x else (
            lambda idx, out: np.take(x, idx, axis=0, out=out))    # a float64 copy of the inputs

        def feed(batch):
            idx = perm[batch * m:(batch + 1) * m]
            xb = rows_into(idx, buffers.x[:len(idx)])
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
