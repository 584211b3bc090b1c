"""One run's curves on the cost and accuracy plots: created once, restyled only where it changed."""

import pyqtgraph as pg
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsItem

from ..widgets.pens import FADED_ALPHA, pen
from .run_twins import twin_dashes


class RunCurves:
    """The curves of one run on both plots, created once and updated with setData. Made without a
    ``record`` they are a hidden spare, ready for the next run (see PlotsPanel.add_run)."""

    def __init__(self, record, cost_plot, acc_plot):
        self.record = record
        self.batch = cost_plot.plot()
        self.epoch = cost_plot.plot(symbol="o", symbolSize=5)
        self.val = acc_plot.plot(symbol="o", symbolSize=5)
        self.test = acc_plot.plot()
        self.markers = []
        self.cost_plot = cost_plot
        self._look = self._shown = None    # what style() last applied: pens, and visibility
        self._dashes = None                # the dash pattern of a run that repeats another (run_twins)
        if record is None:
            for item in self.items():
                item.setVisible(False)

    def items(self):
        return [self.batch, self.epoch, self.val, self.test, *self.markers]

    def style(self, current, highlighted, cost_shown, twin=0):
        """Full colour for the current or highlighted run, faint for earlier ones; the cost curves only
        when the run's cost is the one the cost axis shows (quadratic and cross-entropy differ in scale).
        ``twin`` > 0: the run repeats an earlier one (run_twins): its solid curves get that repeat's dash
        pattern and lie above the earlier run's, whose colour shows in the gaps.

        Only what changed is applied: a new pen costs pyqtgraph half a millisecond a curve, and a new
        run restyles every run (20 pens, 10 ms of the GUI thread when Train was pressed).
        """
        r = self.record
        look = (current, highlighted, r.color, twin)
        if look != self._look:
            self._look = look
            self._dashes = twin_dashes(twin)
            self._set_pens(current, highlighted)
        front = current or highlighted
        shown = (r.visible, r.config.cost == cost_shown, front, len(self.markers), twin)
        if shown != self._shown:
            self._shown = shown
            for item in self.items():
                item.setVisible(r.visible and (shown[1] or item in (self.val, self.test)))
                item.setZValue((10 if front else 0) + 20 * twin)

    def _set_pens(self, current, highlighted):
        r = self.record
        alpha = 255 if current or highlighted else FADED_ALPHA
        width = 3.0 if highlighted else 1.8
        self.batch.setPen(pen(r.color, width=1.0, alpha=alpha // 2))
        self.epoch.setPen(pen(r.color, width=width, alpha=alpha))
        self.epoch.setSymbolBrush(pen(r.color, alpha=alpha).color())
        self.epoch.setSymbolPen(None)
        self.val.setPen(pen(r.color, width=width, alpha=alpha))
        self.val.setSymbolBrush(pen(r.color, alpha=alpha).color())
        self.val.setSymbolPen(None)
        self.test.setPen(pen(r.color, width=width * 0.7, alpha=alpha, dash=True))
        if self._dashes is not None:    # a repeat of an earlier run: its solid curves in the repeat's pattern
            for item in (self.epoch, self.val):
                dashed = QPen(item.opts["pen"])
                dashed.setDashPattern(list(self._dashes))
                item.setPen(dashed)
        # A faint run's curves are drawn once into a cached picture and without dots: a repaint while
        # a run trains then calls no Python for them (each item's paint otherwise takes the GIL).
        dots = "o" if current or highlighted else None
        self.epoch.setSymbol(dots)
        self.val.setSymbol(dots)
        cache = QGraphicsItem.NoCache if current else QGraphicsItem.DeviceCoordinateCache
        for item in (self.batch, self.epoch, self.val, self.test):
            item.curve.setCacheMode(cache)
            item.scatter.setCacheMode(cache)

    def refresh(self, which=None):
        """setData on this run's curves of one plot ('cost' or 'accuracy') or both."""
        r = self.record
        if which in (None, "cost"):
            self.batch.setData(r.batch_x, r.batch_cost)
            self.epoch.setData(r.epoch_x, r.epoch_cost)
        if which in (None, "accuracy"):
            self.val.setData(r.epoch_x, r.validation_accuracy)
            self.test.setData(r.epoch_x, r.test_accuracy)
        while len(self.markers) < len(r.eta_changes):
            x, eta = r.eta_changes[len(self.markers)]
            line = pg.InfiniteLine(pos=x, angle=90, pen=pen(r.color, width=1, dash=True),
                                   label=f"η={eta:g}", labelOpts={"position": 0.9, "color": r.color})
            self.cost_plot.addItem(line)
            self.markers.append(line)
