"""The backprop inspector: one example's forward pass, then the backward pass a layer or a fact at a time."""

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QScrollArea, QVBoxLayout, QWidget

from nncore.inspection import trace

from ..threads import TaskRunner
from ..widgets.keys import PageKeys
from ..widgets.reading import read_outputs
from .example_box import ExampleBox
from .fact_panels import LayerFacts, WalkBar, first_fact, layer_views, walk_steps, walk_to
from .forward_strips import ForwardStrips
from .kept_example import KeptExample
from .step_panel import StepPanel

EMPTY_PAD = "Draw a digit on the pad: the inspector traces it as you draw"


class InspectorTab(KeptExample, QWidget):
    """Pick an example and a target; walk Facts 1–6 from layer L down to 1, a layer or a fact at a time;
    take the step. The pad's drawing is traced against the network's top guess unless the user picks a
    target, and again as it changes (:meth:`drawing_changed`). The example is kept between launches
    (:meth:`state`, :meth:`restore_state`, :meth:`set_dataset` from KeptExample)."""

    networkEdited = Signal(object)   # the network after "apply this one step"

    def __init__(self, pad_input, parent=None):
        super().__init__(parent)
        self.pad_input, self.network = pad_input, None
        self.x, self.trace, self.layer, self.fact, self.editable = None, None, 1, None, True   # fact None: by layer
        self.showing_pad = False  # the example shown is the pad's drawing: it follows the drawing
        self._stale = False       # the network, the drawing or the target changed since the trace shown
        self._runner, self._token, self._edited = None, 0, None   # re-trace thread, its job, our step's net
        body = QWidget()
        layout = QVBoxLayout(body)
        self.forward_box = ForwardStrips()
        layout.addWidget(self.forward_box)
        self.facts = LayerFacts()
        self.backward = QGroupBox("Backward pass")
        QVBoxLayout(self.backward).addWidget(self.facts)
        layout.addWidget(self.backward, 1)
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
        self.example = ExampleBox()
        self.source, self.index, self.target = self.example.source, self.example.index, self.example.target
        self.example.inspectClicked.connect(self.load_selected)
        self.example.targetPicked.connect(lambda _y: self._mark_stale())
        outer.addWidget(self.example)
        outer.addWidget(self.walk_bar)
        outer.addWidget(self._scroll, 1)
        self._timer = QTimer(self, singleShot=True, interval=0)   # coalesce: one re-trace per pass of the loop
        self._timer.timeout.connect(self._retrace)
        self.keys = PageKeys(self, {Qt.Key_Right: lambda: self.walk(-1), Qt.Key_Left: lambda: self.walk(+1),
                                    Qt.Key_Down: lambda: self.move_layer(-1), Qt.Key_Up: lambda: self.move_layer(+1)})
        self._show_nothing("Draw a digit on the pad or pick an MNIST image, then press Inspect")

    def add_panel(self, widget):
        """Add a panel (the saturation plot) at the bottom of the inspector."""
        self._body_layout.addWidget(widget)

    # ---- inputs from the window ----------------------------------------------------------
    def set_network(self, network, _description=""):
        """Inspect with ``network`` (the window's copy); the example is re-traced off the GUI thread if the tab
        is on screen, else when next shown (a run sends a network twice a second; at 784-1000-10 D_W C¹ is
        784,000 numbers to colour; the latest wins), except the network this tab's own step made: at once."""
        self.network, self._stale = network, True
        if self.isVisible():
            self._retrace()
        self._apply_kept()      # an example kept from the last launch, once it can be traced

    def drawing_changed(self):
        """The pad's drawing changed: traced again (coalesced, off the GUI thread) if it is the example shown."""
        if self.showing_pad:
            self._mark_stale()

    def _mark_stale(self):
        """What is shown is out of date: traced again once per pass of the event loop, if on screen."""
        self._stale = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event):
        super().showEvent(event)
        self._retrace()

    def _retrace(self):
        """Trace again what went stale, off the GUI thread: the latest network, drawing and target win."""
        if not (self._stale and self.network is not None and (self.x is not None or self.showing_pad)):
            self._stale = False
            return
        x = self._pad_drawing() if self.showing_pad else self.x
        if x is None:
            self._stale = False
            self._show_nothing(EMPTY_PAD, forget_pick=True)
            return
        label = None if self.showing_pad and self.example.follows_top_guess() else self.target.value()
        if self.network is self._edited and np.array_equal(x, self.x):   # this tab's own step: at once
            self._run(self.x, label, keep_layer=True)
            return
        if self._runner is not None and self._runner.busy:
            return                         # stays stale: traced again when this one is done
        self._stale = False
        origin, network, layer = self.network, self.network.copy(), self.layer

        def job(_task):   # reads a copy of the network and the example only
            reading = read_outputs(network.feedforward(x)) if label is None else None
            tr = trace(network, x, reading.top if label is None else label)
            shown = min(layer, len(tr.dC_dz))
            return origin, x, layer, tr, shown, layer_views(tr, shown, network.cost), reading

        if self._runner is None:
            self._runner = TaskRunner("inspector-trace", self)
            self._runner.finished.connect(self._retraced)
            self._runner.failed.connect(self._retrace_failed)
        self._token += 1
        self._runner.start(self._token, job)

    def _pad_drawing(self):
        """The pad's drawing as float64 (784,), or None when the pad is empty."""
        x = self.pad_input()
        return None if x is None or not np.any(x) else np.asarray(x, dtype=np.float64)

    def _step_applied(self, network):
        """The step panel changed the network: pass it on; it comes back through set_network."""
        self._edited = network
        self.networkEdited.emit(network)

    def _retraced(self, token, result):
        """A re-trace finished off the GUI thread: shown, unless a newer example or network came since."""
        network, x, asked, tr, layer, views, reading = result
        if token == self._token and network is self.network:
            moved, new_example = asked != self.layer, not np.array_equal(x, self.x)   # moved: by the user
            self.x, self.trace, self.layer = x, tr, self.layer if moved else layer
            if reading is not None:
                self.example.set_target(tr.label, "top", reading)
            self._show_trace(None if moved else views, new_example)
        self._next_retrace()

    def _retrace_failed(self, _token, message):
        self.walk_bar.label.setText(f"The example could not be traced: {message}")
        self._next_retrace()

    def _next_retrace(self):
        """Trace what changed meanwhile, if shown; else end the thread (none kept waiting)."""
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

    def show_example(self, x, label, description=""):
        """Inspect input ``x (784,)`` against target ``label`` (an example sent from another view)."""
        self.source.setCurrentIndex(0)
        self.example.set_target(label, "sent")
        self.showing_pad = False
        self._run(np.asarray(x, dtype=np.float64), int(label))
        self.walk_bar.label.setToolTip(description)

    def show_test_image(self, index):
        """Inspect MNIST test image ``index`` against its label (the picker names it), from the view's top."""
        self.source.setCurrentIndex(1)
        self.index.setValue(index)
        self.load_selected()
        self._scroll.verticalScrollBar().setValue(0)

    def load_selected(self):
        """Inspect what the picker selects: the pad's drawing (against the top guess, unless a target was
        picked), or an MNIST image against its label."""
        src = self.source.currentIndex()
        if src == 0:
            self.showing_pad = True
            x = self._pad_drawing()
            if x is None:
                self._show_nothing(EMPTY_PAD, forget_pick=True)
            else:
                self._run(x, None if self.example.follows_top_guess() else self.target.value())
            return
        if self.example.dataset is None:
            self.walk_bar.label.setText("The dataset is still loading")
            return
        self.showing_pad = False
        split = self.example.split()
        i = min(self.index.value(), len(split) - 1)
        self.index.setValue(i)
        self.example.set_target(int(split.labels[i]), "label")
        self._run(split.inputs(i), int(split.labels[i]))

    # ---- showing -------------------------------------------------------------------------
    def _run(self, x, label, keep_layer=False):
        """Trace ``x (784,)`` against ``label`` now (None: the network's top guess, said beside the target)."""
        if self.network is None:
            return
        self._token += 1              # a re-trace still running is for what was shown before
        self.x, self._stale = np.asarray(x, dtype=np.float64), False
        if label is None:
            reading = read_outputs(self.network.feedforward(self.x))   # the pad's rule for the top guess
            self.example.set_target(reading.top, "top", reading)
            label = reading.top
        self.trace = trace(self.network, self.x, label)
        if not keep_layer or self.layer > len(self.trace.dC_dz):
            self.layer = len(self.trace.dC_dz)
            self.fact = None if self.fact is None else 1     # a new example: the walk starts again
        self._show_trace(None, new_example=not keep_layer)

    def _show_trace(self, views, new_example):
        """Show ``self.trace`` of ``self.x``: the picture, the forward pass, the current layer's facts
        (``views``: their :func:`layer_views`, if computed), the step's subject."""
        self.example.show_picture(self.x)
        for box in (self.forward_box, self.backward, self.step):
            box.show()
        self.forward_box.show_trace(self.trace, self.network.cost.output)
        self._show_layer(views)
        self.step.set_subject(self.network, self.x, self.trace, self.editable, new_example=new_example)

    def _show_nothing(self, text, forget_pick=False):
        """No example to show (``text`` says why): no stale numbers stay on screen; ``forget_pick``: the
        pad was emptied, so a new drawing follows the network's top guess again."""
        self._token += 1              # a re-trace still running is for what was shown before
        self.x = self.trace = None
        if forget_pick:
            self.example.forget_pick()
        self.example.show_picture(None)
        for box in (self.forward_box, self.backward, self.step):
            box.hide()
        self.walk_bar.label.setText(text)
        for button in (self.walk_bar.towards_output, self.walk_bar.towards_input):
            button.setEnabled(False)
        self.step.set_subject(self.network, None, None, self.editable, new_example=True)

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
