"""Help → "The derivation": facts 1–6 in the derivation's notation beside the views' ∂/δ notation.

One non-modal dialog per window, made the first time it is asked for; :func:`show_derivation` opens
(or raises) it and scrolls to one fact, which it marks. Every text here is written in this module and
:mod:`app.help.facts` (nothing the user typed goes into the rich text).
"""

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from nncore.costs import COSTS

from ..widgets.theme import draw_frame
from .facts import FACTS, cost_fact1, plain
from .glossary import GLOSSARY, lookup

INTRO = (
    "<h2>Backpropagation in six facts</h2>"
    "<p>The network: z<sup>l</sup> = W<sup>l</sup> a<sup>l−1</sup> + b<sup>l</sup> and "
    "a<sup>l</sup> = σ(z<sup>l</sup>) for l = 1 … L, with a<sup>0</sup> = x the image. The cost C "
    "compares the output a<sup>L</sup> with the target y. Backprop finds how C changes with every weight "
    "and bias, starting at the output (fact 1) and walking down one layer at a time (facts 2–6).</p>"
    "<p><b>Two notations.</b> The derivation writes <b>d</b><sub>x</sub>C for a <i>gradient</i>: the "
    "column of the partial derivatives of C, one per entry of x (the inspector writes it dC/dx), and "
    "<b>D</b><sub>W</sub>C for a <i>matrix of partial derivatives</i>, one entry per weight. The other "
    "views follow Nielsen's book: ∂C/∂b<sup>l</sup>, ∂C/∂w<sup>l</sup> and the error "
    "δ<sup>l</sup> = ∂C/∂z<sup>l</sup>. A prime means the layer below: a′ = a<sup>l−1</sup>.</p>"
    "<p><b>Shapes.</b> A layer's weights W are a matrix (n_out, n_in): row j holds the weights into "
    "neuron j. Vectors (x, z, a, b, y, δ) are columns: (n,). ⊙ multiplies entry by entry; u ⊗ v = u vᵀ.</p>")

STEP = (
    "<h3>The step</h3><p>Every weight and bias moves against its slope: "
    "Δb = −η <b>d</b><sub>b</sub>C and ΔW = −η <b>D</b><sub>W</sub>C (in the views ΔW = −η ∂C/∂W), with "
    "η the learning rate. Training averages the slopes over a mini-batch of m images before each step; "
    "the inspector's \"Apply this one step\" takes one example's.</p>")


class DerivationDialog(QDialog):
    """Facts 1–6, each a card: both notations, the words, the symbols, the shapes; then fact 1 per cost."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("The derivation: backpropagation in six facts")
        self.setModal(False)
        self.current_fact = None
        self.cards = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(_text(INTRO))
        for number, fact in FACTS.items():
            self.cards[number] = _FactCard(fact)
            layout.addWidget(self.cards[number])
        layout.addWidget(_text(_costs_html()))
        layout.addWidget(_text(STEP))
        layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll)
        outer.addWidget(buttons)
        self.resize(760, 620)

    def go_to(self, number):
        """Scroll to fact ``number`` (1–6) and mark it (the mark moves from the fact marked before)."""
        if number not in self.cards:
            return
        for n, card in self.cards.items():
            card.set_marked(n == number)
        self.current_fact = number
        self.scroll.widget().layout().activate()
        card = self.cards[number]
        bar = self.scroll.verticalScrollBar()
        bar.setValue(min(card.y() - 8, bar.maximum()))

    def fact_visible(self, number):
        """True when the top of fact ``number``'s card is inside the visible part of the dialog."""
        top = self.cards[number].y() - self.scroll.verticalScrollBar().value()
        return 0 <= top < self.scroll.viewport().height()


class _FactCard(QFrame):
    """One fact: a heading, the two notations side by side, the words, the symbols and the shapes."""

    def __init__(self, fact, parent=None):
        super().__init__(parent)
        self.setObjectName("factCard")
        self.setContentsMargins(3, 3, 3, 3)    # room for the frame paintEvent draws
        symbols = "".join(f"<li><b>{escape(s)}</b>: {escape(GLOSSARY[lookup(s)[0]])}</li>" for s in fact.symbols)
        self.label = _text(
            f"<a name='fact{fact.number}'></a><h3>Fact {fact.number}: {escape(fact.name)}</h3>"
            "<table cellspacing='0' cellpadding='4' width='100%'>"
            "<tr><td width='50%'><i>The derivation (d, D)</i></td><td><i>The views (∂, δ)</i></td></tr>"
            f"<tr><td style='font-size: large'>{fact.derivation}</td>"
            f"<td style='font-size: large'>{fact.views}</td></tr></table>"
            f"<p>{escape(fact.words)}</p><ul>{symbols}</ul><p><i>Shapes:</i> {escape(fact.shapes)}</p>")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.set_marked(False)

    def set_marked(self, marked):
        """Draw the card with a highlighted border when it is the fact asked for."""
        self.marked = marked
        self.update()

    def paintEvent(self, _event):
        # the frame in the palette's colours as it paints (a style sheet's palette() is read once)
        draw_frame(self, QPalette.Highlight if self.marked else QPalette.Mid, 3 if self.marked else 1)


def _costs_html():
    """Fact 1 (with δᴸ) for each cost nncore has, from what each cost declares."""
    rows = []
    for name, cost in COSTS.items():
        f1 = cost_fact1(cost)
        delta = (f"<br>{escape(plain(f1.delta))}: facts 1 and 2 in one" if f1.delta
                 else "<br>then fact 2 as usual: δᴸ = dC/daᴸ ⊙ σ′(zᴸ)")
        rows.append(f"<li><b>{escape(name)}</b>: {escape(plain(f1.dC_da))}{delta}"
                    f"<br>{escape(f1.words)}</li>")
    return "<h3>Fact 1 for each cost</h3><ul>" + "".join(rows) + "</ul>"


def _text(html):
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def show_derivation(parent, fact=None):
    """Open the derivation dialog of ``parent``'s window (made on first use, one per window), raise it,
    and scroll to fact ``fact`` (1–6) if given. Returns the dialog. With ``parent`` None a new dialog
    is made each time (the caller keeps it)."""
    window = parent.window() if parent is not None else None
    dialog = window.findChild(DerivationDialog, options=Qt.FindDirectChildrenOnly) if window else None
    if dialog is None:
        dialog = DerivationDialog(window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if fact is not None:
        dialog.go_to(fact)
    return dialog
