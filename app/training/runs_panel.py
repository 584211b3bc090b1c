"""The list of runs beside the plots: show or hide each, highlight one, clear, export."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


def _swatch(color):
    pm = QPixmap(12, 12)
    pm.fill(QColor(color))
    return QIcon(pm)


class RunsPanel(QWidget):
    """One checkable row per run; selecting a row highlights that run's curves."""

    visibilityChanged = Signal(int, bool)
    highlightChanged = Signal(object)   # run id or None
    clearRequested = Signal()
    exportCsvRequested = Signal()
    figureRequested = Signal(str)      # 'cost' or 'accuracy'

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)           # a run's label wraps in the list's width: never a sideways scroll
        self.list.setAccessibleName("Runs")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.setToolTip("Untick a run to hide it; select one to highlight it on the plots")
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.setMinimumHeight(60)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Runs"))
        buttons.addStretch(1)
        for text, tip, signal in (("Clear", "Forget every finished run's curves", self.clearRequested),
                                  ("Export CSV…", "Save every run's points as CSV", self.exportCsvRequested)):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(signal)
            buttons.addWidget(b)
        figure = QToolButton()
        figure.setText("Save figure…")
        figure.setToolTip("Save a plot as an SVG drawing or a PNG picture at twice the screen's size, with a "
                          "legend of the runs")
        figure.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(figure)
        for which in ("cost", "accuracy"):
            menu.addAction(f"The {which} plot…", lambda w=which: self.figureRequested.emit(w))
        figure.setMenu(menu)
        buttons.addWidget(figure)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        self._texts, self._notes = {}, {}     # per run: its row's text, and a note added after it

    def add_run(self, record):
        """A new row, ticked, at the top."""
        item = QListWidgetItem(_swatch(record.color), record.label)
        item.setData(Qt.UserRole, record.run_id)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked)
        self.list.insertItem(0, item)

    def set_run_text(self, run_id, text):
        """Update a row's text (e.g. with its final accuracy); its note, if any, stays after it."""
        item = self._item(run_id)
        if item is not None:
            self._texts[run_id] = text
            self.list.blockSignals(True)   # a new text is no change of visibility (itemChanged)
            item.setText(text + self._notes.get(run_id, ""))
            self.list.blockSignals(False)

    def set_note(self, run_id, note):
        """A note after the row's text ('' for none): that the run repeats another, drawn dashed over it."""
        item = self._item(run_id)
        if item is not None and self._notes.get(run_id, "") != note:
            self._notes[run_id] = note
            self.set_run_text(run_id, self._texts.get(run_id, item.text()))

    def remove_run(self, run_id):
        """Delete a row."""
        item = self._item(run_id)
        if item is not None:
            self.list.takeItem(self.list.row(item))
        self._texts.pop(run_id, None)
        self._notes.pop(run_id, None)

    def run_ids(self):
        """Ids of the listed runs, newest first."""
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]

    def _item(self, run_id):
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.UserRole) == run_id:
                return self.list.item(i)
        return None

    def _item_changed(self, item):
        self.visibilityChanged.emit(item.data(Qt.UserRole), item.checkState() == Qt.Checked)

    def _current_changed(self, current, _previous):
        self.highlightChanged.emit(current.data(Qt.UserRole) if current is not None else None)
