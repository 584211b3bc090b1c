"""Mistakes: the test-set confusion matrix; a cell opens its images; an image goes to the inspector."""

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nncore.limits import N_CLASSES
from nncore.metrics import confusion_matrix

from ..widgets.images import image_pixmap

MAX_GALLERY = 400


class MistakesTab(QWidget):
    """Rows: the true digit; columns: the network's answer. Counts are colour-scaled."""

    inspectRequested = Signal(int)   # the index of a test image to open in the inspector

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
        self.axes.setStyleSheet("font-weight: 600;")

        self.table.cellClicked.connect(self.open_cell)
        self.refresh_button = QPushButton("Compute on the test set")
        self.refresh_button.clicked.connect(self.compute)
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
        top = QHBoxLayout()
        top.addWidget(self.refresh_button)
        top.addWidget(self.summary, 1)
        left.addLayout(top)
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
        self.outputs, self.cell_indices = None, []

    def set_network(self, network, _description=""):
        """The network the matrix is computed for (recomputed on demand, with Compute)."""
        self._set_sources(network, self.dataset)

    def set_dataset(self, dataset):
        """The data whose test split the matrix is computed on."""
        self._set_sources(self.network, dataset)

    def _set_sources(self, network, dataset):
        changed = network is not self.network or dataset is not self.dataset
        self.network, self.dataset = network, dataset
        if changed and self.matrix is not None:
            self.summary.setText("The network or the data changed: press Compute to update.")

    def compute(self):
        """Confusion matrix of the current network on the test set."""
        if self.network is None or self.dataset is None:
            self.summary.setText("Needs a network and the loaded dataset.")
            return None
        test = self.dataset.test
        self.outputs = self.network.feedforward(test.x)
        self.predictions = np.argmax(self.outputs, axis=1)
        self.matrix = confusion_matrix(test.labels, self.predictions)
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
                if i == j:
                    item.setBackground(QColor(220, 237, 200))
                else:
                    t = n / top_off
                    item.setBackground(QColor(255, int(255 - 180 * t), int(255 - 200 * t)))
                item.setToolTip(f"true {i}, answered {j}: {n:,} images")
                self.table.setItem(i, j, item)
        return self.matrix

    def open_cell(self, i, j):
        """Show the test images that are digit i and were answered j."""
        if self.matrix is None:
            return
        idx = np.flatnonzero((self.dataset.test.labels == i) & (self.predictions == j))
        self.cell_indices = idx.tolist()
        self.gallery.clear()
        for k in idx[:MAX_GALLERY]:
            a = self.outputs[k]
            item = QListWidgetItem(QIcon(image_pixmap(self.dataset.test.x[k], 56)), f"#{k}\n{j}: {a[j]:.2f}")
            item.setData(Qt.UserRole, int(k))
            item.setToolTip(f"test image {k}: true {i}, answered {j}\noutputs: "
                            + " ".join(f"{d}:{v:.2f}" for d, v in enumerate(a)))
            self.gallery.addItem(item)
        shown = f" (the first {MAX_GALLERY})" if len(idx) > MAX_GALLERY else ""
        self.gallery_title.setText(f"True {i}, answered {j}: {len(idx)} images{shown}. "
                                   "Click one to inspect it.")

    def _inspect(self, item):
        self.inspectRequested.emit(item.data(Qt.UserRole))
