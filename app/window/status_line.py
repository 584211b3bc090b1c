"""The window's voice: one status line for news, a non-blocking box for errors, a yes/no question."""

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QSizePolicy


class StatusLine(QObject):
    """Says things in the status bar's label and shows errors without blocking the event loop.

    ``parent`` is the window the message boxes belong to. ``last_error`` keeps the latest
    ``(title, text)`` shown, so the window's tests and users can read what went wrong.
    """

    def __init__(self, parent):
        super().__init__(parent)
        self._window = parent
        self.label = QLabel("Loading MNIST…")
        self.label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # no relayout per text
        self.last_error = None

    def say(self, text):
        """Put ``text`` in the status line."""
        self.label.setText(text)

    def text(self):
        """What the status line says now."""
        return self.label.text()

    def show_error(self, title, text):
        """Tell the user what went wrong: a message box that does not block, and the status line."""
        self.say(text.split("\n")[0])
        self.last_error = (title, text)
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, self._window)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()

    def confirm(self, title, text):
        """Ask a yes/no question; True for yes. (Tests replace this.)"""
        return QMessageBox.question(self._window, title, text) == QMessageBox.Yes
