"""Ten bars, one per digit: output activations, or signed values from a middle line."""

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from nncore.limits import N_CLASSES


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
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        w, h = self.width(), self.height()
        label_h, slot = 16, w / N_CLASSES
        top = int(np.argmax(self.values)) if self.values is not None else -1
        for d in range(N_CLASSES):
            x = d * slot
            p.setPen(QColor("#666"))
            p.drawText(QRectF(x, h - label_h, slot, label_h), Qt.AlignCenter, str(d))
            p.fillRect(QRectF(x + slot * 0.2, 2, slot * 0.6, h - label_h - 4), QColor("#eeeeee"))
            if self.values is not None and self.signed:
                self._paint_signed(p, d, x, slot, h - label_h - 4)
            elif self.values is not None:
                v = float(np.clip(self.values[d], 0, 1))
                bar_h = v * (h - label_h - 4)
                color = QColor("#1565c0") if d == top else QColor("#90a4ae")
                p.fillRect(QRectF(x + slot * 0.2, h - label_h - 2 - bar_h, slot * 0.6, bar_h), color)
        p.end()

    def _paint_signed(self, p, d, x, slot, height):
        """Values in [−1, 1] from a middle line: positive up in red, negative down in blue."""
        v = float(np.clip(self.values[d], -1, 1))
        middle = 2 + height / 2
        bar_h = abs(v) * height / 2
        color = QColor("#b2182b") if v > 0 else QColor("#2166ac")
        top = middle - bar_h if v > 0 else middle
        p.fillRect(QRectF(x + slot * 0.2, top, slot * 0.6, bar_h), color)
        p.fillRect(QRectF(x + slot * 0.1, middle, slot * 0.8, 1), QColor("#888888"))
