"""One gradient-descent step, fast: on a mini-batch, on one example, or (:mod:`.deferred`) on one example
with the first layer's updates deferred.

The math is :meth:`Network.backward` followed by W ← W − η·nabla_w, b ← b − η·nabla_b. The output
error comes from the cost (``value_and_error``): its dC/daᴸ, then Fact 2 in place, or its δᴸ directly
when the cost declares ``sigma_prime_cancels``; the output layer's activation is the cost's. L2
regularisation enters as ``decay`` = λ/n: W ← (1 − η·decay) W first (after Fact 6 has used W), then the
gradient step of C₀; 0 (the default) skips it, so such a step keeps its bits.

What makes it fast: every array is allocated once (:class:`~nncore.fast.buffers.StepBuffers`), η/m is
folded into the small δ instead of the large gradient, weights are updated in place. A wide layer keeps
its mini-batch arrays with examples as columns, takes W ← W − δᵀa′ in one BLAS call
(:class:`~nncore.fast.blas.Gemm`) and its bias gradient as δ times a vector of ones. A wide first
layer's two products leave out the input columns that are zero in every example of the mini-batch
(MNIST's borders: about a tenth at m = 100); their products are zero, so only the rounding order
changes (a NaN or infinite weight there is not multiplied in; the run's check of the weights at every
report still finds it).
"""

import numpy as np
from numpy import dot, multiply, subtract

from .deferred import train_example_deferred
from .passes import backward_example, forward, l2_decay, output_error, times_sigma_prime


def train_step(network, x, y, learning_rate, buf, decay=0.0):
    """Update ``network`` in place by one step on ``x (m, n_in)``, ``y (m, n_out)`` (or 1-D for one).

    ``decay`` is L2's λ/n (weights shrink by 1 − η·decay). Returns the summed cost C₀ of the examples
    before the step (the reports' running mean uses it). One example (1-D) takes
    :func:`train_example`'s exact step.
    """
    if x.ndim == 1:
        return train_example(network, x, y, learning_rate, buf, decay)
    return _train_batch(network, x, y, learning_rate, buf, decay)


def train_single(network, x, y, learning_rate, buf, decay=0.0):
    """One example's step ``x (n_0,)``, ``y (n_L,)``, the training loop's at m = 1: deferred
    (:func:`~nncore.fast.deferred.train_example_deferred`) when ``buf.block`` is set, else exact."""
    if buf.block is None:
        return train_example(network, x, y, learning_rate, buf, decay)
    if decay:
        raise ValueError("the deferred first-layer step has no L2 decay; use first_layer_block=1")
    return train_example_deferred(network, x, y, learning_rate, buf)


def train_example(network, x, y, learning_rate, buf, decay=0.0):
    """The derivation's step for one example ``x (n_0,)``, ``y (n_L,)``: every update made at once.

    Vectors are 1-D so each product is one BLAS call. Returns the example's cost before the step.
    ``decay`` is L2's λ/n.
    """
    layers, one = buf.single_layers, buf.one
    weights, biases = network.weights, network.biases
    z, a = forward(weights, biases, x, layers, buf.half)
    _, _, delta, sp, _, _, _ = layers[-1]
    value = output_error(network.cost, z, a, y, delta, sp, one)
    multiply(delta, np.array(learning_rate, delta.dtype), out=delta)   # fold η into δ once
    backward_example(weights, biases, layers, x[None, :], one, learning_rate, decay)
    return value


def _train_batch(network, x, y, learning_rate, buf, decay=0.0):
    """The mini-batch step: rows of ``x (m, n_0)`` and one-hot ``y (m, n_L)`` are examples.

    For layers narrower than :data:`~nncore.fast.buffers.WIDE_LAYER` (784-30-10, 784-100-10) it is the
    same arithmetic, in the same order, as the first version of this step, so those runs give the bits
    they always gave.
    """
    weights, biases = network.weights, network.biases
    m, one = x.shape[0], buf.one
    layers = buf.batch_layers if m == buf.m else buf.batch_views(m)
    span = input_span(x) if buf.trim_input and x.dtype == buf.x.dtype else None
    z, a = forward(weights, biases, x, layers, buf.half, buf.wide, span)
    _, _, delta, sp, _, _, _ = layers[-1]
    value = output_error(network.cost, z, a, y, delta, sp, one)
    multiply(delta, np.array(learning_rate / m, delta.dtype), out=delta)   # fold η/m into δ once
    wide_layers, ones, gemm = buf.wide, buf.ones, buf.gemm
    for l in range(len(weights) - 1, -1, -1):
        w, b = weights[l], biases[l]
        _, _, delta, _, nabla_w, nabla_b, _ = layers[l]
        if l:
            _, a_prev, delta_prev, sp, _, _, wide_prev = layers[l - 1]
            if wide_prev:
                dot(w.T, delta.T, out=delta_prev.T)  # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
            else:
                dot(delta, w, out=delta_prev)
        else:
            a_prev = x
        if decay:
            l2_decay(w, learning_rate, decay)        # L2: W ← (1 − ηλ/n) W, after Fact 6 used W
        # W ← W − δᵀa′ in one BLAS call where it gains; a first layer's only in the columns in use (0·δ = 0)
        done = l == 0 and span is not None and gemm.update(w[:, span], delta, x[:, span])
        if not (done or buf.updates_by_blas[l] and gemm.update(w, delta, a_prev)):
            nabla_w = dot(delta.T, a_prev, out=nabla_w)   # Fact 5: D_W C = dC/dz ⊗ a′, summed, × η/m
            subtract(w, nabla_w, out=w)
        if wide_layers[l]:                           # Fact 3: dC/db = dC/dz, summed, × η/m: for examples
            dot(delta.T, ones[:m], out=nabla_b)      # as columns a product with ones (6× a reduce there)
        else:
            np.add.reduce(delta, axis=0, out=nabla_b)   # as rows, np.sum's bits
        subtract(b, nabla_b, out=b)
        if l:
            times_sigma_prime(delta_prev, a_prev, sp, one)   # Fact 2 a layer down
    return value


def input_span(x, align=16):
    """The columns of ``x (m, n_0)`` outside which every row is zero, as a slice widened to multiples of
    ``align`` (aligned rows keep BLAS at full speed). MNIST's digits leave about a tenth of a
    mini-batch of 100's columns out; an all-zero batch keeps one block of columns.
    """
    bits = x.view(np.uint64 if x.itemsize == 8 else np.uint32)   # nonzero bits: a value ≠ 0 (or −0)
    used = np.flatnonzero(np.bitwise_or.reduce(bits, axis=0))
    lo, hi = (int(used[0]), int(used[-1]) + 1) if used.size else (0, 1)
    return slice(lo - lo % align, min(-(-hi // align) * align, x.shape[1]))
