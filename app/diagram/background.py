"""The diagram's still parts, painted once per example and weights into a pixmap: the input image, the
first layer's weights as thumbnails, the strongest weights as faint edges, and the labels."""

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from nncore.limits import IMAGE_SIDE

from ..widgets.heatmap import grey_rgb, rgb_image
from . import palette as pal
from .geometry import BOTTOM

TARGET = QColor("#69f0ae")


def paint_background(pixmap, g, network, x, base_edges, pens, tr, font):
    """Paint geometry ``g`` of ``network`` reading ``x`` into ``pixmap``; ``base_edges`` per layer."""
    pixmap.fill(pal.BACKGROUND)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    for edges in base_edges:
        for b, lines in edges.lines():
            p.setPen(pens[b])
            p.drawLines(lines)
    p.setRenderHint(QPainter.Antialiasing, False)
    if g.image is not None:
        if x is not None:
            p.drawImage(g.image, rgb_image(grey_rgb(np.reshape(x, (IMAGE_SIDE, IMAGE_SIDE)))))
        p.setPen(QPen(pal.OUTLINE, 1))
        p.drawRect(g.image)
    if g.thumb:
        _paint_thumbnails(p, g, network.weights[0])
    p.setFont(font)
    _paint_labels(p, g, network, base_edges)
    if tr is not None:
        _paint_output_names(p, g, tr)
    p.end()


def _paint_thumbnails(p, g, w):
    """Each drawn first-layer neuron's incoming weights as a 28 × 28 image (its own symmetric scale)."""
    side = g.thumb
    left = g.arrival_x(1)
    for j, y in zip(g.shown[1], g.ys[1]):
        row = np.asarray(w[j], dtype=np.float64)
        rgb = pal.signed_rgb(row.reshape(IMAGE_SIDE, IMAGE_SIDE), float(np.max(np.abs(row))) or 1.0)
        p.drawImage(QRectF(left, y - side / 2, side, side), rgb_image(rgb))


def _paint_labels(p, g, network, base_edges):
    """Under each column its name and width; between columns how many edges are drawn; '+N more'."""
    L, h = len(g.shown) - 1, g.height
    p.setPen(pal.TEXT)
    if g.image is not None:
        p.drawText(QRectF(g.image.left(), g.image.bottom() + 4, g.image.width(), 16), Qt.AlignCenter,
                   f"x: {IMAGE_SIDE}×{IMAGE_SIDE} = {network.sizes[0]} inputs")
    for l in range(1, L + 1):
        name = "output" if l == L else f"layer {l}"
        p.setPen(pal.TEXT)
        p.drawText(QRectF(g.xs[l] - 60, h - BOTTOM + 2, 120, 14), Qt.AlignCenter, f"{name} ({network.sizes[l]})")
        if g.folded[l]:
            y = g.ys[l][-1] + (g.ys[l][-1] - g.ys[l][-2] if len(g.ys[l]) > 1 else 12)
            p.setPen(pal.DIM_TEXT)
            p.drawText(QRectF(g.xs[l] - 60, y - 7, 120, 14), Qt.AlignCenter, f"+{g.folded[l]:,} more")
        left = g.image.right() if (l == 1 and g.image is not None) else float(np.max(g.xs[l - 1]))
        edges, middle = base_edges[l - 1], (left + g.arrival_x(l)) / 2
        p.setPen(pal.DIM_TEXT)
        width = max(g.arrival_x(l) - left, 60.0)
        p.drawText(QRectF(middle - width / 2, h - BOTTOM + 17, width, 14), Qt.AlignCenter,
                   f"{len(edges.rows):,} of {edges.total:,} w")


def _paint_output_names(p, g, tr):
    """Each output's digit beside its node; the target y in green, the network's answer in bold."""
    L = len(g.shown) - 1
    guess = int(np.argmax(tr.activations[-1]))
    normal, bold = QFont(p.font()), QFont(p.font())
    bold.setBold(True)
    for y, j in zip(g.ys[L], g.shown[L]):
        p.setFont(bold if j == guess else normal)
        p.setPen(TARGET if j == tr.label else pal.TEXT)
        p.drawText(QRectF(g.xs[L] + g.radius[L] + 7, y - 8, 14, 16), Qt.AlignVCenter | Qt.AlignLeft, str(j))
