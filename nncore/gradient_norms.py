"""How fast each layer learns: ‖∂C/∂bˡ‖, the book's measure of the vanishing gradient (chapter 5).

Fact 3 makes the bias gradient of a layer its error, ∂C/∂bˡ = δˡ, so the length of that vector is how
fast the layer's neurons are moving; in a deep sigmoid network the early layers' is far smaller.
"""

import numpy as np

from .network import one_hot

CHUNK_BYTES = 64_000_000   # at most about this much for one chunk's backward pass (float64)


def learning_speed(network, x, labels):
    """‖∂C/∂bˡ‖ for every layer l = 1 … L, with C the mean cost over the examples given.

    ``x``: inputs ``(m, n_0)``, one example per row; ``labels``: their digits ``(m,)``. Returns a
    tuple of L floats, the first for the first hidden layer, the last for the output layer. Computed
    by :meth:`Network.backward` with ``biases_only`` (no weight gradient is formed) on a float64 copy
    of ``network`` (which is not changed), in chunks of rows whose mean bias gradients are weighted by
    their size, so any number of examples fits.
    """
    net = network.copy(np.float64)
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray(labels)
    if x.ndim != 2 or len(x) != len(labels) or len(x) == 0:
        raise ValueError(f"learning_speed takes x (m, n_0) and labels (m,) with m ≥ 1, got shapes "
                         f"{x.shape} and {labels.shape}")
    m, rows = len(x), _rows_per_chunk(net.sizes)
    nabla_b = [np.zeros_like(b) for b in net.biases]
    for start in range(0, m, rows):
        xc, yc = x[start:start + rows], one_hot(labels[start:start + rows], net.sizes[-1], np.float64)
        for total, part in zip(nabla_b, net.backward(xc, yc, biases_only=True).nabla_b):
            total += part * len(xc)          # backward gives the chunk's mean; weight it by its rows
    # Fact 3: ∂C/∂bˡ = δˡ, so the length of the mean bias gradient is layer l's learning speed.
    return tuple(float(np.linalg.norm(total / m)) for total in nabla_b)


def _rows_per_chunk(sizes):
    """Rows whose backward pass keeps about CHUNK_BYTES: six float64 values per neuron and row."""
    return max(1, CHUNK_BYTES // (6 * 8 * sum(sizes)))
