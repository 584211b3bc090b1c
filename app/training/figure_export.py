"""A plot as a figure for a report: SVG, or PNG at twice the figure's size, drawn by figure_painter.

What the figure shows comes from the window: the plot's current ranges and log setting, its axis's own
ticks (so a figure's labels read as the window's do), and each run's points and colour. Its look does
not: dark ink on white whatever the theme, a 1.73:1 page, and the legend in a column beside the curves.
"""

from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from . import figure_painter
from .figure_painter import Figure, Series
from .run_twins import twin_dashes

FIGURE_FORMATS = {".svg": "SVG drawing", ".png": "PNG picture"}
PNG_SCALE = 2
TITLES = {"cost": "Cost per example", "accuracy": "Accuracy (%)"}
KEYS = {"cost": "Line: the cost reported while training; dots: each epoch's mean.",
        "accuracy": "Solid with dots: validation images; dashed: test images."}


def figure_of(plot_widget, runs, which, twins=None):
    """The Figure of ``plot_widget`` (a pg.PlotWidget showing ``which``: 'cost' or 'accuracy') for
    ``runs`` (RunRecords, each drawn in its colour; a run in ``twins`` {run id: (rank, first id)} with
    its repeat's dashes)."""
    item = plot_widget.getPlotItem()
    (x0, x1), (y0, y1) = item.vb.viewRange()
    left, bottom = item.getAxis("left"), item.getAxis("bottom")
    log_y = bool(left.logMode)
    series, legend = [], []
    for r in runs:
        dashes = twin_dashes((twins or {}).get(r.run_id, (0, None))[0]) or ()
        if which == "cost":
            series.append(Series(np.array(r.batch_x), np.array(r.batch_cost), r.color, 1.0, alpha=140))
            series.append(Series(np.array(r.epoch_x), np.array(r.epoch_cost), r.color, 2.0, dashes, dots=True))
        else:
            series.append(Series(np.array(r.epoch_x), np.array(r.validation_accuracy), r.color, 2.0, dashes,
                                 dots=True))
            series.append(Series(np.array(r.epoch_x), np.array(r.test_accuracy), r.color, 1.4, (4.0, 3.0)))
        legend.append((r.label, r.color, dashes))
    markers = [(x, f"η={eta:g}", r.color) for r in runs for x, eta in r.eta_changes] if which == "cost" else []
    box = figure_painter.plot_rect()
    return Figure(TITLES.get(which, which), "epoch", _label(left) or which, (x0, x1), (y0, y1),
                  _ticks(bottom, x0, x1, box.width()), _ticks(left, y0, y1, box.height()),
                  series, legend, KEYS.get(which, ""), log_y, markers)


def _label(axis):
    return axis.labelText if isinstance(axis.labelText, str) else ""


def _ticks(axis, low, high, length):
    """(value, text) pairs from the window's own axis, for an axis ``length`` pixels long."""
    values = []
    for spacing, level in axis.tickValues(low, high, length)[:2]:
        level = [v for v in level if v not in values]
        texts = axis.tickStrings(level, axis.autoSIPrefixScale * axis.scale, spacing or 1.0)
        values += [(v, t) for v, t in zip(level, texts) if t]
        if len(values) >= 3:
            break
    return values


def figure_bytes(plot_widget, runs, suffix, which="cost", twins=None):
    """The figure of ``plot_widget`` for ``runs`` as the bytes of an ``.svg`` or ``.png`` file.

    Labels are drawn as text (never HTML), so a name such as ``<img src=…>`` is written out as it reads.
    Raises ValueError for any other suffix, OSError when the picture cannot be encoded.
    """
    if suffix not in FIGURE_FORMATS:
        raise ValueError(f"a figure is saved as {' or '.join(FIGURE_FORMATS)}, not {suffix or 'no suffix'}")
    figure = figure_of(plot_widget, runs, which, twins)
    return svg_bytes(figure) if suffix == ".svg" else png_bytes(figure)


def png_bytes(figure, scale=PNG_SCALE):
    """``figure`` as a PNG file's bytes, ``scale`` × its logical size."""
    width, height = figure_painter.SIZE
    image = QImage(int(width * scale), int(height * scale), QImage.Format_ARGB32)
    image.setDotsPerMeterX(int(3780 * scale))     # 96 dpi × scale: the figure's size in print stays the same
    image.setDotsPerMeterY(int(3780 * scale))
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        figure_painter.paint(figure, painter)
    finally:
        painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the picture could not be encoded")
    return bytes(buffer.data())


def svg_bytes(figure):
    """``figure`` as an SVG document's bytes (Qt's own generator; every stroke in page pixels)."""
    width, height = figure_painter.SIZE
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(int(width), int(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setResolution(96)
    generator.setTitle("Backprop Lab")
    painter = QPainter(generator)
    try:
        figure_painter.paint(figure, painter)
    finally:
        painter.end()
    return bytes(buffer.data())


def figure_suffix(path):
    """The figure format a path asks for ('.svg' or '.png'); '.png' when it names none."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in FIGURE_FORMATS else ".png"
