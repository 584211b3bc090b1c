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


def test_same_seed_same_distortion_other_seed_another(digits, mnist):
    """Two generators of one seed give identical bytes, forms included; another seed gives others."""
    one_hot = np.eye(10, dtype=np.float32)[mnist.test.labels[:200]]
    a, b, c = digits.copy(), digits.copy(), digits.copy()
    distort_batch(a, np.random.default_rng(7), one_hot)
    distort_batch(b, np.random.default_rng(7), one_hot)
    distort_batch(c, np.random.default_rng(8), one_hot)
    assert a.tobytes() == b.tobytes() and not np.array_equal(a, c)


def test_an_empty_batch_is_left_as_it_is():
    x = np.zeros((0, 784), np.float32)
    assert distort_batch(x, np.random.default_rng(0), np.zeros((0, 10), np.float32)).shape == (0, 784)


def test_aspect_widens_the_ink_and_keeps_its_height(digits):
    """Width × 1.25 alone: the ink's column spread (standard deviation) grows 1.25×, its row spread
    stays (medians within 3%)."""
    original = digits.copy()
    distort_batch(digits, np.random.default_rng(2), **(NONE | {"aspect": (1.25, 1.25)}))

    def spread(x, axis):
        images = x.reshape(-1, 28, 28)
        profile = images.sum(axis=axis)
        at = np.arange(28)
        mean = (profile * at).sum(1) / profile.sum(1)
        return np.sqrt((profile * (at - mean[:, None]) ** 2).sum(1) / profile.sum(1))
    assert np.median(spread(digits, 1) / spread(original, 1)) == pytest.approx(1.25, rel=0.03)
    assert np.median(spread(digits, 2) / spread(original, 2)) == pytest.approx(1.0, abs=0.03)


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


def test_the_elastic_field_is_smoothed_uniform_noise_scaled_by_alpha():
    """Simard's field at the image's centre: mean 0 and standard deviation α·√(1/3)·√(Σ g²)² (uniform
    noise of variance 1/3 through the separable Gaussian filter), within 5%; neighbours move alike."""
    from nncore.augment import _elastic_field, _gaussian_matrix
    du, dv = _elastic_field(4000, np.random.default_rng(0), 34.0, 4.0)
    centre = 14 * 28 + 14
    g = _gaussian_matrix(4.0)[14].astype(np.float64)
    expected = 34.0 * np.sqrt(1 / 3) * (g ** 2).sum()
    for field in (du, dv):
        assert abs(field[:, centre].mean()) < 0.1
        assert field[:, centre].std() == pytest.approx(expected, rel=0.05)
        assert np.corrcoef(field[:, centre], field[:, centre + 1])[0, 1] > 0.9


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
        assert np.maximum(h, w).min() >= 17 and np.maximum(h, w).max() <= 21   # faint edges may be < INK
        assert np.abs(centre_of_mass(x[changed]) - 14).max() < 1.0
    assert len(add_forms(by_digit[7].copy(), np.full(100, 7), rng, chance=0.0)) == 0


def test_a_closed_four_loses_its_left_arm(by_digit):
    """Changed 4s: the ink in the top-left corner of the digit's box (top 30%, left 30%), where an open
    4's left arm stands, falls to under a fifth (median), and the diagonal puts ink mid-box instead."""
    fours = by_digit[4]
    before = fours.copy()
    changed = add_forms(fours, np.full(100, 4), np.random.default_rng(8), chance=1.0)
    assert len(changed) >= 25
    ratio = corner_ink(fours[changed]) / np.maximum(corner_ink(before[changed]), 1e-9)
    assert np.median(ratio) < 0.2


def corner_ink(x):
    """Per image: ink in the top 30% and left 30% of its ink box."""
    out = []
    for image in x.reshape(-1, 28, 28):
        rows, cols = np.flatnonzero((image > INK).any(1)), np.flatnonzero((image > INK).any(0))
        h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
        out.append(image[rows[0]:rows[0] + int(0.3 * h), cols[0]:cols[0] + int(0.3 * w)].sum())
    return np.array(out)


def test_a_nine_gets_a_tail_that_hooks_left(by_digit):
    """Changed 9s: the ink of the digit's bottom fifth, a narrow tail before, spreads ≥ 2 px wider (median)."""
    nines = by_digit[9]
    before = nines.copy()
    changed = add_forms(nines, np.full(100, 9), np.random.default_rng(9), chance=1.0)
    assert np.median(foot_width(nines[changed]) - foot_width(before[changed])) >= 2


def foot_width(x):
    """Per image: columns spanned by the ink (> 0.5) of the bottom fifth of the digit."""
    out = []
    for image in x.reshape(-1, 28, 28) > 0.5:
        rows = np.flatnonzero(image.any(axis=1))
        foot = image[rows[-1] - (rows[-1] - rows[0] + 1) // 5:rows[-1] + 1].any(axis=0)
        cols = np.flatnonzero(foot)
        out.append(cols[-1] - cols[0] + 1)
    return np.array(out)


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
