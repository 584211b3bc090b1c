"""The diagram tab: pick an example, watch it go forward and backward, step at every grain, click for numbers.

The animation works on the tab's own copy of the window's network: the update it plays is applied
to that copy (so "next example" learns one example at a time) and never to the window's network.
"""

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from nncore.control import TrainingControl
from nncore.diagram_model import costs_along_weight, edge_numbers, neuron_numbers, weight_slice
from nncore.inspection import apply_step, example_cost, trace

from .animation import Player
from .captions import step_caption
from .example_picker import ExamplePicker
from .layer_map import LayerMap
from .learning import batch_step, train_epoch
from .network_diagram import NetworkDiagram
from .neuron_lab import NeuronLab
from .numbers_panel import NumbersPanel
from .off_thread import OffThread
from .playback_bar import DEFAULT_ETA, PlaybackBar
from .schedule import build_schedule
from .slope_plot import SlopePlot


class DiagramTab(QWidget):
    """``DiagramTab(pad_input)``; ``pad_input()`` returns the pad's drawing (784,) float32 or None.

    Slots for the window: ``set_network(network, description="")``, ``set_dataset(dataset)``,
    ``show_example(x, label, description="")``, and ``shutdown()`` when the window closes (it waits
    for the lab's and the map's worker threads). ``inspectRequested(x, label, description)`` asks the
    window to open an example in the inspector.
    """

    inspectRequested = Signal(object, int, str)
    learned = Signal(str)     # after a mini-batch or an epoch: what was learned, for people

    def __init__(self, pad_input=None, parent=None):
        super().__init__(parent)
        self.window_network = self.network = self.stepped = self.x = self.trace = None
        self._behind, self.copies = False, 0   # a newer window network not yet copied; copies taken
        self.label, self.description, self.eta, self.cost_after = 0, "", DEFAULT_ETA, None
        self.steps, self.examples_learned, self._showing_update, self._stale = [], 0, False, False
        self.picker = ExamplePicker(pad_input)
        self.picker.exampleChosen.connect(self.show_example)
        self.picker.message.connect(self._say)
        self.equation, self.summary = QLabel("Pick an example and press Show."), QLabel("")
        self.equation.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.summary.setStyleSheet("color: #555;")
        self.summary.setWordWrap(True)
        self.diagram = NetworkDiagram()
        self.diagram.neuronClicked.connect(self.show_neuron)
        self.diagram.edgeClicked.connect(self.show_edge)
        self.numbers = NumbersPanel()
        self.slope = SlopePlot()
        self.lab = NeuronLab()
        self.lab.editsChanged.connect(self.diagram.mark_off)
        self.map = LayerMap()
        self.map.inspectRequested.connect(self.inspectRequested)
        self.side = QTabWidget()
        for widget, title in ((self.numbers, "Numbers"), (self.slope, "Slope"), (self.lab, "Neuron lab"),
                              (self.map, "Layer map")):
            self.side.addTab(widget, title)
        self.bar = PlaybackBar()
        self.player = Player(self)
        self.dataset, self.control = None, None
        self.epochs = OffThread("diagram-epoch", self)
        self.epochs.result.connect(self._epoch_done)
        self._connect()
        self._layout()

    def _layout(self):
        inspect = QPushButton("Open in the inspector")
        inspect.setToolTip("Show this example's backward pass as panels of numbers")
        inspect.clicked.connect(self._inspect)
        top = QHBoxLayout()
        for widget, stretch in ((self.picker, 1), (inspect, 0)):
            top.addWidget(widget, stretch)
        splitter = QSplitter(Qt.Horizontal)
        for widget in (self.diagram, self.side):
            splitter.addWidget(widget)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for widget, stretch in ((self.equation, 0), (self.summary, 0), (splitter, 1), (self.bar, 0)):
            layout.addWidget(widget, stretch)

    def _connect(self):
        b, p = self.bar, self.player
        b.restartClicked.connect(p.restart)
        b.playClicked.connect(self.toggle_play)
        b.equationClicked.connect(lambda: self._act(p.step_equation))
        b.layerClicked.connect(lambda: self._act(p.step_layer))
        b.exampleClicked.connect(self.step_example)
        b.batchClicked.connect(self.step_batch)
        b.epochClicked.connect(self.step_epoch)
        b.speedChanged.connect(p.set_speed)
        b.etaChanged.connect(self.set_eta)
        p.frame.connect(self._frame)
        p.stepStarted.connect(self._step_started)
        p.stopped.connect(lambda: b.set_playing(False))
        for key, slot in ((Qt.Key_Space, self.toggle_play), (Qt.Key_Right, b.equationClicked.emit),
                          (Qt.Key_Down, b.layerClicked.emit)):
            QShortcut(QKeySequence(key), self, slot).setContext(Qt.WidgetWithChildrenShortcut)

    # ---- inputs from the window --------------------------------------------------------------
    def set_network(self, network, description=""):
        """Follow ``network`` (the window's) from now on; the shown example is traced again. A run sends
        two a second: a hidden tab only notes it, and copies it (784-1000-10: 3 MB) and traces again
        when it is shown, or when one of its actions needs the network (:meth:`_sync`)."""
        self.window_network, self._behind = network, True
        if self.isVisible():
            self._catch_up()

    def _sync(self):
        """Take a copy of the window's network if it sent a newer one than the tab's: the network the
        animation works on is the tab's own (it applies the steps it plays to it)."""
        if self._behind:
            self._behind, self.examples_learned, window = False, 0, self.window_network
            self.network = None if window is None else window.copy()
            self.copies += window is not None
            self.map.set_network(window)
            self._stale = self.x is not None and self.network is not None

    def showEvent(self, event):
        super().showEvent(event)
        self._catch_up()

    def _catch_up(self):
        self._sync()
        if self.network is not None and self._stale:
            self._trace(keep_position=True)

    def set_dataset(self, dataset):
        """Pick MNIST images from ``dataset`` (an nncore.Dataset) from now on."""
        self.dataset = dataset
        self.picker.set_dataset(dataset)
        self.map.set_dataset(dataset)
        if dataset is not None:
            self.lab.set_test_data(dataset.test.x, dataset.test.labels)

    def shutdown(self):
        """Stop the animation and wait for the worker threads (the window calls this when it closes)."""
        self.player.pause()
        if self.control is not None:
            self.control.stop()
        self.epochs.shutdown()
        self.lab.shutdown()
        self.map.shutdown()

    def show_example(self, x, label, description=""):
        """Follow input ``x (784,)`` with target digit ``label``, from the start of the forward pass."""
        self.x, self.label, self.description = np.asarray(x, dtype=np.float32), int(label), description
        self._sync()
        if self.network is None:
            self._say("No network yet")
            return
        self._trace(keep_position=False)

    def set_eta(self, eta):
        """η of the update the animation plays."""
        self.eta = float(eta)
        self.diagram.set_eta(self.eta)
        if self.trace is not None:
            self._prepare_update()

    # ---- playing -----------------------------------------------------------------------------
    def _trace(self, keep_position):
        self._stale = False
        self.trace = trace(self.network, self.x, self.label)
        steps = build_schedule(len(self.network.weights), self.network.cost)
        keep = keep_position and len(steps) == len(self.steps)
        self.steps = steps
        self._prepare_update()
        self.diagram.set_example(self.network, self.x, self.trace)
        self.diagram.set_eta(self.eta)
        self.lab.set_context(self.network, self.x, self.label)
        if not keep:
            self.diagram.set_schedule(steps)
        self.player.load(steps, keep_position=keep)
        self._step_started(self.player.index)

    def _prepare_update(self):
        """The network after this example's step ΔW = −η ∂C/∂W, and the example's cost then."""
        self.stepped = self.network.copy()
        apply_step(self.stepped, self.trace, self.eta)
        self.cost_after = example_cost(self.stepped, self.x, self.label)
        self._showing_update = False

    def _act(self, action):
        action()
        self.bar.set_playing(self.player.playing)

    def toggle_play(self):
        """Play to the end of the example, or pause."""
        self._act(self.player.pause if self.player.playing else self.player.play)

    def step_example(self):
        """Finish this example; when it is finished, learn from it and play the next one."""
        if self.trace is None:
            return
        if self.player.finished:
            self.network = self.stepped
            self.examples_learned += 1
            if not self.picker.next_example():
                return
        self._act(self.player.play)

    def step_batch(self):
        """Learn from the next m images of the picker's split at once, then follow the image after them."""
        split = self.picker.split()
        self._sync()
        if split is None or self.network is None:
            self._say("A mini-batch needs MNIST images: pick a test or training image")
            return
        i, m = self.picker.index.value(), self.bar.batch_size.value()
        rows = (i + np.arange(m)) % len(split)
        self.network, before, after = batch_step(self.network, split.x[rows], split.labels[rows], self.eta)
        self.examples_learned += m
        self.picker.index.setValue(int((i + m) % len(split)))
        self.picker.choose()
        text = (f"Learned from one mini-batch of {m} (images {i} to {i + m - 1}): their mean cost "
                f"{before:.5f} → {after:.5f}")
        self._say(text)
        self.learned.emit(text)

    def step_epoch(self):
        """Train one epoch of SGD on a copy, on a worker thread; then follow this example again."""
        self._sync()
        if self.dataset is None or self.network is None or self.epochs.busy:
            return
        self.control = TrainingControl()
        net, data, eta, m = self.network, self.dataset, self.eta, self.bar.batch_size.value()
        seed, control = self.examples_learned, self.control
        self.bar.epoch.setEnabled(False)
        self._say(f"Training one epoch over {len(data.train):,} images, mini-batches of {m}, η = {eta:g}…")
        self.epochs.submit(lambda: train_epoch(net, data.train, data.test, eta, m, seed, control))

    def _epoch_done(self, _request, value):
        self.bar.epoch.setEnabled(True)
        if isinstance(value, Exception) or value[1] is None:
            self._say(f"The epoch did not finish: {value if isinstance(value, Exception) else 'stopped'}")
            return
        self.network, report = value      # newer than a network the window sent meanwhile
        if self._behind:                   # (which the layer map follows all the same)
            self._behind = False
            self.map.set_network(self.window_network)
        self.examples_learned += len(self.dataset.train)
        if self.x is not None:
            self._trace(keep_position=False)
        text = f"After one more epoch: test accuracy {100 * report.test_accuracy:.2f}%"
        self._say(text)
        self.learned.emit(text)

    def _frame(self, index, t):
        updated = bool(self.steps) and self.steps[index].kind == "update" and t >= 1.0
        if updated != self._showing_update:
            self._showing_update = updated
            self.diagram.set_weights(self.stepped if updated else self.network)
        self.diagram.set_frame(index, t)

    def _step_started(self, index):
        if not self.steps:
            return
        equation, summary = step_caption(self.steps, index, self.trace, self.cost_after)
        self.equation.setText(equation)
        self.summary.setText(summary)

    # ---- clicking ----------------------------------------------------------------------------
    def show_neuron(self, layer, j):
        """Show neuron ``j`` of layer ``layer`` (1 … L): its numbers from the trace."""
        if self.trace is None:
            return
        self.diagram.select(("neuron", layer, j))
        self.numbers.show_neuron(neuron_numbers(self.network, self.trace, layer, j), self.eta)
        self.lab.select(layer, j)
        if self.side.currentWidget() is not self.lab:
            self.side.setCurrentWidget(self.numbers)

    def show_edge(self, layer, j, i):
        """Show weight wⱼᵢ of layer ``layer``: its numbers, and the cost along it with backprop's tangent."""
        if self.trace is None:
            return
        self.diagram.select(("edge", layer, j, i))
        self.numbers.show_edge(edge_numbers(self.network, self.trace, layer, j, i, self.eta))
        net, x, label = self.network, self.x, self.label
        cost_at = lambda w: costs_along_weight(net, x, label, layer, j, i, [w])[0]  # noqa: E731
        self.slope.show_slice(weight_slice(net, self.trace, x, layer, j, i), cost_at)

    def _inspect(self):
        if self.x is not None:
            self.inspectRequested.emit(self.x, self.label, self.description)

    def _say(self, text):
        self.summary.setText(text)
