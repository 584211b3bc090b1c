"""What the network reads in the drawing: ten output bars, the top guess, and the 28×28 input."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nncore.limits import IMAGE_SIDE

from ..widgets.images import image_pixmap
from ..widgets.output_bars import OutputBars
from ..widgets.painted_text import PaintedText
from ..widgets.reading import confidence_words, read_outputs

__all__ = ["PredictionView", "confidence_words"]   # the rule lives in widgets.reading, shared by every view

HINT_COLOR = QPalette.PlaceholderText     # the guess's dash when there is nothing to read: the theme's dim text
AT_CHANCE_COLOR = "#c62828"   # the "not sure" red: a guess at chance is no answer


class PredictionView(QWidget):
    """The big guess, its confidence, the sum of outputs, the bars, and the 28×28 input image.

    It shows a reading at every pen move, also while a network trains: the guess and the words are
    painted (:class:`PaintedText`), so a reading repaints them and never relayouts or restyles the
    window; the guess's colour changes only when its confidence class does.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        font = QFont()
        font.setPointSize(40)
        font.setBold(True)
        self.guess = PaintedText("–", font=font, chars=1, align=Qt.AlignCenter)
        self.guess.setMinimumWidth(70)
        self.guess.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.detail = PaintedText("Draw a digit on the pad", lines=4, bold_first=True)
        self.input_view = QLabel()
        self.input_view.setFixedSize(112, 112)
        self.input_view.setStyleSheet("background: black; border: 1px solid #555;")
        self.input_view.setToolTip(f"The {IMAGE_SIDE} × {IMAGE_SIDE} image the network actually reads: cropped, "
                                   "scaled to 20 pixels and centred by mass, as MNIST's digits were")
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
        # The same height whatever it shows (a hint or a guess), so the pad above never moves.
        self.guess.setFixedHeight(self.input_view.height())
        self.bars.setFixedHeight(self.bars.minimumHeight())
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.outputs = None
        self.at_chance = ""   # why this network's answers mean nothing (it guesses at chance), or ""

    def set_at_chance(self, why):
        """Say with every reading that the network guesses at chance (``why``, for the tooltip), or "":
        a network saturated by a far too large η answers one digit for every drawing, at full output."""
        self.at_chance = why
        if self.outputs is not None:
            self.detail.setText(self._detail_text())

    def _detail_text(self):
        words = "at chance: its answer means nothing" if self.at_chance else confidence_words(self.outputs)[0]
        return f"{words}\ntop output {self.outputs.max():.3f}\nsum of outputs {self.outputs.sum():.3f}"

    def show_outputs(self, x, a):
        """Show the input ``x (784,)`` and the outputs ``a (10,)``."""
        self.outputs = np.asarray(a, dtype=float)
        self.input_view.setPixmap(image_pixmap(x))
        _words, color, _ahead = confidence_words(self.outputs)
        reading = read_outputs(self.outputs)      # the one rule the inspector and What it looks at use too
        self.guess.setText("?" if reading.answer is None else str(reading.answer))   # none clearly ahead: "?"
        tip = self.at_chance or ("" if reading.ahead else f"The network {reading.words()}")
        if tip != self.guess.toolTip():
            self.guess.setToolTip(tip)
            self.detail.setToolTip(self.at_chance)
        self.guess.set_color(AT_CHANCE_COLOR if self.at_chance else color)
        self.detail.setText(self._detail_text())
        self.bars.set_values(self.outputs)

    def show_hint(self, text):
        """No prediction: say why (empty pad, no network yet)."""
        self.outputs = None
        self.guess.setText("–")
        self.guess.setToolTip("")
        self.guess.set_color(HINT_COLOR)
        self.detail.setText(text)
        self.input_view.clear()
        self.bars.set_values(None)
