"""Ten bars, one per digit: output activations, or signed values from a middle line."""

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from nncore.limits import N_CLASSES

from .theme import dim_text, faint, mix

POSITIVE, NEGATIVE = QColor("#b2182b"), QColor("#2166ac")   # red and blue read on either theme


class OutputBars(QWidget):
    """Ten vertical bars, one per digit: output activations aᴸ in [0, 1], or (``signed``) values in
    [−1, 1] drawn up and down from a middle line. Colours come from the palette: the empty tracks are
    barely off the background (an empty view must not look like ten full bars), the top output is in the
    highlight colour and the others in a paler one."""

    def __init__(self, parent=None, signed=False):
        super().__init__(parent)
        self.setMinimumSize(220, 110)
        self.values, self.signed = None, signed
        self._colours = (None, None)    # (the palette's cache key, its colours): made once per palette
        self.setToolTip("Output activations aᴸ: raw sigmoid outputs, each between 0 and 1.\n"
                        "They need not sum to 1: they are not probabilities.")

    def set_values(self, values):
        """Show ``values (10,)``, or nothing for None."""
        self.values = None if values is None else np.asarray(values, dtype=float)
        self.update()

    def colours(self):
        """``(label, track, top, other, middle)`` QColors from the widget's palette."""
        palette = self.palette()
        if self._colours[0] != palette.cacheKey():
            window, highlight = palette.color(QPalette.Window), palette.color(QPalette.Highlight)
            self._colours = (palette.cacheKey(), (dim_text(palette), faint(palette), highlight,
                                                  mix(highlight, window, 0.45),
                                                  mix(palette.color(QPalette.WindowText), window, 0.5)))
        return self._colours[1]

    def paintEvent(self, _event):
        # The pad's bars repaint at every pen move: one clip for all ten values, colours made once.
        p = QPainter(self)
        w, h = self.width(), self.height()
        label_h, slot = 16, w / N_CLASSES
        height = h - label_h - 4
        values = None if self.values is None else np.clip(self.values, -1 if self.signed else 0, 1).tolist()
        top = int(np.argmax(self.values)) if self.values is not None else -1
        label, track, top_colour, other, middle = self.colours()
        p.setPen(label)
        for d in range(N_CLASSES):
            x = d * slot
            p.drawText(QRectF(x, h - label_h, slot, label_h), Qt.AlignCenter, str(d))
            p.fillRect(QRectF(x + slot * 0.2, 2, slot * 0.6, height), track)
            if values is not None and self.signed:
                self._paint_signed(p, values[d], x, slot, height, middle)
            elif values is not None:
                bar_h = values[d] * height
                p.fillRect(QRectF(x + slot * 0.2, h - label_h - 2 - bar_h, slot * 0.6, bar_h),
                           top_colour if d == top else other)
        p.end()

    @staticmethod
    def _paint_signed(p, v, x, slot, height, middle_colour):
        """A value ``v`` in [−1, 1] from a middle line: positive up in red, negative down in blue."""
        middle = 2 + height / 2
        bar_h = abs(v) * height / 2
        top = middle - bar_h if v > 0 else middle
        p.fillRect(QRectF(x + slot * 0.2, top, slot * 0.6, bar_h), POSITIVE if v > 0 else NEGATIVE)
        p.fillRect(QRectF(x + slot * 0.1, middle, slot * 0.8, 1), middle_colour)
