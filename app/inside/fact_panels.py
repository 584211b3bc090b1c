"""The backward pass of one layer, fact by fact: each panel has its equation, shape and numbers; and the
order in which the inspector's fact-by-fact walk visits the facts."""

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nncore.limits import IMAGE_SHAPE, IMAGE_SIDE, N_INPUTS

from ..help.facts import FACTS, cost_fact1, delta_equation, equation
from ..help.links import SymbolLabel
from ..widgets.heatmap import HeatMap, Rendered, render
from ..widgets.images import tile_rows_as_images
from ..widgets.theme import bold, draw_frame

BORDER = 2   # px: the current fact's frame
PANELS = ("dC_da", "sigma_prime", "dC_dz", "nabla_w", "dC_da_prev")   # in the order backprop fills them


def walk_steps(n_layers, cost):
    """The fact-by-fact walk: ``(layer, fact)`` pairs from the output layer L down to layer 1.

    The output layer starts with Fact 1; a cost whose σ′ cancels (``cost.sigma_prime_cancels``) gives
    δᴸ at once, so Fact 1 there stands for facts 1 and 2. Below the output, dC/daˡ is the layer
    above's Fact 6, so a layer starts at Fact 2.
    """
    steps = []
    for layer in range(n_layers, 0, -1):
        first = ([1] if cost.sigma_prime_cancels else [1, 2]) if layer == n_layers else [2]
        steps += [(layer, fact) for fact in first + [3, 4, 5, 6]]
    return steps


def walk_to(steps, layer, fact, d, by_layer=False):
    """Where a move of ``d`` from ``(layer, fact)`` lands (d = −1: on towards the input, as backprop goes;
    +1: back towards the output): by a fact along ``steps``, or by a layer when ``fact`` is None or
    ``by_layer`` (in the fact walk, to the new layer's first fact). None when it would leave the walk."""
    if fact is None or by_layer:
        if not 1 <= layer + d <= steps[0][0]:
            return None
        return layer + d, None if fact is None else first_fact(steps, layer + d)
    i = steps.index((layer, fact)) - d
    return steps[i] if 0 <= i < len(steps) else None


def first_fact(steps, layer):
    """The first fact the walk shows at ``layer``."""
    return next(f for at, f in steps if at == layer)


class WalkBar(QWidget):
    """The walk's controls: back towards the output, where the walk is, "fact by fact", on towards the
    input. ``walked(d)``: d = +1 towards the output, −1 towards the input; ``factByFact(on)``."""

    walked = Signal(int)
    factByFact = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.towards_output = QPushButton("◀ towards the output (←)")
        self.towards_input = QPushButton("towards the input (→) ▶")
        self.towards_output.clicked.connect(lambda: self.walked.emit(+1))
        self.towards_input.clicked.connect(lambda: self.walked.emit(-1))
        self.label = QLabel("Inspect an example to begin")
        bold(self.label)                 # only the weight: the size follows the app's zoom, the colour its theme
        self.label.setAlignment(Qt.AlignCenter)
        self.label.setWordWrap(True)
        self.fact_by_fact = QCheckBox("Fact by fact")
        self.fact_by_fact.setToolTip("Walk one fact at a time (← →), with its words and its numbers, instead of "
                                     "a whole layer at once; ↑ ↓ move a layer")
        self.fact_by_fact.toggled.connect(self.factByFact)
        row = QHBoxLayout(self)
        row.setContentsMargins(9, 0, 9, 0)
        for w, stretch in ((self.towards_output, 0), (self.label, 1), (self.fact_by_fact, 0), (self.towards_input, 0)):
            row.addWidget(w, stretch)

    def show_place(self, steps, layer, fact):
        """Say where the walk is (``fact`` None: a whole layer) and enable the moves that stay on ``steps``."""
        n_layers = steps[0][0]
        text = f"Layer {layer} of {n_layers}" + ("  (output)" if layer == n_layers else "")
        if fact is not None:
            text += f",  fact {fact}  ({steps.index((layer, fact)) + 1} of {len(steps)})"
        self.label.setText(text)
        self.towards_output.setEnabled(walk_to(steps, layer, fact, +1) is not None)
        self.towards_input.setEnabled(walk_to(steps, layer, fact, -1) is not None)
        self.fact_by_fact.setChecked(fact is not None)


def step_panels(fact, delta_first):
    """(the panel that shows ``fact``'s result, every panel its step shows); ``delta_first``: Fact 1
    is δᴸ (a cost whose σ′ cancels, at the output)."""
    if fact == 1 and delta_first:
        return "dC_dz", ("dC_da", "dC_dz")
    return {1: ("dC_da", ("dC_da",)), 2: ("dC_dz", ("dC_da", "sigma_prime", "dC_dz")),
            3: ("dC_dz", ("dC_dz",)), 4: ("nabla_w", ("nabla_w",)), 5: ("nabla_w", ("nabla_w",)),
            6: ("dC_da_prev", ("dC_da_prev",))}[fact]


def headings(layer, n_layers, cost, fact=None):
    """{panel: its heading in markup} at ``layer``: each panel names the facts it shows (``fact``: the
    walk is at that fact, whose panel names only it)."""
    output = layer == n_layers
    u = "ᴸ" if output else _sup(layer)
    delta = delta_equation(cost) if output else None
    eq = lambda f: equation(f, layer, n_layers, cost)  # noqa: E731
    up = _sup(layer + 1)
    titles = {"dC_da": eq(1) if output else
              f"{{dC/da{u}}} = {{(W{up})ᵀ|Wᵀ}} {{dC/dz{up}}}  ({{Fact 6}} of the layer above)",
              "sigma_prime": _sigma_prime_heading(u, cost if delta else None),
              "dC_dz": f"{delta or eq(2)}    {eq(3)}",
              "nabla_w": f"{eq(5)}  (each entry is {eq(4)[0].lower()}{eq(4)[1:]})",
              "dC_da_prev": eq(6)}
    if fact is not None:
        titles[step_panels(fact, delta is not None)[0]] = delta if (fact == 1 and delta) else eq(fact)
    return titles


def _sigma_prime_heading(u, cancelling_cost):
    if cancelling_cost is None:
        return f"{{σ′(z{u})}} = {{a{u}}}(1 − {{a{u}}})  (the sigmoid's slope, for {{Fact 2}})"
    if cancelling_cost.output == "sigmoid":
        return f"{{σ′(z{u})}} = {{a{u}}}(1 − {{a{u}}}): it cancels in {{δ{u}}}, shown for comparison"
    return f"{{a{u}}}(1 − {{a{u}}}): the {{{cancelling_cost.output}}}'s own slopes, not σ′; {{δ{u}}} does not use them"


class FactPanel(QFrame):
    """A heading (hover its symbols, click its facts), a note on shapes, a heat map of the numbers and,
    while the walk is at its fact, that fact in words and its numbers."""

    def __init__(self, mode="diverging", height=26, parent=None, keep_aspect=False):
        super().__init__(parent)
        self.setObjectName("factPanel")
        self.title = SymbolLabel()
        self.title.setWordWrap(True)
        bold(self.title)                 # by its font: a style sheet would freeze its colours at polish time
        self.shape = QLabel()
        self.shape.setForegroundRole(QPalette.PlaceholderText)   # dimmer than the text in either theme
        self.words, self.numbers = QLabel(), QLabel()
        for label in (self.words, self.numbers):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            label.hide()
        self.map = HeatMap(mode, min_height=height, keep_aspect=keep_aspect)
        self.map.setMaximumHeight(max(height, 26) * 4)
        top = QGridLayout()
        top.addWidget(self.title, 0, 0)
        top.addWidget(self.shape, 0, 1, Qt.AlignTop)
        top.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4 + BORDER, 2 + BORDER, 4 + BORDER, 2 + BORDER)
        layout.addLayout(top)
        layout.addWidget(self.words)
        layout.addWidget(self.numbers)
        layout.addWidget(self.map)
        self.set_current(False)

    def paintEvent(self, event):
        super().paintEvent(event)
        if self.current:      # the walk's fact: framed in the highlight colour, read as it paints
            draw_frame(self, QPalette.Highlight, BORDER)

    def show_view(self, view):
        """Show a :class:`PanelView`: its shape note and its rendered numbers."""
        self.shape.setText(view.shape_text)
        self.map.keep_aspect = view.keep_aspect
        self.map.describe = view.describe
        self.map.show_rendered(view.rendered)

    def set_current(self, current, words="", numbers=""):
        """Mark the panel as the walk's current fact, with that fact in ``words`` and its ``numbers``."""
        self.current = current
        self.update()
        self.words.setText(words)
        self.numbers.setText(numbers)
        self.words.setVisible(current and bool(words))
        self.numbers.setVisible(current and bool(numbers))


@dataclass(frozen=True)
class PanelView:
    """What one fact panel shows: a note on shapes, the hover text, the rendered numbers, the aspect."""

    shape_text: str
    describe: object
    rendered: Rendered
    keep_aspect: bool = False


def layer_views(tr, layer, cost):
    """What the panels show at ``layer`` (1-based) of trace ``tr`` for the network's ``cost``: one
    :class:`PanelView` per panel, and under "numbers" {fact: its numbers in words}. No widget is touched,
    so this may run off the GUI thread (the colour mapping of a 1000 × 784 D_W C is its heavy part)."""
    i = layer - 1
    n_out, n_in = tr.nabla_w[i].shape
    vec = lambda name: (lambda r, c, v: f"{name}[{c}] = {v:.5g}")  # noqa: E731
    a_prev, delta = tr.activations[i], tr.dC_dz[i]

    def weight_text(j, k, v):
        return f"∂C/∂w[{j}, {k}] = a′[{k}] δ[{j}] = {a_prev[k]:.4g} × {delta[j]:.4g} = {v:.5g}  (Fact 4)"

    views = {"dC_da": PanelView(f"shape ({n_out},)", vec("dC/da"), render(tr.dC_da[i])),
             "sigma_prime": PanelView(f"shape ({n_out},)", vec("σ′(z)"), render(tr.sigma_prime[i])),
             "dC_dz": PanelView(f"shape ({n_out},) = dC/db", vec("dC/dz"), render(delta))}
    scale = float(np.max(np.abs(tr.nabla_w[i]))) or 1.0
    if layer == 1 and n_in == N_INPUTS:
        tiled, locate = tile_rows_as_images(tr.nabla_w[i])
        side = f"{IMAGE_SIDE}×{IMAGE_SIDE}"
        views["nabla_w"] = PanelView(f"({n_out}, {N_INPUTS}): each hidden neuron's row as a {side} image",
                                     lambda r, c, v: _pixel_text(locate(r, c), v, weight_text),
                                     render(tiled, scale=scale), keep_aspect=True)
    else:
        views["nabla_w"] = PanelView(f"shape ({n_out}, {n_in})", weight_text, render(tr.nabla_w[i], scale=scale))
    if n_in == N_INPUTS:
        views["dC_da_prev"] = PanelView(f"({N_INPUTS},) shown as {IMAGE_SIDE}×{IMAGE_SIDE}",
                                        lambda r, c, v: f"dC/dx[{r * IMAGE_SIDE + c}] = {v:.5g}",
                                        render(tr.dC_da_prev[i].reshape(IMAGE_SHAPE)), keep_aspect=True)
    else:
        views["dC_da_prev"] = PanelView(f"shape ({n_in},)", vec("dC/da′"), render(tr.dC_da_prev[i]))
    views["numbers"] = _fact_numbers(tr, i, cost.sigma_prime_cancels)
    return views


def _fact_numbers(tr, i, delta_first):
    """{fact: one line of the numbers it works with} at layer index ``i`` of trace ``tr`` (``delta_first``:
    the cost gives δᴸ as Fact 1)."""
    g, a_prev, delta, dC_da, sp = tr.nabla_w[i], tr.activations[i], tr.dC_dz[i], tr.dC_da[i], tr.sigma_prime[i]
    j, k = np.unravel_index(int(np.argmax(np.abs(g))), g.shape)
    n = int(np.argmax(np.abs(delta)))
    result = f"δᴸ = {_vector(delta)}" if delta_first else f"dC/daᴸ = {_vector(dC_da)}"
    return {1: f"aᴸ = {_vector(tr.activations[-1])};  y = {_vector(tr.y)};  {result}",
            2: f"δ = {_vector(delta)}.  At neuron {n} (the largest |δ|): dC/da × σ′(z) = "
               f"{dC_da[n]:.4g} × {sp[n]:.4g} = {delta[n]:.4g}",
            3: f"dC/db = {_vector(tr.nabla_b[i])}",
            4: f"The largest, w[{j}, {k}]: a′[{k}] × δ[{j}] = {a_prev[k]:.4g} × {delta[j]:.4g} = {g[j, k]:.4g}.  "
               "Hover the map for any other weight.",
            5: f"{g.shape[0]} × {g.shape[1]} = {g.size:,} slopes: δ as rows times a′ as columns; the largest "
               f"|∂C/∂w| is {abs(g[j, k]):.4g} at [{j}, {k}]",
            6: f"{'dC/dx' if i == 0 else 'dC/da′'} = {_vector(tr.dC_da_prev[i])}"}


def _vector(v, most=10):
    """The entries of a short vector, or for a long one its size and its largest entry."""
    if v.size <= most:
        return "[" + ", ".join(f"{x:.3g}" for x in v) + "]"
    top = int(np.argmax(np.abs(v)))
    return f"{v.size} numbers, the largest |·| {abs(v[top]):.3g} at [{top}], mean |·| {np.mean(np.abs(v)):.3g}"


class LayerFacts(QWidget):
    """The backward pass at layer l of a trace (l = 1 … L, as in the derivation): dC/daˡ (fact 1 at the
    output, fact 6 of the layer above elsewhere), σ′(zˡ), facts 2 and 3, facts 5 and 4, and fact 6 to the
    layer below; all at once, or one fact at a time with its words and its numbers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.dC_da, self.sigma_prime, self.dC_dz = FactPanel(), FactPanel(), FactPanel()
        self.nabla_w = FactPanel(height=260)
        self.nabla_w.map.setMaximumHeight(2000)
        self.dC_da_prev = FactPanel(height=26)
        self.current = None      # the panel of the walk's current fact (None: all shown, none marked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for name in PANELS:
            layout.addWidget(getattr(self, name))
        layout.setStretchFactor(self.nabla_w, 1)

    def show_layer(self, tr, layer, cost, fact=None):
        """Fill the panels for ``layer`` (1-based) of trace ``tr``; ``cost`` is the network's cost."""
        self.show_views(layer_views(tr, layer, cost), layer, len(tr.dC_dz), cost, fact)

    def show_views(self, views, layer, n_layers, cost, fact=None):
        """Show what :func:`layer_views` computed at ``layer``; with ``fact``, only that fact's panels."""
        delta_first = layer == n_layers and cost.sigma_prime_cancels
        current, shown = step_panels(fact, delta_first) if fact is not None else (None, PANELS)
        words = (cost_fact1(cost).words or FACTS[1].words) if fact == 1 else FACTS[fact].words if fact else ""
        for name, title in headings(layer, n_layers, cost, fact).items():
            panel = getattr(self, name)
            panel.title.set_markup(title)
            panel.show_view(views[name])
            panel.setVisible(name in shown)
            panel.set_current(name == current, words, views["numbers"].get(fact, ""))
        self.current = getattr(self, current) if current else None
        self.dC_da_prev.map.setMinimumHeight(112 if views["dC_da_prev"].keep_aspect else 26)


def _pixel_text(where, v, weight_text):
    if where is None:
        return ""
    neuron, pixel = where
    return f"neuron {neuron}, pixel {pixel} (row {pixel // IMAGE_SIDE}, col {pixel % IMAGE_SIDE}): " + \
        weight_text(neuron, pixel, v).replace(f"∂C/∂w[{neuron}, {pixel}] = ", "∂C/∂w = ")


def _sup(n):
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
