"""The backward pass of one layer, fact by fact: each panel has its equation, shape and numbers."""

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from .heatmap import HeatMap

TILE_COLUMNS = 10


def tile_rows_as_images(rows, columns=TILE_COLUMNS):
    """Rows ``(n, 784)`` → one array of 28×28 tiles in a grid (NaN gaps), and a cell → (row, pixel) map."""
    n = rows.shape[0]
    grid_rows = -(-n // columns)
    out = np.full((grid_rows * 29, columns * 29), np.nan)
    for k in range(n):
        r, c = divmod(k, columns)
        out[r * 29:r * 29 + 28, c * 29:c * 29 + 28] = rows[k].reshape(28, 28)

    def locate(r, c):
        k, pr, pc = (r // 29) * columns + c // 29, r % 29, c % 29
        return (k, pr * 28 + pc) if k < n and pr < 28 and pc < 28 else None

    return out, locate


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
        self.shape.setText(shape_text)
        self.map.keep_aspect = keep_aspect
        self.map.describe = describe
        self.map.set_values(values, scale)
        self.setVisible(True)


class LayerFacts(QWidget):
    """Facts 1/6, 2, 3, 5 and 6 for layer l of a trace (l = 1 … L, as in the derivation)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.dC_da = FactPanel("")
        self.sigma_prime = FactPanel("σ′(zˡ) = aˡ(1 − aˡ)")
        self.dC_dz = FactPanel("Fact 2: dC/dzˡ = dC/daˡ ⊙ σ′(zˡ)    Fact 3: dC/dbˡ = dC/dzˡ")
        self.nabla_w = FactPanel("Fact 5: D_W C = dC/dzˡ ⊗ aˡ⁻¹", height=260)
        self.nabla_w.map.setMaximumHeight(2000)
        self.dC_da_prev = FactPanel("Fact 6: dC/daˡ⁻¹ = (Wˡ)ᵀ dC/dzˡ", height=26)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for panel in (self.dC_da, self.sigma_prime, self.dC_dz, self.nabla_w, self.dC_da_prev):
            layout.addWidget(panel)
        layout.setStretchFactor(self.nabla_w, 1)

    def show_layer(self, tr, layer, cost_name):
        """Fill the panels for ``layer`` (1-based) of trace ``tr``."""
        i, n_layers = layer - 1, len(tr.dC_dz)
        n_out, n_in = tr.nabla_w[i].shape
        if layer == n_layers:
            eq = ("Fact 1: dC/daᴸ = aᴸ − y" if cost_name == "quadratic"
                  else "dC/daᴸ of the cross-entropy (σ′ then cancels in Fact 2)")
        else:
            up = _sup(layer + 1)
            eq = f"dC/da{_sup(layer)} = (W{up})ᵀ dC/dz{up}  (Fact 6 of the layer above)"
        self.dC_da.title.setText(eq)
        vec = lambda name: (lambda r, c, v: f"{name}[{c}] = {v:.5g}")  # noqa: E731
        self.dC_da.display(tr.dC_da[i], f"shape ({n_out},)", vec("dC/da"))
        self.sigma_prime.display(tr.sigma_prime[i], f"shape ({n_out},)", vec("σ′(z)"))
        self.dC_dz.display(tr.dC_dz[i], f"shape ({n_out},) = dC/db", vec("dC/dz"))
        scale = float(np.max(np.abs(tr.nabla_w[i]))) or 1.0
        if layer == 1 and n_in == 784:
            tiled, locate = tile_rows_as_images(tr.nabla_w[i])
            describe = lambda r, c, v: _pixel_text(locate(r, c), v)  # noqa: E731
            self.nabla_w.display(tiled, f"({n_out}, 784): each hidden neuron's row as a 28×28 image",
                                 describe, scale, keep_aspect=True)
        else:
            self.nabla_w.display(tr.nabla_w[i], f"shape ({n_out}, {n_in})",
                              lambda r, c, v: f"∂C/∂w[{r}, {c}] = {v:.5g}", scale)
        if n_in == 784:
            self.dC_da_prev.display(tr.dC_da_prev[i].reshape(28, 28), "(784,) shown as 28×28",
                                    lambda r, c, v: f"dC/dx[{r * 28 + c}] = {v:.5g}", keep_aspect=True)
            self.dC_da_prev.map.setMinimumHeight(112)
        else:
            self.dC_da_prev.display(tr.dC_da_prev[i], f"shape ({n_in},)", vec("dC/da′"))
            self.dC_da_prev.map.setMinimumHeight(26)


def _pixel_text(where, v):
    if where is None:
        return ""
    neuron, pixel = where
    return f"neuron {neuron}, pixel {pixel} (row {pixel // 28}, col {pixel % 28}): ∂C/∂w = {v:.5g}"


def _sup(n):
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
