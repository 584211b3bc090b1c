"""The network diagram: the input image, every neuron a node, edges by weight; one animation frame.

Expensive things are made once and reused: the geometry per size and shown neurons, a background
pixmap (image, thumbnails, the strongest weights, labels) per example and weights, and sprites
(each column of nodes in each coat, each step's lit edges) per example. A frame blits the background
and a few sprites with an opacity, and draws the selection and the output values: its cost does not
grow with the number of nodes or edges. While a step plays, the sprites of the next one are made
ahead, one per frame.
"""

import time
from collections import deque

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from nncore.diagram_model import edge_values, shown_neurons

from . import palette as pal
from .background import paint_background
from .frames import Frame, frame_at, step_flows
from .geometry import build_geometry, edge_set
from .sprites import edge_sprite, fill_sprite, ring_sprite

LIT_EDGES = 400          # the strongest terms of a step lit per layer
BASE_EDGES = 1000        # the strongest weights drawn at rest, shared by the layers (at most 250 each)
BASE_INPUT_EDGES = 150   # of them from the input image
PICK_NODE, PICK_EDGE = 3.0, 4.0   # click tolerances in pixels


class NetworkDiagram(QWidget):
    """Paints ``network`` reading example ``x`` (its trace ``tr``) at one frame of the schedule.

    ``neuronClicked(layer, j)`` and ``edgeClicked(layer, j, i)`` (layer 1 … L; the edge is wⱼᵢ from
    neuron i of layer − 1). ``paint_ms`` keeps the last paint times, for measuring.
    """

    neuronClicked = Signal(int, int)
    edgeClicked = Signal(int, int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(480, 320)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.network = self.trace = self.x = None
        self.eta, self.steps, self.index, self.t = 1.0, [], 0, 0.0
        self.selection, self.marked = None, set()
        self.paint_ms = deque(maxlen=1000)
        self._geometry = self._background = None
        self._lit, self._sprites, self._base, self._bins = {}, {}, [], {}
        self._pens, self._ring_pens = pal.edge_pens(), pal.ring_pens()
        self._base_pens = pal.edge_pens(0.5, 1.3, 14, 110)
        self._greys, self._signed = pal.grey_brushes(), pal.signed_brushes()
        self._select_pen, self._off_pen = QPen(pal.SELECTED, 2.5), QPen(pal.OFF, 2.5)
        self._outline = QPen(pal.OUTLINE, 1.0)
        self._font = QFont()
        self._font.setPointSizeF(8.5)

    # ---- what to show ------------------------------------------------------------------------
    def set_example(self, network, x, tr):
        """Show ``network`` reading ``x (n_0,)``, with ``tr`` its :func:`nncore.inspection.trace`."""
        self.network, self.x, self.trace = network, x, tr
        self._invalidate()

    def set_weights(self, network):
        """The same example, new weights of the same shape (after the update): edges and thumbnails redrawn."""
        self.network, self._background, self._base, self._lit = network, None, [], {}
        self._drop_sprites("edges")
        self.update()

    def set_schedule(self, steps):
        self.steps, self.index, self.t = list(steps), 0, 0.0
        self.update()

    def set_frame(self, index, t):
        """Show step ``index`` at progress ``t`` (0 … 1); make one sprite of the next step ahead."""
        self.index, self.t = index, t
        self.update()
        if self.trace is not None and self._geometry is not None and index + 1 < len(self.steps):
            missing = [k for k in self._sprite_keys(index + 1) if k not in self._sprites]
            if missing:
                self._sprite(missing[0])

    def set_eta(self, eta):
        self.eta = float(eta)
        self._lit = {k: v for k, v in self._lit.items() if k[0] != "update"}
        self._drop_sprites("edges", "update")
        self.update()

    def select(self, selection):
        """Highlight ``('neuron', layer, j)``, ``('edge', layer, j, i)`` or nothing (None)."""
        self.selection = selection
        self.update()

    def mark_off(self, neurons):
        """Cross out the neurons ``{(layer, j)}`` the lab has switched off."""
        self.marked = set(neurons)
        self.update()

    def frame(self):
        """The current :class:`Frame`."""
        n = len(self.network.weights) if self.network is not None else 0
        return frame_at(self.steps, self.index, self.t, n) if self.trace is not None and self.steps else Frame()

    def diagram_geometry(self):
        """The :class:`Geometry` of the current size and network (made now if needed), or None."""
        if self.network is None:
            return None
        self._ensure()
        return self._geometry

    def base_edges(self):
        """The :class:`EdgeSet` of each layer drawn at rest (the strongest weights)."""
        if self.network is None:
            return []
        self._ensure()
        return self._base

    # ---- caches ------------------------------------------------------------------------------
    def _invalidate(self):
        self._geometry = self._background = None
        self._lit, self._sprites, self._base, self._bins = {}, {}, [], {}
        self.update()

    def _drop_sprites(self, *prefix):
        for key in [k for k in self._sprites if k[:len(prefix)] == prefix]:
            del self._sprites[key]

    def resizeEvent(self, event):
        self._invalidate()
        super().resizeEvent(event)

    def _ensure(self):
        net, tr = self.network, self.trace
        if self._geometry is None:
            strengths = [tr.activations[l] if tr is not None else np.linalg.norm(w, axis=1)
                         for l, w in enumerate(net.weights, start=1)]
            shown = [shown_neurons(n, s) for n, s in zip(net.sizes[1:], strengths)]
            self._geometry = build_geometry(self.width(), self.height(), net.sizes, shown)
            if tr is not None:
                self._node_bins()
        if not self._base:
            per_layer = min(250, BASE_EDGES // len(net.weights))
            self._base = [edge_set(self._geometry, net.weights[l - 1], l,
                                   min(per_layer, BASE_INPUT_EDGES) if l == 1 else per_layer)
                          for l in range(1, len(net.weights) + 1)]
        if self._background is None:
            self._background = QPixmap(self.size())
            paint_background(self._background, self._geometry, net, self.x, self._base, self._base_pens, tr,
                             self._font)

    def _node_bins(self):
        tr, g = self.trace, self._geometry
        sources = {"z": tr.zs, "dC_da": tr.dC_da, "delta": tr.dC_dz}
        for l in range(1, len(tr.zs) + 1):
            shown = g.shown[l]
            self._bins[("a", l)] = pal.grey_bins(tr.activations[l][shown])
            self._bins[("empty", l)] = np.zeros(len(shown), dtype=int)
            for what, values in sources.items():
                v = values[l - 1]
                self._bins[(what, l)] = pal.signed_bins(v[shown], float(np.max(np.abs(v))) or 1.0)

    def lit_edges(self, kind, layer):
        """The :class:`EdgeSet` lit by a step: the LIT_EDGES strongest of ``edge_values(kind)``."""
        key = (kind, layer)
        if key not in self._lit:
            values = edge_values(self.network, self.trace, kind, layer, eta=self.eta)
            self._lit[key] = edge_set(self._geometry, values, layer, LIT_EDGES)
        return self._lit[key]

    def _sprite_keys(self, index):
        """The sprites step ``index`` shows: its lit edges and every column's coats."""
        keys = [("edges", f.kind, f.layer) for f in step_flows(self.steps[index], len(self.network.weights), 1.0)]
        frame = frame_at(self.steps, index, 1.0, len(self.network.weights))
        for l in range(1, len(self.network.weights) + 1):
            keys += [("fill", c.what, l) for c in frame.fills[l]] + [("ring", c.what, l) for c in frame.rings[l]]
        return keys

    def _sprite(self, key):
        if key not in self._sprites:
            g, h = self._geometry, self.height()
            if key[0] == "edges":
                _, kind, layer = key
                left = g.image.right() + 1 if layer == 1 and g.image is not None else None  # not over the image
                sprite = edge_sprite(self.lit_edges(kind, layer), self._pens, h, left)
            else:
                part, what, l = key
                bins = self._bins[(what, l)]
                if part == "fill":
                    brushes = self._greys if what == "a" else self._signed
                    sprite = fill_sprite(g.xs[l], g.ys[l], g.radius[l], bins, brushes, self._outline, h)
                else:
                    sprite = ring_sprite(g.xs[l], g.ys[l], g.radius[l], bins, self._ring_pens, h)
            self._sprites[key] = sprite
        return self._sprites[key]

    # ---- painting ----------------------------------------------------------------------------
    def paintEvent(self, _event):
        start = time.perf_counter()
        p = QPainter(self)
        if self.network is None:
            p.fillRect(self.rect(), pal.BACKGROUND)
            p.end()
            return
        self._ensure()
        p.drawPixmap(0, 0, self._background)
        frame = self.frame()
        for flow in frame.flows:
            self._sprite(("edges", flow.kind, flow.layer)).draw(p, flow.opacity, flow.head, flow.backward)
        for l in range(1, len(self._geometry.shown)):
            coats = frame.fills.get(l, []) if self.trace is not None else []
            opaque = [k for k, c in enumerate(coats) if c.opacity >= 1.0]
            if not opaque:
                self._sprite(("fill", "empty", l)).draw(p)
            for coat in coats[opaque[-1]:] if opaque else coats:    # what lies under an opaque coat is hidden
                self._sprite(("fill", coat.what, l)).draw(p, coat.opacity)
            for coat in frame.rings.get(l, []):
                self._sprite(("ring", coat.what, l)).draw(p, coat.opacity)
        p.setOpacity(1.0)
        p.setRenderHint(QPainter.Antialiasing)
        if frame.outputs_known:
            self._paint_outputs(p)
        self._paint_marks(p)
        self._paint_selection(p)
        p.end()
        self.paint_ms.append(1000.0 * (time.perf_counter() - start))

    def _paint_outputs(self, p):
        g, a = self._geometry, self.trace.activations[-1]
        L = len(g.shown) - 1
        p.setFont(self._font)
        p.setPen(pal.TEXT)
        for y, j in zip(g.ys[L], g.shown[L]):
            p.drawText(QRectF(g.xs[L] + g.radius[L] + 21, y - 8, 44, 16), Qt.AlignVCenter | Qt.AlignLeft,
                       f"{a[j]:.2f}")

    def _paint_marks(self, p):
        g = self._geometry
        p.setPen(self._off_pen)
        for layer, j in self.marked:
            k = g.position_of(layer, j) if layer < len(g.shown) else None
            if k is not None:
                x, y, r = g.xs[layer], g.ys[layer][k], g.radius[layer] + 3
                p.drawLine(QPointF(x - r, y - r), QPointF(x + r, y + r))
                p.drawLine(QPointF(x - r, y + r), QPointF(x + r, y - r))

    def _paint_selection(self, p):
        s, g = self.selection, self._geometry
        if s is None:
            return
        p.setPen(self._select_pen)
        p.setBrush(Qt.NoBrush)
        if s[0] == "neuron":
            k = g.position_of(s[1], s[2])
            if k is not None:
                r = g.radius[s[1]] + 5
                p.drawEllipse(QPointF(g.xs[s[1]], g.ys[s[1]][k]), r, r)
            return
        _, layer, j, i = s
        k_to, k_from = g.position_of(layer, j), g.position_of(layer - 1, i)
        if k_to is not None and k_from is not None:
            x1 = g.xs[0][k_from] if layer == 1 else g.xs[layer - 1]
            p.drawLine(QPointF(x1, g.ys[layer - 1][k_from]), QPointF(g.arrival_x(layer), g.ys[layer][k_to]))

    # ---- clicking ----------------------------------------------------------------------------
    def pick(self, x, y):
        """What is at pixel (x, y): ``('neuron', layer, j)``, ``('edge', layer, j, i)`` or None."""
        if self.network is None:
            return None
        self._ensure()
        g = self._geometry
        for l in range(1, len(g.shown)):
            d = np.hypot(g.xs[l] - x, g.ys[l] - y)
            k = int(np.argmin(d))
            if d[k] <= g.radius[l] + PICK_NODE:
                return ("neuron", l, int(g.shown[l][k]))
        lit = [self.lit_edges(f.kind, f.layer) for f in self.frame().flows if f.opacity > 0.3]
        for edges in lit + self._base:
            if len(edges.rows):
                d = edges.distance(x, y)
                k = int(np.argmin(d))
                if d[k] <= PICK_EDGE:
                    return ("edge", edges.layer, int(edges.rows[k]), int(edges.cols[k]))
        return None

    def mousePressEvent(self, event):
        if event.button() != Qt.LeftButton:
            return
        hit = self.pick(event.position().x(), event.position().y())
        if hit is not None and hit[0] == "neuron":
            self.neuronClicked.emit(hit[1], hit[2])
        elif hit is not None:
            self.edgeClicked.emit(hit[1], hit[2], hit[3])
