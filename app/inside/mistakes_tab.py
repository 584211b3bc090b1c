"""Mistakes: the test-set confusion matrix of the network in focus, kept up to date off the GUI thread;
a cell opens its images; an image goes to the inspector."""

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nncore.limits import N_CLASSES
from nncore.metrics import confusion_matrix

from ..threads import TaskRunner
from ..widgets.images import image_pixmap
from ..widgets.theme import bold

MAX_GALLERY = 400
STALE_BACKGROUND, STALE_TEXT = QColor(225, 225, 225), QColor(150, 150, 150)   # an old matrix, until recomputed
CELL_TEXT = QColor(0, 0, 0)     # the counts on their light cells, dark in either theme (not the theme's text)


PIECE = 2000    # test images converted to floats at a time


def tabulate(network, test):
    """(outputs (n, 10), predictions (n,), confusion matrix (10, 10)) of ``network`` on the split ``test``.

    784-300-10 on the 10,000 test images: about 0.1 s, so the tab recomputes whenever the network changes.
    """
    outputs = np.concatenate([network.feedforward(test.inputs(slice(k, k + PIECE)))      # never the whole
                              for k in range(0, len(test), PIECE)])                  # split as floats
    predictions = np.argmax(outputs, axis=1)
    return outputs, predictions, confusion_matrix(test.labels, predictions)


class MistakesTab(QWidget):
    """Rows: the true digit; columns: the network's answer. Counts are colour-scaled.

    The matrix follows the network in focus and the data: computed off the GUI thread while the tab is on
    screen (a hidden tab computes when next shown); meanwhile an old matrix is greyed out and says so.
    ``matrixComputed(matrix)`` when a new one is shown.
    """

    inspectRequested = Signal(int)   # the index of a test image to open in the inspector
    matrixComputed = Signal(object)  # the (10, 10) confusion matrix just shown

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(N_CLASSES, N_CLASSES)
        self.table.setHorizontalHeaderLabels([f"→ {d}" for d in range(N_CLASSES)])
        self.table.setVerticalHeaderLabels([f"{d}" for d in range(N_CLASSES)])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setToolTip("Row: the true digit. Column: what the network answered. Click a cell.")
        for i in range(N_CLASSES):
            self.table.setColumnWidth(i, 46)
        self.axes = QLabel("Rows: the true digit ↓ · columns: the network's answer →")
        bold(self.axes)      # by its font: a style sheet would freeze its colour at polish time

        self.table.cellClicked.connect(self.open_cell)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListWidget.IconMode)
        self.gallery.setIconSize(QSize(56, 56))
        self.gallery.setResizeMode(QListWidget.Adjust)
        self.gallery.itemClicked.connect(self._inspect)
        self.gallery_title = QLabel("Click a cell to see its images; click an image to inspect it.")
        self.gallery_title.setWordWrap(True)
        left_widget, right_widget = QWidget(), QWidget()
        left = QVBoxLayout(left_widget)
        left.addWidget(self.summary)
        left.addWidget(self.axes)
        left.addWidget(self.table)
        right = QVBoxLayout(right_widget)
        right.addWidget(self.gallery_title)
        right.addWidget(self.gallery, 1)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left_widget)
        split.addWidget(right_widget)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QHBoxLayout(self)
        layout.addWidget(split)
        self.network, self.dataset, self.matrix, self.predictions = None, None, None, None
        self.outputs, self.cell_indices, self.cell, self._stale = None, [], None, False
        self.current = False             # the matrix shown is the current network's on the current data
        self.runner = TaskRunner("mistakes", self)
        self.runner.finished.connect(self._computed)
        self.runner.failed.connect(lambda _sources, message: self.summary.setText(f"Could not compute: {message}"))

    def set_network(self, network, _description=""):
        """The network the matrix is computed for: recomputed now if the tab is shown, else when it is."""
        self._set_sources(network, self.dataset)

    def set_dataset(self, dataset):
        """The data whose test split the matrix is computed on."""
        self._set_sources(self.network, dataset)

    def _set_sources(self, network, dataset):
        if network is self.network and dataset is self.dataset:
            return
        self.network, self.dataset, self._stale = network, dataset, True
        self._grey_out()
        if self.isVisible():
            self.refresh()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def hideEvent(self, event):
        """Out of sight nothing is computed: a computation still running ends (and runs again on the next show)."""
        super().hideEvent(event)
        if self.runner.busy:
            self.shutdown()
            self._stale = True

    def refresh(self):
        """Compute the matrix off the GUI thread for the current network and data (the latest asked wins)."""
        if self.network is None or self.dataset is None:
            self.summary.setText("Needs a network and the loaded dataset.")
            return
        self._stale = False
        sources, network, test = (self.network, self.dataset), self.network.copy(), self.dataset.test
        self.summary.setText(f"Computing the matrix on the {len(test):,} test images…")
        self.runner.start(sources, lambda _task: tabulate(network, test))

    def _computed(self, sources, result):
        if sources == (self.network, self.dataset):       # else a newer network or data is on its way
            self._stale = False
            self._show(*result)

    def compute(self):
        """The confusion matrix of the current network on the test set, now, on this thread."""
        if self.network is None or self.dataset is None:
            self.summary.setText("Needs a network and the loaded dataset.")
            return None
        self._stale = False
        self._show(*tabulate(self.network, self.dataset.test))
        return self.matrix

    def shutdown(self):
        """End the computation's thread, if one runs (the window is closing)."""
        self.runner.shutdown()

    def _grey_out(self):
        """The matrix shown is another network's (or data's): grey, its images dropped, said above it."""
        self.current = False
        if self.matrix is None:
            return
        self.summary.setText("Out of date: the network or the data changed. Recomputed when this page is shown.")
        for i in range(N_CLASSES):
            for j in range(N_CLASSES):
                item = self.table.item(i, j)
                item.setBackground(STALE_BACKGROUND)
                item.setForeground(STALE_TEXT)
                item.setToolTip("Out of date: the network changed since this count")
        self.gallery.clear()
        self.cell_indices = []
        self.gallery_title.setText("The images follow when the matrix has been recomputed.")

    def _show(self, outputs, predictions, matrix):
        self.outputs, self.predictions, self.matrix, self.current = outputs, predictions, matrix, True
        test = self.dataset.test
        correct = int(np.trace(self.matrix))
        self.summary.setText(f"{correct:,} of {len(test):,} right ({100 * correct / len(test):.2f}%); "
                             f"{len(test) - correct:,} mistakes")
        off = self.matrix - np.diag(np.diag(self.matrix))
        top_off = max(int(off.max()), 1)
        for i in range(N_CLASSES):
            for j in range(N_CLASSES):
                n = int(self.matrix[i, j])
                item = QTableWidgetItem(f"{n:,}")
                item.setTextAlignment(Qt.AlignCenter)
                item.setForeground(CELL_TEXT)
                if i == j:
                    item.setBackground(QColor(220, 237, 200))
                else:
                    t = n / top_off
                    item.setBackground(QColor(255, int(255 - 180 * t), int(255 - 200 * t)))
                item.setToolTip(f"true {i}, answered {j}: {n:,} images")
                self.table.setItem(i, j, item)
        if self.cell is not None:            # the cell the user had open, for the new answers
            self.open_cell(*self.cell)
        self.matrixComputed.emit(self.matrix)

    def open_cell(self, i, j):
        """Show the test images that are digit i and were answered j."""
        if self.matrix is None:
            return
        self.cell = (i, j)
        if not self.current:             # opened for the new matrix when it arrives
            return
        idx = np.flatnonzero((self.dataset.test.labels == i) & (self.predictions == j))
        self.cell_indices = idx.tolist()
        self.gallery.clear()
        for k in idx[:MAX_GALLERY]:
            a = self.outputs[k]
            item = QListWidgetItem(QIcon(image_pixmap(self.dataset.test.inputs(k), 56)), f"#{k}\n{j}: {a[j]:.2f}")
            item.setData(Qt.UserRole, int(k))
            item.setToolTip(f"test image {k}: true {i}, answered {j}\noutputs: "
                            + " ".join(f"{d}:{v:.2f}" for d, v in enumerate(a)))
            self.gallery.addItem(item)
        shown = f" (the first {MAX_GALLERY})" if len(idx) > MAX_GALLERY else ""
        self.gallery_title.setText(f"True {i}, answered {j}: {len(idx)} images{shown}. "
                                   "Click one to inspect it.")

    def _inspect(self, item):
        self.inspectRequested.emit(item.data(Qt.UserRole))
