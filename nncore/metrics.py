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


def format_confusion(matrix, names=None):
    """The confusion matrix ``(n, n)`` as aligned text, true classes down, answers across; ``names`` the
    n class names (default: their numbers 0 … n−1)."""
    n = matrix.shape[0]
    names = [str(c) for c in (names if names is not None else range(n))]
    width = max(5, len(str(int(matrix.max()))) + 1, *(len(c) + 1 for c in names))
    first = max(8, *(len(c) for c in names))
    lines = [f"{'true' + chr(92) + 'net':>{first}}" + "".join(f"{c:>{width}}" for c in names)]
    for i in range(n):
        lines.append(f"{names[i]:>{first}}" + "".join(f"{int(v):>{width}}" for v in matrix[i]))
    return "\n".join(lines)


def per_class(matrix):
    """``(accuracy (n,), correct (n,), examples (n,))`` of each true class of the confusion ``matrix (n, n)``;
    the accuracy of a class without examples is NaN."""
    correct, examples = np.diag(matrix).astype(np.int64), matrix.sum(axis=1).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return correct / examples, correct, examples
