"""The sweep's summary: best validation accuracy and final cost against the swept parameter."""

import math

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..widgets.decade_axis import ValueAxis
from ..widgets.pens import pen

ACCURACY_COLOR, COST_COLOR, MARK_COLOR = "#1f77b4", "#d62728", "#2e7d32"
LOG_COST_RATIO = 30   # costs spanning more than this factor are drawn on a log axis


class SummaryPlot(QWidget):
    """Two plots over one x-axis: best validation accuracy (%) above, final cost below, one point per
    run, joined in the order of the swept values. η's axis is logarithmic; hidden sizes are categories.
    The curves are made once and updated with ``setData``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.accuracy_plot, self.cost_plot = (
            pg.PlotWidget(axisItems={"bottom": ValueAxis("bottom"), "left": ValueAxis("left")}) for _ in range(2))
        # short axis labels that fit the plots' smallest height; the titles say what is shown
        self.accuracy_plot.setTitle("Best validation accuracy")
        self.accuracy_plot.setLabel("left", "accuracy", units="%")
        self.cost_plot.setXLink(self.accuracy_plot)
        for plot in (self.accuracy_plot, self.cost_plot):
            plot.getAxis("left").enableAutoSIPrefix(False)   # a cost of 0.1 reads 0.1, not 100 (×0.001)
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMenuEnabled(False)
            plot.setMinimumSize(320, 150)
        self.accuracy = self.accuracy_plot.plot([], [], pen=pen(ACCURACY_COLOR), symbol="o", symbolSize=8,
                                                symbolBrush=ACCURACY_COLOR, symbolPen=None)
        self.cost = self.cost_plot.plot([], [], pen=pen(COST_COLOR), symbol="s", symbolSize=7,
                                        symbolBrush=COST_COLOR, symbolPen=None)
        self.start_line = pg.InfiniteLine(angle=0, pen=pen("#777", width=1, dash=True))
        self.marks = [pg.InfiniteLine(angle=90, pen=pen(MARK_COLOR, width=1.5, dash=True)) for _ in range(2)]
        self.cost_plot.addItem(self.start_line)
        for plot, mark in zip((self.accuracy_plot, self.cost_plot), self.marks):
            plot.addItem(mark)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.accuracy_plot, 1)
        layout.addWidget(self.cost_plot, 1)
        self.parameter, self.values, self.log_x, self.log_y, self.start_cost = None, [], False, False, None
        self.reset(None, [], "final training cost")

    def reset(self, parameter, values, cost_label):
        """Forget the points; the x-axis is ``parameter``'s over ``values``, the lower plot's label ``cost_label``."""
        self.parameter, self.values = parameter, list(values)
        self.log_x = parameter is not None and parameter.log
        categories = parameter is not None and parameter.kind == "sizes"
        label = "" if parameter is None else parameter.label
        for plot in (self.accuracy_plot, self.cost_plot):
            plot.setLogMode(x=self.log_x, y=False)
            plot.setLabel("bottom", label)
            ticks = [[(i, parameter.text(v)) for i, v in enumerate(self.values)]] if categories else None
            plot.getAxis("bottom").setTicks(ticks)
            plot.getAxis("bottom").set_marks(self.values if self.log_x else [])   # the swept values, labelled
        self.cost_plot.setTitle(cost_label[:1].upper() + cost_label[1:])
        self.cost_plot.setLabel("left", "cost")
        self.accuracy.setPen(None if categories else pen(ACCURACY_COLOR))   # categories have no order
        self.cost.setPen(None if categories else pen(COST_COLOR))
        self._frame(categories)
        self.accuracy.setData([], [])
        self.cost.setData([], [])
        self.log_y, self.start_cost = False, None
        self.start_line.hide()
        for mark in self.marks:
            mark.hide()

    def _frame(self, categories):
        """The x-axis spans the values to be swept before any run has ended; y follows the points."""
        if categories:
            self.accuracy_plot.setXRange(-0.5, len(self.values) - 0.5, padding=0)
        elif self.values:
            xs = [math.log10(v) if self.log_x else v for v in self.values if not self.log_x or v > 0]
            if xs and min(xs) < max(xs):
                self.accuracy_plot.setXRange(min(xs), max(xs), padding=0.05)
        self.accuracy_plot.setYRange(0, 100, padding=0.02)    # a % axis, before any point: 0–100, not 0–1
        self.cost_plot.enableAutoRange(y=True)

    def set_points(self, points):
        """``points``: (value, best validation accuracy %, final cost or None), any order."""
        placed = sorted((self._x(v), acc, cost) for v, acc, cost in points)
        self.accuracy.setData([x for x, _, _ in placed], [acc for _, acc, _ in placed])
        shown = [acc for _, acc, _ in placed if acc is not None and math.isfinite(acc)]
        bottom = max(0.0, 10 * math.floor((min(shown) - 5) / 10)) if shown else 0.0   # a multiple of 10 below
        self.accuracy_plot.setYRange(bottom, 100, padding=0.02)      # a % axis: up to 100, from below the lowest
        costs = [(x, c) for x, _, c in placed if c is not None and c > 0]
        self.cost.setData([x for x, _ in costs], [c for _, c in costs])
        spread = [c for _, c in costs] + ([self.start_cost] if self.start_cost else [])
        self.log_y = bool(spread) and max(spread) > LOG_COST_RATIO * min(spread)
        self.cost_plot.setLogMode(x=self.log_x, y=self.log_y)
        self.show_start(self.start_cost)

    def mark(self, value):
        """A vertical line at ``value`` on both plots (the finder's answer); None hides it."""
        for m in self.marks:
            m.setVisible(value is not None)
            if value is not None:
                m.setPos(math.log10(value) if self.log_x else self._x(value))

    def show_start(self, cost):
        """A dashed line at the cost the runs start from (the finder's untrained network); None hides it."""
        self.start_cost = cost if cost is not None and cost > 0 else None
        self.start_line.setVisible(self.start_cost is not None)
        if self.start_cost is not None:
            self.start_line.setPos(math.log10(self.start_cost) if self.log_y else self.start_cost)

    def _x(self, value):
        """Where a value goes on the x-axis: its index for categories (sizes), else itself."""
        if self.parameter is not None and self.parameter.kind == "sizes":
            return self.values.index(value) if value in self.values else -1
        return value

    def data(self):
        """((xs, accuracies), (xs, costs)) as drawn, in the values' units (for tests)."""
        return tuple(tuple([] if arr is None else [float(v) for v in arr] for arr in (curve.xData, curve.yData))
                     for curve in (self.accuracy, self.cost))
