"""The training session: owns the worker and its thread, and knows whether a run is going.

States: 'idle', 'running', 'paused', 'stopping'. The window asks the session to start, pause,
resume, step and stop; the session forwards the worker's signals and keeps its own state right.
"""

import sys

from PySide6.QtCore import QObject, Signal

from nncore import TrainingControl

from .threads import new_thread
from .worker import TrainingJob, TrainingWorker


class TrainingSession(QObject):
    """Start/stop runs on one worker thread; emits what the worker reports, tagged with a run id."""

    stateChanged = Signal(str)
    runStarted = Signal(int, object, int)   # run id, TrainingConfig, first epoch
    batchReported = Signal(int, object)
    epochReported = Signal(int, object)
    networkUpdated = Signal(int, object)
    runEnded = Signal(int, object)
    _startRequested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread = new_thread("training")
        self._worker = TrainingWorker()          # no parent: it moves to the thread
        self._worker.moveToThread(self._thread)
        self._startRequested.connect(self._worker.train)
        self._worker.batchReported.connect(self.batchReported)
        self._worker.epochReported.connect(self.epochReported)
        self._worker.networkUpdated.connect(self.networkUpdated)
        self._worker.runEnded.connect(self._on_run_ended)
        self._thread.start()
        self._state, self._control, self._run_id = "idle", None, 0
        # While the worker runs Python, the GUI thread waits for the GIL up to this long each time
        # it needs it; 1 ms instead of the default 5 keeps painting and input prompt.
        sys.setswitchinterval(0.001)

    @property
    def state(self):
        """'idle', 'running', 'paused' or 'stopping'."""
        return self._state

    @property
    def run_id(self):
        """The id of the current (or last) run."""
        return self._run_id

    def _set_state(self, state):
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)

    def start(self, network, dataset, config, *, rng=None, start_epoch=1, paused=False,
              extra_train=None):
        """Begin a run on ``network`` (the worker owns it until runEnded). Returns the run id."""
        if self._state != "idle":
            return None
        self._run_id += 1
        self._control = TrainingControl()
        if paused:
            self._control.pause()
        job = TrainingJob(self._run_id, network, dataset, config, self._control, rng, start_epoch,
                          extra_train)
        self._set_state("paused" if paused else "running")
        self.runStarted.emit(self._run_id, config, start_epoch)
        self._startRequested.emit(job)
        return self._run_id

    def pause(self):
        """Hold the run before its next mini-batch."""
        if self._state == "running":
            self._control.pause()
            self._set_state("paused")

    def resume(self):
        """Let a paused run go on."""
        if self._state == "paused":
            self._control.resume()
            self._set_state("running")

    def step(self):
        """One more mini-batch of a paused run."""
        if self._state == "paused":
            self._control.step()

    def stop(self):
        """Ask the run to end before its next mini-batch."""
        if self._state in ("running", "paused"):
            self._control.stop()
            self._set_state("stopping")

    def set_learning_rate(self, eta):
        """η for the next mini-batch of the current run."""
        if self._control is not None and self._state != "idle":
            self._control.learning_rate = float(eta)

    def _on_run_ended(self, run_id, end):
        self._control = None
        self._set_state("idle")
        self.runEnded.emit(run_id, end)

    def shutdown(self, timeout_ms=10_000):
        """Stop any run, end the thread and wait for it. Safe to call twice."""
        if self._control is not None:
            self._control.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(timeout_ms)
