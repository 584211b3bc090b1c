"""Label drawings as 'my handwriting', see how well the network reads them, and browse them."""

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .prediction import image_pixmap


class HandwritingPanel(QWidget):
    """Ten 'it was a …' buttons, the accuracy on my handwriting, the gallery and the training option."""

    labelRequested = Signal(int)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store, self.network = store, None
        grid = QGridLayout()
        grid.setSpacing(2)
        grid.addWidget(QLabel("It was a:"), 0, 0, 1, 5)
        for d in range(10):
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
        self.refresh()

    def set_network(self, network):
        """Score my handwriting with ``network`` from now on."""
        self.network = network
        self.refresh()

    def refresh(self):
        """Recompute and show the accuracy on my handwriting."""
        correct, total = self.store.accuracy(self.network)
        if total == 0:
            self.summary.setText("<b>My handwriting</b>: none yet. Draw a digit, then press its key.")
        else:
            self.summary.setText(f"<b>My handwriting</b>: {correct} of {total} read correctly "
                                 f"({100 * correct / total:.0f}%)")

    def show_gallery(self):
        """A dialog with every labelled drawing, the network's reading, and Delete."""
        GalleryDialog(self.store, self.network, self).exec()
        self.refresh()


class GalleryDialog(QDialog):
    """Thumbnails of my handwriting: label, the network's answer, and delete."""

    def __init__(self, store, network, parent=None):
        super().__init__(parent)
        self.setWindowTitle("My handwriting")
        self.store, self.network = store, network
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.IconMode)
        self.list.setIconSize(QSize(56, 56))
        self.list.setSelectionMode(QListWidget.ExtendedSelection)
        self.list.setResizeMode(QListWidget.Adjust)
        delete = QPushButton("Delete selected")
        delete.clicked.connect(self.delete_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if store.warnings:
            layout.addWidget(QLabel("Skipped damaged files:\n" + "\n".join(store.warnings)))
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(delete)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(560, 420)
        self.fill()

    def fill(self):
        self.list.clear()
        for sample in self.store.samples:
            text = f"{sample.label}"
            if self.network is not None:
                guess = int(np.argmax(self.network.feedforward(sample.x())))
                text += " ✓" if guess == sample.label else f" → {guess}"
            item = QListWidgetItem(QIcon(image_pixmap(sample.x(), 56)), text)
            item.setData(Qt.UserRole, str(sample.path))
            self.list.addItem(item)

    def delete_selected(self):
        chosen = {item.data(Qt.UserRole) for item in self.list.selectedItems()}
        for sample in [s for s in self.store.samples if str(s.path) in chosen]:
            self.store.delete(sample)
        self.fill()
