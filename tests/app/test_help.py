"""Help → "The derivation" opens at the fact asked for, fact links lead there, and every symbol the
inspector's headings show has a definition in words."""

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QToolTip

from app.help import GLOSSARY, fact_link_label, show_derivation, tip
from app.help.derivation import DerivationDialog
from app.help.facts import FACTS, delta_equation, symbols, unknown_symbols
from app.help.links import SymbolLabel
from app.inside.fact_panels import headings, walk_steps
from nncore.costs import COSTS

# The symbols the issue names as unexplained on screen, and those the settings panel and menus show.
NAMED = ["η", "zˡ", "aˡ", "σ", "σ′(z)", "δˡ", "y", "C", "∂C/∂bˡ", "∂C/∂wˡ", "D_W C", "dC/dx", "‖∂C/∂bˡ‖",
         "N(0, 1)", "N(0, 1/n_in)", "log-likelihood", "cross-entropy", "quadratic cost", "λ", "m", "epoch",
         "⊙", "⊗", "Wᵀ"]


@pytest.fixture
def main_window(qtbot):
    """A bare main window to own the dialog (one per window)."""
    w = QMainWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def test_show_derivation_opens_non_modal_at_the_fact_asked_for(main_window, qtbot):
    """fact=5 opens with fact 5's card in view and marked; asking again for fact 2 reuses the same dialog."""
    dialog = show_derivation(main_window, fact=5)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and not dialog.isModal() and dialog.parent() is main_window
    assert dialog.current_fact == 5 and dialog.fact_visible(5) and not dialog.fact_visible(1)
    assert [n for n, card in dialog.cards.items() if card.marked] == [5]
    again = show_derivation(main_window.centralWidget() or main_window, fact=2)
    assert again is dialog and len(main_window.findChildren(DerivationDialog)) == 1
    assert dialog.fact_visible(2) and [n for n, card in dialog.cards.items() if card.marked] == [2]


def test_the_dialog_shows_both_notations_and_fact_1_of_every_cost(main_window):
    """Each card has the derivation's d/D form beside the ∂/δ form; the cost section names every nncore cost."""
    dialog = show_derivation(main_window)
    for n, fact in FACTS.items():
        text = dialog.cards[n].label.text()
        assert f"Fact {n}:" in text and fact.derivation in text and fact.views in text
    assert "<b>D</b><sub>W</sub>C = <b>d</b><sub>z</sub>C ⊗ a′" in dialog.cards[5].label.text()
    every_text = " ".join(label.text() for label in dialog.findChildren(type(dialog.cards[1].label)))
    for name in COSTS:
        assert f"<b>{name}</b>" in every_text
    assert "δᴸ = aᴸ − y: facts 1 and 2 in one" in every_text


def test_a_fact_link_opens_the_dialog_at_its_fact(main_window):
    """fact_link_label(3) opens fact 3; a heading's "Fact 6" link opens fact 6."""
    link = fact_link_label(3, main_window)
    assert link.fact_links() == [3]
    link.linkActivated.emit("fact:3")
    dialog = main_window.findChild(DerivationDialog)
    assert dialog.isVisible() and dialog.current_fact == 3
    heading = SymbolLabel("{Fact 6}: {dC/da²} = {(W³)ᵀ|Wᵀ} {dC/dz³}", main_window)
    heading.linkActivated.emit("fact:6")
    assert dialog.current_fact == 6 and len(main_window.findChildren(DerivationDialog)) == 1


def test_the_glossary_defines_every_named_symbol():
    """Every entry is words; every symbol the issue names has a tip; layer numbers are read as l."""
    assert all(isinstance(v, str) and len(v) > 20 for v in GLOSSARY.values())
    for symbol in NAMED:
        assert tip(symbol).startswith(f"{symbol}: ") and len(tip(symbol)) > len(symbol) + 20, symbol
    assert tip("z³") == f"z³ (here l = 3): {GLOSSARY['zˡ']}"
    assert tip("λ (L2)") == f"λ (L2): {GLOSSARY['λ']}"
    assert tip("no such symbol") == ""


@pytest.mark.parametrize("cost", sorted(COSTS))
def test_every_symbol_in_the_inspectors_headings_has_a_tip(cost):
    """In every heading of every layer, by layer or at any fact, each marked symbol is in the glossary."""
    c = COSTS[cost]
    for layer, fact in [(layer, None) for layer in (1, 2, 3)] + walk_steps(3, c):
        for markup in headings(layer, 3, c, fact).values():
            assert symbols(markup) and unknown_symbols(markup) == [], markup
    assert (delta_equation(c) is not None) == c.sigma_prime_cancels


def test_hovering_a_symbol_shows_its_own_definition(main_window, qtbot):
    """Over the link of δ³ the tooltip is δ³'s; elsewhere the label's tooltip lists all its symbols."""
    label = SymbolLabel("{Fact 2}: {δ³} = {dC/da³} ⊙ {σ′(z³)}", main_window)
    label.show()
    assert list(label.symbol_tips()) == ["δ³", "dC/da³", "σ′(z³)"]
    assert label.toolTip().splitlines() == [tip("δ³"), tip("dC/da³"), tip("σ′(z³)")]
    label.linkHovered.emit("sym:2")                     # token 2: after the fact link and ": "
    QApplication.sendEvent(label, QHelpEvent(QEvent.ToolTip, QPoint(2, 2), label.mapToGlobal(QPoint(2, 2))))
    assert QToolTip.text() == tip("δ³")
    QToolTip.hideText()
