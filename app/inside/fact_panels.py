"""The backward pass of one layer, fact by fact: each panel has its equation, shape and numbers."""

from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from nncore.limits import IMAGE_SHAPE, IMAGE_SIDE, N_INPUTS

from ..widgets.heatmap import HeatMap, Rendered, render
from ..widgets.images import tile_rows_as_images


class FactPanel(QWidget):
    """An equation, a note on shapes, and a heat map of the numbers."""

    def __init__(self, equation, mode="diverging", height=26, parent=None, keep_aspect=False):
        super().__init__(parent)
        self.title = QLabel(equation)
        self.title.setStyleSheet("font-weight: 600;")
        self.shape = QLabel()
        self.shape.setStyleSheet("color: #666;")
        self.map = HeatMap(mode, min_height=height, keep_aspect=keep_aspect)
        self.map.setMaximumHeight(max(height, 26) * 4)
        top = QGridLayout()
        top.addWidget(self.title, 0, 0)
        top.addWidget(self.shape, 0, 1)
        top.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addLayout(top)
        layout.addWidget(self.map)

    def display(self, values, shape_text, describe=None, scale=None, keep_aspect=False):
        self.show(PanelView(shape_text, describe, render(values, self.map.mode, scale), keep_aspect))

    def show(self, view):
        """Show a :class:`PanelView`: its shape note and its rendered numbers."""
        self.shape.setText(view.shape_text)
        self.map.keep_aspect = view.keep_aspect
        self.map.describe = view.describe
        self.map.show_rendered(view.rendered)
        self.setVisible(True)


@dataclass(frozen=True)
class PanelView:
    """What one fact panel shows: a note on shapes, the hover text, the rendered numbers, the aspect."""

    shape_text: str
    describe: object
    rendered: Rendered
    keep_aspect: bool = False


def layer_views(tr, layer, cost):
    """What the panels show at ``layer`` (1-based) of trace ``tr`` for the network's ``cost``: a dict
    of the dC/daˡ panel's title and one :class:`PanelView` per panel. No widget is touched, so this
    may run off the GUI thread (the colour mapping of a 1000 × 784 D_W C is its heavy part)."""
    i, n_layers = layer - 1, len(tr.dC_dz)
    n_out, n_in = tr.nabla_w[i].shape
    if layer == n_layers:
        eq = cost.dC_da_formula
    else:
        up = _sup(layer + 1)
        eq = f"dC/da{_sup(layer)} = (W{up})ᵀ dC/dz{up}  (Fact 6 of the layer above)"
    vec = lambda name: (lambda r, c, v: f"{name}[{c}] = {v:.5g}")  # noqa: E731
    views = {"dC_da_title": eq,
             "dC_da": PanelView(f"shape ({n_out},)", vec("dC/da"), render(tr.dC_da[i])),
             "sigma_prime": PanelView(f"shape ({n_out},)", vec("σ′(z)"), render(tr.sigma_prime[i])),
             "dC_dz": PanelView(f"shape ({n_out},) = dC/db", vec("dC/dz"), render(tr.dC_dz[i]))}
    scale = float(np.max(np.abs(tr.nabla_w[i]))) or 1.0
    if layer == 1 and n_in == N_INPUTS:
        tiled, locate = tile_rows_as_images(tr.nabla_w[i])
        side = f"{IMAGE_SIDE}×{IMAGE_SIDE}"
        views["nabla_w"] = PanelView(f"({n_out}, {N_INPUTS}): each hidden neuron's row as a {side} image",
                                     lambda r, c, v: _pixel_text(locate(r, c), v), render(tiled, scale=scale),
                                     keep_aspect=True)
    else:
        views["nabla_w"] = PanelView(f"shape ({n_out}, {n_in})", lambda r, c, v: f"∂C/∂w[{r}, {c}] = {v:.5g}",
                                     render(tr.nabla_w[i], scale=scale))
    if n_in == N_INPUTS:
        views["dC_da_prev"] = PanelView(f"({N_INPUTS},) shown as {IMAGE_SIDE}×{IMAGE_SIDE}",
                                        lambda r, c, v: f"dC/dx[{r * IMAGE_SIDE + c}] = {v:.5g}",
                                        render(tr.dC_da_prev[i].reshape(IMAGE_SHAPE)), keep_aspect=True)
    else:
        views["dC_da_prev"] = PanelView(f"shape ({n_in},)", vec("dC/da′"), render(tr.dC_da_prev[i]))
    return views


class LayerFacts(QWidget):
    """The backward pass at layer l of a trace (l = 1 … L, as in the derivation): dC/daˡ (fact 1 at the
    output, fact 6 of the layer above elsewhere), σ′(zˡ), facts 2 and 3, fact 5, and fact 6 to the layer below."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.dC_da = FactPanel("")
        self.sigma_prime = FactPanel("σ′(zˡ) = aˡ(1 − aˡ)")
        self.dC_dz = FactPanel("Fact 2: dC/dzˡ = dC/daˡ ⊙ σ′(zˡ)    Fact 3: dC/dbˡ = dC/dzˡ")
        self.nabla_w = FactPanel("Fact 5: D_W C = dC/dzˡ ⊗ aˡ⁻¹  (its entry jk is fact 4: ∂C/∂wⱼₖ = aₖˡ⁻¹ δⱼˡ)",
                                 height=260)
        self.nabla_w.map.setMaximumHeight(2000)
        self.dC_da_prev = FactPanel("Fact 6: dC/daˡ⁻¹ = (Wˡ)ᵀ dC/dzˡ", height=26)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for panel in (self.dC_da, self.sigma_prime, self.dC_dz, self.nabla_w, self.dC_da_prev):
            layout.addWidget(panel)
        layout.setStretchFactor(self.nabla_w, 1)

    def show_layer(self, tr, layer, cost):
        """Fill the panels for ``layer`` (1-based) of trace ``tr``; ``cost`` is the network's cost."""
        self.show(layer_views(tr, layer, cost))

    def show(self, views):
        """Show what :func:`layer_views` computed."""
        self.dC_da.title.setText(views["dC_da_title"])
        for name in ("dC_da", "sigma_prime", "dC_dz", "nabla_w", "dC_da_prev"):
            getattr(self, name).show(views[name])
        image_like = views["dC_da_prev"].keep_aspect
        self.dC_da_prev.map.setMinimumHeight(112 if image_like else 26)


def _pixel_text(where, v):
    if where is None:
        return ""
    neuron, pixel = where
    return f"neuron {neuron}, pixel {pixel} (row {pixel // IMAGE_SIDE}, col {pixel % IMAGE_SIDE}): ∂C/∂w = {v:.5g}"


def _sup(n):
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
