"""Names from outside the code (files, folders, runs) are shown as plain text everywhere: never read as
HTML, so a name such as ``<img src=/dev/zero>`` cannot make Qt load a picture. And a warning stays
until it is read."""

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMainWindow, QMessageBox, QToolButton

from app.training.figure_export import figure_bytes
from app.training.run_history import RunHistory, RunSetup
from app.training.runs_panel import RunsPanel
from app.training.saturation_plot import SaturationPlot
from app.training.training_config import TrainingConfig
from app.window.status_line import StatusLine

HOSTILE = "<img src=/dev/zero>.npz"


@pytest.fixture
def status(qtbot):
    """A StatusLine in a main window's status bar."""
    window = QMainWindow()
    qtbot.addWidget(window)
    line = StatusLine(window)
    line.install(window.statusBar())
    return line


def hostile_record(folder_name, run_id=1):
    """A run on a dataset whose folder is named ``folder_name``, with one epoch and its saturation."""
    history = RunHistory()
    record, _ = history.add(run_id, RunSetup(TrainingConfig(), dataset=folder_name))
    record.epoch_x, record.epoch_cost, record.epoch_eta = [1], [0.1], [3.0]
    record.validation_accuracy, record.test_accuracy, record.saturation = [90.0], [89.0], [(0.1, 0.2)]
    return history, record


def test_the_status_line_shows_a_name_as_it_is(status):
    """say() and show_error() with a name that is HTML leave the label in plain text, holding that name."""
    status.say(HOSTILE)
    assert status.label.textFormat() == Qt.PlainText and status.text() == HOSTILE
    status.show_error("The network could not be opened", f"{HOSTILE}\nno such file")
    assert status.label.textFormat() == Qt.PlainText and status.text() == HOSTILE
    (box,) = status.parent().findChildren(QMessageBox)
    assert box.textFormat() == Qt.PlainText and box.text() == f"{HOSTILE}\nno such file"
    box.close()


def test_a_question_shows_a_name_as_it_is(status, monkeypatch):
    """confirm() asks in plain text and answers what the box was answered."""
    seen = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append((box.textFormat(), box.text()))
                        or QMessageBox.No)
    assert status.confirm("Replace a read-only file", f"Replace {HOSTILE}?") is False
    assert seen == [(Qt.PlainText, f"Replace {HOSTILE}?")]


def test_a_warning_stays_until_it_is_dismissed(status, qtbot):
    """warn() is not overwritten by later news; two warnings show together; ✕ hides them."""
    status.warn(f"Some of the last session could not be restored: {HOSTILE}")
    status.say("The last session's runs and network are back.")
    status.warn("The settings could not be saved")
    assert status.text() == "The last session's runs and network are back."
    assert status.warnings() == [f"Some of the last session could not be restored: {HOSTILE}",
                                 "The settings could not be saved"]
    assert status.warning_label.textFormat() == Qt.PlainText and HOSTILE in status.warning_label.text()
    assert status.warning.isVisibleTo(status.parent()) and status.warning.parent() is not None
    tip = QTextDocument()
    tip.setHtml(status.warning_label.toolTip())
    assert tip.toPlainText() == "\n".join(status.warnings())
    qtbot.mouseClick(status.warning.findChild(QToolButton), Qt.LeftButton)
    assert status.warnings() == [] and not status.warning.isVisibleTo(status.parent())


def test_a_bad_network_file_with_an_html_name_is_named_in_plain_text(window, tmp_path):
    """Through the window: opening a damaged file named like an image tag gives a plain-text error box
    and status line holding the name."""
    path = tmp_path / '<img src="picture.png">.npz'
    path.write_bytes(b"not a network")
    assert window.files.open_network(str(path)) is False
    assert window.status.label.textFormat() == Qt.PlainText and str(path) in window.status.text()
    boxes = window.findChildren(QMessageBox)
    assert boxes and all(b.textFormat() == Qt.PlainText for b in boxes)
    assert any(str(path) in b.text() for b in boxes)


def test_an_exported_legend_holds_the_name_escaped(qtbot, tmp_path):
    """The SVG legend holds a run's label (with its folder's name) as text, not as a picture."""
    picture = tmp_path / "p.png"
    pg.QtGui.QImage(8, 8, pg.QtGui.QImage.Format_RGB32).save(str(picture))
    name = f'<img src="{picture}"> & co'
    _history, record = hostile_record(name)
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    svg = figure_bytes(plot, [record], ".svg", "accuracy").decode("utf-8")
    assert "&lt;img" in svg and "src=&quot;" in svg and "&amp; co" in svg    # (wrapped to the legend's column)
    assert "<image" not in svg


def test_saturation_tooltips_hold_the_label_as_text(qtbot, curves_by_tooltip):
    """A curve's tooltip, read as Qt reads a tooltip, is the run's label and layer, word for word."""
    name = '<b>bold</b> <img src="missing.png">'
    history, record = hostile_record(name)
    plot = SaturationPlot(history)
    qtbot.addWidget(plot)
    plot.refresh()
    plot.show()
    assert f"{record.label}, layer 1" in curves_by_tooltip(plot) and name in record.label


def test_the_run_list_shows_a_label_as_it_is(qtbot):
    """A run's row holds its label exactly (a list row is never read as HTML)."""
    _history, record = hostile_record(HOSTILE)
    panel = RunsPanel()
    qtbot.addWidget(panel)
    panel.add_run(record)
    panel.set_run_text(record.run_id, f"{record.label}: finished")
    assert panel.list.item(0).text() == f"{record.label}: finished" and HOSTILE in record.label
