"""What the network reads in the drawing: ten output bars, the top guess, and the 28×28 input."""

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


class OutputBars(QWidget):
    """Ten vertical bars, one per digit, for the output activations aᴸ (each in [0, 1])."""

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
        label_h, slot = 16, w / 10
        top = int(np.argmax(self.values)) if self.values is not None else -1
        for d in range(10):
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


def image_pixmap(x, side=112):
    """A greyscale pixmap of a ``(784,)`` input in [0, 1], scaled without smoothing."""
    pixels = np.ascontiguousarray((np.clip(x, 0, 1).reshape(28, 28) * 255).astype(np.uint8))
    img = QImage(pixels.data, 28, 28, 28, QImage.Format_Grayscale8).copy()
    return QPixmap.fromImage(img).scaled(side, side, Qt.KeepAspectRatio, Qt.FastTransformation)


def confidence_words(a):
    """A plain-words cue from the outputs: how clearly the top output stands out."""
    top2 = np.sort(a)[-2:]
    margin = top2[1] - top2[0]
    if top2[1] > 0.8 and margin > 0.5:
        return "confident", "#2e7d32"
    if top2[1] > 0.4 and margin > 0.2:
        return "fairly sure", "#f9a825"
    return "unsure", "#c62828"


class PredictionView(QWidget):
    """The big guess, its confidence, the sum of outputs, the bars, and the 28×28 input image."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.guess = QLabel("–")
        font = QFont()
        font.setPointSize(40)
        font.setBold(True)
        self.guess.setFont(font)
        self.guess.setAlignment(Qt.AlignCenter)
        self.guess.setMinimumWidth(70)
        self.detail = QLabel("Draw a digit on the pad")
        self.detail.setWordWrap(True)
        self.input_view = QLabel()
        self.input_view.setFixedSize(112, 112)
        self.input_view.setStyleSheet("background: black; border: 1px solid #555;")
        self.input_view.setToolTip("The 28 × 28 image the network actually reads: cropped, scaled to "
                                   "20 pixels and centred by mass, as MNIST's digits were")
        self.bars = OutputBars()
        top = QHBoxLayout()
        top.addWidget(self.guess)
        words = QVBoxLayout()
        words.addWidget(self.detail)
        top.addLayout(words, 1)
        top.addWidget(self.input_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.bars)
        self.outputs = None

    def show_outputs(self, x, a):
        """Show the input ``x (784,)`` and the outputs ``a (10,)``."""
        self.outputs = np.asarray(a, dtype=float)
        self.input_view.setPixmap(image_pixmap(x))
        self.guess.setText(str(int(np.argmax(a))))
        words, color = confidence_words(self.outputs)
        self.guess.setStyleSheet(f"color: {color};")
        self.detail.setText(f"<b>{words}</b><br>top output {self.outputs.max():.3f}<br>"
                            f"sum of outputs {self.outputs.sum():.3f}")
        self.bars.set_values(self.outputs)

    def show_hint(self, text):
        """No prediction: say why (empty pad, no network yet)."""
        self.outputs = None
        self.guess.setText("–")
        self.guess.setStyleSheet("color: #999;")
        self.detail.setText(text)
        self.input_view.clear()
        self.bars.set_values(None)
