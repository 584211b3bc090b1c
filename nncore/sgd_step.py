"""One gradient-descent step, written for speed with reused buffers; the readable one is ``Network.backward``.

The math is :meth:`Network.backprop` followed by W ← W − η·nabla_w, b ← b − η·nabla_b; the tests
check the two agree for every cost. The output error comes from the cost (``value_and_error``): its
dC/daᴸ, then Fact 2 in place, or its δᴸ directly when the cost declares ``sigma_prime_cancels``. The
output layer's activation is the cost's (``cost.output``: a softmax replaces the σ just computed).
L2 regularisation enters as ``decay`` = λ/n: W ← (1 − η·decay) W first (after Fact 6 has used W),
then the gradient step of C₀; 0 (the default) skips it, so such a step keeps its bits. The deferred
step has no decay: :class:`nncore.SGD` does not defer when λ > 0 (W¹ would shrink between the
block's examples, which its Gram-matrix correction does not model).

What makes it fast: every array is allocated once (``out=``), η/m is folded into the small δ instead
of the large gradient, weights are updated in place, constants are 0-d arrays (a NumPy scalar operand
costs a third more per call). A wide layer (:data:`WIDE_LAYER` neurons or more) keeps its mini-batch
arrays with examples as columns, so that z = W a′ᵀ, the faster orientation there, lands in them with
no transposing pass, its weights take W ← W − δᵀa′ in one BLAS call (:class:`Gemm`) and its bias
gradient is δ times a vector of ones. A wide first layer's two products leave out the input columns
that are zero in every example of the mini-batch (MNIST's borders: about a tenth of them at m = 100);
their products are zero, so only the rounding order changes (a NaN or infinite weight there is not
multiplied in; the run's check of the weights at every report still finds it). σ(z) is computed as ½(1 + tanh(z/2)),
equal to 1/(1 + e^(−z)) and never overflowing.

Three steps (:func:`train_step` takes the first two by the shape of x; the training loop at m = 1
takes the third unless told ``first_layer_block=1``):

- :func:`train_step` on a mini-batch ``(m, n_0)`` (rows are examples): the mean gradient of m examples.
- :func:`train_example` on one example ``(n_0,)``: the derivation's algorithm exactly, every weight
  updated before the next example.
- :func:`train_example_deferred`: the same algorithm with the first layer's rank-one updates
  −η δ¹ x′ᵀ (an outer product of a 30 × 784 matrix and a subtraction, most of an example's time) kept
  aside for a block of examples and applied with one matrix product. Every example still sees every
  earlier update: its z¹ is rebuilt through the block's Gram matrix (see :class:`FirstLayerBlock`).
  Only the rounding order differs from :func:`train_example` (float32: about 1e-6 relative).
"""

import numpy as np

from .blas import Gemm

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
    blocks of that many examples (``self.block``, a :class:`FirstLayerBlock`); otherwise ``block`` is
    None and every update is made at once.
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


def train_step(network, x, y, learning_rate, buf, decay=0.0):
    """Update ``network`` in place by one step on ``x (m, n_in)``, ``y (m, n_out)`` (or 1-D for one).

    ``decay`` is L2's λ/n (weights shrink by 1 − η·decay). Returns the summed cost C₀ of the examples
    before the step (the reports' running mean uses it). One example (1-D) takes
    :func:`train_example`'s exact step.
    """
    if x.ndim == 1:
        return train_example(network, x, y, learning_rate, buf, decay)
    return _train_batch(network, x, y, learning_rate, buf, decay)


def _train_single(network, x, y, learning_rate, buf, decay=0.0):
    """One example's step, the training loop's at m = 1: deferred when ``buf.block`` is set, else exact."""
    if buf.block is None:
        return train_example(network, x, y, learning_rate, buf, decay)
    if decay:
        raise ValueError("the deferred first-layer step has no L2 decay; use first_layer_block=1")
    return train_example_deferred(network, x, y, learning_rate, buf)


def _decay(w, learning_rate, decay):
    """L2: W ← (1 − η λ/n) W in place, W ``(n_out, n_in)``."""
    np.multiply(w, np.array(1.0 - learning_rate * decay, w.dtype), out=w)


def _train_batch(network, x, y, learning_rate, buf, decay=0.0):
    """The mini-batch step: rows of ``x (m, n_0)`` and one-hot ``y (m, n_L)`` are examples.

    Written out call by call like :func:`train_example`. For layers narrower than :data:`WIDE_LAYER`
    (784-30-10, 784-100-10) it is the same arithmetic, in the same order, as the first version of
    this step, so those runs give the bits they always gave.
    """
    weights, biases = network.weights, network.biases
    m, half, one = x.shape[0], buf.half, buf.one
    layers = buf.batch_layers if m == buf.m else buf.batch_views(m)
    n_layers, a = len(weights), x
    span = _input_span(x) if buf.trim_input and x.dtype == buf.x.dtype else None
    for l in range(n_layers):
        z, a_next, _, _, _, _, wide = layers[l]
        w = weights[l]
        if wide and l == 0 and span is not None:     # z¹ᵀ = W¹ xᵀ over the input columns in use
            np.matmul(w[:, span], x[:, span].T, out=z.T)   # (matmul takes the slices as they are)
        elif wide:
            np.dot(w, a.T, out=z.T)                  # zᵀ = W a′ᵀ: examples as columns
        else:
            np.dot(a, w.T, out=z)                    # z = a′Wᵀ: examples as rows
        np.add(z, biases[l], out=z)                  # ... + b
        a = a_next
        np.multiply(z, half, out=a)                  # a = σ(z) = ½ + ½ tanh(z/2)
        np.tanh(a, out=a)
        np.multiply(a, half, out=a)
        np.add(a, half, out=a)
    _, _, delta, sp, _, _, _ = layers[-1]
    value = _output_error(network.cost, z, a, y, delta, sp, one)
    np.multiply(delta, np.array(learning_rate / m, delta.dtype), out=delta)   # fold η/m into δ once
    wide_layers, ones = buf.wide, buf.ones
    for l in range(n_layers - 1, -1, -1):
        w, b = weights[l], biases[l]
        _, _, delta, _, nabla_w, nabla_b, _ = layers[l]
        if l:
            _, a_prev, delta_prev, sp, _, _, wide_prev = layers[l - 1]
            if wide_prev:
                np.dot(w.T, delta.T, out=delta_prev.T)   # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
            else:
                np.dot(delta, w, out=delta_prev)
        else:
            a_prev = x
        if decay:
            _decay(w, learning_rate, decay)          # L2: W ← (1 − ηλ/n) W, after Fact 6 used W
        # W ← W − δᵀa′ in one BLAS call where it gains; a first layer's only in the columns in use (0·δ = 0)
        done = l == 0 and span is not None and buf.gemm.update(w[:, span], delta, x[:, span])
        if not (done or buf.updates_by_blas[l] and buf.gemm.update(w, delta, a_prev)):
            nabla_w = np.dot(delta.T, a_prev, out=nabla_w)   # Fact 5: D_W C = dC/dz ⊗ a′, summed, × η/m
            np.subtract(w, nabla_w, out=w)
        if wide_layers[l]:                           # Fact 3: dC/db = dC/dz, summed, × η/m: for examples
            np.dot(delta.T, ones[:m], out=nabla_b)   # as columns a product with ones (6× a reduce there)
        else:
            np.add.reduce(delta, axis=0, out=nabla_b)   # as rows, np.sum's bits
        np.subtract(b, nabla_b, out=b)
        if l:
            np.subtract(one, a_prev, out=sp)         # Fact 2 a layer down: δ′ = dC/da′ ⊙ a′(1 − a′)
            np.multiply(sp, a_prev, out=sp)
            np.multiply(delta_prev, sp, out=delta_prev)
    return value


def _input_span(x, align=16):
    """The columns of ``x (m, n_0)`` outside which every row is zero, as a slice widened to multiples of
    ``align`` (aligned rows keep BLAS at full speed). MNIST's digits leave about a tenth of a
    mini-batch of 100's columns out; an all-zero batch keeps one block of columns.
    """
    bits = x.view(np.uint64 if x.itemsize == 8 else np.uint32)   # nonzero bits: a value ≠ 0 (or −0)
    used = np.flatnonzero(np.bitwise_or.reduce(bits, axis=0))
    lo, hi = (int(used[0]), int(used[-1]) + 1) if used.size else (0, 1)
    return slice(lo - lo % align, min(-(-hi // align) * align, x.shape[1]))


def train_example(network, x, y, learning_rate, buf, decay=0.0):
    """The derivation's step for one example ``x (n_0,)``, ``y (n_L,)``: every update made at once.

    Vectors are 1-D so each product is one BLAS call. At m = 1 the step is bound by the call overhead
    of some 25 NumPy calls and by the first layer's rank-one update (:func:`train_example_deferred`
    defers the latter), so it is written out call by call, like that one. Returns the example's cost
    before the step. ``decay`` is L2's λ/n.
    """
    layers, half, one = buf.single_layers, buf.half, buf.one
    weights, biases = network.weights, network.biases
    n_layers, a = len(weights), x
    for l in range(n_layers):
        z, a_prev, a = layers[l][0], a, layers[l][1]
        np.dot(weights[l], a_prev, out=z)            # z = W a′ + b
        np.add(z, biases[l], out=z)
        np.multiply(z, half, out=a)                  # a = σ(z) = ½ + ½ tanh(z/2)
        np.tanh(a, out=a)
        np.multiply(a, half, out=a)
        np.add(a, half, out=a)
    _, _, delta, sp, _, _, _ = layers[-1]
    value = _output_error(network.cost, z, a, y, delta, sp, one)
    np.multiply(delta, np.array(learning_rate, delta.dtype), out=delta)   # fold η into δ once
    for l in range(n_layers - 1, -1, -1):
        w, b = weights[l], biases[l]
        _, _, delta, _, delta_column, nabla_w, _ = layers[l]
        if l:
            _, a_prev, delta_prev, sp, _, _, a_prev_row = layers[l - 1]
            np.dot(delta, w, out=delta_prev)         # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
        else:
            a_prev_row = x[None, :]
        if decay:
            _decay(w, learning_rate, decay)          # L2: W ← (1 − ηλ/n) W, after Fact 6 used W
        nabla_w = np.dot(delta_column, a_prev_row, out=nabla_w)   # Fact 5: D_W C = dC/dz ⊗ a′ (× η)
        np.subtract(w, nabla_w, out=w)
        np.subtract(b, delta, out=b)                 # Fact 3: dC/db = dC/dz (× η)
        if l:
            np.subtract(one, a_prev, out=sp)         # Fact 2 a layer down: δ′ = dC/da′ ⊙ a′(1 − a′)
            np.multiply(sp, a_prev, out=sp)
            np.multiply(delta_prev, sp, out=delta_prev)
    return value


def train_example_deferred(network, x, y, learning_rate, buf):
    """:func:`train_example` with the first layer's updates deferred to the end of the block.

    ``x`` must be row ``buf.block.k`` of the block the caller loaded (:meth:`FirstLayerBlock.load`).
    Layers 2 … L are updated at once, as in :func:`train_example`; the first layer's δ¹ × η is kept,
    and its weighted input is z¹ = (W¹ x + b¹ at the block's start) − Σ_{s<k} δ¹_s (x_s·x + 1): the
    earlier examples' updates, applied through the Gram matrix. The block's updates reach the weights
    when it ends or when :meth:`FirstLayerBlock.settle` is called, so a report, a pause or a stop
    always finds the network current; the results do not depend on when that happens.

    The same algorithm as :func:`train_example` (each example sees every earlier update), summed in
    a different order: the weights differ from it by float rounding only, about 1e-6 relative in
    float32 after a block (``tests/nncore/test_fast_step.py``). Written out call by call, with one
    helper (:func:`_output_error`, shared by the three steps): an example takes about 12 µs, some 25
    NumPy calls, so every Python call shows.
    """
    block, layers, half, one = buf.block, buf.single_layers, buf.half, buf.one
    weights, biases = network.weights, network.biases
    n_layers, k = len(weights), block.k
    if k == 0:
        block.begin(weights[0], biases[0])
    z = block.z_rows[k]                              # W¹x + b¹ with the block's starting weights
    if k:
        correction = block.correction                # Σ_{s<k} (x_s·x + 1) δ¹_s: the earlier updates
        np.dot(block.gram_rows[k], block.delta_heads[k], out=correction)
        np.subtract(z, correction, out=z)
    a = layers[0][1]
    np.multiply(z, half, out=a)                      # a = σ(z) = ½ + ½ tanh(z/2)
    np.tanh(a, out=a)
    np.multiply(a, half, out=a)
    np.add(a, half, out=a)
    for l in range(1, n_layers):
        z, a_prev, a = layers[l][0], a, layers[l][1]
        np.dot(weights[l], a_prev, out=z)            # z = W a′ + b
        np.add(z, biases[l], out=z)
        np.multiply(z, half, out=a)                  # a = σ(z)
        np.tanh(a, out=a)
        np.multiply(a, half, out=a)
        np.add(a, half, out=a)
    _, _, delta, sp, delta_column, nabla_w, _ = layers[-1]
    value = _output_error(network.cost, z, a, y, delta, sp, one)
    eta = np.array(learning_rate, delta.dtype)
    if n_layers == 1:                                # the first layer is the output layer
        np.multiply(delta, eta, out=block.delta_rows[k])
    else:
        np.multiply(delta, eta, out=delta)           # fold η into δ once
    for l in range(n_layers - 1, 0, -1):
        w, b = weights[l], biases[l]
        _, _, delta, _, delta_column, nabla_w, _ = layers[l]
        _, a_prev, _, sp, _, _, a_prev_row = layers[l - 1]
        delta_prev = block.delta_rows[k] if l == 1 else layers[l - 1][2]
        np.dot(delta, w, out=delta_prev)             # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
        np.dot(delta_column, a_prev_row, out=nabla_w)   # Fact 5: D_W C = dC/dz ⊗ a′ (× η)
        np.subtract(w, nabla_w, out=w)
        np.subtract(b, delta, out=b)                 # Fact 3: dC/db = dC/dz (× η)
        np.subtract(one, a_prev, out=sp)             # Fact 2 a layer down: δ′ = dC/da′ ⊙ a′(1 − a′)
        np.multiply(sp, a_prev, out=sp)
        np.multiply(delta_prev, sp, out=delta_prev)
    block.k = k = k + 1
    if k == block.n:
        block.apply(weights[0], biases[0])
    return value


def _output_error(cost, z, a, y, delta, sp, one):
    """The output layer's error for the three steps, written into ``delta``; returns the cost's value.

    ``z`` and ``a`` are the output layer's weighted input and sigmoid activation (``a`` is replaced by
    the output activation the cost declares, if another); ``sp`` is scratch of ``a``'s shape.
    Fact 1 gives dC/daᴸ (or the cost gives δᴸ directly when its σ′ cancels), then Fact 2 in place.
    """
    if cost.output != "sigmoid":
        cost.activate(z, out=a)                      # the output activation the cost declares
    value = cost.value_and_error(z, a, y, delta)     # dC/daᴸ, or δᴸ if the cost's σ′ cancels
    if not cost.sigma_prime_cancels:
        np.subtract(one, a, out=sp)                  # Fact 2: dC/dz = dC/da ⊙ σ′(z), σ′ = a(1 − a)
        np.multiply(sp, a, out=sp)
        np.multiply(delta, sp, out=delta)
    return value


class FirstLayerBlock:
    """The first layer's deferred updates over a block of ``size`` examples, for :func:`train_example_deferred`.

    For example k of a block the per-example algorithm would use W¹ₖ = W¹₀ − Σ_{s<k} δ_s x_sᵀ and
    b¹ₖ = b¹₀ − Σ_{s<k} δ_s (δ_s is δ¹ × η), so z¹ₖ = W¹₀ x_k + b¹₀ − Σ_{s<k} δ_s (x_s·x_k + 1). With the
    block's inputs X ``(B, n_0)`` as rows, ``P = X W¹₀ᵀ + b¹₀`` ``(B, n_1)`` and the Gram matrix plus
    one ``G = X Xᵀ + 1`` ``(B, B)`` are two matrix products per block; each example then costs one
    small product G[k, :k] D[:k] (D: the δ_s as rows). At the end, W¹ ← W¹₀ − Dᵀ X and
    b¹ ← b¹₀ − Σ D: one matrix product instead of B outer products and subtractions.
    """

    def __init__(self, sizes, size, dtype, product, bias_sum, blas_update=None):
        n_in, n_out = sizes[0], sizes[1]
        self.size, self.k, self.n = size, 0, 0
        self.x = np.empty((size, n_in), dtype)       # X: the block's inputs
        self.z = np.empty((size, n_out), dtype)      # P, then each row becomes that example's z¹
        self.gram = np.empty((size, size), dtype)    # G = X Xᵀ + 1
        self.deltas = np.empty((size, n_out), dtype)   # D: δ¹ × η of each example
        self.correction = np.empty(n_out, dtype)
        self.product, self.bias_sum = product, bias_sum   # scratch (n_out, n_in) and (n_out,)
        self.blas_update = blas_update               # a Gemm for a wide layer, else None
        self.saved = None                             # W¹₀, b¹₀ once settle() changed the weights
        self._views(size)

    def _views(self, n):
        """Row views for a block of ``n`` examples, made once per block size rather than per example."""
        self.x_n, self.z_n = self.x[:n], self.z[:n]
        self.gram_n = self.gram if n == self.size else np.empty((n, n), self.gram.dtype)   # BLAS writes C-contiguous
        self.rows, self.z_rows, self.delta_rows = list(self.x_n), list(self.z_n), list(self.deltas[:n])
        self.gram_rows = [self.gram_n[k, :k] for k in range(n)]
        self.delta_heads = [self.deltas[:k] for k in range(n)]

    def load(self, x, idx, distort=None, rng=None, targets=None):
        """Start a block with the rows ``idx`` of ``x (N, n_0)`` (distorted in place if asked, with
        the rows' one-hot ``targets (n, n_L)``).

        Returns the block's inputs as a list of rows ``(n_0,)``, the ``x`` each step takes.
        """
        n = len(idx)
        if n != self.n:
            self._views(n)
            self.n = n
        np.take(x, idx, axis=0, out=self.x_n)
        if distort is not None:
            distort(self.x_n, rng, targets)
        self.k, self.saved = 0, None
        return self.rows

    def begin(self, w, b):
        """P = X W¹ᵀ + b¹ and G = X Xᵀ + 1 for the loaded rows, with the weights as they are now."""
        np.dot(self.x_n, w.T, out=self.z_n)
        np.add(self.z_n, b, out=self.z_n)
        np.dot(self.x_n, self.x_n.T, out=self.gram_n)
        np.add(self.gram_n, 1, out=self.gram_n)     # the bias is a weight on a constant input 1

    def _update(self, w, b, k):
        """W¹ ← W¹₀ − D[:k]ᵀ X[:k] and b¹ ← b¹₀ − Σ D[:k] (from the saved start if settle() ran)."""
        w0, b0 = self.saved if self.saved is not None else (w, b)
        deltas, x = self.deltas[:k], self.x[:k]
        if self.blas_update is not None:             # one BLAS call, W ← W − Dᵀ X in place
            if w0 is not w:
                np.copyto(w, w0)
            done = self.blas_update.update(w, deltas, x)
        if self.blas_update is None or not done:
            product = np.dot(deltas.T, x, out=self.product)   # Fact 5 for k examples at once
            np.subtract(w0, product, out=w)
        np.add.reduce(deltas, axis=0, out=self.bias_sum)  # Fact 3 for k examples at once
        np.subtract(b0, self.bias_sum, out=b)

    def apply(self, w, b):
        """The block is done: apply its updates to the first layer's ``w`` and ``b`` in place."""
        self._update(w, b, self.k)
        self.k, self.saved = 0, None

    def settle(self, network):
        """Bring ``network``'s first layer up to date mid-block, keeping the block's start for the end.

        The block goes on afterwards and its end is computed from the saved start, so the weights at
        the end of a block are the same whether or not (and however often) it was settled.
        """
        if not 0 < self.k < self.n:
            return
        w, b = network.weights[0], network.biases[0]
        if self.saved is None:
            self.saved = (w.copy(), b.copy())
        self._update(w, b, self.k)

    def discard(self):
        """Forget the pending updates (the caller restores the weights, e.g. after divergence)."""
        self.k, self.saved = 0, None
