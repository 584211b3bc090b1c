"""The Training menu's work: start, continue, pause, step, stop and reset, and what the runs report."""

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from nncore import Network
from nncore.network import sizes_text
from nncore.reports import EndReason
from nncore.runs import guessing_hint

from ..training.training_session import RunState


class TrainingController(QObject):
    """Turns the training actions into session calls and keeps the actions' enabled state right.

    It receives everything it uses: the ``session`` (owner of the run's state), the settings
    ``panel`` (the config to train with), ``current`` (the window's CurrentNetwork), ``data`` (the
    DatasetLoader, owner of the dataset), ``extra_train`` (a callable giving my handwriting as a
    Split to add to the training set, or None), ``runs`` (the TrainingTab with the run history), the
    ``actions`` dict and the ``status`` line. The runs' networks reach the views through the
    NetworksController (the focus rules); Reset's new weights go out as ``newWeights(network, label)``.
    """

    newWeights = Signal(object, str)

    def __init__(self, session, panel, current, data, extra_train, runs, actions, status, parent=None):
        super().__init__(parent)
        self.session, self.current, self.data = session, current, data
        self.extra_train, self.runs, self.actions, self.status = extra_train, runs, actions, status
        self._config = panel.config()     # the panel's latest checked config (None: a field is bad)
        self._asked_structure = False
        self._reports = {}      # run id -> its EpochReports so far (for the guessing rule), while it runs
        self._warned = set()    # runs told they are guessing
        self._structure_check = QTimer(self, singleShot=True, interval=700)
        self._structure_check.timeout.connect(self._check_structure_change)
        for name, slot in (("train", self.train), ("continue", self.continue_training),
                           ("pause", self.toggle_pause), ("step", self.step),
                           ("stop", session.stop), ("reset", self.reset_weights)):
            actions[name].triggered.connect(lambda _=False, slot=slot: slot())
        runs.clearRequested.connect(self.clear_runs)
        panel.configChanged.connect(self._config_changed)
        panel.learningRateChanged.connect(self._learning_rate_changed)
        session.stateChanged.connect(self.update_actions)
        session.epochReported.connect(self._epoch)
        session.runEnded.connect(self._run_ended)
        current.changed.connect(self.update_actions)
        data.datasetChanged.connect(self.update_actions)
        data.busyChanged.connect(self.update_actions)     # no run on the old data while new data loads

    # ---- the actions ---------------------------------------------------------------------
    def train(self, *, paused=False):
        """Start a new run from new weights drawn from the seed (the CLI's exact sequence).

        The worker draws them and sends a copy at once (the window then reads with it): a wide
        network's weights take tens of milliseconds to draw, too long for the GUI thread.
        """
        cfg = self._config
        if cfg is None or self.data.dataset is None or self.data.busy or self.session.state is not RunState.IDLE:
            return None
        return self._start(None, cfg, rng=np.random.default_rng(cfg.seed), paused=paused)

    def continue_training(self):
        """Train the current network further with the current η, batch size and epochs."""
        cfg, net = self._config, self.current.network
        if not self._can_continue(cfg) or self.session.state is not RunState.IDLE:
            return None
        return self._start(net.copy(), cfg, rng=None, paused=False, start_epoch=self.current.epochs + 1)

    def toggle_pause(self):
        """Pause a running run, or resume a paused one."""
        if self.session.state is RunState.RUNNING:
            self.session.pause()
            self.status.say("Paused. Step (F10) trains one mini-batch; Resume (F6) goes on.")
        elif self.session.state is RunState.PAUSED:
            self.session.resume()

    def step(self):
        """One mini-batch: of the paused run, or of a new run that starts paused."""
        if self.session.state is RunState.IDLE and self.train(paused=True) is None:
            return
        self.session.step()

    def reset_weights(self):
        """New weights from the seed, offered as "new weights" on the focus list (the views keep reading
        the network they read: an untrained network never takes over by itself)."""
        cfg = self._config
        if cfg is None or self.session.state is not RunState.IDLE:
            return None
        net = Network(cfg.sizes, cost=cfg.cost, init=cfg.init, rng=np.random.default_rng(cfg.seed))
        self.newWeights.emit(net, f"new weights, untrained {net.describe()} (seed {cfg.seed})")
        return net

    def clear_runs(self):
        """Forget the finished runs' curves (after asking); a run still training keeps its own."""
        finished = len(self.runs.history) - (self.session.active_run_id is not None)
        if finished <= 0:
            return
        if self.status.confirm("Clear runs", f"Forget the curves of {finished} finished "
                               f"run{'s' if finished > 1 else ''}? This cannot be undone."):
            self.runs.clear_runs(keep=self.session.active_run_id)

    def update_actions(self, *_):
        """Enable exactly the training actions that can run now."""
        state, cfg, a = self.session.state, self._config, self.actions
        idle = state is RunState.IDLE
        ready = idle and cfg is not None and self.data.dataset is not None and not self.data.busy
        a["train"].setEnabled(ready)
        can_continue = ready and self._can_continue(cfg)
        a["continue"].setEnabled(can_continue)
        a["continue"].setToolTip(f"Train the network in focus ({self.current.description}) further with the "
                                 "settings' η and mini-batch size (Ctrl+F5)"
                                 if can_continue else self._why_not_continue(cfg))
        a["step"].setEnabled(ready or state is RunState.PAUSED)
        a["pause"].setEnabled(state.active)
        a["pause"].setChecked(state is RunState.PAUSED)
        a["pause"].setText("&Resume" if state is RunState.PAUSED else "&Pause")
        a["pause"].setToolTip("Resume the run (F6)" if state is RunState.PAUSED else "Pause the run (F6)")
        a["stop"].setEnabled(state.active)
        a["reset"].setEnabled(idle and cfg is not None)
        a["train"].setToolTip("Fix the settings marked in red first" if cfg is None and idle
                              else "Start a new run with new weights from the seed (F5)")

    # ---- helpers -------------------------------------------------------------------------
    def _can_continue(self, cfg):
        net = self.current.network
        return (cfg is not None and net is not None and net.sizes == cfg.sizes
                and self.data.dataset is not None)

    def _why_not_continue(self, cfg):
        """Why Continue is disabled, in words (its tooltip)."""
        net = self.current.network
        if self.session.state is not RunState.IDLE:
            return "Continue: not while a run is going"
        if cfg is None:
            return "Continue: fix the settings marked in red first"
        if self.data.dataset is None or self.data.busy:
            return "Continue: the dataset is still loading"
        if net is None:
            return "Continue: there is no network yet"
        return (f"Continue: the network is {sizes_text(net.sizes)} but the settings ask for "
                f"{sizes_text(cfg.sizes)}; Train starts a new network of those sizes")

    def _start(self, network, cfg, *, rng, paused, start_epoch=1):
        self._asked_structure = False
        extra = self.extra_train()
        data = self.data.dataset
        run_id = self.session.start(network, data, cfg, rng=rng, paused=paused, start_epoch=start_epoch,
                                    extra_train=extra if extra is not None and len(extra) else None)
        self.status.say(f"Run #{run_id}: training {cfg.sizes_text()} on {cfg.train_size:,} "
                        f"{data.name} examples, η = {cfg.learning_rate:g}, mini-batch {cfg.batch_size}")
        return run_id

    def _learning_rate_changed(self, eta):
        if self.session.set_learning_rate(eta):
            self.status.say(f"η = {eta:g} from the next mini-batch")

    def _config_changed(self, cfg):
        self._config = cfg
        self.update_actions()
        if cfg is not None and self.session.state.active:
            self._structure_check.start()

    def _check_structure_change(self):
        cfg, run_cfg = self._config, self.session.config
        if (cfg is None or run_cfg is None or self._asked_structure or not self.session.state.active
                or not cfg.needs_new_weights(run_cfg)):
            return
        self._asked_structure = True
        if self.status.confirm("New weights needed",
                               "Layer sizes, cost or initialisation changed. These need new weights.\n\n"
                               "Stop this run now? (No: keep training; the change applies to the next "
                               "run.)"):
            self.session.stop()

    # ---- what the run reports --------------------------------------------------------------
    def _epoch(self, run_id, r):
        self.status.say(f"Run #{run_id}, epoch {r.epoch}/{r.epochs}: cost {r.train_cost:.4f}, "
                        f"{r.accuracies_text()} ({r.seconds:.2f} s)")
        reports = self._reports.setdefault(run_id, [])
        reports.append(r)
        if len(reports) >= 2 and run_id not in self._warned:   # one epoch at chance may be a slow start
            self._guessing(run_id, reports)

    def _guessing(self, run_id, reports):
        """Warn (once a run) when the run is guessing at chance with a large η (nncore's rule and words)."""
        if hint := guessing_hint(reports, reports[-1].learning_rate, smaller="η = 3"):
            self.status.warn(f"Run #{run_id}: {hint}.")
            self._warned.add(run_id)

    def _run_ended(self, run_id, end):
        if len(self._reports.get(run_id, ())) == 1:     # a one-epoch run: its one epoch is all there is
            self._guessing(run_id, self._reports[run_id])
        self._reports.pop(run_id, None)
        report = self.session.last_epoch_report
        result = f": {report.accuracies_text()}" if report is not None and end.reason != EndReason.FAILED else ""
        self.status.say(f"Run #{run_id} {end.message}{result}")
        if end.reason in (EndReason.DIVERGED, EndReason.FAILED):
            self.status.show_error("Training stopped", end.message)
