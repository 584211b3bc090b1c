"""The built-in 2-D datasets have the geometry they promise, follow their generator, and round-trip through CSV."""

import math

import numpy as np
import pytest

from nncore.csv_table import read_table
from nncore.errors import ConfigError
from nncore.toy_data import class_names, make, points_csv, split_points, write_points_csv


@pytest.mark.parametrize("kind", ["circle", "xor", "clusters", "spirals"])
def test_shapes_balance_and_the_generator_decide_the_points(kind):
    """(n, 2) points and (n,) labels, classes as equal as n allows, the same for the same seed, not for another."""
    points, labels = make(kind, 101, np.random.default_rng(3), noise=0.1)
    again, _ = make(kind, 101, np.random.default_rng(3), noise=0.1)
    other, _ = make(kind, 101, np.random.default_rng(4), noise=0.1)
    assert points.shape == (101, 2) and labels.shape == (101,)
    assert np.bincount(labels).tolist() == [51, 50]
    assert np.array_equal(points, again) and not np.array_equal(points, other)


def test_without_noise_the_circle_and_xor_are_separated_exactly():
    """Circle: class 0 within radius 0.5, class 1 from 0.7 to 1. XOR: class 1 exactly where x·y < 0."""
    points, labels = make("circle", 500, np.random.default_rng(1))
    r = np.hypot(*points.T)
    assert r[labels == 0].max() <= 0.5 and 0.7 <= r[labels == 1].min() and r.max() <= 1.0
    points, labels = make("xor", 500, np.random.default_rng(1))
    assert np.array_equal(labels == 1, points[:, 0] * points[:, 1] < 0) and np.abs(points).min() >= 0.05


def test_the_spirals_lie_on_their_curves_half_a_turn_apart():
    """Without noise each point is at r = t and angle 2π·turns·r + cπ (mod 2π)."""
    points, labels = make("spirals", 400, np.random.default_rng(2), turns=2.0)
    r = np.hypot(*points.T)
    expected = 2 * math.pi * 2.0 * r + math.pi * labels
    gap = np.angle(np.exp(1j * (np.arctan2(points[:, 1], points[:, 0]) - expected)))
    assert np.abs(gap).max() < 1e-9 and 0.05 <= r.min() and r.max() <= 1.0


def test_noise_is_gaussian_of_the_given_deviation():
    """The clusters' spread grows from 0.15 to √(0.15² + 0.2²) = 0.25 with noise 0.2."""
    points, labels = make("clusters", 20_000, np.random.default_rng(5), noise=0.2, k=4)
    assert np.bincount(labels).tolist() == [5000] * 4
    spread = points[labels == 0].std(axis=0)
    assert np.allclose(spread, 0.25, atol=0.01)


def test_split_shares_each_class_and_keeps_every_point_once():
    """A test share of 0.5 of 2,000 spiral points: 1,000 and 1,000, 500 of each class in each."""
    points, labels = make("spirals", 2000, np.random.default_rng(1), noise=0.02)
    (xa, ya), (xb, yb) = split_points(points, labels, 0.5, np.random.default_rng(1))
    assert len(ya) == len(yb) == 1000 and np.bincount(yb).tolist() == [500, 500]
    together = np.concatenate([xa, xb])
    assert sorted(map(tuple, together.tolist())) == sorted(map(tuple, points.tolist()))


@pytest.mark.parametrize("call, words", [
    (lambda rng: make("moons", 10, rng), "unknown dataset 'moons'; accepted: circle, xor, clusters, spirals"),
    (lambda rng: make("xor", 3, rng), "points must be from 4 to 1,000,000, got 3"),
    (lambda rng: make("xor", 10, rng, noise=float("nan")), "noise must be from 0 to 1, got nan"),
    (lambda rng: make("spirals", 10, rng, turns=20), "turns must be from 0.25 to 10, got 20"),
    (lambda rng: split_points(np.zeros((4, 2)), np.arange(4) % 2, 1.0, rng), "the test share must be from"),
])
def test_values_out_of_range_are_refused_saying_what_is_accepted(call, words):
    """Each bad value: a ConfigError naming it and its range."""
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        call(np.random.default_rng(0))


def test_points_written_as_csv_read_back_exactly(tmp_path):
    """x,y,label rows: read_table gives back the same float64 points and the class names."""
    points, labels = make("spirals", 50, np.random.default_rng(9), noise=0.02)
    write_points_csv(tmp_path / "p.csv", points, labels, class_names("spirals"))
    t = read_table(tmp_path / "p.csv")
    assert t.columns == ("x", "y") and np.array_equal(t.features, points)
    assert t.labels.tolist() == [("A", "B")[c] for c in labels]
    assert points_csv(points[:1], labels[:1]).splitlines()[1].endswith(f",{labels[0]}")
