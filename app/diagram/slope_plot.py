"""The gradient is a slope: the example's cost C(w) along one weight, with backprop's tangent.

Drag the vertical line to try other values of the weight: the dot follows the curve and the title
gives C there (computed by running the network forward, not read off the curve).
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..widgets.pens import pen
from .numbers_panel import fmt
from .schedule import sup

TANGENT_HALF_WIDTH = 0.35   # of the curve's span, each side of w0
HINT = "Click an edge to see this example's cost along its weight, and backprop's slope."


class SlopePlot(QWidget):
    """``show_slice(WeightSlice)``; ``cost_at`` (a callable w → C) serves the draggable line.

    ``weightDragged(float)`` when the line is moved, with the value it was moved to.
    """

    weightDragged = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slice, self.cost_at = None, None
        self.title = QLabel(HINT)
        self.title.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(170)
        self.plot.setLabel("bottom", "w")
        self.plot.setLabel("left", "C")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.curve = self.plot.plot([], [], pen=pen("#1565c0", width=2))
        self.tangent = self.plot.plot([], [], pen=pen("#e65100", width=2, dash=True))
        self.here = pg.ScatterPlotItem(size=9, brush=pg.mkBrush("#e65100"), pen=pg.mkPen(None))
        self.tried = pg.ScatterPlotItem(size=8, brush=pg.mkBrush("#2e7d32"), pen=pg.mkPen(None))
        self.line = pg.InfiniteLine(angle=90, movable=True, pen=pen("#2e7d32", width=1.5))
        for item in (self.here, self.tried, self.line):
            self.plot.addItem(item)
        self.line.hide()
        self.line.sigPositionChanged.connect(self._dragged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)

    def show_slice(self, s, cost_at=None):
        """Draw :class:`nncore.diagram_model.WeightSlice` ``s``; ``cost_at(w)`` answers the drag."""
        self.slice, self.cost_at = s, cost_at
        self.curve.setData(s.values, s.costs)
        span = s.values[-1] - s.values[0]
        w = np.array([s.w0 - TANGENT_HALF_WIDTH * span, s.w0 + TANGENT_HALF_WIDTH * span])
        self.tangent.setData(w, s.tangent(w))
        self.here.setData([s.w0], [s.cost0])
        self.tried.setData([], [])
        low, high = float(np.min(s.costs)), float(np.max(s.costs))
        pad = 0.08 * (high - low or 1.0)
        self.plot.setRange(xRange=(s.values[0], s.values[-1]), yRange=(low - pad, high + pad), padding=0)
        self.line.blockSignals(True)
        self.line.setValue(s.w0)
        self.line.blockSignals(False)
        self.line.setVisible(cost_at is not None)
        self.title.setText(self._title())

    def _title(self, tried=None):
        s = self.slice
        name = f"w{sup(s.layer)}<sub>{s.neuron},{s.source}</sub>"
        text = (f"C along {name}: at w = {fmt(s.w0)}, C = {fmt(s.cost0)}; the tangent's slope is backprop's "
                f"∂C/∂w = <b>{fmt(s.slope)}</b>")
        if tried is not None:
            text += f"<br>dragged to w = {fmt(tried[0])}: C = {fmt(tried[1])}"
        return text

    def _dragged(self):
        if self.slice is None or self.cost_at is None:
            return
        w = float(self.line.value())
        c = float(self.cost_at(w))
        self.tried.setData([w], [c])
        self.title.setText(self._title((w, c)))
        self.weightDragged.emit(w)

    def clear(self):
        """Show nothing (no edge chosen, or a new example whose edge is not chosen yet)."""
        self.slice = self.cost_at = None
        self.title.setText(HINT)
        for item in (self.curve, self.tangent, self.here, self.tried):
            item.setData([], [])
        self.line.hide()
