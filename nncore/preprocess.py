"""Turn a drawing into what the network expects: a 28×28 digit prepared the way MNIST's were.

MNIST's digits were size-normalised to fit a 20×20 box keeping their aspect ratio, anti-aliased,
and placed in a 28×28 field with their centre of mass at the centre. A drawing fed to the network
without the same treatment is read badly, so :func:`to_mnist` repeats it: crop to the ink,
normalise the stroke weight, scale by area averaging, centre by mass.
"""

from functools import lru_cache

import numpy as np

from .errors import NNCoreError
from .limits import IMAGE_SIDE as FIELD

BOX = 20                      # MNIST's digits were scaled to fit a 20×20 box
CENTRE = FIELD / 2            # MNIST's mean centre of mass, in pixel-index coordinates (14.0)
INK = 0.1                     # values above this count as ink
STROKE_RANGE = (0.06, 0.15)   # stroke width / digit size seen in 90% of MNIST test digits
STROKE_TARGET = 0.095         # MNIST's median


class PreprocessError(NNCoreError):
    """The image cannot be turned into a digit (wrong shape, not numbers)."""


def to_mnist(image, *, normalise_stroke=True):
    """A drawing ``(H, W)`` of white ink on black in [0, 1] → float32 ``(784,)`` like an MNIST digit.

    Returns None when there is no ink. Raises PreprocessError for anything that is not a 2-D array of
    finite numbers.
    """
    img = _checked(image)
    crop = _crop_to_ink(img)
    if crop is None:
        return None
    if normalise_stroke:
        crop = normalise_stroke_weight(crop)
    small = _area_resize(crop, BOX)
    peak = small.max()
    if peak <= 0:
        return None
    small /= peak
    return _centre_by_mass(small).reshape(-1).astype(np.float32)


def _checked(image):
    try:
        img = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError):
        raise PreprocessError("the drawing must be a 2-D array of numbers") from None
    if img.ndim != 2 or min(img.shape) < 1:
        raise PreprocessError(f"the drawing must be a 2-D image, got shape {img.shape}")
    if img.size > 4096 * 4096:
        raise PreprocessError("the drawing is too large (at most 4096 × 4096 pixels)")
    if not np.isfinite(img).all():
        raise PreprocessError("the drawing contains NaN or infinite values")
    return np.clip(img, 0.0, 1.0)


def _crop_to_ink(img):
    """The smallest box holding every ink pixel, or None if there is none."""
    ink = img > INK
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def stroke_width(img):
    """Estimated stroke width in pixels: 2 × ink area / ink perimeter."""
    ink = img > 0.5
    area = np.count_nonzero(ink)
    perimeter = (np.count_nonzero(ink[1:] != ink[:-1]) + np.count_nonzero(ink[:, 1:] != ink[:, :-1])
                 + np.count_nonzero(ink[0]) + np.count_nonzero(ink[-1])
                 + np.count_nonzero(ink[:, 0]) + np.count_nonzero(ink[:, -1]))
    return 2.0 * area / perimeter if perimeter else 0.0


def normalise_stroke_weight(crop):
    """Thicken a very thin stroke or thin a very thick one towards MNIST's width/size ratio.

    Strokes within MNIST's usual range are left exactly as they are.
    """
    size = max(crop.shape)
    width = stroke_width(crop)
    ratio = width / size
    lo, hi = STROKE_RANGE
    if size < 4 or lo <= ratio <= hi:
        return crop
    steps = int(round(abs(STROKE_TARGET * size - width) / 2))
    steps = min(steps, max(1, size // 8))
    if steps == 0:
        return crop
    if ratio < lo:
        grown = np.pad(crop, steps)
        for _ in range(steps):
            grown = _max3(grown)
        return grown
    shrunk = crop
    for _ in range(steps):
        thinner = _min3(shrunk)
        if not (thinner > INK).any():
            break
        shrunk = thinner
    return shrunk


def _max3(a):
    """3×3 (cross-shaped) maximum filter; the border counts as background."""
    p = np.pad(a, 1)
    return np.maximum.reduce([p[1:-1, 1:-1], p[:-2, 1:-1], p[2:, 1:-1], p[1:-1, :-2], p[1:-1, 2:]])


def _min3(a):
    """3×3 (cross-shaped) minimum filter; the border counts as background."""
    p = np.pad(a, 1)
    return np.minimum.reduce([p[1:-1, 1:-1], p[:-2, 1:-1], p[2:, 1:-1], p[1:-1, :-2], p[1:-1, 2:]])


@lru_cache(maxsize=1024)
def _area_weights(n_in, n_out):
    """``(n_out, n_in)`` matrix averaging input cells over each output cell's span (area averaging);
    read-only, as it is shared."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    lo, hi = edges[:-1, None], edges[1:, None]
    cells = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, cells + 1) - np.maximum(lo, cells), 0.0, None)
    weights = overlap / overlap.sum(axis=1, keepdims=True)
    weights.flags.writeable = False
    return weights


def _area_resize(crop, box):
    """Scale so the longer side is ``box`` pixels, keeping the aspect ratio, by area averaging."""
    h, w = crop.shape
    scale = box / max(h, w)
    out_h, out_w = max(1, int(round(h * scale))), max(1, int(round(w * scale)))
    return _area_weights(h, out_h) @ crop @ _area_weights(w, out_w).T


def _centre_by_mass(small):
    """Place ``small`` in a 28×28 field so its centre of mass sits at MNIST's centre."""
    h, w = small.shape
    mass = small.sum()
    cy = (small.sum(axis=1) @ np.arange(h)) / mass
    cx = (small.sum(axis=0) @ np.arange(w)) / mass
    top = int(np.clip(round(CENTRE - cy), 0, FIELD - h))
    left = int(np.clip(round(CENTRE - cx), 0, FIELD - w))
    field = np.zeros((FIELD, FIELD))
    field[top:top + h, left:left + w] = small
    return field
