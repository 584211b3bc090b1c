"""Sprites: parts of the diagram painted once per example on transparent pixmaps, then blitted each frame.

A column of nodes in one coat (empty, z, a = σ(z)) or one ring (dC/da, δ), and a layer's lit edges,
each cover a vertical strip of the diagram. A frame draws a strip with an opacity, or a part of it
(the light's front), which costs the same however many nodes or edges the strip holds.
"""

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

RING_GAP = 2.5       # between a node and its error ring
RING_MARGIN = 6.0    # room for the widest ring pen


@dataclass
class Sprite:
    """A strip painted once: ``pixmap`` placed with its left edge at x = ``left``."""

    pixmap: QPixmap
    left: float

    def draw(self, p, opacity=1.0, head=1.0, from_right=False):
        """Blit the whole strip, or the fraction ``head`` of it from its left (or right) end."""
        w, h = self.pixmap.width(), self.pixmap.height()
        shown = w * head
        sx = w - shown if from_right else 0.0
        p.setOpacity(opacity)
        p.drawPixmap(QRectF(self.left + sx, 0, shown, h), self.pixmap, QRectF(sx, 0, shown, h))


def _strip(left, right, height):
    pixmap = QPixmap(max(int(np.ceil(right - left)) + 2, 1), max(int(height), 1))
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    p.translate(-left, 0)
    return pixmap, p


def edge_sprite(edges, pens, height, left=None):
    """The :class:`~app.diagram.geometry.EdgeSet` ``edges`` on a strip from ``left`` (default: where they
    start) to where they end; the weakest bin first so that the strongest end on top."""
    lo, hi = edges.span()
    left = lo if left is None else left
    pixmap, p = _strip(left, hi, height)
    for b, lines in edges.lines():
        p.setPen(pens[b])
        p.drawLines(lines)
    p.end()
    return Sprite(pixmap, left)


def fill_sprite(x, ys, r, bins, brushes, outline, height):
    """Nodes at (x, ys) of radius ``r`` filled with ``brushes[bins[k]]`` and outlined with ``outline``."""
    pixmap, p = _strip(x - r - 2, x + r + 2, height)
    p.setPen(outline)
    for y, b in zip(ys, bins):
        p.setBrush(brushes[b])
        p.drawEllipse(QPointF(x, y), r, r)
    p.end()
    return Sprite(pixmap, x - r - 2)


def ring_sprite(x, ys, r, bins, pens, height):
    """Rings around the nodes at (x, ys), drawn with ``pens[bins[k]]`` (none where the bin is 0)."""
    outer = r + RING_GAP + RING_MARGIN
    pixmap, p = _strip(x - outer, x + outer, height)
    p.setBrush(Qt.NoBrush)
    ring = r + RING_GAP
    for y, b in zip(ys, bins):
        if b:
            p.setPen(pens[b])
            p.drawEllipse(QPointF(x, y), ring, ring)
    p.end()
    return Sprite(pixmap, x - outer)
