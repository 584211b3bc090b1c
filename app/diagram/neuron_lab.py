"""The neuron lab: switch a clicked neuron off or edit its bias, and see what the network then does.

The example's outputs are recomputed at once (one forward pass); the test accuracy on a worker thread.
Every edit can be undone; it is a "what if" on a copy of the diagram's network: nothing is learned
(no η), and neither the diagram's network nor the window's changes.
"""

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nncore.diagram_model import edited_network

from ..threads import TaskRunner
from ..widgets.fields import FloatField
from ..widgets.output_bars import OutputBars
from ..widgets.theme import dim_text, set_role_colour

HINT = "Click a neuron in the diagram, then switch it off or change its bias."
WHAT_IF = ("What if: edits a copy of the diagram's network to compare its outputs and test accuracy. Nothing "
           "is learned (no η); the diagram's network and the window's are unchanged")


class NeuronLab(QWidget):
    """``set_context(network, x, label)``, ``set_test_data(x, labels)``, ``select(layer, j)``.

    ``accuracyReady(before, after)``: the test accuracy (fractions) of the network and of the edited one;
    ``editsChanged(off)`` after every edit, with the set of (layer, j) switched off.
    """

    accuracyReady = Signal(float, float)
    editsChanged = Signal(object)      # the set {(layer, j)} of neurons switched off

    def __init__(self, parent=None):
        super().__init__(parent)
        self.network = self.x = self.test = self.neuron = None
        self.label, self.off, self.biases, self.accuracy_before = 0, set(), {}, None
        self.undo_stack = QUndoStack(self)       # the edits, so that Undo takes back one at a time
        self.jobs = TaskRunner("diagram-lab", self)
        self.jobs.finished.connect(self._accuracy_done)
        self.jobs.failed.connect(lambda _token, message: self.accuracy.setText(
            f"The test accuracy could not be computed: {message}"))
        self.title = QLabel(HINT)
        self.title.setWordWrap(True)
        self.title.setToolTip(WHAT_IF)
        self.switch = QCheckBox("Switch it off (a = 0)")
        self.switch.toggled.connect(self._switched)
        self.bias = FloatField(0.0, decimals=4, tooltip=f"Type a bias and press Enter. {WHAT_IF}")
        self.bias.editingFinished.connect(lambda: self.set_bias(self.bias.current()))
        self.undo_button = QPushButton("Undo")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.reset_button = QPushButton("Undo all")
        self.reset_button.clicked.connect(self.reset)
        self.edits = QLabel("")
        self.edits.setWordWrap(True)
        self.before, self.after = OutputBars(), OutputBars()
        self.change, self.accuracy = QLabel(""), QLabel("")
        self.change.setWordWrap(True)
        self.accuracy.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(QLabel("bias b"), 0, 0)
        grid.addWidget(self.bias, 0, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        note = set_role_colour(QLabel("A what-if on a copy: no network changes."), QPalette.WindowText, dim_text)
        note.setWordWrap(True)
        note.setToolTip(WHAT_IF)
        for w in (self.title, note, self.switch):
            layout.addWidget(w)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        for w in (self.edits, QLabel("This example's outputs before the edits:"), self.before,
                  QLabel("and after them:"), self.after, self.change, self.accuracy):
            layout.addWidget(w)
        layout.addStretch(1)
        self._enable()

    # ---- context -------------------------------------------------------------------------------
    def set_context(self, network, x, label):
        """Edit copies of ``network``; show the outputs for ``x (784,)``. A new network drops the edits."""
        if network is not self.network:
            self.off, self.biases, self.accuracy_before = set(), {}, None
            self.undo_stack.clear()
            layer, j = self.neuron or (1, 0)
            if layer >= len(network.sizes) or j >= network.sizes[layer]:    # not a neuron of this network
                self.neuron = None
        self.network, self.x, self.label = network, x, label
        self._refresh()

    def set_test_data(self, x, labels):
        """Measure the accuracy on ``x (m, 784)`` and ``labels (m,)`` (read only, shared)."""
        self.test = (x, labels)
        self.accuracy_before = None

    def select(self, layer, j):
        """Edit neuron ``j`` of layer ``layer`` (1 … L)."""
        self.neuron = (layer, j)
        self._enable()

    def edited(self):
        """A copy of the network with the lab's edits."""
        return edited_network(self.network, self.off, self.biases)

    # ---- edits ---------------------------------------------------------------------------------
    def switch_off(self, off=True):
        """Switch the selected hidden neuron off (or back on)."""
        if self.neuron is None or (self.neuron in self.off) == off:
            return
        switched = self.off | {self.neuron} if off else self.off - {self.neuron}
        self._edit("Switch a neuron off" if off else "Switch a neuron on", switched, self.biases)

    def set_bias(self, value):
        """Give the selected neuron the bias ``value`` (None: a bad entry, ignored)."""
        if self.neuron is None or value is None or value == self._bias_of(self.neuron):
            return
        self._edit("Change a bias", self.off, {**self.biases, self.neuron: float(value)})

    def undo(self):
        """Take back the last edit."""
        self.undo_stack.undo()

    def reset(self):
        """Take back every edit (itself an edit that Undo takes back)."""
        if self.off or self.biases:
            self._edit("Undo all", set(), {})

    def _edit(self, text, off, biases):
        self.undo_stack.push(_Edit(self, text, (set(self.off), dict(self.biases)), (set(off), dict(biases))))

    def _set_edits(self, off, biases):
        """Make ``off`` (a set of (layer, j)) and ``biases`` ({(layer, j): b}) the edits, and show them."""
        self.off, self.biases = set(off), dict(biases)
        self._refresh()

    def _switched(self, checked):
        self.switch_off(checked)

    def _bias_of(self, neuron):
        layer, j = neuron
        return self.biases.get(neuron, float(self.network.biases[layer - 1][j]))

    # ---- showing -------------------------------------------------------------------------------
    def _enable(self):
        n = self.neuron
        hidden = n is not None and self.network is not None and n[0] < len(self.network.weights)
        self.switch.setEnabled(hidden)
        self.switch.setToolTip(("The next layer reads a = 0 from it. " if hidden
                                else "Only a hidden neuron can be switched off. ") + WHAT_IF)
        self.bias.setEnabled(n is not None and self.network is not None)
        self.reset_button.setEnabled(bool(self.off or self.biases))
        if n is not None and self.network is not None:
            self.title.setText(f"Neuron {n[1]} of layer {n[0]}" + (" (output)" if not hidden else ""))
            self.switch.blockSignals(True)
            self.switch.setChecked(n in self.off)
            self.switch.blockSignals(False)
            self.bias.blockSignals(True)
            self.bias.setValue(self._bias_of(n))
            self.bias.blockSignals(False)
        edits = [f"layer {l} neuron {j} off" for l, j in sorted(self.off)]
        edits += [f"layer {l} neuron {j}: b = {b:.4g}" for (l, j), b in sorted(self.biases.items())]
        self.edits.setText("Edits: " + "; ".join(edits) if edits else "No edits.")

    def _refresh(self):
        self._enable()
        self.editsChanged.emit(set(self.off))
        if self.network is None or self.x is None:
            return
        edited = self.edited()
        before, after = self.network.feedforward(self.x), edited.feedforward(self.x)
        self.before.set_values(before)
        self.after.set_values(after)
        k = int(np.argmax(np.abs(after - before)))
        self.change.setText(f"The target {self.label}: a = {before[self.label]:.4f} → {after[self.label]:.4f}; "
                            f"the largest change is output {k}'s, {before[k]:.4f} → {after[k]:.4f}")
        if not (self.off or self.biases):
            self.accuracy.setText("Edit a neuron to compare the test accuracy.")
        elif self.test is not None:
            self._count(edited)

    def _count(self, edited):
        x, labels = self.test
        base = None if self.accuracy_before is not None else self.network.copy()
        self.accuracy.setText("Test accuracy: computing…")
        self.jobs.start("accuracy", lambda _task: (base.accuracy(x, labels) if base is not None else None,
                                                   edited.accuracy(x, labels)))

    def _accuracy_done(self, _token, value):
        before, after = value
        if before is not None:
            self.accuracy_before = before
        b = self.accuracy_before
        self.accuracy.setText(f"Test accuracy ({len(self.test[1]):,} images): {100 * b:.2f}% → {100 * after:.2f}%")
        self.accuracyReady.emit(float(b), float(after))

    def shutdown(self):
        """Wait for an accuracy being computed."""
        self.jobs.shutdown()



class _Edit(QUndoCommand):
    """One edit of the lab: the edits ``(off, biases)`` before and after it."""

    def __init__(self, lab, text, before, after):
        super().__init__(text)
        self.lab, self.before, self.after = lab, before, after

    def redo(self):
        self.lab._set_edits(*self.after)

    def undo(self):
        self.lab._set_edits(*self.before)
