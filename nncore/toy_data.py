"""Built-in 2-D datasets (the playground's): circle, XOR, Gaussian clusters and two spirals, and CSV output.

Each maker takes the number of points ``n``, a ``noise`` (the standard deviation of Gaussian noise added
to each coordinate, in units of the plane, whose points lie within about [−1, 1]²) and an explicit
``numpy.random.Generator``, and returns ``(points (n, 2) float64, labels (n,) int64)``, the classes as
equal in number as ``n`` allows. :func:`split_points` shares them out into training and test points;
:func:`write_points_csv` writes ``x,y,label`` rows that :mod:`nncore.csv_table` reads back.
"""

import io
import math

import numpy as np

from .errors import ConfigError
from .fileio import atomic_write
from .limits import Range

MAX_POINTS = 1_000_000
POINTS = Range(4, MAX_POINTS)        # in all, training and test together
NOISE = Range(0.0, 1.0)              # standard deviation of the noise on each coordinate
TEST_SHARE = Range(0.05, 0.95)       # the share of the points that test
TURNS = Range(0.25, 10.0)            # turns of each spiral
CLUSTERS = Range(2, 10)              # Gaussian clusters, one class each


def _class_sizes(n, k):
    """``(k,)`` counts adding up to ``n``, as equal as they can be."""
    return [n // k + (c < n % k) for c in range(k)]


def _labels(n, k):
    return np.repeat(np.arange(k), _class_sizes(n, k))


def _noisy(points, noise, rng):
    return points + noise * rng.standard_normal(points.shape) if noise else points


def circle(n, rng, *, noise=0.0):
    """Class 0 inside a disc of radius 0.5, class 1 on a ring from radius 0.7 to 1 around it."""
    labels = _labels(n, 2)
    radius = np.where(labels == 0, 0.5 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0, 2 * math.pi, n)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return _noisy(points, noise, rng), labels


def xor(n, rng, *, noise=0.0):
    """Points in [−1, 1]² kept 0.05 from the axes; class 1 where x·y < 0 (the quadrants XOR their signs)."""
    labels = _labels(n, 2)
    magnitude = rng.uniform(0.05, 1.0, (n, 2))
    sign_x = rng.choice([-1.0, 1.0], n)
    sign_y = np.where(labels == 0, sign_x, -sign_x)   # class 0: same signs; class 1: opposite
    points = magnitude * np.column_stack([sign_x, sign_y])
    return _noisy(points, noise, rng), labels


def clusters(n, rng, *, noise=0.0, k=2):
    """``k`` Gaussian clusters of standard deviation 0.15, their centres evenly round a circle of radius 0.6."""
    labels = _labels(n, k)
    angle = 2 * math.pi * labels / k + math.pi / 4
    centres = 0.6 * np.column_stack([np.cos(angle), np.sin(angle)])
    points = centres + 0.15 * rng.standard_normal((n, 2))
    return _noisy(points, noise, rng), labels


def spirals(n, rng, *, noise=0.0, turns=2.0):
    """Two interleaved spirals: class c at r = t, angle 2π·turns·t + cπ, t uniform in [0.05, 1]."""
    labels = _labels(n, 2)
    t = rng.uniform(0.05, 1.0, n)
    angle = 2 * math.pi * turns * t + math.pi * labels
    points = np.column_stack([t * np.cos(angle), t * np.sin(angle)])
    return _noisy(points, noise, rng), labels


MAKERS = {"circle": circle, "xor": xor, "clusters": clusters, "spirals": spirals}
CLASS_NAMES = {"circle": ("inside", "ring"), "xor": ("same", "opposite"), "spirals": ("A", "B")}


def make(kind, n, rng, *, noise=0.0, turns=2.0, k=2):
    """``(points (n, 2), labels (n,))`` of the dataset ``kind`` (a key of :data:`MAKERS`), every value
    checked against its range; raises ConfigError saying what is accepted."""
    if kind not in MAKERS:
        raise ConfigError(f"unknown dataset {kind!r}; accepted: {', '.join(MAKERS)}")
    for name, value, accepted in (("points", n, POINTS), ("noise", noise, NOISE), ("turns", turns, TURNS),
                                  ("clusters", k, CLUSTERS)):
        if not value in accepted:   # noqa: E713 - reads as the range's membership; NaN is refused too
            raise ConfigError(f"{name} must be from {accepted.text()}, got {value}")
    extra = {"turns": turns} if kind == "spirals" else {"k": k} if kind == "clusters" else {}
    return MAKERS[kind](n, rng, noise=noise, **extra)


def class_names(kind, k=2):
    """The names of ``kind``'s classes: ('A', 'B') for the spirals, ('1', …, 'k') for ``k`` clusters."""
    return CLASS_NAMES.get(kind) or tuple(str(c + 1) for c in range(k))


def split_points(points, labels, test_share, rng):
    """``((train points, train labels), (test points, test labels))``: a share ``test_share`` of each class
    tests (rounded, at least one point of each class in each part when it has two or more)."""
    if test_share not in TEST_SHARE:
        raise ConfigError(f"the test share must be from {TEST_SHARE.text()}, got {test_share}")
    test = np.zeros(len(labels), bool)
    for c in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == c))
        n_test = min(max(1, round(test_share * len(rows))), len(rows) - 1) if len(rows) > 1 else 0
        test[rows[:n_test]] = True
    return (points[~test], labels[~test]), (points[test], labels[test])


def points_csv(points, labels, names=None):
    """The text of an ``x,y,label`` table of ``points (n, 2)`` and ``labels (n,)`` (by ``names``, if given)."""
    out = io.StringIO()
    out.write("x,y,label\n")
    for (x, y), label in zip(points.tolist(), labels.tolist()):
        out.write(f"{x!r},{y!r},{names[label] if names else label}\n")
    return out.getvalue()


def write_points_csv(path, points, labels, names=None):
    """Write :func:`points_csv` to ``path`` atomically (:func:`nncore.fileio.atomic_write`)."""
    text = points_csv(points, labels, names).encode()
    atomic_write(path, lambda f: f.write(text))
