"""The weights view: every first-layer neuron's incoming weights as a 28×28 image, live."""

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nncore.limits import IMAGE_SIDE, N_CLASSES, N_INPUTS

from ..widgets.heatmap import HeatMap
from ..widgets.images import tile_rows_as_images
from ..widgets.output_bars import OutputBars

MAX_SHOWN = 256
REFRESH_MS = 500


class WeightsTab(QWidget):
    """A grid of first-layer weight images with one symmetric colour scale; click one for detail."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = HeatMap("diverging", min_height=300, keep_aspect=True)
        self.grid.cellClicked.connect(self._clicked)
        self.title = QLabel("No network yet")
        self.title.setStyleSheet("font-weight: 600;")
        self.title.setWordWrap(True)
        self.detail = QLabel("Click a neuron to see its bias and how strongly the next layer uses it.")
        self.detail.setWordWrap(True)
        self.usage = OutputBars(signed=True)
        self.usage.setToolTip("The output layer's weights from this neuron: red excites that digit's "
                              "output, blue inhibits it (scaled to the largest)")
        side = QVBoxLayout()
        side.addWidget(self.detail)
        side.addWidget(self.usage)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.grid, 3)
        row.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)
        self.network, self._pending, self._locate, self.selected = None, None, None, None
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

    def _describe(self, r, c, v):
        where = self._locate(r, c) if self._locate else None
        return "" if where is None else f"neuron {where[0]}, pixel {where[1]}: w = {v:.4g}"

    def _clicked(self, r, c):
        where = self._locate(r, c) if self._locate else None
        if where is not None:
            self.show_neuron(where[0])

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
