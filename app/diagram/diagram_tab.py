"""The diagram tab: pick an example, watch it go forward and backward, step at every grain, click for numbers.

The tab works on its own copy of the window's network: the steps it learns (an example's update, a
mini-batch, an epoch) change that copy, never the window's network, and a newer network from the
window replaces the copy. It learns with the settings' η and mini-batch size, and only from training
images (a mini-batch or an epoch from the training split, whatever example is on show). Pause holds
everything still: the player, and the diagram and layer map stop following the window's network.
"""

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from nncore.inspection import apply_step, example_cost, trace

from .animation import Player
from .captions import step_caption
from .example_picker import ExamplePicker
from .layer_map import LayerMap
from .learner import Learner
from .learning_steps import LearningSteps
from .network_diagram import NetworkDiagram
from .neuron_lab import NeuronLab
from .numbers_panel import NumbersPanel
from .playback_bar import PlaybackBar
from .schedule import build_schedule
from .side_panels import SidePanels
from .slope_plot import SlopePlot
from .tab_layout import caption_labels, connect_playback, lay_out


class DiagramTab(QWidget, LearningSteps):
    """``DiagramTab(pad_input)``; ``pad_input()`` returns the pad's drawing (784,) float32 or None.

    Slots for the window: ``set_network(network, description="")``, ``set_dataset(dataset)``,
    ``set_training_config(cfg)``, ``show_example(x, label, description="")``, ``pause()``, and
    ``shutdown()`` when the window closes (it waits for the lab's and the map's worker threads).
    ``inspectRequested(x, label, description)`` asks the window to open an example in the inspector.
    The learning buttons' steps (next example, mini-batch, epoch) come from :class:`.learning_steps.LearningSteps`.
    """

    inspectRequested = Signal(object, int, str)
    learned = Signal(str)     # after a mini-batch or an epoch: what was learned, for people
    networkCopied = Signal()  # the tab took its own copy of the window's network (3 MB for 784-1000-10)

    def __init__(self, pad_input=None, parent=None):
        super().__init__(parent)
        self.window_network = self.network = self.stepped = self.x = self.trace = None
        self._behind, self.held = False, False   # a newer window network not copied yet; paused
        self.label, self.description, self.cost_after, self.learnable = 0, "", None, False
        self.steps, self.examples_learned, self._showing_update, self._stale = [], 0, False, False
        self.picker = ExamplePicker(pad_input)
        self.picker.exampleChosen.connect(self._picked)
        self.picker.message.connect(self._say)
        self.equation, self.summary = caption_labels()
        self.diagram = NetworkDiagram()
        self.diagram.neuronClicked.connect(self.show_neuron)
        self.diagram.edgeClicked.connect(self.show_edge)
        self.numbers, self.slope, self.lab, self.map = NumbersPanel(), SlopePlot(), NeuronLab(), LayerMap()
        self.lab.editsChanged.connect(self.diagram.mark_off)
        self.map.inspectRequested.connect(self.inspectRequested)
        self.side = SidePanels(self.numbers, self.slope, self.lab, self.map)
        self.bar = PlaybackBar()
        self.player = Player(self)
        self.dataset, self.learner = None, Learner(self)
        self.learner.epochDone.connect(self._epoch_done)
        self.learner.epochFailed.connect(self._epoch_failed)
        connect_playback(self)
        lay_out(self)
        self._describe_learning()

    # ---- inputs from the window --------------------------------------------------------------
    def set_network(self, network, description=""):
        """Follow ``network`` (the window's) from now on; the shown example is traced again. A run sends
        two a second: a hidden or paused tab only notes it, and copies it (784-1000-10: 3 MB) and traces
        again when it is shown or played, or when one of its actions needs the network (:meth:`_sync`)."""
        self.window_network, self._behind = network, True
        if self.isVisible() and not self.held:
            self._catch_up()
            self._show_first_example()
        elif self.held:
            self._say("Paused: the diagram holds its network while the window's changes; Play or a step follows it")

    def _sync(self):
        """Take a copy of the window's network if it sent a newer one than the tab's: the network the
        animation works on is the tab's own (it applies the steps it learns to it)."""
        if self._behind:
            self._behind, self.examples_learned, window = False, 0, self.window_network
            self.learner.restart()
            self._use(None if window is None else window.copy())
            if window is not None:
                self.networkCopied.emit()
            self._stale = self.x is not None and self.network is not None
            self._describe_learning()

    def _use(self, network):
        """Work on ``network`` (the tab's copy) from now on; the layer map follows it."""
        self.network = network
        self.map.set_network(network)

    def showEvent(self, event):
        super().showEvent(event)
        if not self.held:
            self._catch_up()
        self._show_first_example()

    def _show_first_example(self):
        """Nothing followed yet: follow the picker's example (test image 0 at first), so that the diagram
        never opens blank; the picker says why when it cannot (the data still loading, an empty pad)."""
        if self.x is None and self.window_network is not None and self.isVisible():
            self.picker.choose()

    def hideEvent(self, event):
        super().hideEvent(event)
        self.player.pause()            # nothing plays out of sight

    def _catch_up(self):
        self._sync()
        if self.network is not None and self._stale:
            self._trace(keep_position=True)

    def set_dataset(self, dataset):
        """Pick MNIST images from ``dataset`` (an nncore.Dataset) from now on; learn from its training split."""
        self.dataset = dataset
        self.learner.set_dataset(dataset)
        self.picker.set_dataset(dataset)
        self.map.set_dataset(dataset)
        if dataset is not None:
            self.lab.set_test_data(dataset.test.stored, dataset.test.labels)
        self._describe_learning()
        self._show_first_example()

    def set_training_config(self, cfg):
        """Learn with the settings' η, mini-batch size and training-set size from now on: ``cfg`` is a
        TrainingConfig (its ``learning_rate``, ``batch_size``, ``train_size``), or None while the settings
        hold an invalid value (the last valid ones stay)."""
        if not self.learner.set_config(cfg):
            return
        self._describe_learning()
        self.diagram.set_eta(self.eta)
        if self.trace is not None:
            self._prepare_update()
            self._frame(self.player.index, self.player.t)
            self._step_started(self.player.index)
            self._show_selection()

    @property
    def eta(self):
        """η of every step the tab takes (the settings')."""
        return self.learner.settings.eta

    def shutdown(self):
        """Stop the animation and wait for the worker threads (the window calls this when it closes)."""
        self.player.pause()
        self.learner.shutdown()
        self.lab.shutdown()
        self.map.shutdown()

    def show_example(self, x, label, description="", learnable=False):
        """Follow input ``x (784,)`` with target digit ``label``, from the start of the forward pass;
        ``learnable``: 'Next example' may keep its update (a training image or a drawing)."""
        self.x, self.label, self.description = np.asarray(x, dtype=np.float32), int(label), description
        self.learnable = bool(learnable)
        self._sync()
        if self.network is None:
            self._say("No network yet")
            return
        self._trace(keep_position=False)

    def _picked(self, x, label, description):
        self._release()
        self.show_example(x, label, description, learnable=self.picker.learnable())

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
        if not keep:
            self.diagram.set_schedule(steps)
        self.player.load(steps, keep_position=keep)
        self._step_started(self.player.index)
        self._show_selection()

    def _prepare_update(self):
        """The network after this example's step ΔW = −η ∂C/∂W, and the example's cost then."""
        self.stepped = self.network.copy()
        apply_step(self.stepped, self.trace, self.eta)
        self.cost_after = example_cost(self.stepped, self.x, self.label)
        self._showing_update = False

    def _act(self, action):
        """A playback button: with nothing on show, the picker's example first (then the action plays it)."""
        self._release()
        if self.trace is None and (not self.picker.choose() or self.trace is None):
            return
        action()
        self.bar.set_playing(self.player.playing)

    def toggle_play(self):
        """Play to the end of the example, or pause."""
        if self.player.playing:
            self.pause()
        else:
            self._act(self.player.play)

    def pause(self):
        """Stop every animation in the tab and hold the picture: the player stops, and the diagram and
        the layer map stop following the window's network (a run sends two a second) until Play or a step."""
        self.player.pause()
        self.bar.set_playing(False)
        self.held = True
        self.map.hold(True)

    def _release(self):
        """After a pause: follow the window's network again, catching up now."""
        if self.held:
            self.held = False
            self.map.hold(False)
            if self.isVisible():
                self._catch_up()

    # ---- showing -----------------------------------------------------------------------------
    def _frame(self, index, t):
        updated = bool(self.steps) and self.steps[index].kind == "update" and t >= 1.0
        if updated != self._showing_update:
            self._showing_update = updated
            self.diagram.set_weights(self.stepped if updated else self.network)
        self.diagram.set_frame(index, t)

    def _step_started(self, index):
        if not self.steps:
            return
        equation, summary = step_caption(self.steps, index, self.trace, self.cost_after, self.eta, self.learnable)
        self.equation.setText(equation)
        self.summary.setText(summary)

    def show_neuron(self, layer, j):
        """Show neuron ``j`` of layer ``layer`` (1 … L): its numbers from the trace (a click)."""
        if self.trace is None:
            return
        self.diagram.select(("neuron", layer, j))
        self._show_selection()
        self.lab.select(layer, j)
        if not self.side.showing(self.lab):
            self.side.show_panel(self.numbers)

    def show_edge(self, layer, j, i):
        """Show weight wⱼᵢ of layer ``layer``: its numbers, and the cost along it with backprop's tangent."""
        if self.trace is None:
            return
        self.diagram.select(("edge", layer, j, i))
        self._show_selection()

    def _show_selection(self):
        """The side panels follow the example on show (and drop a selection the network does not have)."""
        s = self.diagram.selection
        if self.side.follow(self.network, self.trace, self.x, self.label, s, self.eta) is None and s is not None:
            self.diagram.select(None)

    def _inspect(self):
        if self.x is not None:
            self.inspectRequested.emit(self.x, self.label, self.description)

    def _say(self, text):
        self.summary.setText(text)
