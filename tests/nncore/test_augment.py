"""`--distort` (nncore.augment.distort_batch) changes each digit a little, in place, reproducibly, and
gives some 7s, 1s, 4s and 9s the forms people draw on a pad."""

import numpy as np
import pytest

from nncore.augment import add_forms, distort_batch
from nncore.preprocess import INK

NONE = dict(forms=0.0, max_shift=0.0, max_degrees=0.0, scale=(1.0, 1.0), aspect=(1.0, 1.0), max_shear=0.0,
            elastic=None, stroke_change=0.0)


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


def test_distorted_batch_keeps_shape_type_range_and_rough_mass(digits, mnist):
    """In place: same array, shape and dtype, values in [0, 1], every digit changed, its ink kept roughly."""
    original = digits.copy()
    one_hot = np.eye(10, dtype=np.float32)[mnist.test.labels[:200]]
    out = distort_batch(digits, np.random.default_rng(0), one_hot)
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


def test_elastic_distortion_bends_more_with_a_larger_alpha_and_keeps_the_ink(digits):
    """Elastic distortion alone: α = 0 is the identity; α = 8 changes less than α = 34; the ink's mass
    stays within 15% (median) and its centre moves less than 2 px (median)."""
    def elastic(alpha):
        x = digits.copy()
        distort_batch(x, np.random.default_rng(3), **(NONE | {"elastic": (alpha, 4.0)}))
        return x
    assert np.array_equal(elastic(0.0), digits)
    mild, strong = elastic(8.0), elastic(34.0)
    assert 0 < np.abs(mild - digits).mean() < np.abs(strong - digits).mean()
    mass = strong.sum(axis=1) / digits.sum(axis=1)
    assert 0.85 < np.median(mass) < 1.15
    moved = np.linalg.norm(centre_of_mass(strong) - centre_of_mass(digits), axis=1)
    assert np.median(moved) < 2.0


def ink_box(x):
    """(height, width) of the ink (> INK) of each 28×28 image in x (m, 784)."""
    ink = x.reshape(-1, 28, 28) > INK
    rows, cols = ink.any(axis=2), ink.any(axis=1)
    span = lambda a: a.shape[1] - np.argmax(a[:, ::-1], axis=1) - np.argmax(a, axis=1)  # noqa: E731
    return span(rows), span(cols)


@pytest.fixture
def by_digit(mnist):
    """digit → the first 100 MNIST training images of that digit (fresh copies)."""
    x, labels = mnist.train.x, mnist.train.labels
    return {d: x[np.flatnonzero(labels == d)[:100]].copy() for d in range(10)}


def test_forms_change_only_sevens_ones_fours_and_nines_and_refit_them(by_digit):
    """With chance 1: every 7, 1 and 9 and most open-topped 4s change, no other digit does, and a
    changed digit fits MNIST's 20 × 20 box with its centre of mass at (14, 14) as the pad's do."""
    rng = np.random.default_rng(5)
    for d, x in by_digit.items():
        original = x.copy()
        changed = add_forms(x, np.full(len(x), d), rng, chance=1.0)
        unchanged = np.setdiff1d(np.arange(len(x)), changed)
        assert np.array_equal(x[unchanged], original[unchanged])
        if d not in (1, 4, 7, 9):
            assert len(changed) == 0
            continue
        assert len(changed) >= (25 if d == 4 else 95)
        h, w = ink_box(x[changed])
        assert np.maximum(h, w).min() >= 18 and np.maximum(h, w).max() <= 21
        assert np.abs(centre_of_mass(x[changed]) - 14).max() < 1.0
    assert len(add_forms(by_digit[7].copy(), np.full(100, 7), rng, chance=0.0)) == 0


def test_a_seven_gets_a_crossbar_and_a_one_a_flag(by_digit):
    """7s: the widest ink run in the rows 40–70% down the digit grows by ≥ 3 px (median). 1s: ink
    appears left of the stem in the digit's top third, where a plain 1 has little."""
    rng = np.random.default_rng(6)
    sevens = by_digit[7]
    before = widest_middle_run(sevens)
    add_forms(sevens, np.full(100, 7), rng, chance=1.0)
    assert np.median(widest_middle_run(sevens) - before) >= 3
    ones = by_digit[1]
    before = ink_left_of_top(ones)
    add_forms(ones, np.full(100, 1), rng, chance=1.0)
    assert np.median(ink_left_of_top(ones) - before) > 1.0


def widest_middle_run(x):
    """Per image: the most ink pixels (> 0.5) in any one row 40–70% of the way down its ink."""
    out = []
    for image in x.reshape(-1, 28, 28) > 0.5:
        rows = np.flatnonzero(image.any(axis=1))
        top, height = rows[0], rows[-1] - rows[0] + 1
        band = image[top + int(0.4 * height):top + int(0.7 * height) + 1]
        out.append(band.sum(axis=1).max())
    return np.array(out)


def ink_left_of_top(x):
    """Per image: ink in the top third of the digit, left of its top row's centre by more than 2 px."""
    out = []
    for image in x.reshape(-1, 28, 28):
        ink = image > INK
        rows = np.flatnonzero(ink.any(axis=1))
        top, height = rows[0], rows[-1] - rows[0] + 1
        centre = np.flatnonzero(ink[top]).mean()
        out.append(image[top:top + height // 3, :max(0, int(centre) - 2)].sum())
    return np.array(out)
