"""Digit images for Qt: an input vector as a pixmap, and many such rows tiled into one grid."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap

from nncore.limits import IMAGE_SIDE

TILE_COLUMNS = 10


def image_pixmap(x, side=112):
    """A greyscale pixmap of an input ``x (784,)`` in [0, 1], scaled to ``side`` without smoothing."""
    n = IMAGE_SIDE
    pixels = np.ascontiguousarray((np.clip(x, 0, 1).reshape(n, n) * 255).astype(np.uint8))
    img = QImage(pixels.data, n, n, n, QImage.Format_Grayscale8).copy()
    return QPixmap.fromImage(img).scaled(side, side, Qt.KeepAspectRatio, Qt.FastTransformation)


def tile_rows_as_images(rows, columns=TILE_COLUMNS):
    """Rows ``(k, 784)`` → one grid of 28×28 tiles with 1-pixel NaN gaps, and a locator.

    Returns ``(grid, locate)``: ``grid`` has shape ``(⌈k/columns⌉·29, columns·29)``;
    ``locate(r, c)`` maps a grid cell to ``(row, pixel)`` of ``rows``, or None on a gap.
    """
    n, pitch = rows.shape[0], IMAGE_SIDE + 1
    grid_rows = -(-n // columns)
    out = np.full((grid_rows * pitch, columns * pitch), np.nan)
    for k in range(n):
        r, c = divmod(k, columns)
        out[r * pitch:r * pitch + IMAGE_SIDE, c * pitch:c * pitch + IMAGE_SIDE] = \
            rows[k].reshape(IMAGE_SIDE, IMAGE_SIDE)

    def locate(r, c):
        k, pr, pc = (r // pitch) * columns + c // pitch, r % pitch, c % pitch
        inside = k < n and pr < IMAGE_SIDE and pc < IMAGE_SIDE
        return (k, pr * IMAGE_SIDE + pc) if inside else None

    return out, locate
