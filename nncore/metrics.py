"""Summaries of a network's answers on a labelled split."""

import numpy as np

from .limits import N_CLASSES


def confusion_matrix(labels, predictions, n_classes=N_CLASSES):
    """Counts ``(n_classes, n_classes)``: row = true digit, column = the network's answer.

    labels, predictions: integer arrays ``(m,)``. The matrix sums to m and its trace counts the
    correct answers.
    """
    labels = np.asarray(labels, dtype=np.int64)
    predictions = np.asarray(predictions, dtype=np.int64)
    flat = np.bincount(labels * n_classes + predictions, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def format_confusion(matrix):
    """The confusion matrix as aligned text, true digits down, answers across."""
    n = matrix.shape[0]
    width = max(5, len(str(int(matrix.max()))) + 1)
    lines = ["true\\net" + "".join(f"{j:>{width}}" for j in range(n))]
    for i in range(n):
        lines.append(f"{i:>8}" + "".join(f"{int(v):>{width}}" for v in matrix[i]))
    return "\n".join(lines)
