"""The playback bar: restart, play/pause, the stepping grains, speed and η."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from nncore.limits import LEARNING_RATE

from ..widgets.fields import FloatField
from .animation import SPEEDS

DEFAULT_ETA = 0.5
DEFAULT_BATCH = 10


class PlaybackBar(QWidget):
    """Buttons that say what they step; each emits its own signal (the tab decides what it means).

    ``speedChanged(float)`` carries the speed factor; ``etaChanged(float)`` a valid η only.
    """

    restartClicked = Signal()
    playClicked = Signal()
    equationClicked = Signal()
    layerClicked = Signal()
    exampleClicked = Signal()
    batchClicked = Signal()
    epochClicked = Signal()
    speedChanged = Signal(float)
    etaChanged = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.restart = self._button("↺ Restart", "Back to the start of this example", self.restartClicked, row)
        self.play = self._button("▶ Play", "Play the forward pass, the backward pass and the update (Space)",
                                 self.playClicked, row)
        self.play.setMinimumWidth(90)
        self.equation = self._button("Next equation", "Play exactly one equation at one layer (→)",
                                     self.equationClicked, row)
        self.layer = self._button("Next layer", "Play every equation of the next layer (↓)", self.layerClicked, row)
        self.example = self._button("Next example", "Finish this example (forward, backward, update); "
                                    "if it is finished, learn from the next one", self.exampleClicked, row)
        self.batch = self._button("Next mini-batch", "Learn from the next m images at once (their mean gradient), "
                                  "then follow the image after them", self.batchClicked, row)
        self.epoch = self._button("Next epoch", "Train one epoch over the training set (on a worker thread), "
                                  "then follow this example again", self.epochClicked, row)
        row.addSpacing(12)
        row.addWidget(QLabel("speed"))
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Slow motion below 1×")
        self.speed.currentIndexChanged.connect(lambda i: self.speedChanged.emit(float(self.speed.itemData(i))))
        row.addWidget(self.speed)
        row.addSpacing(12)
        row.addWidget(QLabel("m"))
        self.batch_size = QSpinBox()
        self.batch_size.setRange(1, 1000)
        self.batch_size.setValue(DEFAULT_BATCH)
        self.batch_size.setToolTip("Mini-batch size for 'Next mini-batch' and 'Next epoch'")
        row.addWidget(self.batch_size)
        row.addSpacing(12)
        row.addWidget(QLabel("η"))
        self.eta = FloatField(DEFAULT_ETA, tooltip="The learning rate of the update ΔW = −η ∂C/∂W")
        self.eta.setMaximumWidth(90)
        self.eta.edited.connect(self._eta_edited)
        row.addWidget(self.eta)
        row.addStretch(1)

    def _button(self, text, tip, signal, row):
        b = QPushButton(text)
        b.setToolTip(tip)
        b.clicked.connect(signal.emit)
        row.addWidget(b)
        return b

    def _eta_edited(self, value):
        ok = value is not None and value in LEARNING_RATE
        self.eta.setStyleSheet("" if ok else "color: #c62828;")
        self.eta.setToolTip("The learning rate of the update ΔW = −η ∂C/∂W" if ok
                            else f"η must be a number from {LEARNING_RATE.text()}")
        if ok:
            self.etaChanged.emit(float(value))

    def set_playing(self, playing):
        """Show Pause while playing, Play otherwise."""
        self.play.setText("⏸ Pause" if playing else "▶ Play")
