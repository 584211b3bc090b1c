"""The one evaluation path: mean cost, accuracy and (when asked) the predicted digits of a network.

The training loop's epoch reports, the command line's ``evaluate`` and :meth:`Network.predict` /
:meth:`Network.accuracy` all come through :func:`evaluate`, so they agree to the last bit. The inputs
go forward in chunks of :data:`CHUNK` rows, which bounds the memory of a big split.
"""

from dataclasses import dataclass

import numpy as np

CHUNK = 2500   # rows per forward pass; the cost's float sum depends on it, so there is only one


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
    for start in range(0, m, CHUNK):
        zs, activations = network.forward(x[start:start + CHUNK])
        a = activations[-1]
        guess = np.argmax(a, axis=1)
        if answers is not None:
            answers[start:start + len(a)] = guess
        if labels is not None:
            chunk_labels = labels[start:start + CHUNK]
            total += network.cost.value(a, eye[chunk_labels], zs[-1])
            correct += int(np.count_nonzero(guess == chunk_labels))
    if labels is None:
        return Evaluation(None, None, answers)
    return Evaluation(total / max(m, 1), correct / max(m, 1), answers)
