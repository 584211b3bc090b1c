"""The training session: owns the worker and its thread, and the one record of the run's state.

The session is the single owner of "the current run": its :class:`RunState`, its id, its config and
the last epoch it finished. Views connect straight to its signals; controllers ask it to start,
pause, resume, step and stop.
"""

from enum import Enum

from PySide6.QtCore import QObject, Signal

from nncore import TrainingControl

from ..threads import new_thread
from .run_history import RunSetup
from .training_worker import TrainingJob, TrainingWorker


class RunState(Enum):
    """Where the session is: no run, a run going, a run held between mini-batches, a run ending."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"

    @property
    def active(self):
        """True while a run is going or paused (it can be paused, stepped or stopped)."""
        return self in (RunState.RUNNING, RunState.PAUSED)


class TrainingSession(QObject):
    """Start/stop runs on one worker thread; emits what the worker reports, tagged with a run id."""

    stateChanged = Signal(object)           # RunState
    runStarted = Signal(int, object)        # run id, RunSetup
    batchReported = Signal(int, object)     # run id, BatchReport
    epochReported = Signal(int, object)     # run id, EpochReport
    networkUpdated = Signal(int, object)    # run id, a copy of the network being trained
    learningRateChanged = Signal(int, float)   # run id, η from the next mini-batch
    runEnded = Signal(int, object)          # run id, RunEnd
    _startRequested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread = new_thread("training")
        self._worker = TrainingWorker()          # no parent: it moves to the thread
        self._worker.moveToThread(self._thread)
        self._startRequested.connect(self._worker.train)
        self._worker.batchReported.connect(self.batchReported)
        self._worker.epochReported.connect(self._on_epoch)
        self._worker.networkUpdated.connect(self.networkUpdated)
        self._worker.runEnded.connect(self._on_run_ended)
        self._thread.start()
        self._state, self._control = RunState.IDLE, None
        self._run_id, self._config, self._start_epoch, self._last_report = 0, None, 1, None
        self._next_id = lambda last: last + 1

    @property
    def state(self):
        """The :class:`RunState`."""
        return self._state

    @property
    def run_id(self):
        """The id of the current (or last) run; 0 before the first."""
        return self._run_id

    @property
    def active_run_id(self):
        """The id of the run in progress (running, paused or stopping), or None when idle."""
        return None if self._state is RunState.IDLE else self._run_id

    @property
    def config(self):
        """The TrainingConfig of the current (or last) run, or None before the first."""
        return self._config

    @property
    def epoch(self):
        """The last epoch the current (or last) run finished (its start epoch − 1 before one ends)."""
        return self._start_epoch - 1 if self._last_report is None else self._last_report.epoch

    @property
    def last_epoch_report(self):
        """The current (or last) run's latest EpochReport, or None before its first epoch ends."""
        return self._last_report

    def new_run_id(self):
        """A new run id, above every id given before: for each run started here and for a run trained
        elsewhere (a sweep's), so ids stay unique."""
        self._run_id = max(self._run_id + 1, int(self._next_id(self._run_id)))
        return self._run_id

    def continue_numbering_after(self, run_id):
        """Number new runs after ``run_id`` (runs restored from an earlier session keep theirs)."""
        self._run_id = max(self._run_id, int(run_id))

    def number_runs_with(self, next_id):
        """Take each new run id from ``next_id(last id)`` (an id above it: the profile's numbering shared
        with its other windows, see app.window.run_numbers) instead of counting on from the last."""
        self._next_id = next_id

    def _set_state(self, state):
        if state is not self._state:
            self._state = state
            self.stateChanged.emit(state)

    def start(self, network, dataset, config, *, rng=None, start_epoch=1, paused=False,
              extra_train=None):
        """Begin a run on ``network`` (the worker owns it until runEnded; None: new weights drawn by the
        worker from ``rng``, sent at once with networkUpdated). Returns the run id, or None."""
        if self._state is not RunState.IDLE:
            return None
        self.new_run_id()
        self._config, self._start_epoch, self._last_report = config, start_epoch, None
        self._control = TrainingControl()
        if paused:
            self._control.pause()
        job = TrainingJob(self._run_id, network, dataset, config, self._control, rng, start_epoch,
                          extra_train)
        self._set_state(RunState.PAUSED if paused else RunState.RUNNING)
        extra = 0 if extra_train is None else len(extra_train)
        self.runStarted.emit(self._run_id, RunSetup(config, start_epoch, dataset.name, extra))
        self._startRequested.emit(job)
        return self._run_id

    def pause(self):
        """Hold the run before its next mini-batch."""
        if self._state is RunState.RUNNING:
            self._control.pause()
            self._set_state(RunState.PAUSED)

    def resume(self):
        """Let a paused run go on."""
        if self._state is RunState.PAUSED:
            self._control.resume()
            self._set_state(RunState.RUNNING)

    def step(self):
        """One more mini-batch of a paused run."""
        if self._state is RunState.PAUSED:
            self._control.step()

    def stop(self):
        """Ask the run to end before its next mini-batch."""
        if self._state.active:
            self._control.stop()
            self._set_state(RunState.STOPPING)

    def set_learning_rate(self, eta):
        """η from the next mini-batch of the run in progress; False when there is none."""
        if not self._state.active:
            return False
        self._control.learning_rate = float(eta)
        self.learningRateChanged.emit(self._run_id, float(eta))
        return True

    def _on_epoch(self, run_id, report):
        self._last_report = report
        self.epochReported.emit(run_id, report)

    def _on_run_ended(self, run_id, end):
        self._control = None
        self._set_state(RunState.IDLE)
        self.runEnded.emit(run_id, end)

    def shutdown(self, timeout_ms=10_000):
        """Stop any run, end the thread and wait for it. Safe to call twice."""
        if self._control is not None:
            self._control.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(timeout_ms)
