"""The gallery of my handwriting: every labelled drawing, the network's reading, and Delete."""

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from nncore.limits import N_CLASSES

from ..widgets.images import image_pixmap
from .handwriting_store import drawings_text

MAX_SHOWN = 500     # the newest drawings shown; the rest are counted
THUMBNAIL = 84


LEGEND = ("Under each drawing, the digit you labelled it: <b>✓</b> the network reads it so; <b>1 → 2</b> "
          "labelled 1, the network reads 2. Double-click a drawing (or press Enter) to put it on the pad.")


class GalleryDialog(QDialog):
    """Thumbnails of my handwriting with the network's reading: relabel, delete (Delete key), undo
    (``undo_stack`` holds the deletes made in this dialog). Double-click or Enter on a drawing emits
    ``drawingOpened(x)`` with its input ``x (784,)`` and closes the dialog."""

    drawingOpened = Signal(object)

    def __init__(self, store, network, parent=None):
        super().__init__(parent)
        self.setWindowTitle("My handwriting")
        self.store, self.network = store, network
        self.undo_stack = QUndoStack(self)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setSelectionMode(QListWidget.ExtendedSelection)
        self.list.setResizeMode(QListWidget.Adjust)
        QShortcut(QKeySequence.Delete, self.list, self.delete_selected)
        self.list.itemDoubleClicked.connect(self.open_item)
        self.list.itemActivated.connect(self.open_item)    # Enter on the current one (a double-click on some styles)
        delete = QPushButton("Delete selected")
        delete.setToolTip("Remove the selected drawings (Delete); Undo brings them back")
        delete.clicked.connect(self.delete_selected)
        self.undo = QPushButton("Undo delete")
        self.undo.clicked.connect(self.undo_delete)
        self.undo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.undo.setEnabled)
        self.relabel_to = QComboBox()
        self.relabel_to.addItems([str(d) for d in range(N_CLASSES)])
        relabel = QPushButton("Relabel selected as")
        relabel.clicked.connect(lambda: self.relabel_selected(self.relabel_to.currentIndex()))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        self.title = QLabel()
        layout = QVBoxLayout(self)
        if store.warnings:
            layout.addWidget(QLabel("Skipped damaged files:\n" + "\n".join(store.warnings[:10])))
        layout.addWidget(self.title)
        self.legend = QLabel(LEGEND)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        for w in (delete, self.undo, relabel, self.relabel_to):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(720, 520)
        self.fill()

    def fill(self):
        """Show the newest drawings with what the network reads in each (one batched forward pass)."""
        self.list.clear()
        shown = self.store.samples[-MAX_SHOWN:][::-1]
        self.title.setText(drawings_text(len(self.store.samples)) + (
            f"; the newest {MAX_SHOWN} shown" if len(self.store.samples) > MAX_SHOWN else ""))
        guesses = [None] * len(shown)
        if self.network is not None and shown:
            guesses = self.network.predict(np.stack([s.x() for s in shown]))
        for sample, guess in zip(shown, guesses):
            text, tip = f"{sample.label}", f"Labelled {sample.label}"
            if guess is not None:
                text += " ✓" if guess == sample.label else f" → {guess}"
                tip += "; the network reads it so" if guess == sample.label else f"; the network reads {guess}"
            item = QListWidgetItem(QIcon(image_pixmap(sample.x(), THUMBNAIL)), text)
            item.setData(Qt.UserRole, str(sample.path))
            item.setToolTip(tip + ". Double-click to put it on the pad.")
            self.list.addItem(item)

    def open_item(self, item):
        """Put the drawing of ``item`` on the pad (``drawingOpened``) and close the gallery."""
        sample = next((s for s in self.store.samples if str(s.path) == item.data(Qt.UserRole)), None)
        if sample is not None and self.isVisible():      # once, though a double-click may also activate
            self.drawingOpened.emit(sample.x())
            self.accept()

    def _selected(self):
        chosen = {item.data(Qt.UserRole) for item in self.list.selectedItems()}
        return [s for s in self.store.samples if str(s.path) in chosen]

    def delete_selected(self):
        """Remove the selected drawings (kept in memory so Undo can bring them back)."""
        samples = self._selected()
        if samples:
            self.undo_stack.push(_Delete(self, samples))
        else:
            self.fill()

    def undo_delete(self):
        """Bring back the drawings removed by the last delete (as new files)."""
        self.undo_stack.undo()

    def relabel_selected(self, label):
        """Give the selected drawings the label ``label``."""
        for sample in self._selected():
            self.store.relabel(sample, label)
        self.fill()


class _Delete(QUndoCommand):
    """Deleting some drawings; undo adds them back (new files), redo deletes those again."""

    def __init__(self, dialog, samples):
        super().__init__(f"Delete {drawings_text(len(samples))}")
        self.dialog, self.samples = dialog, samples

    def redo(self):
        for sample in self.samples:
            self.dialog.store.delete(sample)
        self.dialog.fill()

    def undo(self):
        self.samples = [self.dialog.store.add(sample.x(), sample.label) for sample in self.samples]
        self.dialog.fill()
