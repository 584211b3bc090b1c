"""Saturation over training: the share of neurons with σ′(z) < 0.01, per layer, for every run."""

import pyqtgraph as pg

from ..widgets.pens import FADED_ALPHA, pen


class SaturationPlot(pg.PlotWidget):
    """Output layer solid, hidden layers dashed; each run in its colour (earlier runs faint)."""

    def __init__(self, history, parent=None):
        super().__init__(parent, title="Saturation: share of neurons with σ′(z) &lt; 0.01 "
                                       "(output solid, hidden dashed)")
        self.history = history
        self.setLabel("left", "saturated", units="%")
        self.setLabel("bottom", "epoch")
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setMinimumHeight(220)
        self.setMaximumHeight(260)
        self.setToolTip("With the quadratic cost a saturated output neuron learns slowly: Fact 2 "
                        "multiplies its error by σ′(z) ≈ 0. Compare a cross-entropy run from the same seed.")
        self._curves = {}

    def refresh(self, current_id=None):
        """Redraw every run's curves from the history; ``current_id`` (default: the newest run) is
        drawn in full colour and earlier runs faint."""
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
                    self._curves[key].setToolTip(f"{record.label}, layer {layer + 1}")
                curve, output = self._curves[key], layer == layers - 1
                curve.setPen(pen(record.color, width=2 if output else 1.2,
                                 alpha=255 if record.run_id == current_id else FADED_ALPHA,
                                 dash=not output))
                curve.setData(record.epoch_x, [100 * s[layer] for s in record.saturation])
                curve.setVisible(record.visible)

    def alpha_of(self, run_id, layer):
        """The alpha (0–255) a run's curve is drawn with: 255 for the current run, faint otherwise."""
        return self._curves[(run_id, layer)].opts["pen"].color().alpha()
