"""Ten bars, one per digit: output activations, or signed values from a middle line."""

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from nncore.limits import N_CLASSES

LABEL, TRACK, TOP, OTHER = QColor("#666"), QColor("#eeeeee"), QColor("#1565c0"), QColor("#90a4ae")
POSITIVE, NEGATIVE, MIDDLE = QColor("#b2182b"), QColor("#2166ac"), QColor("#888888")


class OutputBars(QWidget):
    """Ten vertical bars, one per digit: output activations aᴸ in [0, 1], or (``signed``) values in
    [−1, 1] drawn up and down from a middle line."""

    def __init__(self, parent=None, signed=False):
        super().__init__(parent)
        self.setMinimumSize(220, 110)
        self.values, self.signed = None, signed
        self.setToolTip("Output activations aᴸ: raw sigmoid outputs, each between 0 and 1.\n"
                        "They need not sum to 1: they are not probabilities.")

    def set_values(self, values):
        """Show ``values (10,)``, or nothing for None."""
        self.values = None if values is None else np.asarray(values, dtype=float)
        self.update()

    def paintEvent(self, _event):
        # The pad's bars repaint at every pen move: one clip for all ten values, colours made once.
        p = QPainter(self)
        w, h = self.width(), self.height()
        label_h, slot = 16, w / N_CLASSES
        height = h - label_h - 4
        values = None if self.values is None else np.clip(self.values, -1 if self.signed else 0, 1).tolist()
        top = int(np.argmax(self.values)) if self.values is not None else -1
        p.setPen(LABEL)
        for d in range(N_CLASSES):
            x = d * slot
            p.drawText(QRectF(x, h - label_h, slot, label_h), Qt.AlignCenter, str(d))
            p.fillRect(QRectF(x + slot * 0.2, 2, slot * 0.6, height), TRACK)
            if values is not None and self.signed:
                self._paint_signed(p, values[d], x, slot, height)
            elif values is not None:
                bar_h = values[d] * height
                p.fillRect(QRectF(x + slot * 0.2, h - label_h - 2 - bar_h, slot * 0.6, bar_h),
                           TOP if d == top else OTHER)
        p.end()

    @staticmethod
    def _paint_signed(p, v, x, slot, height):
        """A value ``v`` in [−1, 1] from a middle line: positive up in red, negative down in blue."""
        middle = 2 + height / 2
        bar_h = abs(v) * height / 2
        top = middle - bar_h if v > 0 else middle
        p.fillRect(QRectF(x + slot * 0.2, top, slot * 0.6, bar_h), POSITIVE if v > 0 else NEGATIVE)
        p.fillRect(QRectF(x + slot * 0.1, middle, slot * 0.8, 1), MIDDLE)
