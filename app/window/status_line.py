"""The window's voice: one status line for news, warnings that stay until they are read, a
non-blocking box for errors, a yes/no question. All of it is plain text: a name from outside (a file,
a folder, a run's label) is shown as it is, never read as HTML (which could make Qt load a picture)."""

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QSizePolicy, QToolButton, QWidget


class StatusLine(QObject):
    """Says things in the status bar and shows errors without blocking the event loop.

    ``parent`` is the window the message boxes belong to; :meth:`install` puts ``label`` (the news) in
    its status bar, and the window shows ``warning`` (a banner, hidden until :meth:`warn`) above its
    pages, where a menu's or a button's status tip never covers it. ``errorShown(title, text)`` follows
    every error shown.
    """

    errorShown = Signal(str, str)

    def __init__(self, parent):
        super().__init__(parent)
        self._window = parent
        self.label = _plain_label("Loading MNIST…")
        self.warning = QWidget(parent if isinstance(parent, QWidget) else None)
        self.warning_label = _plain_label("")
        self.warning_label.setWordWrap(True)
        self.warning_label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.warning_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.warning.setAutoFillBackground(True)
        self.warning.setStyleSheet("QLabel { color: #7a3d00; } QWidget { background: #fff1d6; }")
        dismiss = QToolButton(self.warning, text="✕", autoRaise=True, toolTip="I have read it: hide this warning")
        dismiss.clicked.connect(self.dismiss_warnings)
        self.action_button = QPushButton(self.warning)     # what the user can do about a warning, if anything
        self.action_button.clicked.connect(lambda: self._action and self._action[2]())
        self.action_button.hide()
        row = QHBoxLayout(self.warning)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.warning_label, 1)
        row.addWidget(self.action_button)
        row.addWidget(dismiss)
        self.warning.hide()
        self._warnings, self._action = [], None    # _action: (its warning, the button's text, what it does)

    def install(self, status_bar):
        """Put the news line into ``status_bar`` (a QStatusBar)."""
        status_bar.addWidget(self.label, 1)

    def say(self, text):
        """Put ``text`` in the status line (until the next news)."""
        self.label.setText(text)

    def text(self):
        """What the status line says now."""
        return self.label.text()

    def warn(self, text, action=None):
        """Show ``text`` as a warning that stays, whatever is said after it, until the user dismisses it
        (✕) or it is withdrawn; warnings not yet dismissed are shown together (a repeated one once).
        ``action`` (a button's text, a callable) puts a button beside the warnings that does it."""
        if text not in self._warnings:
            self._warnings.append(text)
        if action is not None:
            self._action = (text, *action)
            self.action_button.setText(action[0])
        self._show_warnings()

    def withdraw(self, text):
        """Take the warning ``text`` (and its button) away: it is no longer true."""
        if text in self._warnings:
            self._warnings.remove(text)
        if self._action is not None and self._action[0] == text:
            self._action = None
        self._show_warnings()

    def _show_warnings(self):
        self.warning_label.setText("\n".join("⚠ " + w for w in self._warnings))
        self.warning_label.setToolTip(GuiQt.convertFromPlainText("\n".join(self._warnings)))
        self.action_button.setVisible(self._action is not None)
        self.warning.setVisible(bool(self._warnings))

    def warnings(self):
        """The warnings shown and not yet dismissed, oldest first."""
        return list(self._warnings)

    def dismiss_warnings(self):
        """Hide the warnings: they have been read (a warning's button goes with them)."""
        self._warnings.clear()
        self._action = None
        self._show_warnings()

    def show_error(self, title, text):
        """Tell the user what went wrong: a message box that does not block, and the status line."""
        self.say(text.split("\n")[0])
        box = self._box(QMessageBox.Warning, title, text, QMessageBox.Ok)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()
        self.errorShown.emit(title, text)

    def confirm(self, title, text):
        """Ask a yes/no question; True for yes. (Tests replace this.)"""
        box = self._box(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.No)
        try:
            return box.exec() == QMessageBox.Yes
        finally:
            box.deleteLater()

    def _box(self, icon, title, text, buttons):
        """A message box whose ``text`` is plain text (the format is set before the text)."""
        box = QMessageBox(icon, title, "", buttons, self._window)
        box.setTextFormat(Qt.PlainText)
        box.setText(text)
        return box


def _plain_label(text):
    """A QLabel that shows its text as plain text and never widens the window for a long one."""
    label = QLabel()
    label.setTextFormat(Qt.PlainText)
    label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # no relayout per text
    label.setText(text)
    return label
