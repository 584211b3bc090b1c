"""Help inside the app: the derivation's facts 1–6 in a dialog, links to them, and a glossary of symbols."""

from .derivation import DerivationDialog, show_derivation
from .glossary import GLOSSARY, tip
from .links import SymbolLabel, fact_link_label

__all__ = ["GLOSSARY", "DerivationDialog", "SymbolLabel", "fact_link_label", "show_derivation", "tip"]
