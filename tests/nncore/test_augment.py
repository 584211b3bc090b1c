"""`--distort` (nncore.augment.distort_batch) changes each digit a little, in place, reproducibly."""

import numpy as np
import pytest

from nncore.augment import distort_batch

NONE = dict(max_shift=0.0, max_degrees=0.0, scale=(1.0, 1.0), max_shear=0.0, stroke_change=0.0)


@pytest.fixture
def digits(mnist):
    """200 MNIST test digits, float32 (m, 784) in [0, 1], as a fresh copy."""
    return mnist.test.x[:200].copy()


def centre_of_mass(x):
    """(row, column) centre of mass of each 28×28 image in x (m, 784) → (m, 2)."""
    images = x.reshape(-1, 28, 28)
    rows, cols = np.mgrid[0:28, 0:28]
    mass = images.sum(axis=(1, 2))
    return np.stack([(images * rows).sum(axis=(1, 2)) / mass, (images * cols).sum(axis=(1, 2)) / mass], 1)


def test_distorted_batch_keeps_shape_type_range_and_rough_mass(digits):
    """In place: same array, shape and dtype, values in [0, 1], every digit changed, its ink kept roughly."""
    original = digits.copy()
    out = distort_batch(digits, np.random.default_rng(0))
    assert out is digits and digits.shape == (200, 784) and digits.dtype == np.float32
    assert digits.min() >= 0.0 and digits.max() <= 1.0
    assert (digits != original).any(axis=1).all()
    mass = digits.sum(axis=1) / original.sum(axis=1)
    assert 0.3 < mass.min() and mass.max() < 2.5 and 0.85 < np.median(mass) < 1.15


def test_same_seed_same_distortion_other_seed_another(digits):
    """Two generators of one seed give identical bytes; another seed gives other images."""
    a, b, c = digits.copy(), digits.copy(), digits.copy()
    distort_batch(a, np.random.default_rng(7))
    distort_batch(b, np.random.default_rng(7))
    distort_batch(c, np.random.default_rng(8))
    assert a.tobytes() == b.tobytes() and not np.array_equal(a, c)


def test_no_distortion_is_the_identity(digits):
    """With every amount set to zero the images come back exactly as they were."""
    original = digits.copy()
    distort_batch(digits, np.random.default_rng(0), **NONE)
    assert np.array_equal(digits, original)


def test_a_pure_shift_keeps_the_ink_and_moves_it_at_most_max_shift(digits):
    """Shift alone (±2 px) of digits clear of the border: ink kept exactly, centre moved ≤ 2 px per axis."""
    images = digits.reshape(-1, 28, 28)
    border = np.ones((28, 28), bool)
    border[3:-3, 3:-3] = False
    clear = digits[~(images[:, border] > 0).any(axis=1)]     # bilinear shifts then lose no ink
    assert len(clear) > 100
    original = clear.copy()
    distort_batch(clear, np.random.default_rng(1), **(NONE | {"max_shift": 2.0}))
    np.testing.assert_allclose(clear.sum(axis=1), original.sum(axis=1), rtol=1e-5)
    moved = np.abs(centre_of_mass(clear) - centre_of_mass(original))
    assert 1.0 < moved.max() <= 2.0 + 1e-4
