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

    Returns ``(grid, locate)``: ``grid`` has shape ``(⌈k/columns⌉·29, columns·29)`` and the rows' dtype;
    ``locate(r, c)`` maps a grid cell to ``(row, pixel)`` of ``rows``, or None on a gap.
    """
    n, pitch, side = rows.shape[0], IMAGE_SIDE + 1, IMAGE_SIDE
    grid_rows, full = -(-n // columns), n // columns
    dtype = rows.dtype if np.issubdtype(rows.dtype, np.floating) else np.float64   # the values, as given
    grid = np.full((grid_rows, pitch, columns, pitch), np.nan, dtype)   # [tile row, y, tile column, x]
    grid[:full, :side, :, :side] = rows[:full * columns].reshape(full, columns, side, side).swapaxes(1, 2)
    if n > full * columns:   # the last, partly filled row of tiles
        grid[full, :side, :n - full * columns, :side] = rows[full * columns:].reshape(-1, side, side).swapaxes(0, 1)
    out = grid.reshape(grid_rows * pitch, columns * pitch)

    def locate(r, c):
        k, pr, pc = (r // pitch) * columns + c // pitch, r % pitch, c % pitch
        inside = k < n and pr < IMAGE_SIDE and pc < IMAGE_SIDE
        return (k, pr * IMAGE_SIDE + pc) if inside else None

    return out, locate
