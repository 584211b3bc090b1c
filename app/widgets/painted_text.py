"""Text that changes many times a second without relayouting the window: painted, not a QLabel.

A QLabel's ``setText`` or ``setPixmap`` asks its parents to lay themselves out again (up to the
window, unless it is fixed-size), and ``setStyleSheet`` re-polishes it; on the pad, which reads the
drawing at every pen move while a network trains, both cost the GUI thread (and the worker, through
the GIL) more than the reading itself. :class:`PaintedText` only repaints itself, and only when its
text or colour changed.
"""

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from .theme import readable


class PaintedText(QWidget):
    """Lines of text painted in one colour; the first line bold when ``bold_first``; long lines wrap.

    ``setText(text)`` takes lines separated by ``\\n``; ``text()`` gives them back. ``set_color(color)``
    (a QColor or a name, painted readable on the window of the theme in use; a QPalette role; None: the
    palette's text colour). It keeps the height of ``lines`` lines and asks for the width of ``chars``
    digits.
    """

    def __init__(self, text="", *, font=None, lines=1, chars=16, align=Qt.AlignLeft | Qt.AlignTop,
                 bold_first=False, parent=None):
        super().__init__(parent)
        self._text, self._color, self._align, self._bold_first = text, None, align, bold_first
        self._painted = (None, None)     # ((colour, palette key), the colour painted): made once per change
        self._chars = chars
        self.setFont(font if font is not None else QFont(self.font()))
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + 2)

    def sizeHint(self):
        return QSize(self.fontMetrics().horizontalAdvance("0" * self._chars) + 4, self.height())

    def minimumSizeHint(self):
        return QSize(self.fontMetrics().horizontalAdvance("0") + 4, self.height())

    def text(self):
        """The text shown, lines separated by ``\\n``."""
        return self._text

    def setText(self, text):
        """Show ``text``; a repaint of this widget only, and none when it is what is shown."""
        if text != self._text:
            self._text = text
            self.update()

    def color(self):
        """The text's colour as set: a QColor, a QPalette role, or None for the palette's text colour."""
        return self._color

    def set_color(self, color):
        """Paint the text in ``color`` (a QColor or a colour name, made readable on the theme's window;
        a QPalette role; None: the palette's text colour)."""
        color = color if color is None or isinstance(color, QPalette.ColorRole) else QColor(color)
        if color != self._color:
            self._color = color
            self.update()

    def _pen_colour(self):
        palette = self.palette()
        if self._color is None or isinstance(self._color, QPalette.ColorRole):
            return palette.color(QPalette.WindowText if self._color is None else self._color)
        key = (self._color.rgba(), palette.cacheKey())
        if self._painted[0] != key:
            self._painted = key, readable(self._color, palette.color(QPalette.Window))
        return self._painted[1]

    def paintEvent(self, _event):
        p = QPainter(self)
        p.setPen(self._pen_colour())
        rect = QRectF(self.rect())
        first, _, rest = self._text.partition("\n")
        flags = self._align | Qt.TextWordWrap
        if self._bold_first and rest:
            bold = QFont(self.font())
            bold.setBold(True)
            p.setFont(bold)
            used = p.boundingRect(rect, flags, first)
            p.drawText(rect, flags, first)
            p.setFont(self.font())
            rect.setTop(used.bottom())
            p.drawText(rect, flags, rest)
        else:
            p.drawText(rect, flags, self._text)
        p.end()
