"""Saturation over training: the share of neurons with σ′(z) < 0.01, per layer, for every run."""

import pyqtgraph as pg

from .plots import _pen


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
        """Redraw every run's curves from the history."""
        for key in list(self._curves):
            if self.history.get(key[0]) is None:
                self.removeItem(self._curves.pop(key))
        for record in self.history:
            layers = len(record.saturation[0]) if record.saturation else 0
            for layer in range(layers):
                key = (record.run_id, layer)
                if key not in self._curves:
                    output = layer == layers - 1
                    curve = self.plot(pen=_pen(record.color, width=2 if output else 1.2,
                                               alpha=255 if record.run_id == current_id else 150,
                                               dash=not output))
                    curve.setToolTip(f"{record.label}, layer {layer + 1}")
                    self._curves[key] = curve
                self._curves[key].setData(record.epoch_x, [100 * s[layer] for s in record.saturation])
                self._curves[key].setVisible(record.visible)
