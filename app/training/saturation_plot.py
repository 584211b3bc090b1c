"""Saturation over training: the share of neurons with σ′(z) < 0.01, per layer, for every run."""

import pyqtgraph as pg
from PySide6.QtGui import Qt

from ..widgets.light_grid import LightGrid
from ..widgets.pens import FADED_ALPHA, pen
from .axis_ranges import nice_ceiling


class SaturationPlot(pg.PlotWidget):
    """Output layer solid, hidden layers dashed; each run in its colour (earlier runs faint)."""

    def __init__(self, history, parent=None):
        super().__init__(parent, title="Saturation: share of neurons with σ′(z) &lt; 0.01 "
                                       "(output solid, hidden dashed)")
        self.history = history
        self.setLabel("left", "saturated", units="%")
        self.setLabel("bottom", "epoch")
        self._grid = LightGrid(self)     # pyqtgraph's own grid costs 6–10 ms a repaint
        self.setMinimumHeight(220)
        self.setMaximumHeight(260)
        self.setToolTip("With the quadratic cost a saturated output neuron learns slowly: Fact 2 "
                        "multiplies its error by σ′(z) ≈ 0. Compare a cross-entropy run from the same seed.")
        self._curves = {}
        self._pending = None     # (current run id,) to draw once visible, or None when up to date
        self._fit()

    def refresh(self, current_id=None):
        """Redraw every run's curves from the history; ``current_id`` (default: the newest run) is
        drawn in full colour and earlier runs faint. While the plot is hidden (its tab is not shown)
        this only remembers to redraw when it is shown: a hidden plot never recomputes."""
        self._pending = (current_id,)
        if self.isVisible():
            self._redraw()

    def showEvent(self, event):
        """Coming into view: draw what the runs reported while hidden."""
        super().showEvent(event)
        self._redraw()

    def _redraw(self):
        if self._pending is None:
            return
        (current_id,), self._pending = self._pending, None
        runs = list(self.history)
        if current_id is None and runs:
            current_id = runs[-1].run_id
        for key in list(self._curves):
            if self.history.get(key[0]) is None:
                self.removeItem(self._curves.pop(key))
        for record in runs:
            layers = len(record.saturation[0]) if record.saturation else 0
            for layer in range(layers):
                key = (record.run_id, layer)
                if key not in self._curves:
                    self._curves[key] = self.plot()
                    # a tooltip is read as HTML when it looks like it: the label (it may name a
                    # folder) goes in as plain text, escaped
                    self._curves[key].setToolTip(Qt.convertFromPlainText(f"{record.label}, layer {layer + 1}"))
                curve, output = self._curves[key], layer == layers - 1
                curve.setPen(pen(record.color, width=2 if output else 1.2,
                                 alpha=255 if record.run_id == current_id else FADED_ALPHA,
                                 dash=not output))
                curve.setData(record.epoch_x, [100 * s[layer] for s in record.saturation])
                curve.setVisible(record.visible)
        self._fit()

    def _fit(self):
        """y from 0 % to a 1-2-5 value above the highest share shown (0–100 % with nothing to show, never
        pyqtgraph's empty 0–1 under a % label); x follows the runs."""
        shown = [c for c in self._curves.values() if c.isVisible() and c.yData is not None and len(c.yData)]
        high = max((max(c.yData) for c in shown), default=None)
        top = 100.0 if high is None or not high > 0 else min(100.0, nice_ceiling(1.08 * high))
        self.setYRange(0, top, padding=0)
        if shown:
            self.enableAutoRange(x=True)
        else:
            self.setXRange(0, 1, padding=0)

    def alpha_of(self, run_id, layer):
        """The alpha (0–255) a run's curve is drawn with: 255 for the current run, faint otherwise."""
        return self._curves[(run_id, layer)].opts["pen"].color().alpha()
