"""A clicked neuron's or edge's numbers, each beside the equation that produced it."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea

from nncore.limits import IMAGE_SIDE

from .schedule import sup

HINT = "Click a neuron for its z, a, σ′, δ and ∂C/∂b; click an edge for its w, ∂C/∂w and step."


def fmt(v):
    """Six significant digits, a real minus sign."""
    return f"{v:.6g}".replace("-", "−")


def _rows(rows):
    cells = "".join(f"<tr><td style='padding-right:10px'>{a}</td><td align='right'><b>{b}</b></td></tr>"
                    for a, b in rows)
    return f"<table cellspacing='0' cellpadding='2'>{cells}</table>"


def _source_name(layer, i):
    if layer == 1 and i is not None:
        return f"pixel {i} (row {i // IMAGE_SIDE}, column {i % IMAGE_SIDE})"
    return f"neuron {i} of layer {layer - 1}"


def neuron_html(n, eta=None):
    """The HTML for :class:`nncore.diagram_model.NeuronNumbers` ``n``."""
    u = sup(n.layer)
    a_prev = "x" if n.layer == 1 else f"a{sup(n.layer - 1)}"
    terms = "".join(f"<tr><td>{_short_source(n.layer, i)}</td><td align='right' style='padding-left:8px'>{fmt(w)}</td>"
                    f"<td align='right' style='padding-left:8px'>{fmt(a)}</td>"
                    f"<td align='right' style='padding-left:8px'><b>{fmt(t)}</b></td></tr>"
                    for i, w, a, t in n.terms)
    more = n.n_inputs - len(n.terms)
    table = ("<table cellspacing='0' cellpadding='2'><tr><td><i>from</i></td><td align='right'><i>w</i></td>"
             f"<td align='right'><i>{a_prev}ᵢ</i></td><td align='right'><i>w·{a_prev}ᵢ</i></td></tr>{terms}"
             f"<tr><td colspan='3'>{more:,} other terms</td><td align='right'><b>{fmt(n.rest)}</b></td></tr>"
             f"<tr><td colspan='3'>bias b</td><td align='right'><b>{fmt(n.bias)}</b></td></tr></table>")
    rows = [("a = σ(z)", fmt(n.a)), ("σ′(z) = a(1 − a)", fmt(n.sigma_prime)), ("dC/da", fmt(n.dC_da)),
            ("δ = dC/da ⊙ σ′(z)  (Fact 2)", fmt(n.delta)), ("∂C/∂b = δ  (Fact 3)", fmt(n.nabla_b))]
    if eta is not None:
        rows.append((f"step Δb = −η ∂C/∂b, η = {eta:g}", fmt(-eta * n.nabla_b)))
    return (f"<h3 style='margin:0'>Neuron {n.neuron} of layer {n.layer}</h3>"
            f"<p style='margin:4px 0'>z{u}<sub>{n.neuron}</sub> = Σᵢ w<sub>{n.neuron}ᵢ</sub> {a_prev}ᵢ + b = "
            f"<b>{fmt(n.z)}</b>, its largest terms:</p>{table}<br>{_rows(rows)}")


def _short_source(layer, i):
    return f"pixel {i}" if layer == 1 else f"neuron {i}"


def edge_html(e):
    """The HTML for :class:`nncore.diagram_model.EdgeNumbers` ``e``."""
    a_prev = "x" if e.layer == 1 else f"a{sup(e.layer - 1)}"
    rows = [("w", fmt(e.w)), (f"a′ = {a_prev}<sub>{e.source}</sub> (what it carries)", fmt(e.a_prev)),
            (f"δ of neuron {e.neuron}", fmt(e.delta)), ("∂C/∂w = a′ δ  (Fact 4)", fmt(e.nabla_w)),
            (f"step −η ∂C/∂w, η = {e.eta:g}", fmt(e.step)), ("w after the step", fmt(e.w_after))]
    return (f"<h3 style='margin:0'>Weight w{sup(e.layer)}<sub>{e.neuron},{e.source}</sub></h3>"
            f"<p style='margin:4px 0'>from {_source_name(e.layer, e.source)} to neuron {e.neuron} "
            f"of layer {e.layer}</p>{_rows(rows)}")


class NumbersPanel(QScrollArea):
    """Shows one neuron's or one edge's numbers; ``numbers`` is the record shown (or None)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel(HINT)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setMargin(6)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.numbers = None

    def show_neuron(self, numbers, eta=None):
        self.numbers = numbers
        self.label.setText(neuron_html(numbers, eta))

    def show_edge(self, numbers):
        self.numbers = numbers
        self.label.setText(edge_html(numbers))

    def clear(self):
        self.numbers = None
        self.label.setText(HINT)
