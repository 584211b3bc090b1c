"""One gradient-descent step on a mini-batch, written for speed with reused buffers.

The math is :meth:`Network.backprop` followed by W ← W − η·nabla_w, b ← b − η·nabla_b; the tests
check the two agree for every cost. The output error comes from the cost (``value_and_error``): its
dC/daᴸ, then Fact 2 in place, or its δᴸ directly when the cost declares ``sigma_prime_cancels``.

What makes it fast: every array is allocated once (``out=``), η/m is folded into the small δ instead
of the large gradient, weights are updated in place, and with one example per step (the
derivation's algorithm) vectors are 1-D so each product is one BLAS call.
σ(z) is computed as ½(1 + tanh(z/2)), equal to 1/(1 + e^(−z)) and never overflowing.
"""

import numpy as np


class StepBuffers:
    """Arrays reused by every step of one run: z, a, δ and σ′ for each layer, batch and single."""

    def __init__(self, sizes, batch_size, dtype):
        m, out = batch_size, sizes[1:]
        self.x = np.empty((m, sizes[0]), dtype)
        self.y = np.empty((m, sizes[-1]), dtype)
        self.zs = [np.empty((m, n), dtype) for n in out]
        self.activations = [np.empty((m, n), dtype) for n in out]
        self.deltas = [np.empty((m, n), dtype) for n in out]
        self.sigma_primes = [np.empty((m, n), dtype) for n in out]
        self.nabla_w = [np.empty((n_out, n_in), dtype) for n_in, n_out in zip(sizes[:-1], out)]
        self.nabla_b = [np.empty(n, dtype) for n in out]
        self.half, self.one = np.dtype(dtype).type(0.5), np.dtype(dtype).type(1.0)
        # 1-D views of the first rows, for steps on a single example; and, made once here rather
        # than at every step, each δ as a column (n, 1) and each a as a row (1, n) for Fact 5's product.
        self.single = tuple([b[0] for b in bufs] for bufs in
                            (self.zs, self.activations, self.deltas, self.sigma_primes))
        self.delta_columns = [d[0][:, None] for d in self.deltas]
        self.activation_rows = [a[0][None, :] for a in self.activations]
        self.deltas_t = [d.T for d in self.deltas]   # δᵀ (n, m) of a full mini-batch, for Fact 5

    def gather(self, x, idx, eye, labels):
        """Mini-batch inputs ``(m', n_in)`` and one-hot targets ``(m', n_out)`` for indices ``idx``.

        One example comes back as 1-D views ``(n_in,)`` and ``(n_out,)``, with no copy at all.
        """
        if len(idx) == 1:
            j = idx[0]
            return x[j], eye[labels[j]]
        m = len(idx)
        xb, yb = self.x[:m], self.y[:m]
        np.take(x, idx, axis=0, out=xb)
        np.take(eye, labels[idx], axis=0, out=yb)
        return xb, yb


def train_step(network, x, y, learning_rate, buf):
    """Update ``network`` in place by one step on ``x (m, n_in)``, ``y (m, n_out)`` (or 1-D for one).

    Returns the summed cost of the examples before the step (the reports' running mean uses it).
    """
    if x.ndim == 1:
        return _train_single(network, x, y, learning_rate, buf)
    return _train_batch(network, x, y, learning_rate, buf)


def _train_batch(network, x, y, learning_rate, buf):
    weights, biases = network.weights, network.biases
    m, n_layers = x.shape[0], len(weights)
    zs, acts, deltas, sps = buf.zs, buf.activations, buf.deltas, buf.sigma_primes
    deltas_t = buf.deltas_t
    if m != buf.x.shape[0]:                         # the last, shorter mini-batch: views
        zs, acts, deltas, sps = ([b[:m] for b in bs] for bs in (zs, acts, deltas, sps))
        deltas_t = [d.T for d in deltas]
    half, one = buf.half, buf.one
    a = x
    for l in range(n_layers):                       # forward: z = a′Wᵀ + b, a = σ(z)
        a = _forward(a, weights[l], biases[l], zs[l], acts[l], half)
    delta = deltas[-1]                              # δ of layer l is always the buffer deltas[l]
    cost = _output_delta(network.cost, a, y, zs[-1], delta, sps[-1], learning_rate / m, one)
    for l in range(n_layers - 1, -1, -1):
        a_prev = acts[l - 1] if l else x
        if l:
            delta_prev = deltas[l - 1]
            np.dot(delta, weights[l], out=delta_prev)   # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
        nabla_w = buf.nabla_w[l]
        np.dot(deltas_t[l], a_prev, out=nabla_w)    # Fact 5: D_W C = dC/dz ⊗ a′, summed, × η/m
        np.subtract(weights[l], nabla_w, out=weights[l])
        np.sum(delta, axis=0, out=buf.nabla_b[l])   # Fact 3: dC/db = dC/dz, summed, × η/m
        np.subtract(biases[l], buf.nabla_b[l], out=biases[l])
        if l:
            delta = _times_sigma_prime(delta_prev, a_prev, sps[l - 1], one)  # Fact 2, a layer down
    return cost


def _train_single(network, x, y, learning_rate, buf):
    """The derivation's step for one example, with 1-D vectors (one BLAS call per product).

    It mirrors :func:`_train_batch` line for line on purpose: at m = 1 the step is bound by Python
    call overhead (about 20 µs for 20-odd NumPy calls), so the two shapes are not routed through
    shared helpers for the weight and bias updates.
    """
    weights, biases = network.weights, network.biases
    n_layers = len(weights)
    zs, acts, deltas, sps = buf.single
    delta_columns, activation_rows = buf.delta_columns, buf.activation_rows
    half, one = buf.half, buf.one
    a = x
    for l in range(n_layers):                       # forward: z = W a′ + b, a = σ(z)
        a = _forward_single(a, weights[l], biases[l], zs[l], acts[l], half)
    delta = deltas[-1]                              # δ of layer l is always the buffer deltas[l]
    cost = _output_delta(network.cost, a, y, zs[-1], delta, sps[-1], learning_rate, one)
    for l in range(n_layers - 1, -1, -1):
        a_prev = acts[l - 1] if l else x
        if l:
            delta_prev = deltas[l - 1]
            np.dot(delta, weights[l], out=delta_prev)   # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
        nabla_w = buf.nabla_w[l]
        a_prev_row = activation_rows[l - 1] if l else x[None, :]
        np.dot(delta_columns[l], a_prev_row, out=nabla_w)     # Fact 5: D_W C = dC/dz ⊗ a′ (× η)
        np.subtract(weights[l], nabla_w, out=weights[l])
        np.subtract(biases[l], delta, out=biases[l])           # Fact 3: dC/db = dC/dz (× η)
        if l:
            delta = _times_sigma_prime(delta_prev, a_prev, sps[l - 1], one)  # Fact 2, a layer down
    return cost


def _forward(a, w, b, z, out, half):
    """z = a Wᵀ + b for rows of a; out = σ(z). Returns out."""
    np.dot(a, w.T, out=z)
    np.add(z, b, out=z)
    return _sigmoid_into(z, out, half)


def _forward_single(a, w, b, z, out, half):
    """z = W a + b for one vector a; out = σ(z). Returns out."""
    np.dot(w, a, out=z)
    np.add(z, b, out=z)
    return _sigmoid_into(z, out, half)


def _sigmoid_into(z, out, half):
    np.multiply(z, half, out=out)                   # σ(z) = ½ + ½ tanh(z/2)
    np.tanh(out, out=out)
    np.multiply(out, half, out=out)
    np.add(out, half, out=out)
    return out


def _output_delta(cost, a, y, z, delta, sp, scale, one):
    """δᴸ × scale written into ``delta``; returns the summed cost of the examples."""
    value = cost.value_and_error(z, a, y, delta)    # dC/daᴸ, or δᴸ if the cost's σ′ cancels
    if not cost.sigma_prime_cancels:
        _times_sigma_prime(delta, a, sp, one)       # Fact 2: dC/dz = dC/da ⊙ σ′(z)
    np.multiply(delta, scale, out=delta)            # fold η (and 1/m) into the small δ once
    return value


def _times_sigma_prime(delta, a, sp, one):
    """delta ⊙= σ′(z) = a(1 − a), in place; returns delta."""
    np.subtract(one, a, out=sp)
    np.multiply(sp, a, out=sp)
    np.multiply(delta, sp, out=delta)
    return delta
