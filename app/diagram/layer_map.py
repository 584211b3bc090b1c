"""A map of a hidden layer: test images' activations there, projected to 2-D by PCA, coloured by digit.

Computed on a worker thread (a forward pass of a copy and an SVD); it follows the diagram's network at a
bounded rate (not while held: the tab's Pause holds it), and keeps the axes' signs from one map to the
next so that the picture does not flip. Clicking a point asks for that image in the inspector.
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nncore.diagram_model import pca_2d
from nncore.limits import N_CLASSES

from .off_thread import OffThread

POINTS = 2000            # test images on the map
REFRESH_MS = 2000        # at most one map per this many ms while the network changes
DIGIT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def layer_map(network, x, layer, previous=None):
    """PCA of layer ``layer``'s activations for inputs ``x (m, 784)``: ``(points (m, 2), components, explained)``."""
    _, activations = network.forward(x)
    return pca_2d(activations[layer], previous)


class LayerMap(QWidget):
    """``set_network``, ``set_dataset``; ``inspectRequested(x, label, description)`` on a click;
    ``mapReady(layer)`` when a map is drawn. ``points`` holds the drawn 2-D points (m, 2)."""

    inspectRequested = Signal(object, int, str)
    mapReady = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.network = self.dataset = self.points = self.components = None
        self.drawn_layer, self._request, self._dirty, self.held = None, None, False, False
        self.jobs = OffThread("diagram-map", self)
        self.jobs.result.connect(self._done)
        self.layer = QComboBox()
        self.layer.setToolTip("The hidden layer whose activations are mapped")
        self.layer.currentIndexChanged.connect(lambda _i: self.refresh())
        self.compute_button = QPushButton("Map")
        self.compute_button.clicked.connect(self.refresh)
        self.caption = QLabel(f"The first {POINTS:,} test images, placed by their activations in this layer of "
                              "the diagram's network (the two directions in which they vary most). Click one to "
                              "inspect it.")
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(180)
        self.plot.setAspectLocked(False)
        self.scatter = pg.ScatterPlotItem(size=5, pen=pg.mkPen(None))
        self.scatter.sigClicked.connect(self._clicked)
        self.plot.addItem(self.scatter)
        self._brushes = [pg.mkBrush(c) for c in DIGIT_COLOURS]
        legend = QLabel(" ".join(f"<span style='color:{c}'>■ {d}</span>" for d, c in enumerate(DIGIT_COLOURS)))
        legend.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("layer"))
        row.addWidget(self.layer)
        row.addWidget(self.compute_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)
        layout.addWidget(legend)
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._timer.timeout.connect(self._follow)

    def set_network(self, network):
        """Map ``network`` from now on: now if nothing was mapped yet, else at the bounded rate."""
        hidden = len(network.weights) - 1 if network is not None else 0
        if self.network is None or len(self.network.weights) - 1 != hidden:
            self.layer.blockSignals(True)
            self.layer.clear()
            self.layer.addItems([str(l) for l in range(1, hidden + 1)])
            self.layer.blockSignals(False)
            self.components = None
        self.network = network
        self._dirty = True
        if not self._timer.isActive() and not self.held:
            self._timer.start()

    def set_dataset(self, dataset):
        self.dataset = dataset
        self._dirty = True

    def showEvent(self, event):
        super().showEvent(event)
        self._follow()

    def hold(self, held):
        """Stop following the network (``held``), or follow it again and catch up now."""
        self.held = bool(held)
        if self.held:
            self._timer.stop()
        else:
            self._follow()

    def _follow(self):
        if self._dirty and self.isVisible() and not self.held:
            self.refresh()

    def refresh(self):
        """Compute the map of the chosen layer on the worker thread."""
        if self.network is None or self.dataset is None or self.layer.count() == 0:
            self.caption.setText("A map needs a network with a hidden layer and the MNIST data.")
            return
        self._dirty = False
        layer = self.layer.currentIndex() + 1
        net, x = self.network.copy(), self.dataset.test.inputs(slice(0, POINTS))
        previous = self.components if self.drawn_layer == layer else None
        self._request = self.jobs.submit(lambda: (layer, layer_map(net, x, layer, previous)))

    def _done(self, request, value):
        if request != self._request:
            return
        if isinstance(value, Exception):
            self.caption.setText(f"The map could not be computed: {value}")
            return
        layer, (points, components, explained) = value
        labels = self.dataset.test.labels[:len(points)]
        self.points, self.components, self.drawn_layer = points, components, layer
        self.scatter.setData(pos=points, data=np.arange(len(points)),
                             brush=[self._brushes[int(d) % N_CLASSES] for d in labels])
        self.plot.setLabel("bottom", f"PC 1 ({100 * explained[0]:.0f}% of the variance)")
        self.plot.setLabel("left", f"PC 2 ({100 * explained[1]:.0f}%)")
        self.mapReady.emit(layer)

    def _clicked(self, _item, spots, *_):
        if len(spots):
            self.open_point(int(spots[0].data()))

    def open_point(self, i):
        """Ask for test image ``i`` in the inspector."""
        label = int(self.dataset.test.labels[i])
        self.inspectRequested.emit(self.dataset.test.inputs(i), label,
                                   f"MNIST test image {i} (a {label}), from the layer-{self.drawn_layer} map")

    def shutdown(self):
        self._timer.stop()
        self.jobs.shutdown()
