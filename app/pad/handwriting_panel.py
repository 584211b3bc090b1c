"""Label drawings as 'my handwriting', see how well the network reads them, and browse them."""

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nncore.limits import N_CLASSES

from ..threads import TaskRunner
from .gallery_dialog import GalleryDialog
from .handwriting_store import drawings_text, split_accuracy

# A run sends the window a network twice a second: my handwriting is scored with the newest at most
# this often, and not while the panel is hidden (it catches up when shown), so that with thousands of
# drawings the scoring thread does not take the GIL from the training and the pad all the time.
SCORE_INTERVAL_S = 1.0


class HandwritingPanel(QWidget):
    """Ten 'it was a …' buttons, the accuracy on my handwriting, the gallery and the training option.

    ``scoringStarted`` when a scoring of my handwriting begins in the background.
    """

    labelRequested = Signal(int)
    scoringStarted = Signal()
    drawingOpened = Signal(object)    # a drawing of the gallery to put on the pad: its input (784,)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store, self.network = store, None
        grid = QGridLayout()
        grid.setSpacing(2)
        grid.addWidget(QLabel("It was a:"), 0, 0, 1, 5)
        for d in range(N_CLASSES):
            b = QPushButton(str(d))
            b.setFixedWidth(30)
            b.setToolTip(f"Keep this drawing as my handwriting, labelled {d} (key {d} on the pad)")
            b.clicked.connect(lambda _=False, d=d: self.labelRequested.emit(d))
            grid.addWidget(b, 1 + d // 5, d % 5)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        gallery = QPushButton("Gallery…")
        gallery.setToolTip("Browse, check and delete my labelled drawings")
        gallery.clicked.connect(self.show_gallery)
        self.use_for_training = QCheckBox("Add them to the training set")
        self.use_for_training.setToolTip("Train on my labelled drawings as well as MNIST's")
        side = QVBoxLayout()
        side.addWidget(self.summary)
        side.addWidget(gallery)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addLayout(side, 1)
        side.addWidget(self.use_for_training)
        # Reading the drawings and scoring them run off the GUI thread: with many thousands of drawings
        # either takes longer than a frame. A new network waits for the scoring in progress; an explicit
        # refresh replaces it.
        self.runner = TaskRunner("handwriting", self)
        self.runner.finished.connect(self._finished)
        self._stale, self._last_start = False, -SCORE_INTERVAL_S
        self._wait = QTimer(self, singleShot=True)
        self._wait.timeout.connect(self._score_soon)
        self.summary.setText("<b>My handwriting</b>: reading…")
        self.runner.start("load", lambda _task: self.store.reload())

    def set_network(self, network):
        """Score my handwriting with ``network`` from now on: while the panel is shown, at most once a
        second (the newest network wins); a hidden panel scores when it is shown again."""
        self.network, self._stale = network, True
        self._score_soon()

    def showEvent(self, event):
        super().showEvent(event)
        self._score_soon()

    def _score_soon(self):
        if not self._stale or not self.isVisible() or self._wait.isActive() or self.runner.busy:
            return
        wait = self._last_start + SCORE_INTERVAL_S - time.monotonic()
        if wait > 0:
            self._wait.start(int(1000 * wait) + 1)
        else:
            self.refresh()

    def refresh(self):
        """Score my handwriting again now (in the background; a scoring in progress is dropped) and show
        the result."""
        self._stale = False
        network, store = self.network, self.store
        self._last_start = time.monotonic()
        self.runner.start("accuracy", lambda _task: split_accuracy(network, store.as_split()))
        self.scoringStarted.emit()

    def _finished(self, token, result):
        if token == "accuracy":
            self._show(*result)
        self._stale = self._stale or token == "load"
        self._score_soon()                     # a network that came meanwhile

    def shutdown(self):
        """End the background thread (the window is closing)."""
        self.runner.shutdown()

    def _show(self, correct, total):
        self.use_for_training.setText(f"Add to training ({total:,})")
        tip = f"The next run trains on MNIST's examples and the {drawings_text(total)} I labelled"
        if tip != self.use_for_training.toolTip():
            self.use_for_training.setToolTip(tip)
        if total == 0:
            self.summary.setText("<b>My handwriting</b>: none yet. Draw a digit, then press its key.")
        else:
            self.summary.setText(f"<b>My handwriting</b>: {correct:,} of {total:,} read correctly "
                                 f"({100 * correct / total:.0f}%)")

    def show_gallery(self):
        """A dialog with every labelled drawing, the network's reading, and Delete."""
        dialog = GalleryDialog(self.store, self.network, self)
        dialog.drawingOpened.connect(self.drawingOpened)
        dialog.exec()
        self.refresh()
