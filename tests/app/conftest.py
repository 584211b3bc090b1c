"""Fixtures of the window's tests."""

import pytest


@pytest.fixture
def errors(window):
    """The ``(title, text)`` of every error the window shows from now on, oldest first."""
    shown = []
    window.status.errorShown.connect(lambda title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def curves_by_tooltip():
    """A function: a pyqtgraph plot's data items that have a tooltip, by that tooltip read as Qt reads
    one (plain text)."""
    from PySide6.QtGui import QTextDocument

    def curves(plot):
        found, tip = {}, QTextDocument()
        for item in plot.listDataItems():
            if item.toolTip():
                tip.setHtml(item.toolTip())
                found[tip.toPlainText()] = item
        return found

    return curves


@pytest.fixture(scope="session")
def default_net():
    """The shipped pre-trained network (resources/default-network.npz)."""
    import nncore
    from nncore.data import resources_dir

    return nncore.load(resources_dir() / "default-network.npz")


@pytest.fixture
def pad_with_a_4(qtbot):
    """A 280 × 280 drawing pad holding a drawn 4."""
    from digit_strokes import BASE, smooth

    from app.pad.drawing_pad import DrawingPad

    pad = DrawingPad()
    qtbot.addWidget(pad)
    pad.resize(280, 280)
    pad.draw_strokes(smooth(BASE[4]))
    return pad
