"""Which example the pixels tab looks at: the drawing on the pad, or an MNIST test image by index."""

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

PAD, TEST = 0, 1
SOURCES = ("Drawing on the pad", "MNIST test image")


class ExamplePicker(QWidget):
    """The source (pad or test image) and the index; ``changed()`` when what it picks may have changed.

    ``pad_input()`` returns the pad's drawing as float32 ``(784,)`` or None.
    """

    changed = Signal()

    def __init__(self, pad_input, parent=None):
        super().__init__(parent)
        self.pad_input, self.dataset = pad_input, None
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.source.setToolTip("Look at your drawing (it follows the pad as you draw) or at an MNIST "
                               "test image")
        self.index = QSpinBox()
        self.index.setRange(0, 0)
        self.index.setEnabled(False)
        self.index.setToolTip("Which MNIST test image (by index)")
        self.index.setAccessibleName("MNIST test image number")
        self.note = QLabel("")
        self.note.setForegroundRole(QPalette.PlaceholderText)    # the theme's dim text, readable in both
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (QLabel("<b>Example</b>"), self.source, QLabel("Index"), self.index, self.note):
            row.addWidget(w)
        row.addStretch(1)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.index.valueChanged.connect(self._index_changed)

    def set_dataset(self, dataset):
        """Pick test images from ``dataset`` (an nncore.Dataset) from now on."""
        self.dataset = dataset
        self._source_changed(self.source.currentIndex())

    def show_test_image(self, index):
        """Pick MNIST test image ``index``."""
        self.source.setCurrentIndex(TEST)
        self.index.setValue(index)

    def uses_pad(self):
        """True when the example is the pad's drawing."""
        return self.source.currentIndex() == PAD

    def example(self):
        """``(x, description, label)``: x float32 ``(784,)`` or None, and its MNIST label or None.

        When there is nothing to look at, x is None and the description says why.
        """
        if self.uses_pad():
            x = self.pad_input()
            if x is None or not np.any(x):
                return None, "The pad is empty: draw a digit on it.", None
            return np.asarray(x, np.float32), "your drawing", None
        if self.dataset is None:
            return None, "The dataset is still loading.", None
        i = self.index.value()
        label = int(self.dataset.test.labels[i])
        return self.dataset.test.inputs(i), f"MNIST test image {i} (a {label})", label

    def _source_changed(self, source):
        test = self.dataset.test if source == TEST and self.dataset is not None else None
        self.index.setEnabled(test is not None)
        self.index.setRange(0, len(test) - 1 if test is not None else 0)
        self._index_changed(self.index.value())

    def _index_changed(self, i):
        test = self.dataset.test if not self.uses_pad() and self.dataset is not None else None
        self.note.setText("" if self.uses_pad() else f"labelled {int(test.labels[i])}" if test is not None
                          else "the dataset is still loading")
        self.changed.emit()
