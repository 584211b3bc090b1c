"""Random changes of 28×28 digits that cover how people draw: ``nncore train --distort``.

People's drawings differ from MNIST's scans in slant, size, width, thickness and position more than
the test set does, and some forms common on a pad are rare in MNIST (a 7 with a crossbar, a 1 with a
flag and a base, a closed 4, a 9 whose tail hooks left). :func:`distort_batch` gives each training
image, every time it is used, its own

1. *form* (with the labels): a crossbar drawn across some 7s, a flag and sometimes a base on some 1s,
   the left arm of some open 4s replaced by a diagonal that closes them, a hook on some 9s' tails
   (:func:`add_forms`); the changed digit is refitted to MNIST's 20 × 20 box as the pad's are;
2. *affine map*: rotation, scale, width (aspect ratio), slant (shear) and shift;
3. *elastic distortion* as in Simard, Steinkraus & Platt (2003), "Best practices for convolutional
   neural networks applied to visual document analysis": a random displacement field, uniform in
   [−1, 1] per pixel, smoothed by a Gaussian of width σ and scaled by α, bends the strokes the way
   hands do;
4. *stroke weight*: thickened or thinned a little.

Steps 2 and 3 are one bilinear resampling. Everything but step 1 is vectorised over the batch, whose
rows are flattened 28×28 images in [0, 1].
"""

from functools import cached_property, lru_cache

import numpy as np

from .limits import IMAGE_SIDE as SIDE
from .preprocess import stroke_width, to_mnist
from .strokes import draw_segment

PAD = 8       # images are resampled, and forms drawn, inside a frame this wide: nothing is cut off
FORMS_CHANCE = 0.35   # the chance that a 7, 1, 4 or 9 gets another form
INK_LEVEL = 0.3       # the forms' idea of ink: values above this
_CENTRE = (SIDE - 1) / 2.0
_v, _u = np.mgrid[0:SIDE, 0:SIDE].reshape(2, -1).astype(np.float64) - _CENTRE  # rows, columns


def distort_batch(x, rng, targets=None, *, forms=FORMS_CHANCE, max_shift=2.0, max_degrees=12.0, scale=(0.85, 1.1),
                  aspect=(0.8, 1.2), max_shear=0.25, elastic=(34.0, 4.0), stroke_change=0.5):
    """Distort each row of ``x (m, 784)`` in place, each with its own random changes; returns ``x``.

    ``rng`` is a ``numpy.random.Generator``; ``targets (m, 10)``, the rows' one-hot targets, or None
    (then no form changes). ``forms``: the chance that a 7, 1, 4 or 9 gets another form
    (:func:`add_forms`). Rotation up to ±max_degrees, scale in ``scale``, width × a factor in
    ``aspect``, horizontal shear up to ±max_shear (slant), shift up to ±max_shift pixels;
    ``elastic = (α, σ)`` in pixels, or None; then, with probability ``stroke_change``, the stroke is
    thickened or thinned a little. With every amount zero (and ``elastic`` None) ``x`` is unchanged.
    """
    m = x.shape[0]
    if targets is not None and forms > 0:
        add_forms(x, np.argmax(targets, axis=1), rng, forms)
    theta = np.deg2rad(rng.uniform(-max_degrees, max_degrees, (m, 1)))
    s = rng.uniform(*scale, (m, 1))
    scale_x = s * rng.uniform(*aspect, (m, 1))
    shear = rng.uniform(-max_shear, max_shear, (m, 1))
    tx, ty = rng.uniform(-max_shift, max_shift, (2, m, 1))
    cos, sin = np.cos(theta), np.sin(theta)
    # Inverse map from each output pixel (u, v) back to where it is read in the source image.
    u, v = _u - tx, _v - ty
    src_v = (-sin * u + cos * v) / s
    src_u = (cos * u + sin * v) / scale_x - shear * src_v
    if elastic is not None:
        du, dv = _elastic_field(m, rng, *elastic)
        src_u, src_v = src_u + du, src_v + dv
    out = _bilinear(x.reshape(m, SIDE, SIDE), src_u + _CENTRE, src_v + _CENTRE)
    _change_strokes(out, rng, stroke_change)
    np.clip(out, 0.0, 1.0, out=out)
    x[...] = out.reshape(m, SIDE * SIDE)
    return x


def _elastic_field(m, rng, alpha, sigma):
    """Simard et al.'s displacement field: two float32 ``(m, 784)`` arrays (columns, rows), uniform noise
    in [−1, 1] per pixel smoothed by a Gaussian of width ``sigma`` (pixels) and scaled by ``alpha``."""
    g = _gaussian_matrix(float(sigma))
    noise = rng.random((2 * m * SIDE, SIDE), dtype=np.float32) * 2 - 1
    smooth = g @ (noise @ g.T).reshape(2 * m, SIDE, SIDE)     # G N Gᵀ: along each row, then each column
    smooth *= alpha
    return smooth[:m].reshape(m, SIDE * SIDE), smooth[m:].reshape(m, SIDE * SIDE)


@lru_cache(maxsize=4)
def _gaussian_matrix(sigma):
    """float32 ``(28, 28)`` G such that G f filters a column f by a Gaussian of width sigma, each row
    summing to 1 (the kernel renormalised where it meets the border, so the edges move as much as the
    middle). Read-only: it is shared."""
    d = np.arange(SIDE)[:, None] - np.arange(SIDE)[None, :]
    k = np.exp(-0.5 * (d / sigma) ** 2)
    g = (k / k.sum(axis=1, keepdims=True)).astype(np.float32)
    g.flags.writeable = False
    return g


def _bilinear(images, cols, rows):
    """Sample ``images (m, 28, 28)`` at real ``cols, rows (m, 784)`` → ``(m, 784)``; 0 outside."""
    m = images.shape[0]
    side = SIDE + 2 * PAD
    padded = np.zeros((m, side, side), dtype=np.float32)
    padded[:, PAD:PAD + SIDE, PAD:PAD + SIDE] = images
    flat = padded.reshape(-1)
    c = np.clip(cols + PAD, 0, side - 1.001)
    r = np.clip(rows + PAD, 0, side - 1.001)
    c0, r0 = np.floor(c).astype(np.int64), np.floor(r).astype(np.int64)
    fc, fr = (c - c0).astype(np.float32), (r - r0).astype(np.float32)
    base = (np.arange(m) * side * side)[:, None] + r0 * side + c0
    top = flat[base] * (1 - fc) + flat[base + 1] * fc
    bottom = flat[base + side] * (1 - fc) + flat[base + side + 1] * fc
    return top * (1 - fr) + bottom * fr


def _change_strokes(images, rng, probability):
    """Thicken (blend in a 3×3 maximum) or thin (raise the ink threshold) some of ``images (m, 784)``."""
    m = images.shape[0]
    choice = rng.uniform(0, 1, m)
    thicken = choice < probability / 2
    thin = (choice >= probability / 2) & (choice < probability)
    if thicken.any():
        sub = images[thicken].reshape(-1, SIDE, SIDE)
        grown = sub.copy()
        for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            np.maximum(grown, np.roll(sub, (dr, dc), axis=(1, 2)), out=grown)
        k = rng.uniform(0.3, 0.8, (len(sub), 1, 1)).astype(np.float32)
        images[thicken] = np.maximum(sub, k * grown).reshape(len(sub), -1)
    if thin.any():
        t = rng.uniform(0.1, 0.4, (int(thin.sum()), 1)).astype(np.float32)
        images[thin] = np.clip((images[thin] - t) / (1 - t), 0, 1)


# ---- forms: what people draw that MNIST shows rarely ------------------------------------------------
def add_forms(x, labels, rng, chance=FORMS_CHANCE):
    """Give some digits of ``x (m, 784)`` another form, in place: a crossbar on a 7; a flag on a 1,
    half of them with a base too; a diagonal instead of an open 4's left arm; a hook on a 9's tail.

    ``labels (m,)`` are the digits; each 7, 1, 4 and 9 is changed with probability ``chance``. A
    changed digit is refitted to MNIST's 20 × 20 box and centred by mass, as the pad's drawings are.
    Returns the indices of the rows changed.
    """
    chosen = np.flatnonzero(np.isin(labels, list(_FORMS)) & (rng.uniform(0, 1, len(labels)) < chance))
    changed = []
    side = SIDE + 2 * PAD
    for i in chosen:
        image = np.zeros((side, side))       # the digit in a frame: a base or a hook is never cut off
        image[PAD:PAD + SIDE, PAD:PAD + SIDE] = x[i].reshape(SIDE, SIDE)
        if _FORMS[int(labels[i])](image, _Ink(image), rng):
            refitted = to_mnist(image, normalise_stroke=False)
            if refitted is not None:
                x[i] = refitted
                changed.append(i)
    return np.array(changed, dtype=np.int64)


class _Ink:
    """Where the ink of ``image`` (a digit in its frame, float64 ``(44, 44)``) is: its first and last
    rows, its height, its stroke width, and the ink columns of any row."""

    def __init__(self, image):
        self.image = image
        rows = np.flatnonzero((image > INK_LEVEL).any(axis=1))
        self.top, self.bottom = (int(rows[0]), int(rows[-1])) if rows.size else (0, 0)
        self.height = self.bottom - self.top + 1

    @cached_property
    def width(self):
        """The stroke width in pixels, kept within 1.4–3.5 (computed only when a form is drawn)."""
        return float(np.clip(stroke_width(self.image), 1.4, 3.5))

    def row(self, y):
        """Columns of ink in row ``y`` (rounded down: the row whose pixel centre is at or above y)."""
        return np.flatnonzero(self.image[int(np.floor(y))] > INK_LEVEL)

    def centre(self, y):
        """Mean ink column of row ``y``, or None."""
        cols = self.row(y)
        return float(cols.mean()) if cols.size else None

    def runs(self, y):
        """[(first, last)] column runs of ink in row ``y``."""
        cols = self.row(y)
        if cols.size == 0:
            return []
        breaks = np.flatnonzero(np.diff(cols) > 1)
        starts, ends = np.r_[cols[0], cols[breaks + 1]], np.r_[cols[breaks], cols[-1]]
        return list(zip(starts, ends))


# Each form draws into ``image`` (a digit in its frame, float64 (44, 44)) in place, with ``ink`` its
# _Ink; it returns False, leaving the image alone, when the digit does not have the shape it needs.

def _seven_crossbar(image, ink, rng):
    """A short bar across a 7's stem a little below the middle."""
    y = ink.top + rng.uniform(0.45, 0.6) * ink.height
    x = ink.centre(y)
    if x is None or ink.height < 10:
        return False
    half = rng.uniform(0.15, 0.24) * ink.height
    tilt = rng.uniform(-0.12, 0.05) * half
    draw_segment(image, (x - half, y - tilt), (x + half * rng.uniform(0.8, 1.2), y + tilt), ink.width)
    return True


def _one_flag(image, ink, rng):
    """A flag from the top of a 1 down to the left, and half the time a base across its foot."""
    top = ink.centre(ink.top)
    foot = ink.centre(ink.bottom)
    if top is None or foot is None or ink.height < 10:
        return False
    h = ink.height
    length = rng.uniform(0.22, 0.4) * h
    angle = np.deg2rad(rng.uniform(25, 55))
    start = (top, ink.top)
    draw_segment(image, start, (top - length * np.cos(angle), ink.top + length * np.sin(angle)), ink.width)
    if rng.uniform() < 0.5:
        half = rng.uniform(0.18, 0.3) * h
        draw_segment(image, (foot - half, ink.bottom), (foot + half, ink.bottom), ink.width)
    return True


def _four_closed(image, ink, rng):
    """An open 4 (two ink runs near the top) closed: its left arm erased and replaced by a diagonal
    from the top of the stem down to the left end of the bar."""
    if ink.height < 10:
        return False
    runs = ink.runs(ink.top + 0.15 * ink.height)
    if len(runs) != 2:
        return False
    stem_x = (runs[1][0] + runs[1][1]) / 2
    bar_y = max(range(int(ink.top + 0.35 * ink.height), int(ink.top + 0.75 * ink.height) + 1),
                key=lambda y: len(ink.row(y)))
    bar = ink.row(bar_y)
    if bar.size == 0 or bar[0] >= runs[1][0]:
        return False
    start, end = np.array([stem_x, float(ink.top)]), np.array([float(bar[0]), float(bar_y)])
    ys, xs = np.mgrid[0:image.shape[0], 0:image.shape[1]]
    # Erase the ink above the bar that lies left of the new diagonal (and of the stem): with y down,
    # the cross product of the diagonal's direction d with (p − start) is negative on that side.
    d = end - start
    left_of = (xs - start[0]) * d[1] - (ys - start[1]) * d[0] < -ink.width * np.hypot(*d)
    image[left_of & (ys < bar_y - ink.width) & (xs < runs[1][0] - 1)] = 0.0
    draw_segment(image, tuple(start), tuple(end), ink.width)
    return True


def _nine_hook(image, ink, rng):
    """The bottom of a 9's tail bent to the left."""
    x = ink.centre(ink.bottom)
    if x is None or ink.height < 10:
        return False
    h, y = ink.height, float(ink.bottom)
    mid = (x - rng.uniform(0.12, 0.2) * h, y + rng.uniform(0.0, 0.05) * h)
    end = (mid[0] - rng.uniform(0.1, 0.16) * h, mid[1] - rng.uniform(0.08, 0.16) * h)
    draw_segment(image, (x, y), mid, ink.width)
    draw_segment(image, mid, end, ink.width)
    return True


_FORMS = {7: _seven_crossbar, 1: _one_flag, 4: _four_closed, 9: _nine_hook}
