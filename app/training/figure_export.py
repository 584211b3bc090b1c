"""A plot as a figure: SVG, or PNG at twice the screen's size (pyqtgraph's image exporter), with a legend
and no widgets in it."""

import html
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (registers pyqtgraph's exporters)
from PySide6.QtCore import QBuffer, QIODevice, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from ..widgets.pens import pen

FIGURE_FORMATS = {".svg": "SVG drawing", ".png": "PNG picture"}
PNG_SCALE = 2


def figure_bytes(plot_widget, runs, suffix):
    """The plot of ``plot_widget`` (a pg.PlotWidget) as the bytes of an ``.svg`` or ``.png`` file.

    ``runs`` (RunRecords) are listed in a legend, each in its colour, added for the export only; their
    labels are escaped (pyqtgraph draws a legend as HTML, and a label may hold a folder's name).
    Raises ValueError for any other suffix.
    """
    if suffix not in FIGURE_FORMATS:
        raise ValueError(f"a figure is saved as {' or '.join(FIGURE_FORMATS)}, not {suffix or 'no suffix'}")
    item = plot_widget.getPlotItem()
    legend = pg.LegendItem(offset=(-10, 10), labelTextColor="#222", brush=pg.mkBrush(255, 255, 255, 220),
                           pen=pg.mkPen("#bbb"))
    legend.setParentItem(item.vb)
    for record in runs:
        legend.addItem(pg.PlotDataItem(pen=pen(record.color, width=2)), html.escape(record.label))
    try:
        if suffix == ".svg":
            return _svg_bytes(item)
        exporter = pg.exporters.ImageExporter(item)
        exporter.parameters()["width"] = int(item.sceneBoundingRect().width() * PNG_SCALE)
        image = exporter.export(toBytes=True)
        buffer = QBuffer()
        buffer.open(QIODevice.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise OSError("the picture could not be encoded")
        return bytes(buffer.data())
    finally:
        item.vb.scene().removeItem(legend)


def figure_suffix(path):
    """The figure format a path asks for ('.svg' or '.png'); '.png' when it names none."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in FIGURE_FORMATS else ".png"


def _svg_bytes(item):
    """The plot item's part of the scene drawn into an SVG document by Qt's own generator.

    (pyqtgraph's SVGExporter rewrites the path data Qt writes and fails on the closed paths of this Qt
    version, pyqtgraph issue #3495; drawing through QSvgGenerator needs no rewriting.)
    """
    source = item.sceneBoundingRect()
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("Backprop Lab")
    painter = QPainter(generator)
    try:
        item.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()
    return bytes(buffer.data())
