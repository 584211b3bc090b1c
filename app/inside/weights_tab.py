"""The weights view: every first-layer neuron's incoming weights as a 28×28 image, live; click one for
its bias, its use by the next layer and its preferred input (computed off the GUI thread)."""

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nncore import dream_neuron
from nncore.limits import IMAGE_SIDE, N_CLASSES, N_INPUTS

from ..threads import TaskRunner
from ..widgets.heatmap import HeatMap
from ..widgets.images import image_pixmap, tile_rows_as_images
from ..widgets.output_bars import OutputBars
from ..widgets.theme import bold

MAX_SHOWN = 256
REFRESH_MS = 500
DREAM_SIDE = 112


class WeightsTab(QWidget):
    """A grid of first-layer weight images with one symmetric colour scale; click one for detail."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = HeatMap("diverging", min_height=300, keep_aspect=True)
        self.grid.cellClicked.connect(self._clicked)
        self.title = QLabel("No network yet")
        bold(self.title)     # by its font: a style sheet would freeze its colour at polish time
        self.title.setWordWrap(True)
        self.detail = QLabel("Click a neuron to see its bias and how strongly the next layer uses it.")
        self.detail.setWordWrap(True)
        self.usage = OutputBars(signed=True)
        self.usage.setToolTip("The output layer's weights from this neuron: red excites that digit's "
                              "output, blue inhibits it (scaled to the largest)")
        side = QVBoxLayout()
        side.addWidget(self.detail)
        side.addWidget(self.usage)
        side.addWidget(self._preferred_input_box())
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.grid, 3)
        row.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)
        self.network, self._pending, self._locate, self.selected = None, None, None, None
        self.dream = None
        self.dream_runner = TaskRunner("neuron-dream", self)
        self.dream_runner.finished.connect(self._dreamt)
        self.dream_runner.failed.connect(self._dream_failed)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)   # bounded rate, whatever the worker sends
        self._timer.timeout.connect(self._draw_pending)
        self._timer.start()

    def set_network(self, network, _description=""):
        """Show ``network`` at the next refresh (at most twice a second)."""
        self._pending = network

    def _draw_pending(self):
        if self._pending is None or not self.isVisible():
            return
        self.network, self._pending = self._pending, None
        w = self.network.weights[0]
        if w.shape[1] != N_INPUTS:
            self.title.setText(f"The first layer does not take {IMAGE_SIDE}×{IMAGE_SIDE} images")
            return
        shown = w[:MAX_SHOWN]
        # Symmetric around 0; the 99th percentile of |w| so that a few outliers do not wash it out.
        magnitudes = np.abs(shown).ravel()
        k = int(0.99 * (magnitudes.size - 1))
        scale = float(np.partition(magnitudes, k)[k]) or 1.0
        tiled, self._locate = tile_rows_as_images(shown, columns=int(np.ceil(np.sqrt(len(shown)))))
        self.grid.describe = self._describe
        self.grid.set_values(tiled, scale)
        more = f" (the first {MAX_SHOWN} of {w.shape[0]})" if w.shape[0] > MAX_SHOWN else ""
        self.title.setText(f"Incoming weights of the {len(shown)} first-layer neurons{more}: red positive, "
                           f"blue negative; full colour at ±{scale:.3g} (99th percentile of |w|)")
        if self.selected is not None:
            self.show_neuron(self.selected)
        if self.dream is not None:
            self.dream_caption.setText(f"Neuron {self.dream[0]}'s preferred input, for the network as it was "
                                       "when you clicked (click again to update)")

    def neuron_at(self, r, c):
        """(neuron, pixel) whose weight the grid's cell (r, c) shows, or None (a gap, or nothing drawn)."""
        return self._locate(r, c) if self._locate else None

    def _describe(self, r, c, v):
        where = self.neuron_at(r, c)
        return "" if where is None else f"neuron {where[0]}, pixel {where[1]}: w = {v:.4g}"

    def _clicked(self, r, c):
        where = self.neuron_at(r, c)
        if where is not None:
            self.show_neuron(where[0])
            self.show_preferred_input(where[0])

    def show_neuron(self, j):
        """Bias of neuron j and the next layer's weights from it (its digit, if it is an output)."""
        self.selected = j
        net = self.network
        if len(net.weights) == 1:    # no hidden layer: the first layer's neurons are the outputs
            self.detail.setText(f"<b>Output neuron {j}</b> (digit {j})<br>bias b = {net.biases[0][j]:.4g}"
                                "<br>no hidden layer: it reads the pixels directly")
            self.usage.set_values(None)
            return
        nxt = net.weights[1][:, j]
        self.detail.setText(f"<b>Neuron {j}</b><br>bias b = {net.biases[0][j]:.4g}<br>"
                            f"weights to the next layer: {nxt.size} values from {nxt.min():.3g} to "
                            f"{nxt.max():.3g}" + ("<br>bars: its weight to each digit's output"
                                                  if nxt.size == N_CLASSES else ""))
        if nxt.size == N_CLASSES:
            self.usage.set_values(nxt / (np.max(np.abs(nxt)) or 1.0))
        else:
            self.usage.set_values(None)

    # ---- the neuron's preferred input ----------------------------------------------------------
    def _preferred_input_box(self):
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.dream_view = QLabel()
        self.dream_view.setFixedSize(DREAM_SIDE, DREAM_SIDE)
        self.dream_view.setStyleSheet("background: black;")
        self.dream_view.setToolTip("Gradient ascent on the pixels, from faint noise, on this neuron's weighted "
                                   "input z, with a prior for small smooth strokes (nncore.dream_neuron)")
        self.dream_caption = QLabel("")
        self.dream_caption.setWordWrap(True)
        layout.addWidget(self.dream_view)
        layout.addWidget(self.dream_caption)
        return box

    def show_preferred_input(self, j):
        """Compute neuron j's preferred input off the GUI thread; it appears beside its weights.

        The latest click wins: a computation still running for an earlier one is dropped.
        """
        self.dream_caption.setText(f"Neuron {j}'s preferred input: computing…")
        network = self.network.copy()
        self.dream_runner.start(j, lambda _task: dream_neuron(network, 1, j))

    def _dreamt(self, j, x):
        self.dream = (j, x)
        self.dream_view.setPixmap(image_pixmap(x, DREAM_SIDE))
        self.dream_caption.setText(f"Neuron {j}'s preferred input: the image that drives its weighted "
                                   "input z highest")

    def _dream_failed(self, _j, message):
        self.dream_caption.setText(f"The preferred input could not be computed: {message}")

    def shutdown(self):
        """End the preferred input's thread, if one runs (the window is closing)."""
        self.dream_runner.shutdown()
