"""The backprop inspector: one example's forward pass, then the backward pass a layer or a fact at a time."""

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nncore.inspection import trace
from nncore.limits import N_CLASSES

from ..threads import TaskRunner
from ..widgets.images import image_pixmap
from .fact_panels import LayerFacts, WalkBar, first_fact, layer_views, walk_steps, walk_to
from .forward_strips import ForwardStrips
from .step_panel import StepPanel

SOURCES = ("Drawing on the pad", "MNIST test image", "MNIST training image")
THUMB = 56   # the example's picture, px: small, so that the picker and the walk fit above the fold


class InspectorTab(QWidget):
    """Pick an example and a target; walk Facts 1–6 from layer L down to 1, a layer or a fact at a time;
    take the step."""

    networkEdited = Signal(object)   # the network after "apply this one step"

    def __init__(self, pad_input, parent=None):
        super().__init__(parent)
        self.pad_input, self.network, self.dataset = pad_input, None, None
        self.x, self.trace, self.layer, self.fact, self.editable = None, None, 1, None, True   # fact None: by layer
        self._stale = False     # the network changed while the tab was hidden
        self._runner, self._token, self._edited = None, 0, None   # re-trace thread, its job, our step's net
        body = QWidget()
        layout = QVBoxLayout(body)
        self.forward_box = ForwardStrips()
        layout.addWidget(self.forward_box)
        self.facts = LayerFacts()
        backward = QGroupBox("Backward pass")
        QVBoxLayout(backward).addWidget(self.facts)
        layout.addWidget(backward, 1)
        self.step = StepPanel()
        self.step.networkEdited.connect(self._step_applied)
        layout.addWidget(self.step)
        self._body_layout = layout
        self._scroll = QScrollArea()
        self._scroll.setWidget(body)
        self._scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)      # the example and the walk stay in view; the rest scrolls
        outer.setContentsMargins(0, 0, 0, 0)
        self.walk_bar = WalkBar()
        self.walk_bar.walked.connect(self.walk)
        self.walk_bar.factByFact.connect(self.set_fact_by_fact)
        outer.addWidget(self._picker())
        outer.addWidget(self.walk_bar)
        outer.addWidget(self._scroll, 1)
        for key, d in ((Qt.Key_Right, -1), (Qt.Key_Left, +1)):
            sc = QShortcut(QKeySequence(key), self, lambda d=d: self.walk(d))
            sc.setContext(Qt.WidgetWithChildrenShortcut)
        for key, d in ((Qt.Key_Down, -1), (Qt.Key_Up, +1)):
            sc = QShortcut(QKeySequence(key), self, lambda d=d: self.move_layer(d))
            sc.setContext(Qt.WidgetWithChildrenShortcut)

    # ---- building ------------------------------------------------------------------------
    def _picker(self):
        box = QGroupBox("Example")
        row = QHBoxLayout(box)
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.index = QSpinBox()
        self.index.setRange(0, 0)         # set to the chosen split's size when the data arrives
        self.index.setToolTip("Which MNIST image (by index)")
        self.target = QSpinBox()
        self.target.setRange(0, N_CLASSES - 1)
        self.target.setToolTip("The digit y the cost compares against (the label for MNIST images)")
        load = QPushButton("Inspect")
        load.setToolTip("Run this example forward and backward through the current network")
        load.clicked.connect(self.load_selected)
        self.input_view = QLabel()
        self.input_view.setFixedSize(THUMB, THUMB)
        self.input_view.setStyleSheet("background: black;")
        for w in (QLabel("Source"), self.source, QLabel("Index"), self.index, QLabel("Target y"),
                  self.target, load):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.input_view)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.index.setEnabled(False)
        return box

    def add_panel(self, widget):
        """Add a panel (the saturation plot) at the bottom of the inspector."""
        self._body_layout.addWidget(widget)

    # ---- inputs from the window ----------------------------------------------------------
    def set_network(self, network, _description=""):
        """Inspect with ``network`` (the window's copy); the shown example is re-traced if the tab is on
        screen, else when it is next shown (a hidden tab never recomputes), off the GUI thread (a run
        sends a network twice a second; at 784-1000-10 the first layer's D_W C is 784,000 numbers to
        colour; the latest network wins), except the network this tab's own step made: at once."""
        self.network, self._stale = network, True
        if self.isVisible():
            self._retrace()

    def showEvent(self, event):
        super().showEvent(event)
        self._retrace()

    def _retrace(self):
        if not (self._stale and self.x is not None and self.network is not None):
            self._stale = False
            return
        label = self.trace.label if self.trace else int(self.target.value())
        if self.network is self._edited:   # this tab's own step: its result at once
            self._run(self.x, label, keep_layer=True)
            return
        if self._runner is not None and self._runner.busy:
            return                         # stays stale: traced again when this one is done
        self._stale = False
        origin, network, x, layer = self.network, self.network.copy(), self.x, self.layer

        def job(_task):   # reads a copy of the network and the example only
            tr = trace(network, x, label)
            shown = min(layer, len(tr.dC_dz))
            return origin, x, layer, tr, shown, layer_views(tr, shown, network.cost)

        if self._runner is None:
            self._runner = TaskRunner("inspector-trace", self)
            self._runner.finished.connect(self._retraced)
            self._runner.failed.connect(self._retrace_failed)
        self._token += 1
        self._runner.start(self._token, job)

    def _step_applied(self, network):
        """The step panel changed the network: pass it on; it comes back through set_network."""
        self._edited = network
        self.networkEdited.emit(network)

    def _retraced(self, token, result):
        """A re-trace finished off the GUI thread: shown, unless the example or the network changed since."""
        network, x, asked, tr, layer, views = result
        if token == self._token and network is self.network and x is self.x:
            moved = asked != self.layer           # the layer was changed meanwhile: draw that one here
            self.trace, self.layer = tr, self.layer if moved else layer
            self._show_forward()
            self._show_layer(None if moved else views)
            self.step.set_subject(self.network, self.x, self.trace, self.editable, new_example=False)
        self._next_retrace()

    def _retrace_failed(self, _token, message):
        self.walk_bar.label.setText(f"The example could not be traced: {message}")
        self._next_retrace()

    def _next_retrace(self):
        """Trace the network that arrived meanwhile, if shown; else end the thread (none kept waiting)."""
        if self._stale and self.isVisible():
            self._retrace()
        else:
            self._end_runner()

    def _end_runner(self):
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.shutdown()
            runner.deleteLater()

    def set_editable(self, editable):
        """Allow "apply this one step" only when ``editable`` (no run is training the network)."""
        self.editable = editable
        self.step.set_subject(self.network, self.x, self.trace, editable, new_example=False)

    def set_dataset(self, dataset):
        """Pick MNIST images from ``dataset`` (an nncore.Dataset) from now on."""
        self.dataset = dataset
        self._source_changed(self.source.currentIndex())

    def _split(self, source):
        """The dataset split a picker source names (None for the pad, or before the data arrives)."""
        if source == 0 or self.dataset is None:
            return None
        return self.dataset.test if source == 1 else self.dataset.train

    def _source_changed(self, source):
        split = self._split(source)
        self.index.setEnabled(split is not None)
        self.index.setRange(0, max(len(split) - 1, 0) if split is not None else 0)

    def show_example(self, x, label, description=""):
        """Inspect input ``x (784,)`` against target ``label`` (the pad's drawing, from elsewhere)."""
        self.source.setCurrentIndex(0)
        self.target.setValue(int(label))
        self._run(np.asarray(x, dtype=np.float64), int(label))
        if description:
            self.walk_bar.label.setToolTip(description)

    def show_test_image(self, index):
        """Inspect MNIST test image ``index`` against its label; the picker names it, the view opens at
        its top."""
        self.source.setCurrentIndex(1)
        self.index.setValue(index)
        self.load_selected()
        self._scroll.verticalScrollBar().setValue(0)

    def load_selected(self):
        """Inspect what the picker selects."""
        src = self.source.currentIndex()
        if src == 0:
            x = self.pad_input()
            if x is None or not np.any(x):
                self.walk_bar.label.setText("The pad is empty: draw a digit first")
                return
            self._run(x, self.target.value())
            return
        if self.dataset is None:
            self.walk_bar.label.setText("The dataset is still loading")
            return
        split = self._split(src)
        i = min(self.index.value(), len(split) - 1)
        self.index.setValue(i)
        self.target.setValue(int(split.labels[i]))
        self._run(split.x[i], int(split.labels[i]))

    # ---- showing -------------------------------------------------------------------------
    def _run(self, x, label, keep_layer=False):
        if self.network is None:
            return
        self._token += 1              # a re-trace still running is for what was shown before
        self.x, self._stale = np.asarray(x, dtype=np.float64), False
        self.trace = trace(self.network, self.x, label)
        if not keep_layer or self.layer > len(self.trace.dC_dz):
            self.layer = len(self.trace.dC_dz)
            self.fact = None if self.fact is None else 1     # a new example: the walk starts again
        self.input_view.setPixmap(image_pixmap(self.x, THUMB))
        self._show_forward()
        self._show_layer()
        self.step.set_subject(self.network, self.x, self.trace, self.editable, new_example=not keep_layer)

    def _show_forward(self):
        self.forward_box.show_trace(self.trace, self.network.cost.output)

    def _show_layer(self, views=None, scroll=False):
        """The backward pass at the current layer (``views``: its :func:`layer_views`, if computed), all
        of it, or in the fact-by-fact walk the current fact's panels (``scroll``: scrolled into view)."""
        n, cost = len(self.trace.dC_dz), self.network.cost
        steps = walk_steps(n, cost)
        if self.fact is not None and (self.layer, self.fact) not in steps:   # another shape or cost
            self.fact = first_fact(steps, self.layer)
        self.walk_bar.show_place(steps, self.layer, self.fact)
        self.facts.show_views(views or layer_views(self.trace, self.layer, cost), self.layer, n, cost, self.fact)
        if scroll and self.facts.current is not None:   # once laid out; the walk bar stays where it is
            QTimer.singleShot(0, self, self._scroll_to_fact)

    def _scroll_to_fact(self):
        if self.facts.current is not None:
            self._scroll.ensureWidgetVisible(self.facts.current, 0, 8)

    def walk(self, d, by_layer=False):
        """The walk buttons and ← →: a fact in the fact-by-fact walk, else (or ``by_layer``) a layer; d = −1:
        on towards the input, as backprop goes; +1: back towards the output."""
        if self.trace is not None:
            place = walk_to(walk_steps(len(self.trace.dC_dz), self.network.cost), self.layer, self.fact, d, by_layer)
            if place is not None:
                self.layer, self.fact = place
                self._show_layer(scroll=True)

    def move_layer(self, d):
        """Step the backward view one layer (d = −1: towards the input); fact by fact, to its first fact."""
        self.walk(d, by_layer=True)

    def set_fact_by_fact(self, on):
        """Walk one fact at a time (``on``), from the current layer's first fact, or a layer at a time."""
        if on != (self.fact is not None):
            self.fact = 1 if on else None      # made the layer's first fact by _show_layer
            if self.trace is not None:
                self._show_layer(scroll=True)
        self.walk_bar.fact_by_fact.setChecked(on)

    def set_training_config(self, cfg):
        """Follow the training settings (an app.training.training_config.TrainingConfig, or None while a
        field is invalid): "Apply this one step" uses their η."""
        self.step.set_settings_eta(None if cfg is None else cfg.learning_rate)

    def shutdown(self):
        """End the gradient check's and the re-trace's threads (the window is closing)."""
        self.step.shutdown()
        self._end_runner()
