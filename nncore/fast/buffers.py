"""The arrays a run's fast steps reuse, allocated once: z, a, δ and σ′ per layer, and the gradients.

A wide layer (:data:`WIDE_LAYER` neurons or more) keeps its mini-batch arrays with examples as columns,
and a layer of :data:`BLAS_UPDATE_FROM` weights or more is updated by one BLAS call.
"""

import numpy as np

from .blas import Gemm
from .deferred import FirstLayerBlock

# From this many neurons on, a layer's z is computed as W a′ᵀ (examples as columns): 1.5× faster than
# a′Wᵀ at 1000 neurons and m = 10, 1.1× at m = 100, no gain at 30–100 (an AVX-512 Xeon, OpenBLAS 0.3.31).
WIDE_LAYER = 256
# From this many weights on, W ← W − δᵀa′ is one BLAS call (β = 1) rather than a product and a
# subtraction: 0.92 → 0.47 ms a step at 784-1000, m = 100, two threads; slower below (ctypes' cost).
BLAS_UPDATE_FROM = 50_000


class StepBuffers:
    """Arrays reused by every step of one run: z, a, δ and σ′ for each layer, batch and single.

    ``sizes`` are the layer sizes, ``batch_size`` the largest mini-batch ``m``. With ``batch_size``
    1 and ``first_layer_block`` > 1 the steps on single examples defer the first layer's updates over
    blocks of that many examples (``self.block``, a :class:`~nncore.fast.deferred.FirstLayerBlock`);
    otherwise ``block`` is None and every update is made at once.
    """

    def __init__(self, sizes, batch_size, dtype, first_layer_block=1):
        m, out = batch_size, sizes[1:]
        self.m = m
        self.x = np.empty((m, sizes[0]), dtype)
        self.half, self.one = np.array(0.5, dtype), np.array(1.0, dtype)   # 0-d: cheaper than scalars
        self.ones = np.ones(m, dtype)                # (m,): a wide layer's bias gradient is δ × ones
        self.gemm = Gemm.for_dtype(dtype)
        self.updates_by_blas = [self.gemm is not None and n_in * n_out >= BLAS_UPDATE_FROM
                                for n_in, n_out in zip(sizes[:-1], out)]
        self.wide = [n >= WIDE_LAYER and m > 1 for n in out]
        # A wide first layer's two products skip the input columns that are zero in the whole batch.
        self.trim_input = self.wide[0] and self.updates_by_blas[0]
        # Per layer, z, a, δ and σ′ of a mini-batch as four flat arrays of m·n values: the first m′·n
        # of them are viewed as (m′, n) rows, or for a wide layer as (n, m′) columns, for any m′ ≤ m.
        self.flat = [[np.empty(m * n, dtype) for _ in range(4)] for n in out]
        # nabla_w, except where the BLAS update makes it unneeded (a mini-batch step's wide layers).
        self.nabla_w = [None if by_blas and m > 1 else np.empty((n_out, n_in), dtype)
                        for n_in, n_out, by_blas in zip(sizes[:-1], out, self.updates_by_blas)]
        self.nabla_b = [np.empty(n, dtype) for n in out]
        self.batch_layers, self._short = self._batch_layers(m), (None, None)
        # For steps on a single example, per layer: 1-D (z, a, δ, σ′), and for Fact 5's outer product δ
        # as a column (n, 1), nabla_w and a as a row (1, n); views made once here, not at every step.
        self.single_layers = []
        for n, flat, wide, nabla_w in zip(out, self.flat, self.wide, self.nabla_w):
            z, a, d, sp = (np.empty(n, dtype) for _ in range(4)) if wide else (v[:n] for v in flat)
            self.single_layers.append((z, a, d, sp, d[:, None], nabla_w, a[None, :]))
        self.block = None
        if batch_size == 1 and first_layer_block > 1:
            self.block = FirstLayerBlock(sizes, first_layer_block, dtype, self.nabla_w[0], self.nabla_b[0],
                                         self.gemm if self.updates_by_blas[0] else None)

    def _batch_layers(self, m):
        """Per layer, views for a mini-batch of ``m`` rows: (z, a, δ, σ′, nabla_w, nabla_b, wide).

        z, a, δ and σ′ have the shape ``(m, n)``: C-ordered rows, or for a ``wide`` layer the
        transposed views of C-ordered ``(n, m)`` columns.
        """
        layers = []
        for flat, nabla_w, nabla_b, wide in zip(self.flat, self.nabla_w, self.nabla_b, self.wide):
            n = len(flat[0]) // self.m
            if wide:
                z, a, d, sp = (v[:n * m].reshape(n, m).T for v in flat)
            else:
                z, a, d, sp = (v[:n * m].reshape(m, n) for v in flat)
            layers.append((z, a, d, sp, nabla_w, nabla_b, wide))
        return layers

    def batch_views(self, m):
        """The per-layer views for a mini-batch of ``m`` ≤ batch_size rows (the last may be shorter)."""
        if m == self.m:
            return self.batch_layers
        if self._short[0] != m:
            self._short = (m, self._batch_layers(m))
        return self._short[1]

    def settle(self, network):
        """Make ``network``'s weights current: apply the first layer's pending updates, if any."""
        if self.block is not None:
            self.block.settle(network)
