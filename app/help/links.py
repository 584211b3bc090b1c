"""Labels that explain themselves: hover a symbol for its definition, click "fact N" for the derivation.

:class:`SymbolLabel` shows a text in the markup of :mod:`app.help.facts`; :func:`fact_link_label` is a
label that is just a link to one fact.
"""

from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCursor, QPalette
from PySide6.QtWidgets import QLabel, QToolTip

from ..widgets.theme import link_colour
from .derivation import show_derivation
from .facts import parse
from .glossary import tip


class SymbolLabel(QLabel):
    """A label in markup: each marked symbol shows its own tooltip on hover (the label's tooltip lists
    them all), and each fact link opens the derivation dialog at that fact."""

    def __init__(self, markup="", parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.RichText)
        self.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
        self.linkHovered.connect(self._hovered)
        self.linkActivated.connect(self._activated)
        self._tokens, self._hover = [], None
        self.set_markup(markup)

    def set_markup(self, markup):
        """Show ``markup`` (see :mod:`app.help.facts`)."""
        self.markup, self._tokens, self._hover = markup, parse(markup), None
        self._render()
        self.setToolTip("\n".join(dict.fromkeys(t for t in self.symbol_tips().values() if t)))

    def symbol_tips(self):
        """{symbol as shown: its tooltip} for the marked symbols ("" for one the glossary lacks)."""
        return {text: tip(target) for kind, text, target in self._tokens if kind == "symbol"}

    def fact_links(self):
        """The fact numbers this label links to, in order."""
        return [target for kind, _text, target in self._tokens if kind == "fact"]

    def plain_text(self):
        """The text as shown, without markup."""
        return "".join(text for _kind, text, _target in self._tokens)

    def _render(self):
        # Colours from the palette as it is now (rich text keeps the colours it was given): symbols in the
        # text's, fact links in the link colour; re-rendered at every palette change (a theme switch).
        colour = self.palette().color(QPalette.WindowText).name()
        link = link_colour(self.palette()).name()
        parts = []
        for i, (kind, text, target) in enumerate(self._tokens):
            if kind == "symbol":
                parts.append(f"<a href='sym:{i}' style='color: {colour}; text-decoration: none'>{escape(text)}</a>")
            elif kind == "fact":
                parts.append(f"<a href='fact:{target}' style='color: {link}'>{escape(text)}</a>")
            else:
                parts.append(escape(text))
        self.setText("".join(parts))

    def _hovered(self, href):
        self._hover = href or None

    def _tip_for(self, href):
        kind, i = href.split(":")
        if kind == "fact":
            return f"Open the derivation at fact {i}"
        _kind, text, target = self._tokens[int(i)]
        return tip(target)

    def _activated(self, href):
        if href.startswith("fact:"):
            show_derivation(self, int(href[5:]))
        else:
            QToolTip.showText(QCursor.pos(), self._tip_for(href), self)

    def event(self, event):
        if event.type() == QEvent.ToolTip and self._hover:
            QToolTip.showText(event.globalPos(), self._tip_for(self._hover), self)
            return True
        return super().event(event)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (QEvent.PaletteChange, QEvent.ApplicationPaletteChange):
            self._render()      # the symbols and links are drawn in the colours of the theme


def fact_link_label(n, parent=None, text=None):
    """A label reading ``text`` (default "fact n") that opens the derivation dialog at fact ``n``."""
    label = SymbolLabel(f"{{{text or f'fact {n}'}|fact:{n}}}", parent)
    label.setToolTip(f"Open the derivation at fact {n}")
    return label
