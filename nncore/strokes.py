"""Pen strokes as pixels, without Qt: thick anti-aliased segments with round ends.

Two users: :mod:`nncore.augment` draws a 7's crossbar or a 1's flag into an MNIST digit with
:func:`draw_segment`, and :func:`render` paints a drawing given as strokes the way the window's pad
does (a round pen whose width is a fixed fraction of a 280 × 280 canvas), so a script can score
drawings without a window. A pixel's value is the part of it the pen covers, approximated as
``clip(w/2 + 1/2 − d, 0, 1)`` with ``d`` the distance from the pixel's centre to the segment.
"""

import numpy as np

CANVAS = 280          # the pad's internal resolution: ten canvas pixels per MNIST pixel
PEN_FRACTION = 0.075  # the pad's pen width as a fraction of the canvas (about MNIST's stroke at digit size)


def draw_segment(image, p0, p1, width, *, value=1.0):
    """Paint the segment from ``p0`` to ``p1`` (``(x, y)`` in pixel units, pixel centres at integers)
    into ``image (H, W)`` in place with a round pen ``width`` pixels wide; ink only ever increases.

    ``value`` scales the ink (1 = full). Returns ``image``.
    """
    h, w = image.shape
    r = width / 2.0 + 0.5
    (x0, y0), (x1, y1) = p0, p1
    left, right = int(max(0, np.floor(min(x0, x1) - r))), int(min(w, np.ceil(max(x0, x1) + r) + 1))
    top, bottom = int(max(0, np.floor(min(y0, y1) - r))), int(min(h, np.ceil(max(y0, y1) + r) + 1))
    if left >= right or top >= bottom:
        return image
    ys, xs = np.mgrid[top:bottom, left:right]
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else np.clip(((xs - x0) * dx + (ys - y0) * dy) / length2, 0.0, 1.0)
    d = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))
    ink = value * np.clip(r - d, 0.0, 1.0)
    window = image[top:bottom, left:right]
    np.maximum(window, ink.astype(image.dtype, copy=False), out=window)
    return image


def render(strokes, *, size=CANVAS, pen_fraction=PEN_FRACTION):
    """A drawing → float32 ``(size, size)`` in [0, 1], white ink on black, as the pad paints it.

    ``strokes`` is a list of strokes, each a list of ``(x, y)`` canvas fractions (x right, y down,
    0 to 1); a stroke of one point is a dot.
    """
    image = np.zeros((size, size), np.float32)
    width = pen_fraction * size
    for stroke in strokes:
        points = [(x * size - 0.5, y * size - 0.5) for x, y in stroke]
        if len(points) == 1:
            points = points * 2
        for a, b in zip(points[:-1], points[1:]):
            draw_segment(image, a, b, width)
    return image
