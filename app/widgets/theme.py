"""Colours read from the palette, never fixed: what a widget paints follows the light theme, the dark one
and the system's, whichever is in use when it paints.

A widget that paints asks here at paint time; one whose colour is set once (a label's palette, a link's
colour in rich text, a plot's pens) re-applies it through :func:`follow_palette` when the palette
changes. Bold text is a QFont's weight, not a style sheet (a style sheet freezes a widget's palette at
the moment it is polished).
"""

from PySide6.QtCore import QEvent, QObject, QRectF
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication

AA = 4.5          # WCAG AA: text against its background
FAINT = 0.12      # how far a track or a grid line leans from the background towards the text


def luminance(c):
    """WCAG relative luminance of an opaque QColor, 0 … 1."""
    def linear(v):
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = c.redF(), c.greenF(), c.blueF()
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a, b):
    """WCAG contrast ratio of two opaque colours, 1 … 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def mix(a, b, t):
    """The colour ``t`` of the way from ``a`` to ``b`` (opaque)."""
    a, b = QColor(a), QColor(b)
    return QColor.fromRgbF(*(x + t * (y - x) for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3])))


def readable(colour, background, ratio=AA):
    """``colour``, or the nearest mix of it towards black or white (whichever stands further from
    ``background``) that keeps ``ratio`` against it: a hue kept, made legible in either theme."""
    colour, background = QColor(colour), QColor(background)
    extreme = QColor("black") if luminance(background) > 0.18 else QColor("white")
    for step in range(21):
        candidate = mix(colour, extreme, step / 20)
        if contrast(candidate, background) >= ratio:
            return candidate
    return extreme


def dim_text(palette):
    """Quieter text than the palette's, still AA-readable on its window: a shape note, a caption."""
    text, window = palette.color(QPalette.WindowText), palette.color(QPalette.Window)
    return readable(mix(text, window, 0.45), window, AA + 0.5)


def faint(palette, role=QPalette.Window):
    """Barely off the ``role`` colour, towards the text: an empty bar's track, a grid line."""
    return mix(palette.color(role), palette.color(QPalette.WindowText), FAINT)


def link_colour(palette, background_role=QPalette.Window):
    """The palette's link colour, readable on its ``background_role``."""
    return readable(palette.color(QPalette.Link), palette.color(background_role))


def bold(widget, scale=1.0):
    """Make ``widget``'s text bold (and ``scale`` times the application's size). Returns ``widget``."""
    return set_font(widget, bold=True, scale=scale)


def set_font(widget, *, bold=False, scale=1.0):
    """Give ``widget`` a bold and/or scaled font by its font alone (a style sheet would freeze its palette
    when polished): the family, and the size through the zoom, keep following the application's."""
    def apply():
        font = QFont()                 # sets only what is set here; the rest is inherited
        if bold:
            font.setBold(True)
        if scale != 1.0:
            font.setPointSizeF(QApplication.font().pointSizeF() * scale)
        widget.setFont(font)
    if scale != 1.0:
        widget.installEventFilter(_Follower(widget, apply, (QEvent.ApplicationFontChange,)))
    apply()
    return widget


def draw_frame(widget, role, width, radius=4):
    """Paint a rounded frame ``width`` px wide in ``widget``'s palette colour ``role`` (from its paintEvent)."""
    p = QPainter(widget)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(widget.palette().color(role), width))
    half = width / 2
    p.drawRoundedRect(QRectF(widget.rect()).adjusted(half, half, -half, -half), radius, radius)
    p.end()


class _Follower(QObject):
    """Calls ``apply()`` when its widget gets one of the ``events`` (a palette or font change)."""

    def __init__(self, widget, apply, events):
        super().__init__(widget)
        self.apply, self.events, self._busy = apply, events, False

    def eventFilter(self, _obj, event):
        if event.type() in self.events and not self._busy:
            self._busy = True          # apply() may set the palette: no second round from that
            try:
                self.apply()
            finally:
                self._busy = False
        return False


def follow_palette(widget, apply):
    """Call ``apply()`` now and whenever ``widget``'s palette changes (a theme switch). Returns ``widget``."""
    widget.installEventFilter(_Follower(widget, apply, (QEvent.PaletteChange, QEvent.ApplicationPaletteChange)))
    apply()
    return widget


def set_role_colour(widget, role, colour_of):
    """Keep ``widget``'s palette ``role`` at ``colour_of(palette)`` of the palette it inherits, now and
    after every theme switch. Returns ``widget``."""
    def apply():
        parent = widget.parentWidget()
        colour = colour_of(parent.palette() if parent is not None else QApplication.palette())
        if widget.palette().color(role) != colour:
            palette = QPalette()       # this one role set on the widget, enabled; the others inherited
            for group in (QPalette.Active, QPalette.Inactive):
                palette.setColor(group, role, colour)
            widget.setPalette(palette)
    return follow_palette(widget, apply)

