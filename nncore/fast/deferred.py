"""The step at m = 1 with the first layer's rank-one updates deferred over a block of examples.

The first layer's update −η δ¹ x′ᵀ (an outer product of a 30 × 784 matrix and a subtraction) is most of
an example's time. :func:`train_example_deferred` keeps it aside for a block of examples and applies
the block's with one matrix product (:class:`FirstLayerBlock`). Every example still sees every earlier
update: its z¹ is rebuilt through the block's Gram matrix. Only the rounding order differs from
:func:`nncore.fast.steps.train_example` (float32: about 1e-6 relative).
"""

import numpy as np
from numpy import dot, multiply, subtract

from .passes import backward_example, forward, output_error, sigmoid_into


def train_example_deferred(network, x, y, learning_rate, buf):
    """:func:`~nncore.fast.steps.train_example` with the first layer's updates deferred to the block's end.

    ``x (n_0,)`` must be row ``buf.block.k`` of the block the caller loaded (:meth:`FirstLayerBlock.load`),
    ``y (n_L,)`` its one-hot target. Layers 2 … L are updated at once; the first layer's δ¹ × η is kept,
    and its weighted input is z¹ = (W¹ x + b¹ at the block's start) − Σ_{s<k} δ¹_s (x_s·x + 1): the
    earlier examples' updates, applied through the Gram matrix. The block's updates reach the weights
    when it ends or when :meth:`FirstLayerBlock.settle` is called, so a report, a pause or a stop
    always finds the network current; the results do not depend on when that happens. Returns the
    example's cost before the step.
    """
    block, layers, half, one = buf.block, buf.single_layers, buf.half, buf.one
    weights, biases = network.weights, network.biases
    n_layers, k = len(weights), block.k
    if k == 0:
        block.begin(weights[0], biases[0])
    z = block.z_rows[k]                              # W¹x + b¹ with the block's starting weights
    if k:
        correction = block.correction                # Σ_{s<k} (x_s·x + 1) δ¹_s: the earlier updates
        dot(block.gram_rows[k], block.delta_heads[k], out=correction)
        subtract(z, correction, out=z)
    a = sigmoid_into(z, layers[0][1], half)          # a¹ = σ(z¹)
    if n_layers > 1:
        z, a = forward(weights, biases, a, layers, half, start=1)
    _, _, delta, sp, _, _, _ = layers[-1]
    value = output_error(network.cost, z, a, y, delta, sp, one)
    eta = np.array(learning_rate, delta.dtype)
    if n_layers == 1:                                # the first layer is the output layer
        multiply(delta, eta, out=block.delta_rows[k])
    else:
        multiply(delta, eta, out=delta)              # fold η into δ once
        backward_example(weights, biases, layers, None, one, lowest=1, first_delta=block.delta_rows[k])
    block.k = k = k + 1
    if k == block.n:
        block.apply(weights[0], biases[0])
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
