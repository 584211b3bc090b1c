"""A heat map of numbers: diverging blue–white–red with a symmetric scale, the value on hover."""

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

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


def diverging_rgb(values, scale):
    """uint8 RGB ``(..., 3)`` for ``values``: blue negative, white 0, red positive; NaN light grey.

    One float32 pass to an index into a 513-colour table (the colours are quantised to 1/256 of the
    scale): cheap enough for a 1000 × 784 gradient on the GUI thread.
    """
    v = np.asarray(values, dtype=np.float32)
    index = v * np.float32(LEVELS / (scale if scale > 0 else 1.0))
    np.clip(index, -LEVELS, LEVELS, out=index)
    index += LEVELS
    nan = np.isnan(index)
    index[nan] = 0
    idx = np.rint(index).astype(np.intp)
    idx[nan] = _NAN_ROW
    return _DIVERGING[idx]


def grey_rgb(values):
    """uint8 RGB for values in [0, 1]: black to white (activations, pixels)."""
    g = (np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32)), 0, 1) * 255).astype(np.uint8)
    return np.repeat(g[..., None], 3, axis=-1)


def rgb_image(rgb):
    """A QImage (owning its pixels) from uint8 ``(h, w, 3)``."""
    rgb = np.ascontiguousarray(rgb)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format_RGB888).copy()


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
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_values(self, values, scale=None):
        """Show a 2-D array (a 1-D one as one row); ``scale`` fixes the colour range (default max |v|)."""
        v = np.atleast_2d(np.asarray(values, dtype=np.float64))
        self.values = v
        finite = np.abs(v[np.isfinite(v)])
        self.scale = float(scale if scale is not None else (finite.max() if finite.size else 1.0))
        rgb = grey_rgb(v) if self.mode == "grey" else diverging_rgb(v, self.scale)
        self._image = rgb_image(rgb)
        self.update()

    def paintEvent(self, _event):
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#f4f4f4"))
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
