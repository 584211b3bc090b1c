"""The confusion matrix counts answers by true digit, and prints as an aligned table."""

import numpy as np

from nncore.metrics import confusion_matrix, format_confusion


def test_confusion_matrix_counts_true_digit_by_answer():
    """Rows are true digits, columns answers; it sums to m and its trace counts the right answers."""
    matrix = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], n_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert matrix.sum() == 6 and np.trace(matrix) == 4


def test_format_confusion_is_an_aligned_table():
    """A header of answers, then one line per true digit, every column right-aligned to the same width."""
    matrix = np.array([[5, 0, 1], [0, 123456, 2], [3, 4, 0]])
    lines = format_confusion(matrix).splitlines()
    assert lines == ["true\\net      0      1      2",
                     "       0      5      0      1",
                     "       1      0 123456      2",
                     "       2      3      4      0"]
    assert len({len(line) for line in lines}) == 1


def test_format_confusion_keeps_a_minimum_width_for_small_counts():
    """Counts below 10,000 use columns 5 wide, so a 10×10 matrix of MNIST's test set lines up."""
    lines = format_confusion(np.eye(10, dtype=int) * 7).splitlines()
    assert len(lines) == 11 and lines[0] == "true\\net" + "".join(f"{j:>5}" for j in range(10))
    assert lines[4] == f"{3:>8}" + "".join(f"{7 if j == 3 else 0:>5}" for j in range(10))
