"""The pad with its buttons and the live reading; classification is coalesced, never blocking the pen."""

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from .drawing_pad import DrawingPad
from .handwriting_panel import HandwritingPanel
from .handwriting_store import drawings_text
from .prediction_view import PredictionView


class PadPanel(QWidget):
    """DrawingPad + Clear/Undo + PredictionView, reading with the network in focus (it says which)."""

    predicted = Signal(object)   # the output activations (10,), or None (the GUI benchmark times it)
    message = Signal(str)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.pad = DrawingPad()
        self.view = PredictionView()
        self.source = QLabel("")
        self.source.setTextFormat(Qt.PlainText)      # a file's name is a name, never markup
        self.source.setToolTip("The network in focus, chosen under \"Looking at\" in the toolbar")
        self.source.setForegroundRole(QPalette.PlaceholderText)     # dimmer than text, readable in both themes
        self.source.setWordWrap(True)
        # Two lines, always: a changing description must not relayout the window while training.
        self.source.setFixedHeight(2 * self.source.fontMetrics().lineSpacing() + 2)
        self.source.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        clear, undo = QPushButton("Clear"), QPushButton("Undo stroke")
        clear.setToolTip("Clear the pad (Esc, or right-click on the pad)")
        undo.setToolTip("Remove the last stroke (Ctrl+Z)")
        clear.clicked.connect(self.pad.clear)
        undo.clicked.connect(self.pad.undo)
        undo.setEnabled(False)
        self.pad.undo_stack.canUndoChanged.connect(undo.setEnabled)
        buttons = QHBoxLayout()
        buttons.addWidget(clear)
        buttons.addWidget(undo)
        self.setMinimumWidth(320)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pad, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        layout.addWidget(self.source)
        self.handwriting = HandwritingPanel(store)
        self.handwriting.labelRequested.connect(self.label_drawing)
        self.handwriting.drawingOpened.connect(self.show_input)
        self.pad.digitKeyPressed.connect(self.label_drawing)
        layout.addWidget(self.handwriting)
        self.network = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)   # coalesce: one reading per pass of the event loop at most
        self._timer.timeout.connect(self._read)
        self._unread = False         # a reading waits for the panel to be shown (its dock was closed)
        self.pad.drawingChanged.connect(self._schedule)
        self.classify()

    def set_network(self, network, description=""):
        """Read with ``network`` (a copy that this panel owns) from now on."""
        self.network = network
        self.source.setText(f"Reading with: {description}" if description else "")
        self.handwriting.set_network(network)
        self._schedule()

    def label_drawing(self, digit):
        """Keep the current drawing as my handwriting labelled ``digit``, then clear the pad."""
        if self.pad.is_empty():
            self.message.emit("Draw a digit first, then press its key (0–9) to keep it.")
            return None
        try:
            sample = self.handwriting.store.add(self.pad.to_network_input(), digit)
        except OSError as e:
            self.message.emit(f"Could not keep the drawing: {e.strerror or e}")
            return None
        self.pad.clear()
        self.handwriting.refresh()
        self.message.emit(f"Kept as a {digit} in my handwriting "
                          f"({drawings_text(len(self.handwriting.store.samples))}).")
        return sample

    def show_input(self, x):
        """Put a network input ``x (784,)`` (a nudged drawing, say) on the pad; it is read as it is."""
        self.pad.show_input(x)

    def shutdown(self):
        """End the background work of my handwriting (the window is closing)."""
        self.handwriting.shutdown()

    def network_input(self):
        """The drawing as the network reads it, float32 ``(784,)``; None when the pad is empty."""
        return None if self.pad.is_empty() else self.pad.to_network_input()

    def extra_training_data(self):
        """My handwriting as an nncore.Split when "add them to the training set" is ticked, else None."""
        if not self.handwriting.use_for_training.isChecked():
            return None
        return self.handwriting.store.as_split()

    def _schedule(self):
        if not self._timer.isActive():
            self._timer.start()

    def _read(self):
        """The coalesced reading: now while the panel is on screen, else when it is shown again (a run
        sends a network twice a second; a closed dock reads none of them)."""
        self._unread = not self.isVisible()
        if not self._unread:
            self.classify()

    def showEvent(self, event):
        super().showEvent(event)
        if self._unread:
            self._read()

    def classify(self):
        """Read the pad now: outputs and the 28×28 input, or a hint when there is nothing to read."""
        if self.pad.is_empty():
            self.view.show_hint("Draw a digit on the pad: the network reads it as you draw.")
            self.predicted.emit(None)
        elif self.network is None:
            self.view.show_hint("No network yet.")
            self.predicted.emit(None)
        else:
            x = self.pad.to_network_input()
            a = self.network.feedforward(x)
            self.view.show_outputs(x, a)
            self.predicted.emit(a)
