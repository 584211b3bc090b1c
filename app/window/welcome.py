"""A first-launch welcome with three ways in: train the book's network, draw a digit, open lesson 1."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QCommandLinkButton, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

PATHS = (
    ("train", "Train the book's network",
     "784-30-10 sigmoid neurons, η = 3, mini-batches of 10, 30 epochs: watch the cost fall and the accuracy "
     "climb to about 95% on images it has never seen."),
    ("draw", "Draw a digit",
     "Draw on the pad with the mouse: the network you are looking at reads it as you draw, and the inspector "
     "shows the backward pass for your own drawing."),
    ("lesson", "Open lesson 1",
     "Guided experiments from the book, each with what to watch and a button that runs it."),
)


class WelcomeDialog(QDialog):
    """Three paths as large buttons; ``pathChosen(name)`` with 'train', 'draw' or 'lesson'. It greets a
    fresh profile once; the ``show_at_start`` box (unticked) brings it back at every start, and Help →
    Welcome at any time."""

    pathChosen = Signal(str)

    def __init__(self, show_at_start, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to Backprop Lab")
        intro = QLabel("Build a small network of sigmoid neurons, watch it learn handwritten digits, and look "
                       "inside the backward pass that teaches it. Where would you like to start?")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.buttons = {}
        for name, title, text in PATHS:
            button = QCommandLinkButton(title, text)
            button.setAccessibleName(title)
            button.clicked.connect(lambda _=False, name=name: self._choose(name))
            layout.addWidget(button)
            self.buttons[name] = button
        self.show_at_start = QCheckBox("Show this at start")
        self.show_at_start.setChecked(show_at_start)
        self.show_at_start.setToolTip("Help → Welcome shows it again at any time")
        layout.addWidget(self.show_at_start)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.setAttribute(Qt.WA_DeleteOnClose, False)
        self.resize(520, self.sizeHint().height())

    def _choose(self, name):
        self.accept()
        self.pathChosen.emit(name)
