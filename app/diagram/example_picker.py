"""Which example the diagram follows: the pad's drawing with a target digit, or an MNIST image by index.

"Next example" keeps the step of a training image or a drawing, never of a test image (it starts on
the test images, which the network has not learned from: their steps are shown, not kept).
"""

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from nncore.limits import N_CLASSES

SOURCES = ("Drawing on the pad", "MNIST test image", "MNIST training image")
PAD, TEST, TRAIN = range(3)


class ExamplePicker(QWidget):
    """A row: source, index, target y, and Show. ``exampleChosen(x (784,) float32, label, description)``;
    ``message(text)`` when nothing can be chosen (an empty pad, no dataset yet)."""

    exampleChosen = Signal(object, int, str)
    message = Signal(str)

    def __init__(self, pad_input, parent=None):
        super().__init__(parent)
        self.pad_input, self.dataset = pad_input, None
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.source.setCurrentIndex(TEST)
        self.index = QSpinBox()
        self.index.setRange(0, 59_999)
        self.index.setToolTip("Which MNIST image (by index)")
        self.index.setAccessibleName("MNIST image number")
        self.target = QSpinBox()
        self.target.setRange(0, N_CLASSES - 1)
        self.target.setToolTip("The digit y the cost compares against (an MNIST image's own label)")
        self.target.setAccessibleName("Target digit y")
        self.show_button = QPushButton("Show")
        self.show_button.setToolTip("Follow this example through the network")
        self.show_button.clicked.connect(self.choose)
        self.source.currentIndexChanged.connect(self._source_changed)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (QLabel("Example"), self.source, QLabel("index"), self.index, QLabel("target y"), self.target,
                  self.show_button):
            row.addWidget(w)
        row.addStretch(1)
        self._source_changed(TEST)

    def set_dataset(self, dataset):
        """Pick MNIST images from ``dataset`` (an nncore.Dataset) from now on."""
        self.dataset = dataset

    def _source_changed(self, source):
        self.index.setEnabled(source != PAD)
        self.target.setEnabled(source == PAD)

    def split(self):
        """The MNIST split the picker reads (an nncore Split), or None for the pad or without data."""
        if self.dataset is None or self.source.currentIndex() == PAD:
            return None
        return self.dataset.test if self.source.currentIndex() == TEST else self.dataset.train

    def learnable(self):
        """True when the chosen source may be learned from: a training image or the pad's drawing."""
        return self.source.currentIndex() in (PAD, TRAIN)

    def choose(self):
        """Emit the selected example; returns True when one was emitted."""
        if self.source.currentIndex() == PAD:
            x = self.pad_input() if self.pad_input is not None else None
            if x is None or not np.any(x):
                self.message.emit("The pad is empty: draw a digit first")
                return False
            label = self.target.value()
            self.exampleChosen.emit(np.asarray(x, dtype=np.float32), label, f"your drawing, target {label}")
            return True
        if self.dataset is None:
            self.message.emit("The dataset is still loading")
            return False
        split = self.split()
        i = min(self.index.value(), len(split) - 1)
        self.index.setValue(i)
        label = int(split.labels[i])
        self.target.setValue(label)
        name = "test" if self.source.currentIndex() == TEST else "training"
        self.exampleChosen.emit(split.inputs(i), label, f"MNIST {name} image {i} (a {label})")
        return True

    def next_example(self):
        """Choose the next MNIST image (the same drawing again for the pad); True when one was emitted."""
        if self.source.currentIndex() != PAD and self.dataset is not None:
            self.index.setValue((self.index.value() + 1) % len(self.split()))
        return self.choose()
