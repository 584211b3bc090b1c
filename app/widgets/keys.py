"""Keys a page acts on (arrows to walk, Space to play), left to the control with the focus when it uses them.

A page's QShortcut takes its key before the focused control sees it: an arrow in the page's combo box or
spin box would walk the page instead of changing the value. Before a shortcut fires, Qt asks the focused
widget and then its parents whether they want the key themselves (a ShortcutOverride event); here the
page says yes for a key that the focused control uses, so that control gets it, and otherwise lets the
shortcut act. Buttons, labels and plots leave the keys to the page.
"""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QTextEdit,
)

USES_KEYS = (QComboBox, QAbstractSpinBox, QAbstractSlider, QLineEdit, QTextEdit, QAbstractItemView)


class PageKeys(QObject):
    """``PageKeys(page, {Qt.Key_Right: slot, ...})``: ``slot()`` for each of those keys pressed while the
    focus is in ``page``, except in a control that uses keys itself (a box, a field, a slider, a list)."""

    def __init__(self, page, actions):
        super().__init__(page)
        self.shortcuts = []
        for key, slot in actions.items():
            shortcut = QShortcut(QKeySequence(key), page, slot)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            self.shortcuts.append(shortcut)
        self.keys = set(actions)
        page.installEventFilter(self)

    def eventFilter(self, _watched, event):
        if event.type() == QEvent.ShortcutOverride and event.key() in self.keys:
            if isinstance(QApplication.focusWidget(), USES_KEYS):
                event.accept()       # the focused control's own key: no shortcut
                return True
        return False
