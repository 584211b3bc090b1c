"""How fast each layer learns: ‖∂C/∂bˡ‖, the book's measure of the vanishing gradient (chapter 5).

Fact 3 makes the bias gradient of a layer its error, ∂C/∂bˡ = δˡ, so the length of that vector is how
fast the layer's neurons are moving; in a deep sigmoid network the early layers' is far smaller.
"""

import numpy as np

from .evaluation import SATURATION_THRESHOLD
from .network import one_hot

CHUNK_BYTES = 64_000_000   # at most about this much for one chunk's backward pass


def learning_speed(network, x, labels, *, dtype=np.float64):
    """‖∂C/∂bˡ‖ for every layer l = 1 … L, with C the mean cost over the examples given.

    ``x``: inputs ``(m, n_0)``, one example per row; ``labels``: their digits ``(m,)``. Returns a
    tuple of L floats, the first for the first hidden layer, the last for the output layer. Computed
    by :meth:`Network.backward` with ``biases_only`` (no weight gradient is formed) on a copy of
    ``network`` in ``dtype`` (float64 unless told; ``network`` is not changed), in chunks of rows whose
    mean bias gradients are weighted by their size, so any number of examples fits.
    """
    return speed_and_saturation(network, x, labels, dtype=dtype)[0]


def speed_and_saturation(network, x, labels, threshold=SATURATION_THRESHOLD, *, dtype=None):
    """``(learning_speed, saturation)`` from one backward pass: what every epoch report measures.

    ``learning_speed`` is :func:`learning_speed`'s tuple; ``saturation`` is per layer the share of
    (example, neuron) pairs with σ′(z) = a(1 − a) < ``threshold``, :func:`nncore.evaluation.saturation`'s
    numbers (the same activations, from :meth:`Network.forward`). ``dtype`` None computes in the
    network's own dtype, as the epoch reports do (float32: one product a fifth of float64's time, and
    the speeds agree with float64's to within 1e-6 in the tests' networks).
    """
    dtype = network.dtype if dtype is None else np.dtype(dtype)
    net = network if dtype == network.dtype else network.copy(dtype)
    x = np.asarray(x, dtype=dtype)
    labels = np.asarray(labels)
    if x.ndim != 2 or len(x) != len(labels) or len(x) == 0:
        raise ValueError(f"the learning speed needs x (m, n_0) and labels (m,) with m ≥ 1, got shapes "
                         f"{x.shape} and {labels.shape}")
    m, rows = len(x), _rows_per_chunk(net.sizes, dtype.itemsize)
    nabla_b = [np.zeros(b.shape, np.float64) for b in net.biases]
    saturated = [0] * len(net.biases)
    for start in range(0, m, rows):
        xc, yc = x[start:start + rows], one_hot(labels[start:start + rows], net.sizes[-1], dtype)
        backward = net.backward(xc, yc, biases_only=True)
        for l, (total, part, sigma_prime) in enumerate(zip(nabla_b, backward.nabla_b, backward.sigma_prime)):
            total += part * len(xc)          # backward gives the chunk's mean; weight it by its rows
            saturated[l] += int(np.count_nonzero(sigma_prime < threshold))
    # Fact 3: ∂C/∂bˡ = δˡ, so the length of the mean bias gradient is layer l's learning speed.
    speed = tuple(float(np.linalg.norm(total / m)) for total in nabla_b)
    return speed, tuple(count / (m * n) for count, n in zip(saturated, net.sizes[1:]))


def _rows_per_chunk(sizes, itemsize=8):
    """Rows whose backward pass keeps about CHUNK_BYTES: six values per neuron and row."""
    return max(1, CHUNK_BYTES // (6 * itemsize * sum(sizes)))
