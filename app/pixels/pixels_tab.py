"""The pixels tab: backprop carried one layer further, to the input. What the network looks at in an
example, nudging the example until the network reads another digit, and the ten digits' dreams."""

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QScrollArea, QVBoxLayout, QWidget

from .dreams_panel import DreamsPanel
from .example_picker import ExamplePicker
from .nudge_panel import NudgePanel
from .saliency_panel import SaliencyPanel

SIDE_BY_SIDE_WIDTH = 960   # below this width the saliency and the nudge stack vertically


class PixelsTab(QWidget):
    """Saliency, "make it read…" and dreams for the current network.

    ``pad_input()`` returns the pad's drawing as float32 ``(784,)`` or None. Slots: :meth:`set_network`,
    :meth:`set_dataset`, :meth:`drawing_changed`; :meth:`shutdown` ends the dreams' thread at close.
    ``sendToPad(x)`` and ``inspectRequested(x, digit, description)`` carry a nudged image, float32 ``(784,)``;
    ``saliencyUpdated`` follows each weighing of the example's pixels.
    """

    sendToPad = Signal(object)
    inspectRequested = Signal(object, int, str)
    saliencyUpdated = Signal()

    def __init__(self, pad_input, parent=None):
        super().__init__(parent)
        self.network, self.description = None, ""
        self.picker = ExamplePicker(pad_input)
        self.saliency = SaliencyPanel()
        self.nudge = NudgePanel()
        self.dreams = DreamsPanel()
        self._middle = middle = QBoxLayout(QBoxLayout.LeftToRight)
        middle.addWidget(self.saliency, 2)
        middle.addWidget(self.nudge, 3)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.picker)
        layout.addLayout(middle, 1)
        layout.addWidget(self.dreams)
        scroll = QScrollArea()          # in a narrow window the tab scrolls rather than overflows
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)   # coalesce: one update per pass of the event loop at most
        self._timer.timeout.connect(self.update_saliency)
        self.picker.changed.connect(self._schedule)
        self.saliency.digitChanged.connect(self._schedule)
        self.nudge.nudgeRequested.connect(self._nudge)
        self.nudge.sendToPad.connect(self.sendToPad)
        self.nudge.inspectRequested.connect(self.inspectRequested)

    # ---- inputs from the window ----------------------------------------------------------
    def set_network(self, network, description=""):
        """Look with ``network`` (the window's copy) from now on; the dreams follow at a bounded rate."""
        self.network, self.description = network, description
        self.dreams.set_network(network)
        self._schedule()

    def set_dataset(self, dataset):
        """Pick MNIST test images from ``dataset`` (an nncore.Dataset) from now on."""
        self.picker.set_dataset(dataset)

    def drawing_changed(self):
        """The pad's drawing changed: weigh it again (once per pass of the event loop)."""
        if self.picker.uses_pad():
            self._schedule()

    def show_test_image(self, index):
        """Look at MNIST test image ``index``."""
        self.picker.show_test_image(index)

    def shutdown(self):
        """Stop the animation and end the dreams' thread (the window is closing)."""
        self.nudge.stop_nudge()
        self.dreams.shutdown()

    # ---- updating ------------------------------------------------------------------------
    def showEvent(self, event):
        """Coming into view: weigh what is there now."""
        super().showEvent(event)
        self._schedule()

    def resizeEvent(self, event):
        """Side by side when there is room, one above the other in a narrow window."""
        super().resizeEvent(event)
        wide = event.size().width() >= SIDE_BY_SIDE_WIDTH
        self._middle.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)

    def _schedule(self):
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def update_saliency(self):
        """Weigh the example's pixels now (the coalescing timer calls this)."""
        x, description, _label = self.picker.example()
        if self.network is None:
            self.saliency.show_hint("No network yet.")
        elif x is None:
            self.saliency.show_hint(description)
        else:
            self.saliency.show_example(self.network, x)
        self.saliencyUpdated.emit()

    def _nudge(self, digit):
        x, description, _label = self.picker.example()
        if self.network is None or x is None:
            self.nudge.status.setText("No network yet." if self.network is None else description)
            return
        self.nudge.start(self.network, x, digit, description)
