"""Small input widgets that say what they accept: a number field with a message beside it."""

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QDoubleValidator, QPalette
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSpinBox

from .theme import readable, set_font, set_role_colour

ERROR = QColor("#c62828")    # a message's red, made readable on the window of either theme


class MessageLabel(QLabel):
    """A red one-line note under a field; hidden while the field is fine."""

    def __init__(self, parent=None):
        super().__init__(parent)
        set_role_colour(self, QPalette.WindowText, lambda p: readable(ERROR, p.color(QPalette.Window)))
        set_font(self, scale=0.9)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text):
        """Show ``text``, or hide when it is empty."""
        self.setText(text or "")
        self.setVisible(bool(text))


class IntField(QSpinBox):
    """A whole-number field that lets the user type anything numeric; the panel judges the range.

    ``edited(value or None)`` fires on every keystroke: None while the text is not a whole number.
    """

    edited = Signal(object)

    def __init__(self, value, *, step=1, tooltip="", parent=None):
        super().__init__(parent)
        self.setRange(-10**9, 2**31 - 1)   # wide on purpose: out-of-range values get a message
        self.setSingleStep(step)
        self.setValue(value)
        self.setToolTip(tooltip)
        self.setKeyboardTracking(True)
        self.setGroupSeparatorShown(True)
        self.lineEdit().textEdited.connect(self._text_edited)
        self.valueChanged.connect(lambda v: self.edited.emit(int(v)))

    def _text_edited(self, text):
        try:
            self.edited.emit(int(text.replace(",", "").replace(" ", "")))
        except ValueError:
            self.edited.emit(None)

    def current(self):
        """The typed value, or None if the text is not a whole number."""
        text = self.lineEdit().text().replace(",", "").replace(" ", "")
        try:
            return int(text)
        except ValueError:
            return None


class FloatField(QDoubleSpinBox):
    """A real-number field with a wide range; ``edited(value or None)`` on every keystroke."""

    edited = Signal(object)

    def __init__(self, value, *, decimals=4, tooltip="", parent=None):
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setRange(-1e9, 1e9)
        self.setValue(value)
        self.setToolTip(tooltip)
        self.setKeyboardTracking(True)
        self.lineEdit().textEdited.connect(self._text_edited)
        self.valueChanged.connect(lambda v: self.edited.emit(float(v)))

    def _text_edited(self, text):
        self.edited.emit(self.current())

    def current(self):
        """The typed value, or None if the text is not a number."""
        try:
            return float(self.lineEdit().text().replace(",", ""))
        except ValueError:
            return None

    def validate(self, text, pos):  # accept anything so that a bad value can be explained
        state, text, pos = super().validate(text, pos)
        return (QDoubleValidator.Intermediate if state == QDoubleValidator.Invalid else state,
                text, pos)

    def textFromValue(self, value):
        return f"{value:.{self.decimals()}f}".rstrip("0").rstrip(".") or "0"
