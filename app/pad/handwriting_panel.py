"""Label drawings as 'my handwriting', see how well the network reads them, and browse them."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nncore.limits import N_CLASSES

from ..threads import TaskRunner
from .gallery_dialog import GalleryDialog
from .handwriting_store import split_accuracy


class HandwritingPanel(QWidget):
    """Ten 'it was a …' buttons, the accuracy on my handwriting, the gallery and the training option."""

    labelRequested = Signal(int)

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
        # either takes longer than a frame. One job at a time; a request while busy runs after it.
        self.runner = TaskRunner("handwriting", self)
        self.runner.finished.connect(self._finished)
        self._again = False
        self.summary.setText("<b>My handwriting</b>: reading…")
        self.runner.start("load", lambda _task: self.store.reload())

    def set_network(self, network):
        """Score my handwriting with ``network`` from now on."""
        self.network = network
        self.refresh()

    def refresh(self):
        """Score my handwriting again (in the background) and show the result."""
        if self.runner.busy:
            self._again = True
            return
        network, store = self.network, self.store
        self.runner.start("accuracy", lambda _task: split_accuracy(network, store.as_split()))

    def _finished(self, token, result):
        if token == "accuracy":
            self._show(*result)
        if self._again or token == "load":
            self._again = False
            self.refresh()

    def shutdown(self):
        """End the background thread (the window is closing)."""
        self.runner.shutdown()

    def _show(self, correct, total):
        self.use_for_training.setText(f"Add to training ({total:,})")
        self.use_for_training.setToolTip(f"The next run trains on MNIST's examples and these {total:,} "
                                         "labelled drawings of mine")
        if total == 0:
            self.summary.setText("<b>My handwriting</b>: none yet. Draw a digit, then press its key.")
        else:
            self.summary.setText(f"<b>My handwriting</b>: {correct:,} of {total:,} read correctly "
                                 f"({100 * correct / total:.0f}%)")

    def show_gallery(self):
        """A dialog with every labelled drawing, the network's reading, and Delete."""
        GalleryDialog(self.store, self.network, self).exec()
        self.refresh()
