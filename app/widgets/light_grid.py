"""A cheap grid for pyqtgraph plots that are redrawn while a run trains."""

import numpy as np
import pyqtgraph as pg

from .plot_theme import follow_theme


class GridLines(pg.PlotCurveItem):
    """The grid's line segments, one curve; :func:`~app.widgets.plot_theme.style_plot` gives their colour."""

    def set_theme_pen(self, colour):
        """Draw the lines in ``colour`` (the theme's faint line colour)."""
        self.setPen(pg.mkPen(colour, width=1))


class LightGrid:
    """Horizontal grid lines at the left axis's major ticks, as one curve of line segments.

    pyqtgraph's own grid (``showGrid``) is painted into the axis picture and costs 6–10 ms a repaint;
    one curve (a single Python paint call, which matters while the worker thread wants the GIL) costs
    far less. On a log axis the ticks are in log10 units, as the view's range is. The plot follows the
    theme from here on: its colours are re-read from the palette whenever it changes.
    """

    def __init__(self, plot):
        self.plot = plot
        self.lines = GridLines(connect="pairs")
        self.lines.setZValue(-100)
        plot.addItem(self.lines, ignoreBounds=True)
        plot.getViewBox().sigYRangeChanged.connect(self.update)
        follow_theme(plot)

    def update(self, *_):
        """Put the lines at the left axis's major ticks for the view's current y range."""
        axis = self.plot.getAxis("left")
        low, high = self.plot.getViewBox().viewRange()[1]
        ticks = axis.tickValues(low, high, max(axis.height(), 1))
        ys = np.repeat(np.asarray(ticks[0][1] if ticks else [], dtype=float), 2)
        xs = np.tile([-1e9, 1e9], len(ys) // 2)
        self.lines.setData(xs, ys)
