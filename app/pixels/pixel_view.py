"""A 28×28 (or any small) RGB image drawn large, pixel for pixel, with the value under the mouse."""

import numpy as np
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..widgets.theme import faint


def rgb_image(rgb):
    """A QImage owning a copy of uint8 ``(h, w, 3)``."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format_RGB888).copy()


class PixelView(QWidget):
    """Paints an RGB array scaled up without smoothing, centred, keeping its aspect.

    ``side`` is the size it asks for, ``minimum`` the size it can shrink to (a narrow window), ``maximum``
    the size it grows to;
    ``describe(row, col)`` (optional) gives the tooltip for the pixel under the mouse.
    """

    def __init__(self, side=112, parent=None, describe=None, minimum=None, maximum=None):
        super().__init__(parent)
        self.describe, self.rgb, self._image, self._side = describe, None, None, side
        self.setMinimumSize(minimum or side, minimum or side)
        self.setMaximumSize(maximum or side, maximum or side)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        self.setMouseTracking(describe is not None)

    def sizeHint(self):
        return QSize(self._side, self._side)

    def set_rgb(self, rgb):
        """Show uint8 ``(h, w, 3)``, or nothing for None."""
        self.rgb = None if rgb is None else np.asarray(rgb, dtype=np.uint8)
        self._image = None if rgb is None else rgb_image(self.rgb)
        self.update()

    def target(self):
        """The rectangle the image fills: the largest of its aspect, centred."""
        if self.rgb is None:
            return QRectF(self.rect())
        h, w = self.rgb.shape[:2]
        k = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - k * w) / 2, (self.height() - k * h) / 2, k * w, k * h)

    def paintEvent(self, _event):
        p = QPainter(self)
        if self._image is None:
            p.fillRect(self.rect(), faint(self.palette(), QPalette.Base))   # an empty view, in the theme
        else:
            p.drawImage(self.target(), self._image)   # no smooth transform: pixels stay square
        p.end()

    def mouseMoveEvent(self, event):
        if self.describe is None or self.rgb is None:
            return
        t, (h, w) = self.target(), self.rgb.shape[:2]
        pos = event.position()
        r, c = int((pos.y() - t.y()) * h / t.height()), int((pos.x() - t.x()) * w / t.width())
        if 0 <= r < h and 0 <= c < w and pos.x() >= t.x() and pos.y() >= t.y():
            text = self.describe(r, c)
            if text:
                QToolTip.showText(event.globalPosition().toPoint(), text, self)
