"""The inspector's example: where it comes from, which image, the target y and where that comes from,
Inspect, and the picture the network reads."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QSpinBox

from nncore.limits import N_CLASSES

from ..widgets.images import image_pixmap

SOURCES = ("Drawing on the pad", "MNIST test image", "MNIST training image")
PAD, TEST, TRAIN = range(3)
THUMB = 56   # the example's picture, px: small, so that the picker and the walk fit above the fold
WHAT_IF = "change it to ask 'what if it were…'"


class ExampleBox(QGroupBox):
    """Source, index, target y with a note on where the target comes from, Inspect, the picture.

    For the pad's drawing the target is the network's top guess until the user picks one
    (:attr:`target_chosen`; an emptied pad forgets the pick); for an MNIST image it is the label.
    ``inspectClicked()``; ``targetPicked(digit)`` when the user, not the program, changes the target.
    """

    inspectClicked = Signal()
    targetPicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__("Example", parent)
        self.dataset, self.target_chosen, self._setting = None, False, False
        self._origin, self._reading = "top", None     # where the target shown comes from (say_target)
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.index = QSpinBox()
        self.index.setRange(0, 0)         # set to the chosen split's size when the data arrives
        self.index.setToolTip("Which MNIST image (by index)")
        self.index.setEnabled(False)
        self.target = QSpinBox()
        self.target.setRange(0, N_CLASSES - 1)
        self.target.setToolTip("The digit y the cost compares against: for a drawing the network's top guess "
                               "unless you pick another, for an MNIST image its label")
        self.target.valueChanged.connect(self._target_edited)
        self.note = QLabel()
        self.note.setWordWrap(True)
        load = QPushButton("Inspect")
        load.setToolTip("Run this example forward and backward through the current network")
        load.clicked.connect(self.inspectClicked)
        self.input_view = QLabel()
        self.input_view.setFixedSize(THUMB, THUMB)
        self.input_view.setStyleSheet("background: black;")
        grid = QGridLayout(self)
        for column, w in enumerate((QLabel("Source"), self.source, QLabel("Index"), self.index, QLabel("Target y"),
                                    self.target, load)):
            grid.addWidget(w, 0, column)
        grid.addWidget(self.note, 1, 0, 1, 8)
        grid.setColumnStretch(7, 1)
        grid.addWidget(self.input_view, 0, 8, 2, 1)
        self.source.currentIndexChanged.connect(lambda _s: self._source_changed())
        self.say_target()

    def set_dataset(self, dataset):
        """Pick MNIST images from ``dataset`` (an nncore.Dataset) from now on."""
        self.dataset = dataset
        self._source_changed()

    def split(self):
        """The dataset split the source names (an nncore Split), or None for the pad or before the data."""
        if self.from_pad() or self.dataset is None:
            return None
        return self.dataset.test if self.source.currentIndex() == TEST else self.dataset.train

    def from_pad(self):
        """True when the picker names the pad's drawing."""
        return self.source.currentIndex() == PAD

    def follows_top_guess(self):
        """True when the target is the network's top guess: the pad's drawing, and no target picked."""
        return self.from_pad() and not self.target_chosen

    def set_target(self, digit, origin, reading=None):
        """Show target ``digit`` set by the program, not picked: ``origin`` 'top' (the network's top
        guess, its ``reading`` an app.widgets.reading.Reading), 'label' (an MNIST image's) or 'sent'
        (with an example from another view)."""
        self._setting = True
        self.target.setValue(int(digit))
        self._setting = False
        self._origin, self._reading = origin, reading
        self.say_target()

    def forget_pick(self):
        """Follow the top guess again (the pad was emptied: the next drawing is a new question)."""
        self.target_chosen, self._origin, self._reading = False, "top", None
        self.say_target()

    def _target_edited(self, digit):
        if not self._setting:
            self.target_chosen = self.target_chosen or self.from_pad()
            self._origin = "pick"
            self.say_target()
            self.targetPicked.emit(digit)

    def _source_changed(self):
        split = self.split()
        self.index.setEnabled(split is not None)
        self.index.setRange(0, max(len(split) - 1, 0) if split is not None else 0)
        if self.from_pad():
            self._origin = "pick" if self.target_chosen else "top"
        else:
            self._origin = "label"
        self._reading = None
        self.say_target()

    def say_target(self):
        """The note beside the field: where the target comes from."""
        y, r = self.target.value(), self._reading
        if self._origin == "pick":
            again = ("clear the pad to follow the network's top guess again" if self.from_pad()
                     else "Inspect takes the image's label again")
            text = f"target: your pick ({y}); {again}"
        elif self._origin == "sent":
            text = f"target: {y}, sent with the example; {WHAT_IF}"
        elif self._origin == "label":
            text = f"target: the image's label; {WHAT_IF}"
        elif r is None:
            text = f"target: the network's top guess; {WHAT_IF}"
        elif r.ahead:
            text = f"target: the top guess ({y}); {WHAT_IF}"
        elif r.tie:
            text = f"target: {y}, the first of the tied outputs (the network gives no clear answer); {WHAT_IF}"
        else:
            text = f"target: the top output ({y}), though none is clearly ahead; {WHAT_IF}"
        self.note.setText(text)

    def show_picture(self, x):
        """The example ``x (784,)`` as the network reads it; None: none."""
        if x is None:
            self.input_view.clear()
        else:
            self.input_view.setPixmap(image_pixmap(x, THUMB))
