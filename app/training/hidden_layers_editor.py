"""The hidden layers as an editable list: add, remove, reorder, and set each size."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from nncore.limits import HIDDEN_LAYERS, LAYER_SIZE

from ..widgets.fields import IntField


class HiddenLayersEditor(QWidget):
    """Rows of 'Hidden layer k [size] ↑ ↓ ✕' and an Add button; ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, sizes=(30,), parent=None):
        super().__init__(parent)
        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self._add = QPushButton("Add hidden layer")
        self._add.setToolTip("Insert another hidden layer before the output layer")
        self._add.clicked.connect(self._append)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._rows)
        outer.addWidget(self._add)
        self._fields = []
        self.set_sizes(sizes)

    def sizes(self):
        """The typed sizes in order; None for a field that is not a whole number."""
        return [f.current() for f in self._fields]

    def set_sizes(self, sizes):
        """Replace all rows with ``sizes``."""
        self._rebuild(list(sizes))
        self.changed.emit()

    def fields(self):
        """The size fields, top to bottom (for tests and focus)."""
        return list(self._fields)

    def _rebuild(self, sizes):
        while self._rows.count():
            item = self._rows.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self._fields = []
        for i, size in enumerate(sizes):
            self._rows.addWidget(self._row(i, size, len(sizes)))
        self._add.setEnabled(len(sizes) < HIDDEN_LAYERS.high)

    def _row(self, i, size, count):
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(f"Hidden {i + 1}"))
        field = IntField(size if size is not None else 30,
                         tooltip=f"Neurons in hidden layer {i + 1} ({LAYER_SIZE.text()})")
        field.setAccessibleName(f"Neurons in hidden layer {i + 1}")
        field.edited.connect(lambda _v: self.changed.emit())
        lay.addWidget(field, 1)
        self._fields.append(field)
        for text, tip, slot, enabled in (
                ("↑", "Move this layer towards the input", lambda: self._move(i, -1), i > 0),
                ("↓", "Move this layer towards the output", lambda: self._move(i, 1), i < count - 1),
                ("✕", "Remove this layer", lambda: self._remove(i), True)):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setEnabled(enabled)
            button.clicked.connect(slot)
            lay.addWidget(button)
        return row

    def _append(self):
        sizes = self.sizes()
        self.set_sizes(sizes + [sizes[-1] if sizes and sizes[-1] else 30])

    def _remove(self, i):
        sizes = self.sizes()
        del sizes[i]
        self.set_sizes(sizes)

    def _move(self, i, d):
        sizes = self.sizes()
        sizes[i], sizes[i + d] = sizes[i + d], sizes[i]
        self.set_sizes(sizes)
