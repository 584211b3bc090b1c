"""A figure for a report, painted with one QPainter in device pixels: the same strokes for PNG and SVG.

The live plots draw their curves inside a data-space transform with cosmetic pens; written to SVG that
becomes a stroke scaled by the transform (thick bands in most renderers) and text split by the scene's
HTML. Here every point is mapped to pixels first and every stroke and word is drawn untransformed, so a
PNG and an SVG of one figure are the same drawing. Always dark ink on white, whatever the window's theme.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen, QPolygonF

SIZE = (900.0, 520.0)    # logical pixels: a report's column at a sensible 1.73:1
LEGEND_WIDTH = 230.0     # the legend's column beside the plot
INK, AXIS, GRID, PAPER = "#222222", "#555555", "#e4e4e4", "#ffffff"
FONT_FAMILY = "DejaVu Sans"   # holds η, →, ², ‖ in one font: no fallback splits a label into pieces


@dataclass(frozen=True)
class Series:
    """One curve: points ``xs`` and ``ys`` (1-D, equal length, in data units), drawn in ``color``."""

    xs: np.ndarray
    ys: np.ndarray
    color: str
    width: float = 2.0
    dashes: tuple = ()     # a dash pattern in pen widths; () draws solid
    dots: bool = False     # a dot at every point
    alpha: int = 255


@dataclass(frozen=True)
class Figure:
    """What a figure shows. Ranges and ticks are in axis units: log10 of the data on a ``log_y`` axis.

    ``x_ticks``/``y_ticks``: (value, text) pairs in axis units. ``legend``: (text, colour, dashes) rows;
    ``key``: a last line under the legend saying what solid and dashed mean.
    """

    title: str
    x_label: str
    y_label: str
    x_range: tuple
    y_range: tuple
    x_ticks: list
    y_ticks: list
    series: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    key: str = ""
    log_y: bool = False
    markers: list = field(default_factory=list)    # (x, text, colour): vertical dashed lines


def font(pixels, bold=False):
    """The figure's font at ``pixels`` high, laid out with unhinted advances: the widths an SVG renderer
    measures too, so the pieces of a line (Qt writes one <text> per script: "η" apart from "m=10") meet
    as they do in the PNG."""
    f = QFont(FONT_FAMILY)
    f.setPixelSize(pixels)
    f.setBold(bold)
    f.setHintingPreference(QFont.PreferNoHinting)
    return f


def plot_rect(width=SIZE[0], height=SIZE[1]):
    """Where the axes' box lies in a figure of this size: room for labels left and below, the legend right."""
    return QRectF(78.0, 40.0, width - 78.0 - LEGEND_WIDTH - 24.0, height - 40.0 - 62.0)


def paint(figure, painter, width=SIZE[0], height=SIZE[1]):
    """Draw ``figure`` with ``painter`` (an active QPainter in device pixels) on a ``width × height`` page."""
    painter.setRenderHint(painter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0, 0, width, height), QColor(PAPER))
    box = plot_rect(width, height)
    to_px = _mapping(figure, box)
    _axes(figure, painter, box, to_px)
    for s in figure.series:
        _curve(painter, s, figure.log_y, box, to_px)
    for x, text, color in figure.markers:
        px, _ = to_px(np.array([x]), np.array([figure.y_range[1]]), log=False)
        if box.left() <= px[0] <= box.right():
            painter.setPen(_pen(color, 1.0, (4, 3)))
            painter.drawLine(QPointF(px[0], box.top()), QPointF(px[0], box.bottom()))
            painter.setFont(font(11))
            painter.drawText(QPointF(px[0] + 3, box.top() + 12), text)
    _legend(figure, painter, QRectF(box.right() + 24, box.top(), LEGEND_WIDTH - 8, box.height()))


def _mapping(figure, box):
    (x0, x1), (y0, y1) = figure.x_range, figure.y_range
    sx = box.width() / ((x1 - x0) or 1.0)
    sy = box.height() / ((y1 - y0) or 1.0)

    def to_px(xs, ys, log):
        """Data (or axis units when ``log`` is False) to pixels; log10 applied first on a log axis."""
        ys = np.asarray(ys, dtype=float)
        if log:
            with np.errstate(divide="ignore", invalid="ignore"):
                ys = np.where(ys > 0, np.log10(np.where(ys > 0, ys, 1.0)), np.nan)
        return box.left() + (np.asarray(xs, dtype=float) - x0) * sx, box.bottom() - (ys - y0) * sy
    return to_px


def _pen(color, width, dashes=(), alpha=255):
    c = QColor(color)
    c.setAlpha(alpha)
    p = QPen(c, width)
    p.setCosmetic(False)       # widths in the page's pixels: SVG writes a plain stroke-width
    p.setCapStyle(Qt.RoundCap)
    p.setJoinStyle(Qt.RoundJoin)
    if dashes:
        p.setDashPattern(list(dashes))
    return p


def _axes(figure, painter, box, to_px):
    painter.setFont(font(12))
    metrics = QFontMetricsF(painter.font())
    for value, text in figure.y_ticks:
        _, py = to_px([figure.x_range[0]], [value], log=False)
        y = float(py[0])
        if box.top() - 0.5 <= y <= box.bottom() + 0.5:
            painter.setPen(_pen(GRID, 1.0))
            painter.drawLine(QPointF(box.left(), y), QPointF(box.right(), y))
            painter.setPen(_pen(INK, 1.0))
            painter.drawText(QPointF(box.left() - 8 - metrics.horizontalAdvance(text), y + metrics.ascent() / 2.8),
                             text)
    for value, text in figure.x_ticks:
        px, _ = to_px([value], [figure.y_range[0]], log=False)
        x = float(px[0])
        if box.left() - 0.5 <= x <= box.right() + 0.5:
            painter.setPen(_pen(AXIS, 1.0))
            painter.drawLine(QPointF(x, box.bottom()), QPointF(x, box.bottom() + 5))
            painter.setPen(_pen(INK, 1.0))
            painter.drawText(QPointF(x - metrics.horizontalAdvance(text) / 2, box.bottom() + 8 + metrics.ascent()),
                             text)
    painter.setPen(_pen(AXIS, 1.2))
    painter.setBrush(Qt.NoBrush)
    painter.drawRect(box)
    painter.setPen(_pen(INK, 1.0))
    painter.setFont(font(13))
    label = QFontMetricsF(painter.font())
    painter.drawText(QPointF(box.center().x() - label.horizontalAdvance(figure.x_label) / 2, box.bottom() + 46),
                     figure.x_label)
    painter.save()
    painter.translate(22, box.center().y() + label.horizontalAdvance(figure.y_label) / 2)
    painter.rotate(-90)
    painter.drawText(QPointF(0, 0), figure.y_label)
    painter.restore()
    painter.setFont(font(16, bold=True))
    painter.drawText(QPointF(box.left(), 26), figure.title)


def _curve(painter, s, log_y, box, to_px):
    """The polyline of ``s`` clipped to ``box`` (in pixels, so no clip path is needed in the SVG)."""
    px, py = to_px(s.xs, s.ys, log=log_y)
    painter.setPen(_pen(s.color, s.width, s.dashes, s.alpha))
    painter.setBrush(Qt.NoBrush)
    for run in _clipped(px, py, box):
        painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in run]))
    if s.dots:
        c = QColor(s.color)
        c.setAlpha(s.alpha)
        painter.setPen(Qt.NoPen)
        painter.setBrush(c)
        for x, y in zip(px, py):
            if box.contains(QPointF(x, y)):
                painter.drawEllipse(QPointF(x, y), 2.6, 2.6)
        painter.setBrush(Qt.NoBrush)


def _clipped(px, py, box):
    """Runs of consecutive (x, y) points inside ``box``: each segment cut where it crosses the box's edge
    (Liang–Barsky), a non-finite point ending a run."""
    runs, run = [], []
    for i in range(len(px) - 1):
        seg = _clip_segment(px[i], py[i], px[i + 1], py[i + 1], box)
        if seg is None:
            if len(run) > 1:
                runs.append(run)
            run = []
            continue
        a, b = seg
        if not run or run[-1] != a:
            if len(run) > 1:
                runs.append(run)
            run = [a]
        run.append(b)
    if len(run) > 1:
        runs.append(run)
    return runs


def _clip_segment(x0, y0, x1, y1, box):
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        return None
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - box.left()), (dx, box.right() - x0), (-dy, y0 - box.top()), (dy, box.bottom() - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return (x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy)


def _legend(figure, painter, area):
    """One row per run (a line sample in its colour, its label wrapped to the column), then the key."""
    painter.setFont(font(11))
    metrics = QFontMetricsF(painter.font())
    y = area.top()
    flags = int(Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap)
    for text, color, dashes in figure.legend:
        bounds = metrics.boundingRect(QRectF(0, 0, area.width() - 30, 1e4), flags, text)
        if y + bounds.height() > area.bottom():
            painter.setPen(_pen(INK, 1.0))
            painter.drawText(QPointF(area.left(), y + metrics.ascent()), "…")
            break
        painter.setPen(_pen(color, 2.4, dashes))
        mid = y + metrics.height() / 2
        painter.drawLine(QPointF(area.left(), mid), QPointF(area.left() + 22, mid))
        painter.setPen(_pen(INK, 1.0))
        painter.drawText(QRectF(area.left() + 30, y, area.width() - 30, bounds.height()), flags, text)
        y += bounds.height() + 6
    if figure.key:
        painter.setPen(_pen(AXIS, 1.0))
        painter.drawText(QRectF(area.left(), y + 6, area.width(), area.bottom() - y), flags, figure.key)
