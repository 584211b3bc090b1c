"""One gradient-descent step on a mini-batch, written for speed with reused buffers.

The math is :meth:`Network.backprop_batch` followed by W ← W − η·nabla_w, b ← b − η·nabla_b; the
tests check the two agree. Rows of every matrix here are the m examples of the mini-batch.
"""

import numpy as np

from .costs import CrossEntropyCost


class StepBuffers:
    """Arrays reused by every step of one run: zs, activations and δ for each layer, per batch size."""

    def __init__(self, sizes, batch_size, dtype):
        m = batch_size
        self.x = np.empty((m, sizes[0]), dtype)
        self.y = np.empty((m, sizes[-1]), dtype)
        self.zs = [np.empty((m, n), dtype) for n in sizes[1:]]
        self.activations = [np.empty((m, n), dtype) for n in sizes[1:]]
        self.deltas = [np.empty((m, n), dtype) for n in sizes[1:]]
        self.sigma_primes = [np.empty((m, n), dtype) for n in sizes[1:]]
        self.nabla_w = [np.empty((n_out, n_in), dtype) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.nabla_b = [np.empty(n, dtype) for n in sizes[1:]]

    def gather(self, x, idx, eye, labels):
        """Mini-batch ``(m', n_in)`` inputs and one-hot targets for the example indices ``idx``.

        With one example the rows of ``x`` and ``eye`` are used in place (no copy at all).
        """
        if len(idx) == 1:
            j = idx[0]
            label = labels[j]
            return x[j:j + 1], eye[label:label + 1]
        m = len(idx)
        xb, yb = self.x[:m], self.y[:m]
        np.take(x, idx, axis=0, out=xb)
        np.take(eye, labels[idx], axis=0, out=yb)
        return xb, yb


def train_step(network, x, y, learning_rate, buf):
    """Update ``network`` in place by one step on ``x (m, n_in)``, ``y (m, n_out)``.

    Returns the batch's summed cost before the step (for the running mean the reports show).
    """
    weights, biases = network.weights, network.biases
    m, n_layers = x.shape[0], len(weights)
    zs, acts, deltas, sps = buf.zs, buf.activations, buf.deltas, buf.sigma_primes
    if m != buf.x.shape[0]:                         # the last, shorter mini-batch: views
        zs, acts, deltas, sps = ([b[:m] for b in bs] for bs in (zs, acts, deltas, sps))
    # Forward: z = a′Wᵀ + b, a = σ(z), kept per layer for the backward pass.
    a = x
    for l in range(n_layers):
        z = zs[l]
        np.dot(a, weights[l].T, out=z)
        z += biases[l]
        a = acts[l]
        np.multiply(z, 0.5, out=a)                  # σ(z) = ½(1 + tanh(z/2)): no overflow
        np.tanh(a, out=a)
        a += 1.0
        a *= 0.5
    delta = deltas[-1]
    np.subtract(a, y, out=delta)                    # Fact 1: dC/daᴸ = aᴸ − y
    if network.cost is CrossEntropyCost:
        cost = network.cost.value(a, y, zs[-1])     # δᴸ = aᴸ − y: σ′ cancels for cross-entropy
    else:
        cost = 0.5 * float(np.vdot(delta, delta))
        sp = sps[-1]
        np.subtract(1.0, a, out=sp)
        sp *= a                                     # σ′(zᴸ) = aᴸ(1 − aᴸ)
        delta *= sp                                 # Fact 2: dC/dz = dC/da ⊙ σ′(z)
    delta *= learning_rate / m                      # fold η/m into the small δ once
    for l in range(n_layers - 1, -1, -1):
        a_prev = acts[l - 1] if l else x
        if l:
            delta_prev = deltas[l - 1]
            np.dot(delta, weights[l], out=delta_prev)   # Fact 6: dC/da′ = Wᵀ dC/dz (W before the step)
        nabla_w = buf.nabla_w[l]
        np.dot(delta.T, a_prev, out=nabla_w)        # Fact 5: D_W C = dC/dz ⊗ a′ (summed, × η/m)
        weights[l] -= nabla_w
        if m == 1:
            biases[l] -= delta[0]                   # Fact 3: dC/db = dC/dz (× η)
        else:
            np.sum(delta, axis=0, out=buf.nabla_b[l])
            biases[l] -= buf.nabla_b[l]
        if l:
            sp = sps[l - 1]
            np.subtract(1.0, a_prev, out=sp)
            sp *= a_prev
            delta_prev *= sp                        # Fact 2 one layer down: ⊙ σ′(z′)
            delta = delta_prev
    return cost
