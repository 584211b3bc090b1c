"""The passes the fast steps share, each written once: σ, Fact 2 with σ′, the forward pass, the
output error, and one example's backward pass with its update.

Everything is written into buffers the caller owns (``out=``), with 0-d constants ``half`` and ``one``
of the arrays' dtype (a NumPy scalar operand costs a third more per call). At m = 1 a step is some 25
NumPy calls of about half a microsecond each, so NumPy's functions are bound here as module names (one
look-up per call, not two): that saving pays for the Python calls of these helpers.

σ(z) is computed as ½(1 + tanh(z/2)): equal to 1/(1 + e^(−z)), never overflowing, and fewer passes
than :func:`nncore.activations.sigmoid` in float32.
"""

import numpy as np
from numpy import add, dot, matmul, multiply, subtract, tanh


def sigmoid_into(z, a, half):
    """a = σ(z) = ½ + ½ tanh(z/2), written into ``a``; ``z`` and ``a`` of one shape. Returns ``a``."""
    multiply(z, half, out=a)
    tanh(a, out=a)
    multiply(a, half, out=a)
    add(a, half, out=a)
    return a


def times_sigma_prime(dC_da, a, sp, one):
    """Fact 2 in place: dC/dz = dC/da ⊙ σ′(z), σ′(z) = a(1 − a); ``sp`` is scratch. All of one shape."""
    subtract(one, a, out=sp)
    multiply(sp, a, out=sp)
    multiply(dC_da, sp, out=dC_da)


def forward(weights, biases, a, layers, half, wide=None, span=None, start=0):
    """Layers ``start`` … L−1 of the forward pass, z = W a′ + b and a = σ(z), into the layers' buffers.

    ``a`` is layer ``start``'s input: one example ``(n,)`` (``wide`` None), or a mini-batch ``(m, n)``
    whose rows are examples. ``layers[l]`` begins with the layer's z and a buffers, ``(n_l,)`` or
    ``(m, n_l)``; where ``wide[l]`` they are transposed views of examples as columns, so that z = W a′ᵀ
    (faster for wide layers) lands in them with no transposing pass. ``span``: the input columns a wide
    first layer multiplies (the others are zero in every row). Returns the output layer's ``(z, a)``,
    a = σ(z) (the cost may replace it, :func:`output_error`). There must be a layer from ``start`` on.
    """
    for l in range(start, len(weights)):
        z, a_next = layers[l][0], layers[l][1]
        w = weights[l]
        if wide is None:
            dot(w, a, out=z)                         # z = W a′: one example, one BLAS call
        elif not wide[l]:
            dot(a, w.T, out=z)                       # z = a′Wᵀ: examples as rows
        elif l == 0 and span is not None:            # z¹ᵀ = W¹ xᵀ over the input columns in use
            matmul(w[:, span], a[:, span].T, out=z.T)   # (matmul takes the slices as they are)
        else:
            dot(w, a.T, out=z.T)                     # zᵀ = W a′ᵀ: examples as columns
        add(z, biases[l], out=z)                     # ... + b
        a = sigmoid_into(z, a_next, half)            # a = σ(z)
    return z, a


def output_error(cost, z, a, y, delta, sp, one):
    """The output layer's error, written into ``delta``; returns the cost's value (summed over rows).

    ``z`` and ``a`` are the output layer's weighted input and sigmoid activation (``a`` is replaced by
    the output activation the cost declares, if another); ``sp`` is scratch of ``a``'s shape.
    Fact 1 gives dC/daᴸ (or the cost gives δᴸ directly when its σ′ cancels), then Fact 2 in place.
    """
    if cost.output != "sigmoid":
        cost.activate(z, out=a)                      # the output activation the cost declares
    value = cost.value_and_error(z, a, y, delta)     # dC/daᴸ, or δᴸ if the cost's σ′ cancels
    if not cost.sigma_prime_cancels:
        times_sigma_prime(delta, a, sp, one)         # Fact 2: dC/dz = dC/da ⊙ σ′(z)
    return value


def l2_decay(w, learning_rate, decay):
    """L2: W ← (1 − η λ/n) W in place, W ``(n_out, n_in)``, ``decay`` = λ/n."""
    multiply(w, np.array(1.0 - learning_rate * decay, w.dtype), out=w)


def backward_example(weights, biases, layers, x_row, one, learning_rate=0.0, decay=0.0, lowest=0,
                     first_delta=None):
    """One example's backward pass and update, layers L−1 … ``lowest``; the output δ × η is in place.

    ``layers[l]`` is ``(z, a, δ, σ′, δ as a column (n_l, 1), nabla_w (n_l, n_{l−1}), a as a row (1, n_l))``
    of 1-D buffers (``StepBuffers.single_layers``; nabla_w is None where buffers for mini-batches update
    that layer by BLAS, and is then allocated); ``x_row`` is the input as a row ``(1, n_0)``.
    Each layer: Fact 6 (with W before its step), L2's decay if ``decay`` (λ/n), Facts 5 and 3 as
    W ← W − η δ a′ᵀ, b ← b − η δ, then Fact 2 a layer down. ``first_delta``, if given, receives the
    first layer's δ × η instead of its buffer (the deferred step keeps it there, ``lowest`` = 1).
    """
    for l in range(len(weights) - 1, lowest - 1, -1):
        w, b = weights[l], biases[l]
        _, _, delta, _, delta_column, nabla_w, _ = layers[l]
        if l:
            _, a_prev, delta_prev, sp, _, _, a_prev_row = layers[l - 1]
            if l == 1 and first_delta is not None:
                delta_prev = first_delta
            dot(delta, w, out=delta_prev)            # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
        else:
            a_prev_row = x_row
        if decay:
            l2_decay(w, learning_rate, decay)        # L2: W ← (1 − ηλ/n) W, after Fact 6 used W
        nabla_w = dot(delta_column, a_prev_row, out=nabla_w)   # Fact 5: D_W C = dC/dz ⊗ a′ (× η)
        subtract(w, nabla_w, out=w)
        subtract(b, delta, out=b)                    # Fact 3: dC/db = dC/dz (× η)
        if l:
            times_sigma_prime(delta_prev, a_prev, sp, one)   # Fact 2 a layer down
