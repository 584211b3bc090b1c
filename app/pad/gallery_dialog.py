"""The gallery of my handwriting: every labelled drawing, the network's reading, and Delete."""

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ..widgets.images import image_pixmap


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
