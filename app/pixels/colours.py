"""Colours for signed pixel maps, Qt-free and cheap: float32 and one cached lookup table.

A saliency map is drawn on paper: the example's ink in grey on white, and over it, for each pixel,
the sign of dC/dx in one of two colours (orange and purple, told apart by colour-blind eyes too) with
an opacity that grows with |dC/dx|.
"""

from functools import cache

import numpy as np

from nncore.limits import IMAGE_SIDE

FOR = (230, 97, 1)        # orange: dC/dx < 0, more ink here lowers the cost: it argues for the digit
AGAINST = (94, 60, 153)   # purple: dC/dx > 0, ink here raises the cost: it argues against the digit
INK = 150                 # how dark full ink is on the paper (255 white … 0 black), light enough to tint
MAX_ALPHA = 0.9           # a strong colour still lets the ink beneath show through
LEVELS = 256              # steps of the lookup table from −1 to +1


@cache
def _lookup():
    """The table: colour ``(LEVELS, 3)`` and opacity ``(LEVELS, 1)``, float32, for t from −1 to +1.

    t = −dC/dx / scale, clipped to [−1, 1]: t > 0 argues for the digit (orange), t < 0 against (purple).
    """
    t = np.linspace(-1, 1, LEVELS, dtype=np.float32)
    colour = np.where(t[:, None] > 0, np.float32(FOR), np.float32(AGAINST)).astype(np.float32)
    alpha = (MAX_ALPHA * np.abs(t) ** 0.85).astype(np.float32)[:, None]   # faint values stay visible
    return colour, alpha


def level_index(t):
    """The lookup row ``(k,)`` int for values ``t (k,)`` in [−1, 1]."""
    return ((np.clip(t, -1, 1) + 1) * np.float32((LEVELS - 1) / 2) + np.float32(0.5)).astype(np.intp)


def saliency_rgb(x, gradient, scale):
    """The overlay as uint8 RGB ``(28, 28, 3)``: ink of ``x (784,)`` in grey, −dC/dx (``gradient (784,)``) in colour.

    ``scale`` is the |dC/dx| that gets full colour (larger values are clipped to it).
    """
    paper = np.float32(255) - np.float32(INK) * np.clip(np.asarray(x, np.float32), 0, 1)
    # In float64: a saturated network's dC/dx (1e-211, say) and its scale would underflow and overflow
    # float32 into 0 × inf = NaN, which no table row holds.
    t = np.nan_to_num(np.asarray(gradient, np.float64) * (-1 / (scale if scale > 0 else 1.0)))
    colour, alpha = _lookup()
    k = level_index(t)
    a = alpha[k]
    rgb = paper[:, None] * (1 - a) + colour[k] * a
    return rgb.astype(np.uint8).reshape(IMAGE_SIDE, IMAGE_SIDE, 3)


def key_rgb(width=LEVELS):
    """The colour key as uint8 RGB ``(1, width, 3)``: against (purple) on the left, for (orange) right."""
    colour, alpha = _lookup()
    k = level_index(np.linspace(-1, 1, width, dtype=np.float32))
    rgb = np.float32(255) * (1 - alpha[k]) + colour[k] * alpha[k]
    return rgb.astype(np.uint8)[None]


def grey_rgb(x):
    """uint8 RGB ``(28, 28, 3)`` of ``x (784,)`` in [0, 1], white ink on black as MNIST's digits."""
    g = (np.clip(np.asarray(x, np.float32), 0, 1) * np.float32(255) + np.float32(0.5)).astype(np.uint8)
    return np.repeat(g.reshape(IMAGE_SIDE, IMAGE_SIDE, 1), 3, axis=2)


def robust_scale(values, quantile=0.99):
    """The ``quantile`` of |values|: a few outliers do not wash out the rest (1.0 for all zeros)."""
    magnitudes = np.abs(np.asarray(values)).ravel()
    k = int(quantile * (magnitudes.size - 1))
    return float(np.partition(magnitudes, k)[k]) or float(magnitudes.max()) or 1.0
