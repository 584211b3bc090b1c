"""Learning speed per layer: ‖∂C/∂bˡ‖ of the current run, one curve per layer, on a log scale.

The book's chapter 5: in a deep sigmoid network the early layers learn far more slowly than the
later ones (the vanishing gradient). The reports carry the numbers each epoch
(``EpochReport.learning_speed``, on 1,000 training images); this plot draws the current run's.
"""

import math

import pyqtgraph as pg

from ..help.glossary import tip
from ..widgets.decade_axis import DecadeAxis
from ..widgets.light_grid import LightGrid
from ..widgets.pens import pen

TITLE = "Learning speed ‖∂C/∂bˡ‖{}"     # per layer, on a log scale (the tooltip says so)
LAYER_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")


class LearningSpeedPlot(pg.PlotWidget):
    """One curve per layer l = 1 … L of one run, created once and updated with setData."""

    def __init__(self, parent=None):
        super().__init__(parent, title=TITLE.format(""),
                         axisItems={"left": DecadeAxis("left")})
        # no axis label: '‖∂C/∂b‖' does not fit the plot's smallest height, and the title says it
        self.setToolTip(tip("‖∂C/∂bˡ‖"))
        self.setLabel("bottom", "epoch")
        self.setLogMode(y=True)
        self.getViewBox().disableAutoRange()   # set once per new epoch in show_run, not on every paint
        self._grid = LightGrid(self)           # pyqtgraph's own grid costs 6–10 ms a repaint
        self.setMinimumHeight(110)
        self.setMaximumHeight(180)     # a smaller third plot: the cost and accuracy keep the room
        self.setToolTip("How fast each layer's biases move (Fact 3: ∂C/∂b = δ), measured each epoch on "
                        "1,000 training images. In a deep sigmoid network the first layers' curves lie "
                        "far below the last ones': the vanishing gradient.")
        self._legend = self.addLegend(offset=(-10, 10))
        self._curves = []
        self._listed = 0            # layers in the legend: only those drawn (a hidden curve shows crossed out)
        self._shown = (None, -1)    # (run id, epochs drawn): redraw only when it changes
        self._range = None          # ((x0, x1), (decade low, decade high)) the view shows

    @staticmethod
    def _key(record):
        return (None, -1) if record is None else (record.run_id, len(record.learning_speed))

    def has_news(self, record):
        """True when ``record`` (or None) is not what the plot shows: another run, or a new epoch."""
        return self._key(record) != self._shown

    def show_run(self, record):
        """Draw ``record``'s learning speeds (or nothing for None); cheap when nothing is new."""
        if not self.has_news(record):
            return
        if record is None or record.run_id != self._shown[0]:
            self.setTitle(TITLE.format("" if record is None else f" of run #{record.run_id}"))
        self._shown = self._key(record)
        speeds = [] if record is None else record.learning_speed
        layers = max((len(s) for s in speeds), default=0)
        while len(self._curves) < layers:
            layer = len(self._curves)
            self._curves.append(self.plot(pen=pen(LAYER_COLORS[layer % len(LAYER_COLORS)], width=2),
                                          symbol="o", symbolSize=4))    # listed in the legend once drawn
        xs, ys = [], []
        for layer, curve in enumerate(self._curves):
            points = [(x, s[layer]) for x, s in zip(record.epoch_x, speeds)
                      if layer < len(s) and s[layer] > 0 and math.isfinite(s[layer])] if record else []
            curve.setData([p[0] for p in points], [p[1] for p in points])
            curve.setVisible(layer < layers)
            xs += [p[0] for p in points]
            ys += [p[1] for p in points]
        if layers != self._listed:
            self._legend.clear()
            for layer, curve in enumerate(self._curves[:layers]):
                self._legend.addItem(curve, f"layer {layer + 1}")
            self._listed = layers
        self._fit(record, xs, ys)

    def _fit(self, record, xs, ys):
        """The run's whole span of epochs, and the whole decades the speeds lie in (log10 units on this
        log axis). The range changes only when a run starts or a speed leaves its decades: a new range
        rebuilds both axes, several milliseconds of the GUI thread at every epoch otherwise."""
        if record is None or not ys:
            return
        x_range = (record.first_epoch - 1, max(record.last_epoch(), max(xs)))
        y_range = (math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys))))
        y_range = (y_range[0], max(y_range[1], y_range[0] + 1))
        if (x_range, y_range) != self._range:
            self._range = x_range, y_range
            self.getViewBox().setRange(xRange=x_range, yRange=y_range, padding=0.02)

    def curve_data(self):
        """Per drawn layer, the (epochs, speeds) it shows: for tests."""
        return [(list(c.xData), list(c.yData)) for c in self._curves if c.isVisible()]
