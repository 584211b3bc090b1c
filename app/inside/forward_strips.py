"""The inspector's forward pass: a strip of zˡ and one of aˡ per layer, and what the network reads."""

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel

from ..help.glossary import tip
from ..widgets.heatmap import HeatMap
from ..widgets.reading import read_outputs


class ForwardStrips(QGroupBox):
    """One heat-map strip of zˡ = Wˡ aˡ⁻¹ + bˡ and one of aˡ = σ(zˡ) per layer; the title names the
    network's guess (or that it gives no clear answer), the target y and the cost C."""

    def __init__(self, parent=None):
        super().__init__("Forward pass: zˡ = Wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ)", parent)
        self.setToolTip("\n".join(tip(s) for s in ("zˡ", "Wˡ", "aˡ⁻¹", "bˡ", "aˡ", "σ", "y", "C")))
        self.grid = QGridLayout(self)
        self._shape, self.maps = None, []   # maps: a (z_map, a_map) pair per layer, from layer 1

    def show_trace(self, tr, output):
        """Show trace ``tr`` (an nncore.inspection trace: ``zs[l-1]`` of shape (n_l,), ``activations[l]``
        of shape (n_l,)); ``output`` names the output activation ("sigmoid", "softmax", ...)."""
        shape = ([z.size for z in tr.zs], output)
        if shape != self._shape:    # build the strips once per network shape and output activation
            self._build(shape)
        for l, (z_map, a_map) in enumerate(self.maps, start=1):
            z_map.set_values(tr.zs[l - 1])
            a_map.set_values(tr.activations[l])
        reads = read_outputs(tr.activations[-1]).words()     # the pad's rule: no clear answer where it shows "?"
        self.setTitle(f"Forward pass: the network {reads}; target y = {tr.label}; cost C = {tr.cost:.5f}")

    def _build(self, shape):
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        self._shape, self.maps = shape, []
        sizes, output = shape
        for l, n in enumerate(sizes, start=1):
            z_map, a_map = HeatMap("diverging"), HeatMap("grey")
            z_map.describe = lambda r, c, v, l=l: f"z{l}[{c}] = {v:.5g}"
            a_map.describe = lambda r, c, v, l=l: f"a{l}[{c}] = {v:.5g}"
            self.grid.addWidget(QLabel(f"layer {l} ({n})  z"), 2 * l - 2, 0)
            self.grid.addWidget(z_map, 2 * l - 2, 1)
            f = output if l == len(sizes) and output != "sigmoid" else "σ"   # a softmax output says so
            self.grid.addWidget(QLabel(f"a = {f}(z)"), 2 * l - 1, 0)
            self.grid.addWidget(a_map, 2 * l - 1, 1)
            self.maps.append((z_map, a_map))
