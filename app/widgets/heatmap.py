"""A heat map of numbers: diverging blue–white–red with a symmetric scale, the value on hover."""

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from .theme import faint

LEVELS = 256


def _diverging_table():
    """(2·LEVELS + 1, 3) uint8: index 0 full blue, LEVELS white, 2·LEVELS full red, then NaN grey."""
    t = np.linspace(-1.0, 1.0, 2 * LEVELS + 1)[:, None]
    pos, neg = np.clip(t, 0, 1), np.clip(-t, 0, 1)
    white, red, blue = np.array([255.0] * 3), np.array([178.0, 24.0, 43.0]), np.array([33.0, 102.0, 172.0])
    table = white * (1 - pos - neg) + red * pos + blue * neg
    return np.vstack([table, [236, 236, 236]]).round().astype(np.uint8)


_DIVERGING = _diverging_table()
_NAN_ROW = 2 * LEVELS + 1
# The same colours packed as QImage.Format_RGB32 pixels (0xffRRGGBB): one 4-byte gather per value.
_DIVERGING32 = (np.uint32(0xFF000000) | _DIVERGING[:, 0].astype(np.uint32) << 16
                | _DIVERGING[:, 1].astype(np.uint32) << 8 | _DIVERGING[:, 2].astype(np.uint32))


def _diverging_index(values, scale):
    """Rows of the diverging table for ``values`` (any shape): int32, the same shape.

    A handful of float32 passes in place: v·LEVELS/scale + LEVELS, clipped to the table and rounded
    (half up), NaN to the grey row. Cheap enough for a 1000 × 784 gradient on the GUI thread.
    """
    values = np.asarray(values)
    index = np.empty(values.shape, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):   # beyond float32 is beyond the scale anyway
        np.multiply(values, np.float32(LEVELS / (scale if scale > 0 else 1.0)), out=index, casting="unsafe")
    index += np.float32(LEVELS + 0.5)
    np.clip(index, 0.5, 2 * LEVELS + 0.5, out=index)      # NaN stays NaN
    np.copyto(index, np.float32(_NAN_ROW), where=np.isnan(index))
    return index.astype(np.int32)                        # truncation of x + ½: rounds half up


def diverging_rgb(values, scale):
    """uint8 RGB ``(..., 3)`` for ``values``: blue negative, white 0, red positive; NaN light grey.

    The colours are quantised to 1/256 of the scale (a 513-colour table).
    """
    return _DIVERGING[_diverging_index(values, scale)]


def diverging_image(values, scale):
    """:func:`diverging_rgb`'s colours of a 2-D ``values (h, w)`` as a QImage (RGB32) owning its pixels."""
    pixels = _DIVERGING32[_diverging_index(values, scale)]
    h, w = pixels.shape
    return QImage(pixels.data, w, h, 4 * w, QImage.Format_RGB32).copy()


def grey_rgb(values):
    """uint8 RGB for values in [0, 1]: black to white (activations, pixels)."""
    return np.repeat(_grey_levels(values)[..., None], 3, axis=-1)


def grey_image(values):
    """:func:`grey_rgb`'s greys of a 2-D ``values (h, w)`` as a QImage (Grayscale8) owning its pixels."""
    g = np.ascontiguousarray(_grey_levels(values))
    h, w = g.shape
    return QImage(g.data, w, h, w, QImage.Format_Grayscale8).copy()


def _grey_levels(values):
    """uint8 0–255 for values in [0, 1] (NaN black), the shape of ``values``."""
    return (np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32)), 0, 1) * 255).astype(np.uint8)


def rgb_image(rgb):
    """A QImage (owning its pixels) from uint8 ``(h, w, 3)``."""
    rgb = np.ascontiguousarray(rgb)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format_RGB888).copy()


@dataclass(frozen=True)
class Rendered:
    """A heat map's numbers ``values (h, w)``, its colour ``scale`` and its ``image``, made by
    :func:`render` on any thread (QImage needs no GUI thread) and shown by :meth:`HeatMap.show_rendered`."""

    values: np.ndarray
    scale: float
    image: QImage


def render(values, mode="diverging", scale=None):
    """:class:`Rendered` of a 2-D array (a 1-D one as one row); ``scale`` fixes the colour range
    (default max |v| of the finite values); ``mode`` 'diverging' or 'grey' as :class:`HeatMap`'s."""
    v = np.atleast_2d(np.asarray(values))
    if not np.issubdtype(v.dtype, np.floating):
        v = v.astype(np.float64)
    if scale is None:
        magnitudes = np.abs(v)
        scale = np.max(magnitudes, where=np.isfinite(magnitudes), initial=0.0) or 1.0
    scale = float(scale)
    return Rendered(v, scale, grey_image(v) if mode == "grey" else diverging_image(v, scale))


class HeatMap(QWidget):
    """Paints a 2-D array cell by cell; ``cellClicked(row, col)``; hovering shows the number.

    ``mode`` is 'diverging' (symmetric scale around 0, for gradients and weights) or 'grey'
    (0 black … 1 white, for activations and images).
    """

    cellClicked = Signal(int, int)

    def __init__(self, mode="diverging", describe=None, parent=None, min_height=24, keep_aspect=False):
        super().__init__(parent)
        self.mode, self.describe, self.keep_aspect = mode, describe, keep_aspect
        self.values, self.scale, self._image = None, 1.0, None
        self.setMouseTracking(True)
        self.setAttribute(Qt.WA_OpaquePaintEvent)   # paintEvent fills the whole rect: nothing beneath repaints
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_values(self, values, scale=None):
        """Show a 2-D array (a 1-D one as one row); ``scale`` fixes the colour range (default max |v|)."""
        self.show_rendered(render(values, self.mode, scale))

    def show_rendered(self, rendered):
        """Show a :class:`Rendered` (made by :func:`render` with this map's mode, on any thread)."""
        self.values, self.scale, self._image = rendered.values, rendered.scale, rendered.image
        self.update()

    def paintEvent(self, _event):
        p = QPainter(self)
        p.fillRect(self.rect(), faint(self.palette(), QPalette.Base))    # around the image: the theme's field
        if self._image is not None:
            p.drawImage(self._target(), self._image)
        p.end()

    def _target(self):
        """Where the image is drawn: the whole widget, or the largest rectangle of its aspect."""
        if not self.keep_aspect or self.values is None:
            return QRectF(self.rect())
        rows, cols = self.values.shape
        k = min(self.width() / cols, self.height() / rows)
        return QRectF((self.width() - k * cols) / 2, 0, k * cols, k * rows)   # centred, at the top

    def _cell(self, pos):
        if self.values is None:
            return None
        rows, cols = self.values.shape
        t = self._target()
        r = int((pos.y() - t.y()) * rows / max(t.height(), 1))
        c = int((pos.x() - t.x()) * cols / max(t.width(), 1))
        return (r, c) if 0 <= r < rows and 0 <= c < cols and pos.x() >= t.x() and pos.y() >= t.y() else None

    def mouseMoveEvent(self, event):
        cell = self._cell(event.position())
        if cell is not None:
            r, c = cell
            text = self.describe(r, c, self.values[r, c]) if self.describe else \
                f"[{r}, {c}] = {self.values[r, c]:.4g}"
            if text:
                QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def mousePressEvent(self, event):
        cell = self._cell(event.position())
        if cell is not None and event.button() == Qt.LeftButton:
            self.cellClicked.emit(*cell)
