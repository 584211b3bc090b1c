"""The diagram's colours: sign by hue (warm +, cool −), magnitude by alpha and width, in a few bins.

Values are quantised into ``LEVELS`` magnitude bins per sign, so that a frame sets one pen per bin and
draws all its lines at once, whatever the number of edges.
"""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

LEVELS = 8
GREYS = 32
BACKGROUND = QColor("#1c1e24")
TEXT = QColor("#c9ccd3")
DIM_TEXT = QColor("#7d828c")
OUTLINE = QColor("#6b7280")
SELECTED = QColor("#ffd54f")
OFF = QColor("#ff1744")
POSITIVE = (255, 112, 67)    # deep orange
NEGATIVE = (64, 196, 255)    # light blue


def signed_bins(values, scale):
    """Signed bin numbers (same shape): ±1 … ±LEVELS by |value| / scale, 0 for exactly zero."""
    v = np.asarray(values, dtype=np.float64)
    m = np.clip(np.abs(v) / (scale if scale > 0 else 1.0), 0.0, 1.0)
    level = np.clip(np.ceil(m * LEVELS), 0, LEVELS).astype(int)
    return np.sign(v).astype(int) * level


def signed_color(level, alpha_low=40, alpha_high=255):
    """The colour of signed bin ``level`` (±1 … ±LEVELS), opaque: the hue mixed into the background
    as if drawn at an alpha growing with the level (opaque lines paint many times faster)."""
    hue = np.array(POSITIVE if level > 0 else NEGATIVE, dtype=float)
    alpha = (alpha_low + (alpha_high - alpha_low) * (abs(level) / LEVELS) ** 1.5) / 255.0
    bg = np.array([BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()], dtype=float)
    return QColor(*(int(round(v)) for v in bg + alpha * (hue - bg)))


def signed_rgb(values, scale):
    """uint8 RGB ``(..., 3)``: the background at 0, towards the warm hue for + and the cool one for −."""
    t = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float64)) / (scale if scale > 0 else 1.0), -1, 1)
    bg = np.array([BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()], dtype=float)
    hue = np.where(t[..., None] > 0, np.array(POSITIVE, dtype=float), np.array(NEGATIVE, dtype=float))
    return (bg + np.abs(t)[..., None] * (hue - bg)).astype(np.uint8)


def edge_pens(width_low=0.6, width_high=2.4, alpha_low=40, alpha_high=255):
    """{signed bin: QPen}: faint thin lines for small values, bright thick ones for large (flat caps:
    round ones cost Qt's stroker dearly)."""
    pens = {}
    for level in range(-LEVELS, LEVELS + 1):
        if level:
            width = width_low + (width_high - width_low) * abs(level) / LEVELS
            pen = QPen(signed_color(level, alpha_low, alpha_high), width)
            pen.setCapStyle(Qt.FlatCap)
            pens[level] = pen
    return pens


def signed_brushes():
    """{signed bin: QBrush} for node fills by a signed value (z, δ), plus 0: the background."""
    brushes = {0: QBrush(BACKGROUND)}
    for level in range(-LEVELS, LEVELS + 1):
        if level:
            brushes[level] = QBrush(signed_color(level, 60, 255))
    return brushes


def grey_bins(values):
    """Bins 0 … GREYS − 1 of activations in [0, 1]."""
    a = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float64)), 0.0, 1.0)
    return np.minimum((a * GREYS).astype(int), GREYS - 1)


def grey_brushes():
    """GREYS brushes from black (a = 0) to white (a = 1), as the input image is drawn."""
    return [QBrush(QColor.fromRgbF(*(3 * [(k + 0.5) / GREYS]))) for k in range(GREYS)]


def ring_pens():
    """{signed bin: QPen} for the error rings around nodes (δ, dC/da)."""
    return edge_pens(width_low=1.0, width_high=4.0, alpha_low=90, alpha_high=255)
