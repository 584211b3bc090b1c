"""Where everything sits in the diagram, in pixels: computed once per size and network shape, then reused.

Columns run left to right: the input as its 28 × 28 image, then one column of nodes per layer. Layer 0
of an image input has one "node" per pixel, at the pixel's centre, so edges leave the image from
the pixels they read.
"""

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QRectF

from nncore.diagram_model import node_positions, pixel_positions, strongest_edges
from nncore.limits import IMAGE_SIDE, N_INPUTS

from .palette import signed_bins

MARGIN, TOP, BOTTOM = 14, 12, 34
LABELS_RIGHT = 70           # room for the output digits and values
MIN_THUMB_SPACING = 14      # layer-1 thumbnails of the weights only when nodes are this far apart


@dataclass
class Geometry:
    """Pixel positions of a diagram of ``width`` × ``height``; lists are indexed by layer 0 … L.

    ``shown[l]`` (k,) are the drawn neurons of layer l, ``ys[l]`` (k,) their heights and ``xs[l]`` their
    column (for layer 0 an array (n_0,), one x per pixel or input),
    ``radius[l]`` their size, ``folded[l]`` how many more the layer has. ``image`` is the input's
    rectangle (None when the input is not a 28 × 28 image); ``thumb`` the side of the layer-1
    weight thumbnails (0: none), drawn left of each node, where the edges from the image end.
    """

    width: int
    height: int
    shown: list
    xs: list
    ys: list
    radius: list
    folded: list
    image: object
    thumb: float

    def position_of(self, layer, neuron):
        """Where ``neuron`` is in ``shown[layer]``, or None when it is folded away."""
        k = np.searchsorted(self.shown[layer], neuron)
        return int(k) if k < len(self.shown[layer]) and self.shown[layer][k] == neuron else None

    def arrival_x(self, layer):
        """The x at which edges into ``layer`` end (the thumbnails' left side, for layer 1)."""
        if layer == 1 and self.thumb:
            return self.xs[1] - self.radius[1] - 4 - self.thumb
        return self.xs[layer]


def build_geometry(width, height, sizes, shown):
    """The :class:`Geometry` for a network of ``sizes`` drawing the neurons ``shown`` (per layer 1 … L)."""
    L = len(sizes) - 1
    usable = max(height - TOP - BOTTOM, 40)
    is_image = sizes[0] == N_INPUTS
    shown = [np.arange(sizes[0])] + [np.asarray(s) for s in shown]
    folded = [0] + [sizes[l] - len(shown[l]) for l in range(1, L + 1)]
    ys, radius = [None] * (L + 1), [0.0] * (L + 1)
    for l in range(1, L + 1):
        slots = len(shown[l]) + (1 if folded[l] else 0)
        spacing = usable / max(slots, 1)
        ys[l] = TOP + node_positions(len(shown[l]), bool(folded[l])) * usable
        radius[l] = float(np.clip(0.36 * spacing, 1.5, 12.0))
    spacing1 = usable / max(len(shown[1]) + (1 if folded[1] else 0), 1)
    thumb = float(min(0.85 * spacing1, 40.0)) if is_image and spacing1 >= MIN_THUMB_SPACING else 0.0
    if is_image:
        side = float(min(0.42 * usable, 0.2 * width, 224.0))
        image = QRectF(MARGIN, TOP + (usable - side) / 2, side, side)
        left = image.right()
        pix = pixel_positions(IMAGE_SIDE)
        x0, y0 = image.left() + pix[:, 0] * side, image.top() + pix[:, 1] * side
    else:
        image, left = None, MARGIN + 8
        x0, y0 = np.full(sizes[0], left), TOP + node_positions(sizes[0]) * usable
        radius[0] = float(np.clip(0.36 * usable / max(sizes[0], 1), 1.5, 12.0))
    gap = max(90.0, 0.16 * width) + thumb
    first, last = left + gap, width - MARGIN - LABELS_RIGHT
    if L == 1:
        columns = [last]
    else:
        columns = [first + (last - first) * k / (L - 1) for k in range(L)]
    ys[0] = y0
    return Geometry(width, height, shown, [x0] + [float(c) for c in columns], ys, radius, folded, image, thumb)


@dataclass
class EdgeSet:
    """Drawn edges of one layer, strongest first: neuron ``rows[k]`` of layer l reads ``cols[k]`` of l − 1.

    ``x1, y1`` (k,) is the source end, ``x2, y2`` (k,) the destination end; ``bins`` (k,) the signed
    colour bins of their values; ``total`` how many edges the layer has in all.
    """

    layer: int
    rows: np.ndarray
    cols: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray
    bins: np.ndarray
    scale: float
    total: int

    def lines(self):
        """[(bin, [QLineF])], the weakest bin first so that the strongest edges end on top."""
        out = []
        for b in sorted(np.unique(self.bins), key=abs):
            if b:
                sel = np.flatnonzero(self.bins == b)
                out.append((int(b), [QLineF(self.x1[k], self.y1[k], self.x2[k], self.y2[k]) for k in sel]))
        return out

    def span(self):
        """(left, right): the x range the edges cross."""
        return (float(np.min(self.x1)), float(np.max(self.x2))) if len(self.x1) else (0.0, 0.0)

    def distance(self, x, y):
        """Distance (k,) from point (x, y) to each full edge."""
        dx, dy = self.x2 - self.x1, self.y2 - self.y1
        length2 = np.maximum(dx * dx + dy * dy, 1e-9)
        u = np.clip(((x - self.x1) * dx + (y - self.y1) * dy) / length2, 0.0, 1.0)
        return np.hypot(self.x1 + u * dx - x, self.y1 + u * dy - y)


def edge_set(geom, values, layer, k):
    """The ``k`` strongest of ``values`` (n_l, n_{l−1}) among the drawn neurons, placed in ``geom``."""
    rows, cols = geom.shown[layer], geom.shown[layer - 1]
    ri, ci = strongest_edges(values, rows, cols, k)
    picked = np.asarray(values)[rows[ri], cols[ci]]
    scale = float(np.max(np.abs(picked))) if picked.size else 1.0
    x1 = geom.xs[0][ci] if layer == 1 else np.full(len(ci), geom.xs[layer - 1])
    x2 = np.full(len(ri), geom.arrival_x(layer))
    return EdgeSet(layer, rows[ri], cols[ci], x1, geom.ys[layer - 1][ci], x2, geom.ys[layer][ri],
                   signed_bins(picked, scale), scale, int(np.size(values)))
