"""The one way the plots make a pen: a colour with alpha, a width, solid or dashed."""

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

FADED_ALPHA = 90   # earlier runs' curves, faint beside the current one


def pen(color, *, width=2.0, alpha=255, dash=False):
    """A pyqtgraph pen of ``color`` (any Qt colour spec) with ``alpha`` 0–255."""
    c = QColor(color)
    c.setAlpha(alpha)
    p = pg.mkPen(c, width=width)
    if dash:
        p.setStyle(Qt.DashLine)
    return p
