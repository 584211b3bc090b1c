"""A pyqtgraph plot in the theme's colours: background, title, axes, legend and grid lines, all read from
the palette (the plot's own, which follows the application's)."""

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from .theme import dim_text, faint, follow_palette, mix, readable


@dataclass(frozen=True)
class PlotColours:
    """What a plot paints in one theme: its ``background``, ``text`` (title, ticks, labels, legend),
    its ``axis`` lines and its ``grid`` lines."""

    background: QColor
    text: QColor
    axis: QColor
    grid: QColor


def plot_colours(palette):
    """The :class:`PlotColours` of ``palette``: a plot is a field (Base) with the text colour on it."""
    base = palette.color(QPalette.Base)
    text = readable(palette.color(QPalette.Text), base)
    quiet = QPalette(palette)
    quiet.setColor(QPalette.Window, base)
    quiet.setColor(QPalette.WindowText, text)
    return PlotColours(base, text, mix(dim_text(quiet), base, 0.25), faint(quiet))


def style_plot(plot, palette=None):
    """Paint ``plot`` (a pg.PlotWidget) in the colours of ``palette`` (default: its own)."""
    c = plot_colours(plot.palette() if palette is None else palette)
    plot.setBackground(c.background)
    item = plot.getPlotItem()
    item.titleLabel.setAttr("color", c.text)
    item.titleLabel.setText(item.titleLabel.text)
    for axis in (a["item"] for a in item.axes.values()):
        axis.setPen(c.axis)            # first: it also colours the axis label ...
        axis.setTextPen(c.text)        # ... which the text pen then sets to the text colour
    if item.legend is not None:
        item.legend.setLabelTextColor(c.text)
        for _sample, label in item.legend.items:
            label.setText(label.text)
    for grid in (i for i in item.items if hasattr(i, "set_theme_pen")):
        grid.set_theme_pen(c.grid)


def follow_theme(plot):
    """Style ``plot`` now and again whenever its palette changes (once per plot, however often asked)."""
    if not plot.property("followsTheme"):
        plot.setProperty("followsTheme", True)
        follow_palette(plot, lambda: style_plot(plot))
    return plot
