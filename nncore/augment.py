"""Small random distortions of 28×28 digits: shifts, rotations, scaling, shear and stroke weight.

People's drawings differ from MNIST's scans in slant, size, thickness and position more than the test
set does; training on distorted copies (``nncore train --distort``) makes a network read them better.
Everything here is vectorised over a batch whose rows are flattened 28×28 images in [0, 1].
"""

import numpy as np

from .limits import IMAGE_SIDE as SIDE

PAD = 8
_CENTRE = (SIDE - 1) / 2.0
_v, _u = np.mgrid[0:SIDE, 0:SIDE].reshape(2, -1).astype(np.float64) - _CENTRE  # rows, columns


def distort_batch(x, rng, *, max_shift=2.0, max_degrees=12.0, scale=(0.85, 1.1), max_shear=0.25,
                  stroke_change=0.5):
    """Distort each row of ``x (m, 784)`` in place with its own random affine map and stroke change.

    ``rng`` is a ``numpy.random.Generator``. Rotation up to ±max_degrees, scale in ``scale``,
    horizontal shear up to ±max_shear (slant), shift up to ±max_shift pixels; then, with probability
    ``stroke_change``, the stroke is thickened or thinned a little.
    """
    m = x.shape[0]
    theta = np.deg2rad(rng.uniform(-max_degrees, max_degrees, (m, 1)))
    s = rng.uniform(*scale, (m, 1))
    shear = rng.uniform(-max_shear, max_shear, (m, 1))
    tx, ty = rng.uniform(-max_shift, max_shift, (2, m, 1))
    cos, sin = np.cos(theta), np.sin(theta)
    # Inverse map from each output pixel (u, v) back to where it is read in the source image.
    u, v = _u - tx, _v - ty
    src_u = (cos * u + sin * v) / s - shear * ((-sin * u + cos * v) / s)
    src_v = (-sin * u + cos * v) / s
    out = _bilinear(x.reshape(m, SIDE, SIDE), src_u + _CENTRE, src_v + _CENTRE)
    _change_strokes(out, rng, stroke_change)
    np.clip(out, 0.0, 1.0, out=out)
    x[...] = out.reshape(m, -1)
    return x


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
