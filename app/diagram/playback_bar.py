"""The playback bar: one row to watch an example (restart, play/pause, equation, layer, speed), one to
learn (example, mini-batch, epoch) with the settings' η and m shown beside the buttons."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .animation import SPEEDS
from .learning import LearningSettings

COPY = ("the diagram's own copy of the network; the window's network (the one the pad and the other tabs "
        "read) is unchanged, and a new network from the window replaces this copy")


class PlaybackBar(QWidget):
    """Buttons that say what they step; each emits its own signal (the tab decides what it means).

    ``speedChanged(float)`` carries the speed factor. :meth:`set_learning` says, in the learning
    buttons' tooltips and the label beside them, which η, m and training images they use.
    """

    restartClicked = Signal()
    playClicked = Signal()
    equationClicked = Signal()
    layerClicked = Signal()
    exampleClicked = Signal()
    batchClicked = Signal()
    epochClicked = Signal()
    speedChanged = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        watch, learn = QHBoxLayout(), QHBoxLayout()
        watch.addWidget(QLabel("Watch:"))
        self.restart = self._button("↺ Restart", watch, self.restartClicked)
        self.play = self._button("▶ Play", watch, self.playClicked)
        self.play.setMinimumWidth(90)
        self.equation = self._button("Next equation", watch, self.equationClicked)
        self.layer = self._button("Next layer", watch, self.layerClicked)
        self.restart.setToolTip("Back to the start of this example")
        self.equation.setToolTip("Play exactly one equation at one layer (→)")
        self.layer.setToolTip("Play every equation of the next layer (↓)")
        watch.addSpacing(12)
        watch.addWidget(QLabel("speed"))
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Slow motion below 1×")
        self.speed.currentIndexChanged.connect(lambda i: self.speedChanged.emit(float(self.speed.itemData(i))))
        watch.addWidget(self.speed)
        watch.addStretch(1)
        where = QLabel("Learn:")
        where.setToolTip("These buttons change " + COPY)
        learn.addWidget(where)
        self.example = self._button("Next example", learn, self.exampleClicked)
        self.batch = self._button("Next mini-batch", learn, self.batchClicked)
        self.epoch = self._button("Next epoch", learn, self.epochClicked)
        self.settings = QLabel()
        self.settings.setToolTip("The learning rate η and mini-batch size m of the Network settings panel: "
                                 "change them there")
        learn.addSpacing(8)
        learn.addWidget(self.settings)
        learn.addStretch(1)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        rows.addLayout(watch)
        rows.addLayout(learn)
        self.set_learning(LearningSettings(), "training images 0 to 9", 50_000)

    def _button(self, text, row, signal):
        b = QPushButton(text)
        b.clicked.connect(signal.emit)
        row.addWidget(b)
        return b

    def set_learning(self, learning, next_batch, n_train):
        """Say what the learning buttons do: η and m of ``learning`` (LearningSettings), the next
        mini-batch's images ``next_batch`` ('training images 0 to 9'), ``n_train`` images an epoch."""
        eta, m = f"{learning.eta:g}", learning.batch_size
        self.settings.setText(f"{learning.text()} (from the settings)")
        self.play.setToolTip(f"Play the forward pass, the backward pass and the update ΔW = −η ∂C/∂W, η = {eta} "
                             "(Space). The update is shown on a copy; 'Next example' keeps it")
        self.example.setToolTip(
            "Finish this example (forward, backward, update). When it is finished, keep its update "
            f"ΔW = −η ∂C/∂W (every weight and bias, η = {eta}) in {COPY}, then play the next example. Only a "
            "training image's or your drawing's update is kept: a test image's is shown, not kept")
        self.batch.setToolTip(
            f"Learn from {next_batch} at once: one step ΔW = −η × their mean ∂C/∂W (every weight and bias, "
            f"η = {eta}, m = {m}) in {COPY}. The example on show stays, traced with the new weights")
        self.epoch.setToolTip(
            f"Train one epoch of SGD over training images 0 to {n_train - 1:,} (shuffled), mini-batches of "
            f"{m}, η = {eta}, on a worker thread, in {COPY}. The test images are only measured, never learned")

    def set_playing(self, playing):
        """Show Pause while playing, Play otherwise."""
        self.play.setText("❚❚ Pause" if playing else "▶ Play")    # ⏸ (U+23F8) is missing from common fonts
