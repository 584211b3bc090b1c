"""The backprop inspector: one example's forward pass, then the backward pass layer by layer."""

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
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
from ..widgets.heatmap import HeatMap
from ..widgets.images import image_pixmap
from .fact_panels import LayerFacts, layer_views
from .step_panel import StepPanel

SOURCES = ("Drawing on the pad", "MNIST test image", "MNIST training image")


class InspectorTab(QWidget):
    """Pick an example and a target; walk Facts 1–6 from layer L down to 1; take the step."""

    networkEdited = Signal(object)   # the network after "apply this one step"

    def __init__(self, pad_input, parent=None):
        super().__init__(parent)
        self.pad_input, self.network, self.dataset = pad_input, None, None
        self.x, self.trace, self.layer, self.editable = None, None, 1, True
        self._stale = False     # the network changed while the tab was hidden
        self._forward_shape, self._forward_maps = None, []
        self._runner, self._token, self._edited = None, 0, None   # re-trace thread, its job, our step's net
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._picker())
        self.forward_box = QGroupBox("Forward pass: zˡ = Wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ)")
        self.forward_grid = QGridLayout(self.forward_box)
        layout.addWidget(self.forward_box)
        layout.addWidget(self._backward_box(), 1)
        self.step = StepPanel()
        self.step.networkEdited.connect(self._step_applied)
        layout.addWidget(self.step)
        self._body_layout = layout
        self._scroll = QScrollArea()
        self._scroll.setWidget(body)
        self._scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        for key, d in ((Qt.Key_Right, -1), (Qt.Key_Left, +1), (Qt.Key_Down, -1), (Qt.Key_Up, +1)):
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
        self.input_view.setFixedSize(84, 84)
        self.input_view.setStyleSheet("background: black;")
        for w in (QLabel("Source"), self.source, QLabel("Index"), self.index, QLabel("Target y"),
                  self.target, load):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.input_view)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.index.setEnabled(False)
        return box

    def _backward_box(self):
        box = QGroupBox("Backward pass")
        layout = QVBoxLayout(box)
        nav = QHBoxLayout()
        self.towards_output = QPushButton("◀ towards the output (←)")
        self.towards_input = QPushButton("towards the input (→) ▶")
        self.towards_output.clicked.connect(lambda: self.move_layer(+1))
        self.towards_input.clicked.connect(lambda: self.move_layer(-1))
        self.layer_label = QLabel("Inspect an example to begin")
        self.layer_label.setStyleSheet("font-size: 14px; font-weight: 600;")
        nav.addWidget(self.towards_output)
        nav.addStretch(1)
        nav.addWidget(self.layer_label)
        nav.addStretch(1)
        nav.addWidget(self.towards_input)
        self.facts = LayerFacts()
        layout.addLayout(nav)
        layout.addWidget(self.facts, 1)
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
        self.layer_label.setText(f"The example could not be traced: {message}")
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
            self.layer_label.setToolTip(description)

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
                self.layer_label.setText("The pad is empty: draw a digit first")
                return
            self._run(x, self.target.value())
            return
        if self.dataset is None:
            self.layer_label.setText("The dataset is still loading")
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
        self.input_view.setPixmap(image_pixmap(self.x, 84))
        self._show_forward()
        self._show_layer()
        self.step.set_subject(self.network, self.x, self.trace, self.editable, new_example=not keep_layer)

    def _show_forward(self):
        tr = self.trace
        shape = [z.size for z in tr.zs]
        if shape != self._forward_shape:    # build the strips once per network shape
            self._build_forward_strips(shape)
        for l, (z_map, a_map) in enumerate(self._forward_maps, start=1):
            z_map.set_values(tr.zs[l - 1])
            a_map.set_values(tr.activations[l])
        guess = int(np.argmax(tr.activations[-1]))
        self.forward_box.setTitle(f"Forward pass: the network reads {guess}; target y = {tr.label}; "
                                  f"cost C = {tr.cost:.5f}")

    def _build_forward_strips(self, shape):
        while self.forward_grid.count():
            self.forward_grid.takeAt(0).widget().deleteLater()
        self._forward_shape, self._forward_maps = shape, []
        for l, n in enumerate(shape, start=1):
            z_map, a_map = HeatMap("diverging"), HeatMap("grey")
            z_map.describe = lambda r, c, v, l=l: f"z{l}[{c}] = {v:.5g}"
            a_map.describe = lambda r, c, v, l=l: f"a{l}[{c}] = {v:.5g}"
            self.forward_grid.addWidget(QLabel(f"layer {l} ({n})  z"), 2 * l - 2, 0)
            self.forward_grid.addWidget(z_map, 2 * l - 2, 1)
            self.forward_grid.addWidget(QLabel("a = σ(z)"), 2 * l - 1, 0)
            self.forward_grid.addWidget(a_map, 2 * l - 1, 1)
            self._forward_maps.append((z_map, a_map))

    def _show_layer(self, views=None):
        """The backward pass at the current layer (``views``: its :func:`layer_views`, if computed)."""
        n = len(self.trace.dC_dz)
        self.layer_label.setText(f"Layer {self.layer} of {n}" + ("  (output)" if self.layer == n else ""))
        self.towards_output.setEnabled(self.layer < n)
        self.towards_input.setEnabled(self.layer > 1)
        self.facts.show(views if views is not None else layer_views(self.trace, self.layer, self.network.cost))

    def move_layer(self, d):
        """Step the backward view one layer (d = −1: towards the input, as backprop goes)."""
        if self.trace is not None and 1 <= self.layer + d <= len(self.trace.dC_dz):
            self.layer += d
            self._show_layer()

    def shutdown(self):
        """End the gradient check's and the re-trace's threads (the window is closing)."""
        self.step.shutdown()
        self._end_runner()
