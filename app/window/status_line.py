"""The window's voice: one status line for news, warnings that stay until they are read, a
non-blocking box for errors, a yes/no question. All of it is plain text: a name from outside (a file,
a folder, a run's label) is shown as it is, never read as HTML (which could make Qt load a picture)."""

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QSizePolicy, QToolButton, QWidget


class StatusLine(QObject):
    """Says things in the status bar and shows errors without blocking the event loop.

    ``parent`` is the window the message boxes belong to; :meth:`install` puts ``warning`` (hidden
    until :meth:`warn`) and ``label`` (the news) in its status bar. ``last_error`` keeps the latest
    ``(title, text)`` shown, so the window's tests and users can read what went wrong.
    """

    def __init__(self, parent):
        super().__init__(parent)
        self._window = parent
        self.label = _plain_label("Loading MNIST…")
        self.warning = QWidget(parent if isinstance(parent, QWidget) else None)
        self.warning_label = _plain_label("")
        self.warning_label.setStyleSheet("color: #b35900; font-weight: bold")
        dismiss = QToolButton(self.warning, text="✕", autoRaise=True, toolTip="I have read it: hide this warning")
        dismiss.clicked.connect(self.dismiss_warnings)
        row = QHBoxLayout(self.warning)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.warning_label, 1)
        row.addWidget(dismiss)
        self.warning.hide()
        self._warnings = []
        self.last_error = None

    def install(self, status_bar):
        """Put the warning (hidden while there is none) and the news line into ``status_bar`` (a QStatusBar)."""
        status_bar.addWidget(self.warning, 1)
        status_bar.addWidget(self.label, 1)

    def say(self, text):
        """Put ``text`` in the status line (until the next news)."""
        self.label.setText(text)

    def text(self):
        """What the status line says now."""
        return self.label.text()

    def warn(self, text):
        """Show ``text`` as a warning that stays, whatever is said after it, until the user dismisses it
        (✕); warnings not yet dismissed are shown together (a repeated one once)."""
        if text not in self._warnings:
            self._warnings.append(text)
        shown = "  ·  ".join(self._warnings)
        self.warning_label.setText("⚠ " + shown)
        self.warning_label.setToolTip(GuiQt.convertFromPlainText("\n".join(self._warnings)))
        self.warning.setVisible(True)

    def warnings(self):
        """The warnings shown and not yet dismissed, oldest first."""
        return list(self._warnings)

    def dismiss_warnings(self):
        """Hide the warnings: they have been read."""
        self._warnings.clear()
        self.warning.setVisible(False)

    def show_error(self, title, text):
        """Tell the user what went wrong: a message box that does not block, and the status line."""
        self.say(text.split("\n")[0])
        self.last_error = (title, text)
        box = self._box(QMessageBox.Warning, title, text, QMessageBox.Ok)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()

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
