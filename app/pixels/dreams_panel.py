"""The ten digits' dreams: for each output, the input the network reads as that digit most strongly
(``nncore.dream``), computed off the GUI thread at a bounded rate, and only while they are on screen."""

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout

from nncore import dream
from nncore.limits import N_CLASSES

from ..threads import TaskRunner
from ..widgets.theme import follow_palette, readable
from .colours import grey_rgb
from .pixel_view import PixelView

MIN_INTERVAL_S = 4.0   # at most one computation every few seconds, however often the network changes
MISREAD = QColor("#c62828")   # "reads 3" under a dream read as another digit: red, made readable on the theme


@dataclass(frozen=True)
class Dream:
    """One digit's dream: ``x (784,)`` float64 in [0, 1] and the network's outputs ``(10,)`` for it."""

    digit: int
    x: np.ndarray
    outputs: np.ndarray


class DreamsCancelled(Exception):
    """The owner no longer wants these dreams."""


def compute_dreams(network, task):
    """The ten dreams of ``network`` (a copy the caller gives away), reporting progress to ``task``."""
    dreams = []
    for d in range(N_CLASSES):
        if task.cancelled():
            raise DreamsCancelled
        x = dream(network, d)
        dreams.append(Dream(d, x, network.feedforward(x[None, :])[0].astype(np.float64)))
        task.progress(d + 1, N_CLASSES)
    return dreams


class DreamsPanel(QGroupBox):
    """Ten 28×28 dreams with each one's output for its digit; recomputed when the network changes, at
    most every ``MIN_INTERVAL_S`` seconds, one computation at a time, and only while visible.

    ``dreamingStarted`` when a computation begins.
    """

    dreamingStarted = Signal()

    def __init__(self, parent=None):
        super().__init__("Dreams", parent)
        self.dreams, self._pending, self._last_start, self._closed = None, None, -MIN_INTERVAL_S, False
        self.runner = TaskRunner("dreams", self)
        self.runner.finished.connect(self._done)
        self.runner.failed.connect(self._failed)
        self.runner.progressed.connect(self._progressed)
        self._wait = QTimer(self, singleShot=True)
        self._wait.timeout.connect(self._consider)
        grid = QGridLayout()
        self.views, self.captions = [], []
        for d in range(N_CLASSES):
            view, caption = PixelView(90, minimum=36, maximum=120), QLabel(f"{d}")
            caption.setAlignment(Qt.AlignHCenter)
            caption.setTextFormat(Qt.RichText)
            caption.setWordWrap(True)     # a narrow window breaks the caption rather than overflowing
            grid.addWidget(view, 0, d, Qt.AlignHCenter)
            grid.addWidget(caption, 1, d)
            self.views.append(view)
            self.captions.append(caption)
        self.status = QLabel("No network yet.")
        self.status.setForegroundRole(QPalette.PlaceholderText)     # the theme's dim text, readable in both
        self.status.setWordWrap(True)
        about = QLabel("The input each output responds to most: gradient ascent on the pixels from faint noise, "
                       "with a prior for small, smooth strokes.")
        about.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        follow_palette(self, self._recolour)

    def set_network(self, network):
        """Dream with ``network`` when the rate allows (the latest network wins; none is queued twice)."""
        self._pending = network
        self._consider()

    def showEvent(self, event):
        """Coming into view: catch up with the network."""
        super().showEvent(event)
        self._consider()

    def _consider(self):
        """Start the pending computation if the panel is visible, idle and the last one is old enough."""
        if self._pending is None or self.runner.busy or not self.isVisible() or self._closed:
            return
        wait = self._last_start + MIN_INTERVAL_S - time.monotonic()
        if wait > 0:
            if not self._wait.isActive():
                self._wait.start(int(1000 * wait) + 1)
            return
        network, self._pending = self._pending.copy(), None
        self._last_start = time.monotonic()
        self.status.setText("Dreaming… (0 of 10)")
        self.runner.start("dreams", lambda task: compute_dreams(network, task))
        self.dreamingStarted.emit()

    def _progressed(self, _token, done, total):
        self.status.setText(f"Dreaming… ({done} of {total})")

    def _done(self, _token, dreams):
        self.dreams = dreams
        self._show(dreams, time.monotonic() - self._last_start)
        self._consider()   # a network that arrived meanwhile

    def _caption(self, dr, reads):
        """A dream's caption: its digit, its output, and in red what it reads as when another digit."""
        red = readable(MISREAD, self.palette().color(QPalette.Window)).name()
        return (f"<b>{dr.digit}</b><br>{dr.outputs[dr.digit]:.3f}"
                + ("" if reads == dr.digit else f"<br><span style='color:{red}'>reads {reads}</span>"))

    def _recolour(self):
        """Captions again in the theme's colours (a span's colour is fixed when its text is set)."""
        for dr, caption in zip(self.dreams or (), self.captions):
            caption.setText(self._caption(dr, int(np.argmax(dr.outputs))))

    def _failed(self, _token, message):
        self.status.setText(f"The dreams could not be computed: {message}")
        self._consider()

    def _show(self, dreams, seconds):
        for dr, view, caption in zip(dreams, self.views, self.captions):
            view.set_rgb(grey_rgb(dr.x))
            reads = int(np.argmax(dr.outputs))
            caption.setText(self._caption(dr, reads))
            caption.setToolTip(f"a<sub>{dr.digit}</sub> = {dr.outputs[dr.digit]:.3f}: the network's output "
                               f"for {dr.digit} on this dream; it reads it as {reads}")
        read = sum(int(np.argmax(dr.outputs)) == dr.digit for dr in dreams)
        self.status.setText(f"Under each dream, its digit's output. {read} of 10 dreams are read as their "
                            f"digit ({seconds:.1f} s). They need not "
                            "look like digits: whatever strokes and spots raise the output will do.")

    def shutdown(self):
        """End the dreams' thread (the window is closing)."""
        self._closed = True
        self._wait.stop()
        self.runner.shutdown()
