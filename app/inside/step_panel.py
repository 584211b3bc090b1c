"""The inspector's last box: take the step ΔW = −η D_W C for the traced example (and undo it), and
check backprop against finite differences off the GUI thread."""

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout

from nncore.inspection import apply_step, example_cost, gradient_check
from nncore.limits import LEARNING_RATE

from ..help.glossary import tip
from ..threads import TaskRunner
from ..widgets.fields import FloatField

# Below this, |∂C/∂w| is beyond what central differences resolve (float64 rounding of C over ε = 1e-5 is
# ~1e-11), so a gradient that small and its finite differences agree or disagree by chance.
TOO_SMALL_TO_CHECK = 1e-9
SATURATED = "every gradient is 0 here: the network is saturated, so the check cannot tell"


def all_zero(check, tr):
    """True when backprop's gradient at layer ``check.layer`` (all of it, from the trace ``tr``) and the
    finite differences checked there (their largest is among ``check.worst``, as backprop's are all
    near 0) are all below :data:`TOO_SMALL_TO_CHECK`: the check has nothing to compare."""
    i = check.layer - 1
    backprop = max(float(np.max(np.abs(tr.nabla_w[i]))), float(np.max(np.abs(tr.nabla_b[i]))))
    numeric = max((abs(n) for _name, _index, _g, n in check.worst), default=0.0)
    return max(backprop, numeric) < TOO_SMALL_TO_CHECK


def check_lines(checks, tr):
    """The check's verdict for people, per layer; one line when no layer has a gradient to check."""
    zero = [all_zero(c, tr) for c in checks]
    if all(zero):
        return SATURATED[0].upper() + SATURATED[1:] + "."
    return "<br>".join(f"layer {c.layer}: {SATURATED if z else c.verdict()}" for c, z in zip(checks, zero))


class StepPanel(QGroupBox):
    """η (the training settings', or the user's own for this step), "Apply this one step", "Undo", and the
    gradient check with its verdict per layer.

    The inspector gives it the subject with :meth:`set_subject` and the settings' η with
    :meth:`set_settings_eta`; ``networkEdited(network)`` carries the network after a step (or the one
    before it, on undo); ``checkFinished(list of LayerCheck)`` follows a gradient check that ran to the end.
    """

    networkEdited = Signal(object)
    checkFinished = Signal(object)

    def __init__(self, parent=None):
        super().__init__("The step: ΔW = −η D_W C, Δb = −η dC/db", parent)
        self.setToolTip("\n".join(tip(s) for s in ("ΔW", "η", "D_W C", "Δb", "dC/db")))
        self.network = self.x = self.trace = self._checked_label = None
        self.editable = True
        self.undo_stack = QUndoStack(self)      # the last step taken here, so that Undo can take it back
        self.undo_stack.setUndoLimit(1)
        self.settings_eta, self._eta_origin = None, "waiting for the settings"   # the window tells it at once
        self.eta_source = QLabel()
        self.own_eta = QCheckBox("use my own η instead:")
        self.own_eta.setToolTip("Take this one step with another η than the training settings'")
        self.own_eta.toggled.connect(self._own_eta_toggled)
        self.eta = FloatField(1.0, tooltip=f"Your own η for this one step ({LEARNING_RATE.text()})")
        self.eta.setEnabled(False)
        self.eta.edited.connect(lambda _v: self._update_buttons())
        self.apply = QPushButton("Apply this one step")
        self.apply.clicked.connect(self.apply_one_step)
        self.undo = QPushButton("Undo the step")
        self.undo.setToolTip("Put back the network as it was before the last step taken here")
        self.undo.clicked.connect(self.undo_step)
        self.step_result = QLabel("")
        self.step_result.setWordWrap(True)
        self.check = QPushButton("Gradient check")
        self.check.setToolTip("Compare backprop with central finite differences on this example (float64, "
                              "up to 200 weights and 200 biases per layer)")
        self.check.clicked.connect(self._check_clicked)
        self.check_progress = QProgressBar()
        self.check_progress.setMaximumWidth(160)
        self.check_progress.hide()
        self.check_result = QLabel("")
        self.check_result.setWordWrap(True)
        self.runner = TaskRunner("gradient-check", self)
        self.runner.progressed.connect(self._progressed)
        self.runner.finished.connect(self._check_done)
        self.runner.failed.connect(self._check_failed)
        eta_row, row, check_row = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        for w in (self.eta_source, self.own_eta, self.eta):
            eta_row.addWidget(w)
        eta_row.addStretch(1)
        row.addWidget(self.apply)
        row.addWidget(self.undo)
        row.addWidget(self.step_result, 1)
        check_row.addWidget(self.check)
        check_row.addWidget(self.check_progress)
        check_row.addWidget(self.check_result, 1)
        outer = QVBoxLayout(self)
        for r in (eta_row, row, check_row):
            outer.addLayout(r)
        self._update_buttons()

    # ---- η -------------------------------------------------------------------------------
    def set_settings_eta(self, eta):
        """The training settings' η, which the step uses unless the user gives their own; None while the
        settings are invalid (the last valid η stays)."""
        if eta is None:
            self._eta_origin = "the settings' last valid η"
        else:
            self.settings_eta, self._eta_origin = float(eta), "from the settings"
            if not self.own_eta.isChecked():
                self.eta.setValue(self.settings_eta)   # the user's own starts from the settings'
        self._update_buttons()

    def _own_eta_toggled(self, on):
        self.eta.setEnabled(on)
        self._update_buttons()

    def current_eta(self):
        """(η the step will use, or None if the user's own is not a number; where it comes from, in words)."""
        if self.own_eta.isChecked():
            return self.eta.current(), "your own"
        return self.settings_eta, self._eta_origin

    def set_subject(self, network, x, trace, editable, *, new_example):
        """What the step and the check act on; a new example, target or network makes earlier results stale."""
        relabelled = trace is not None and self._checked_label not in (None, trace.label)   # another target
        stale = network is not self.network or new_example or relabelled
        self.network, self.x, self.trace, self.editable = network, x, trace, editable
        if stale:
            self._cancel_check()
            self.check_result.setText("")
        if new_example:
            self.step_result.setText("")
            self.undo_stack.clear()
        self._update_buttons()

    def _update_buttons(self):
        ready = self.trace is not None
        eta, origin = self.current_eta()
        overridden = "; not used" if self.own_eta.isChecked() else ""
        shown = "?" if self.settings_eta is None else f"{self.settings_eta:g}"
        self.eta_source.setText(f"η = {shown} ({self._eta_origin}{overridden})")
        self.eta_source.setToolTip(tip("η"))
        used = f"η = {eta:g}, {origin}" if eta is not None else "η: type a number"
        self.apply.setEnabled(ready and self.editable and eta is not None)
        self.apply.setToolTip(f"Changes the network you are looking at: every weight and bias, by −η times this "
                              f"example's gradient ({used}); Undo restores it"
                              if self.editable else "Not while a run trains this network")
        self.undo.setEnabled(self.undo_stack.canUndo() and self.editable)
        self.check.setEnabled(ready)

    # ---- the step ------------------------------------------------------------------------
    def apply_one_step(self):
        """W ← W − η D_W C on a copy of the network, η the settings' unless the user gave their own; show
        the example's cost and output before and after."""
        eta, _origin = self.current_eta()
        if self.trace is None or not self.editable:
            return None
        if eta is None or eta not in LEARNING_RATE:
            self.step_result.setText(f"η must be a number from {LEARNING_RATE.text()}")
            return None
        before, label = self.network, self.trace.label
        net = before.copy()
        cost_before, out_before = self.trace.cost, float(self.trace.activations[-1][label])
        apply_step(net, self.trace, eta)
        out_after = float(net.feedforward(self.x.astype(net.dtype)[None, :])[0, label])
        cost_after = example_cost(net, self.x, label)
        change = cost_after - cost_before
        self.step_result.setText(f"η = {eta:g}: cost {cost_before:.6g} → {cost_after:.6g} ({change:+.3g}, "
                                 f"{100 * change / cost_before:+.1f}%);  output {label}: "
                                 f"{out_before:.4f} → {out_after:.4f}")
        self.networkEdited.emit(net)
        self.undo_stack.push(_Step(self, before, net))
        self._update_buttons()
        return net

    def undo_step(self):
        """Put back the network from before the last step (the very object it was)."""
        if self.undo_stack.canUndo() and self.editable:
            self.undo_stack.undo()
            self._update_buttons()

    # ---- the gradient check ----------------------------------------------------------------
    def _check_clicked(self):
        if self.runner.busy:
            self._cancel_check()
            self.check_result.setText("Cancelled.")
        else:
            self.run_gradient_check()

    def run_gradient_check(self):
        """Start the check on a worker thread; the window stays responsive, with progress and Cancel."""
        if self.trace is None or self.runner.busy:
            return False
        network, x, tr = self.network.copy(), self.x.copy(), self.trace
        self._checked_label = tr.label
        self.runner.start(tr, lambda task: gradient_check(network, x, tr.label, task=task))
        self.check.setText("Cancel check")
        self.check_progress.setValue(0)
        self.check_progress.show()
        self.check_result.setText("Checking…")
        return True

    def _cancel_check(self):
        if self.runner.busy:
            self.runner.cancel()       # whatever it returns now is dropped
            self._check_ended()

    def _progressed(self, _token, done, total):
        self.check_progress.setRange(0, total)
        self.check_progress.setValue(done)

    def _check_ended(self):
        self.check.setText("Gradient check")
        self.check_progress.hide()

    def _check_done(self, tr, checks):
        self._check_ended()
        self.check_result.setText(check_lines(checks, tr))
        self.check_result.setToolTip(
            "Relative error of the whole gradient per layer, ‖g − g_fd‖ / (‖g‖ + ‖g_fd‖), over up to 200 "
            "weights and 200 biases.\nThe entries that differ most (backprop vs finite differences):\n"
            + "\n".join(f"layer {c.layer}, {name}[{i}]: {g:.6g} vs {n:.6g}"
                        for c in checks for name, i, g, n in c.worst))
        self.checkFinished.emit(checks)

    def _check_failed(self, _token, message):
        self._check_ended()
        self.check_result.setText(f"The check failed: {message}")

    def shutdown(self):
        """End the check's thread (the window is closing)."""
        self.runner.shutdown()



class _Step(QUndoCommand):
    """One step taken in the panel (and sent) before it is pushed: undo sends the network from before it,
    redo the stepped one again (the same objects each time: the window tells an undo from a new edit)."""

    def __init__(self, panel, before, after):
        super().__init__("Apply this one step")
        self.panel, self.before, self.after, self.sent = panel, before, after, True

    def redo(self):
        if not self.sent:           # push() redoes at once: the step was sent already
            self.panel.networkEdited.emit(self.after)
        self.sent = False

    def undo(self):
        self.panel.networkEdited.emit(self.before)
        self.panel.step_result.setText("The step was undone.")
