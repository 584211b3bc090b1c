"""The one evaluation path: mean cost, accuracy and (when asked) the predicted digits of a network.

The training loop's epoch reports, the command line's ``evaluate`` and :meth:`Network.predict` /
:meth:`Network.accuracy` all come through :func:`evaluate`, so they agree to the last bit. The inputs
go forward in chunks of :data:`CHUNK` rows, which bounds the memory of a big split, and each chunk in
pieces of :data:`PIECE` rows through buffers allocated once, so that a wide layer's activations stay
in the cache between the passes of σ. The arithmetic is :meth:`Network.forward`'s, bit for bit: z =
a′Wᵀ + b (in this one orientation: at 500 rows W a′ᵀ gains nothing, unlike in a training step) and σ
by :func:`nncore.activations.sigmoid` itself, in the network's dtype. The inputs may be a split's uint8
pixels: each piece is converted to float32 (k/255, :func:`nncore.data.pixels_to_inputs`) as it goes
forward, so a split is never held as floats, and the bits are those of its float inputs.
"""

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid, sigmoid_prime_from_a
from .data import pixels_to_inputs

CHUNK = 2500   # rows per cost sum; the cost's float sum depends on it, so there is only one
SATURATION_THRESHOLD = 0.01   # σ′(z) below this: a neuron that has all but stopped learning (Fact 2)
PIECE = 500    # rows per forward pass in a chunk (from about 128 rows on, the products' bits do not change)


@dataclass(frozen=True)
class Evaluation:
    """``cost``: mean C per example; ``accuracy``: share of correct answers (0–1); both None without
    labels. ``predictions``: the digit answered for each example ``(m,)`` int64, or None if not asked.
    """

    cost: float | None
    accuracy: float | None
    predictions: np.ndarray | None = None


def evaluate(network, x, labels=None, *, predictions=False):
    """Evaluate ``network`` on the rows of ``x (m, n_0)`` with integer ``labels (m,)``.

    ``x`` holds float inputs, or uint8 pixels read as k/255 (a split's ``stored`` inputs: the same
    results as its float ``x``, without converting the whole split).

    The prediction for a row is the index of the largest output activation. Without ``labels`` only
    the predictions can be computed (``predictions=True``); cost and accuracy are then None. An empty
    ``x`` gives cost 0 and accuracy 0.
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"evaluate takes a batch of shape (m, n_0), got shape {x.shape}; "
                         "for one example pass x[None, :]")
    labels = None if labels is None else np.asarray(labels)
    m = len(x)
    eye = np.eye(network.sizes[-1], dtype=network.dtype)
    total, correct = 0.0, 0
    answers = np.empty(m, dtype=np.int64) if predictions else None
    forward = _ChunkForward(network, min(m, CHUNK))
    for start in range(0, m, CHUNK):
        z, a = forward(x[start:start + CHUNK])
        guess = np.argmax(a, axis=1)
        if answers is not None:
            answers[start:start + len(a)] = guess
        if labels is not None:
            chunk_labels = labels[start:start + CHUNK]
            total += network.cost.value(a, eye[chunk_labels], z)
            correct += int(np.count_nonzero(guess == chunk_labels))
    if labels is None:
        return Evaluation(None, None, answers)
    return Evaluation(total / max(m, 1), correct / max(m, 1), answers)


def saturation(network, x, threshold=SATURATION_THRESHOLD):
    """Per layer, the share of (example, neuron) pairs of ``x (m, n_0)`` (floats or uint8 pixels, as in
    :func:`evaluate`) with σ′(z) = a(1 − a) < threshold.

    Through this module's buffered forward pass, whose activations are Network.forward's bit for bit.
    The epoch reports count the same pairs in the backward pass that measures the learning speed
    (:func:`nncore.gradient_norms.speed_and_saturation`), with this threshold.
    """
    counts = [0] * len(network.weights)

    def count(l, a):
        counts[l] += int(np.count_nonzero(sigmoid_prime_from_a(a) < threshold))

    forward = _ChunkForward(network, min(len(x), CHUNK))
    for start in range(0, len(x), CHUNK):
        forward(x[start:start + CHUNK], count)
    return [c / (len(x) * n) for c, n in zip(counts, network.sizes[1:])]


class _ChunkForward:
    """The output layer's z and a ``(c, n_L)`` for a chunk of at most ``rows`` rows, through reused buffers."""

    def __init__(self, network, rows):
        self.network = network
        self.hidden = [_buffers(n, min(rows, 2 * PIECE), network.dtype) for n in network.sizes[1:-1]]
        self.output = _buffers(network.sizes[-1], rows, network.dtype)
        self.pixel_inputs = None     # float32 (2 × PIECE, n_0), made on the first piece of uint8 pixels

    def __call__(self, x, each_layer=None):
        """(zᴸ, aᴸ) of the rows of ``x (c, n_0)`` (floats, or uint8 pixels converted piece by piece), as
        views of the buffers (valid until the next call).

        ``each_layer(l, a)``, if given, is called with every layer's activations, piece by piece.
        """
        c, dtype = len(x), self.network.dtype
        weights, biases = self.network.weights, self.network.biases
        z_out, a_out = (v[:c] for v in self.output)
        for start, stop in _pieces(c):
            a = self._inputs(x[start:stop], dtype)
            for l, (w, b, buffers) in enumerate(zip(weights, biases, self.hidden)):
                a = _layer(a, w, b, *(v[:stop - start] for v in buffers))
                if each_layer is not None:
                    each_layer(l, a)
            a = _layer(a, weights[-1], biases[-1], z_out[start:stop], a_out[start:stop])
            if self.network.cost.output != "sigmoid":    # the output activation the cost declares,
                self.network.cost.activate(z_out[start:stop], out=a)   # as Network.forward applies it
            if each_layer is not None:
                each_layer(len(weights) - 1, a)
        return z_out, a_out

    def _inputs(self, piece, dtype):
        """A piece of inputs ``(p, n_0)`` in ``dtype``; uint8 pixels become k/255 in float32 first."""
        if piece.dtype != np.uint8:
            return np.asarray(piece, dtype=dtype)
        if self.pixel_inputs is None:
            self.pixel_inputs = np.empty((min(len(self.output[0]), 2 * PIECE), piece.shape[1]), np.float32)
        floats = pixels_to_inputs(piece, self.pixel_inputs[:len(piece)])
        return floats if dtype == np.float32 else floats.astype(dtype)


def _pieces(c):
    """(start, stop) of pieces of ``c`` rows: PIECE rows each, the last one up to 2 × PIECE − 1.

    A BLAS product's bits can depend on its number of rows below about 128 (other kernels), never
    above in our measurements; no piece is shorter than PIECE unless the chunk itself is.
    """
    starts = list(range(0, max(c - PIECE, 0) + 1, PIECE)) or [0]
    return list(zip(starts, starts[1:] + [c]))


def _buffers(n, rows, dtype):
    """For a layer of ``n`` neurons and up to ``rows`` rows: z and a, each ``(rows, n)``."""
    return np.empty((rows, n), dtype), np.empty((rows, n), dtype)


def _layer(a, w, b, z, out):
    """z = a Wᵀ + b and out = σ(z) for rows ``a (p, n_in)``, as Network.forward computes them; returns out."""
    np.dot(a, w.T, out=z)
    np.add(z, b, out=z)
    return sigmoid(z, out=out)
