"""Learning speed per layer: ‖∂C/∂bˡ‖ of the current run, one curve per layer, on a log scale.

The book's chapter 5: in a deep sigmoid network the early layers learn far more slowly than the
later ones (the vanishing gradient). The reports carry the numbers each epoch
(``EpochReport.learning_speed``, on 1,000 training images); this plot draws the current run's.
"""

import math

import pyqtgraph as pg

from ..widgets.pens import pen

LAYER_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")


class LearningSpeedPlot(pg.PlotWidget):
    """One curve per layer l = 1 … L of one run, created once and updated with setData."""

    def __init__(self, parent=None):
        super().__init__(parent, title="Learning speed per layer: ‖∂C/∂bˡ‖ (log scale)")
        self.setLabel("left", "‖∂C/∂b‖")
        self.setLabel("bottom", "epoch")
        self.setLogMode(y=True)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setMinimumHeight(110)
        self.setMaximumHeight(180)     # a smaller third plot: the cost and accuracy keep the room
        self.setToolTip("How fast each layer's biases move (Fact 3: ∂C/∂b = δ), measured each epoch on "
                        "1,000 training images. In a deep sigmoid network the first layers' curves lie "
                        "far below the last ones': the vanishing gradient.")
        self.addLegend(offset=(-10, 10))
        self._curves = []
        self._shown = (None, -1)    # (run id, epochs drawn): redraw only when it changes

    def show_run(self, record):
        """Draw ``record``'s learning speeds (or nothing for None); cheap when nothing is new."""
        key = (None, -1) if record is None else (record.run_id, len(record.learning_speed))
        if key == self._shown:
            return
        self._shown = key
        speeds = [] if record is None else record.learning_speed
        layers = max((len(s) for s in speeds), default=0)
        while len(self._curves) < layers:
            layer = len(self._curves)
            self._curves.append(self.plot(pen=pen(LAYER_COLORS[layer % len(LAYER_COLORS)], width=2),
                                          symbol="o", symbolSize=4, name=f"layer {layer + 1}"))
        for layer, curve in enumerate(self._curves):
            points = [(x, s[layer]) for x, s in zip(record.epoch_x, speeds)
                      if layer < len(s) and s[layer] > 0 and math.isfinite(s[layer])] if record else []
            curve.setData([p[0] for p in points], [p[1] for p in points])
            curve.setVisible(layer < layers)

    def curve_data(self):
        """Per drawn layer, the (epochs, speeds) it shows: for tests."""
        return [(list(c.xData), list(c.yData)) for c in self._curves if c.isVisible()]
