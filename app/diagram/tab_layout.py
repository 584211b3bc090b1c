"""How the diagram tab is put together: the picker and the inspector button on top, the step's equation
and what it computed, the diagram beside the side panels, and the playback bar whose buttons and keys
drive the player."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout

from ..widgets.keys import PageKeys
from ..widgets.theme import bold


def caption_labels():
    """``(equation, summary)``: the two lines over the diagram, the step's equation and what it computed."""
    equation, summary = QLabel("Pick an example and press Show."), QLabel("")
    bold(equation, scale=1.2)        # by its font: the size follows the zoom, the colour the theme
    summary.setForegroundRole(QPalette.PlaceholderText)     # the theme's dim text, readable in both
    for label in (equation, summary):
        label.setWordWrap(True)
    return equation, summary


def lay_out(tab):
    """Place the tab's widgets: picker and inspector button, captions, diagram | side panels, bar."""
    inspect = QPushButton("Open in the inspector")
    inspect.setToolTip("Show this example's backward pass as panels of numbers")
    inspect.clicked.connect(tab._inspect)
    top = QHBoxLayout()
    for widget, stretch in ((tab.picker, 1), (inspect, 0)):
        top.addWidget(widget, stretch)
    splitter = QSplitter(Qt.Horizontal)
    for widget in (tab.diagram, tab.side):
        splitter.addWidget(widget)
    splitter.setStretchFactor(0, 1)
    splitter.setChildrenCollapsible(False)
    splitter.setSizes([900, 340])
    layout = QVBoxLayout(tab)
    layout.addLayout(top)
    for widget, stretch in ((tab.equation, 0), (tab.summary, 0), (splitter, 1), (tab.bar, 0)):
        layout.addWidget(widget, stretch)


def connect_playback(tab):
    """The bar's buttons (and Space, →, ↓) drive the player and the learning steps; the player's frames
    and steps redraw the diagram and its captions."""
    b, p = tab.bar, tab.player
    b.restartClicked.connect(lambda: tab._act(p.restart))
    b.playClicked.connect(tab.toggle_play)
    b.equationClicked.connect(lambda: tab._act(p.step_equation))
    b.layerClicked.connect(lambda: tab._act(p.step_layer))
    b.exampleClicked.connect(tab.step_example)
    b.batchClicked.connect(tab.step_batch)
    b.epochClicked.connect(tab.step_epoch)
    b.speedChanged.connect(p.set_speed)
    p.frame.connect(tab._frame)
    p.stepStarted.connect(tab._step_started)
    p.stopped.connect(lambda: b.set_playing(False))
    tab.keys = PageKeys(tab, {Qt.Key_Space: tab.toggle_play, Qt.Key_Right: b.equationClicked.emit,
                              Qt.Key_Down: b.layerClicked.emit})
