"""The Sweeps dialog: one parameter over several values, each value a run of ``nncore sweep``, and the
learning-rate finder that proposes a range of η."""

import time
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..widgets.fields import MessageLabel
from .lr_finder import FINDER_EPOCHS, START_ETA, finder_plan, finding_from_runs
from .parameters import ETA
from .summary_plot import SummaryPlot
from .sweep_form import SweepForm
from .sweep_networks import SweepNetworks
from .sweep_plan import SweepPlan, settings_text
from .sweep_process import SweepProcess
from .sweep_tally import SweepTally

COLUMN_WIDTH = 560
COMMAND_WIDTH = 66   # characters per line of the command shown
REFRESH_MS = 250   # the progress line and the summary plot are redrawn at most four times a second


class SweepDialog(QDialog):
    """A non-modal dialog that runs ``python -m nncore sweep ... --json --run-ends`` as a QProcess.

    ``config_dict`` holds the window's settings (the keys of ``TrainingConfig.to_dict()``); the swept
    parameter takes each chosen value in turn, the others keep theirs. Signals, all with plain dicts
    (see :mod:`app.sweeps.sweep_tally` for their keys):

    - ``runProgress(values, line)``: a run finished an epoch; ``values`` names the run (``{"eta": 0.5}``),
      ``line`` is train's JSON epoch line.
    - ``runFinished(values, summary)``: a run ended (finished, diverged, failed or stopped); its network,
      saved by the sweep, is in the file ``summary["network_file"]`` (None: none) until the slots return.
    - ``sweepStarted(info)``: ``{"parameter", "label", "values", "command"}``; ``sweepEnded(text)``.
    - ``learningRateProposed(float)``: the finder's safe η.

    The finder's short runs are not reported. Closing the dialog hides it: a sweep goes on, its runs keep
    arriving. :meth:`shutdown` stops the sweep and waits for it (the window closes). ``process`` may be
    given (tests pass a stand-in with ``start(argv)``, ``stop()``, ``shutdown()`` and the signals
    ``lineRead(str)`` and ``ended(int, str, bool)`` of SweepProcess).
    """

    runProgress = Signal(dict, dict)
    runFinished = Signal(dict, dict)
    sweepStarted = Signal(dict)
    sweepEnded = Signal(str)
    learningRateProposed = Signal(float)

    def __init__(self, config_dict, parent=None, *, process=None):
        super().__init__(parent)
        self.setWindowTitle("Sweeps")
        self.setModal(False)
        self.config = dict(config_dict)
        self.process = process if process is not None else SweepProcess(self)
        self.process.lineRead.connect(self.feed)
        self.process.ended.connect(self._ended)
        self.kind, self.tally, self._t0 = None, None, 0.0   # kind: "sweep" or "finder"
        self.networks = SweepNetworks()
        self._running = self._stopping = False
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_MS, timeout=self._refresh)
        self._clock = QTimer(self, interval=1000, timeout=self._refresh)   # the elapsed seconds tick on
        self._build()
        self.set_config(self.config)

    def _build(self):
        self.form = SweepForm()
        self.settings = QLabel(wordWrap=True)
        self.command_view = QPlainTextEdit(readOnly=True)
        self.command_view.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.command_view.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.command_view.setFixedHeight(5 * self.command_view.fontMetrics().lineSpacing() + 14)
        self.find_button = QPushButton("Find η", clicked=self.find_learning_rate, toolTip=(
            f"The book's heuristic: short runs ({FINDER_EPOCHS} epochs on part of the training set) at "
            "η = 0.01 … 100; the largest η at which the cost falls is the threshold, half of it a safe η; "
            "proposes a sweep around it"))
        self.start_button = QPushButton("Start sweep", clicked=self.start)
        self.stop_button = QPushButton("Stop", clicked=self.stop, enabled=False)
        close = QPushButton("Close", clicked=self.hide)
        self.progress_bar = QProgressBar(textVisible=False, maximumHeight=10)
        self.progress = QLabel("Choose a parameter and its values, then Start.", wordWrap=True)
        self.result = QLabel(wordWrap=True, textInteractionFlags=Qt.TextSelectableByMouse)
        self.message = MessageLabel()
        self.plot = SummaryPlot()
        self.form.changed.connect(self._update_command)
        buttons = QHBoxLayout()
        for b in (self.find_button, self.start_button, self.stop_button, close):
            buttons.addWidget(b)
        buttons.insertStretch(3, 1)      # Close at the far end
        left = QVBoxLayout()
        for w in (self.form, self.settings, QLabel("Command:"), self.command_view):
            left.addWidget(w)
        left.addLayout(buttons)
        for w in (self.progress_bar, self.progress, self.result, self.message):
            left.addWidget(w)
        left.addStretch(1)
        column = QWidget()
        column.setLayout(left)
        column.setFixedWidth(COLUMN_WIDTH)
        layout = QHBoxLayout(self)
        layout.addWidget(column)
        layout.addWidget(self.plot, 1)
        self.resize(1040, 600)

    # Slots.

    def set_config(self, config_dict):
        """The window's settings for the next sweep (a running one keeps its own)."""
        self.config = dict(config_dict)
        self.form.hidden_layers = len(self.config.get("hidden", [])) or 1
        self._update_command()

    def plan(self):
        """The sweep the dialog would start now; ValueError saying what is wrong."""
        plan = SweepPlan(self.config, self.form.parameter(), tuple(self.form.values()), *self.form.where())
        problem = plan.problem()
        if problem:
            raise ValueError(problem)
        return plan

    def command(self):
        """The argv of the sweep :meth:`start` would run (``[python, "-m", "nncore", "sweep", ...]``)."""
        return self.plan().argv()

    def start(self):
        """Start the chosen sweep (nothing while one runs, or while the choice has a problem)."""
        if self.running:
            return
        try:
            plan = self.plan()
        except ValueError as e:
            self.form.message.show_message(str(e))
            return
        self._begin(plan, "sweep", "final training cost")
        p = plan.parameter
        self.sweepStarted.emit({"parameter": p.key, "label": p.label, "values": list(plan.values),
                                "command": plan.command_text()})

    def find_learning_rate(self):
        """Run the learning-rate finder's short sweep; when it ends, the range of η is proposed."""
        if self.running:
            return
        plan = finder_plan(self.config, self.form.jobs.value())
        problem = plan.problem()
        if problem:
            self.message.show_message(problem)
            return
        self._begin(plan, "finder", f"validation cost, epoch {FINDER_EPOCHS}")

    def stop(self):
        """Stop the sweep: every run ends (they arrive as 'stopped')."""
        if self.running:
            self._stopping = True
            self._refresh()
            self.process.stop()

    def shutdown(self, timeout_ms=None):
        """Stop any sweep and wait for its process to end (for closing the window)."""
        self.process.shutdown(*([] if timeout_ms is None else [timeout_ms]))
        self.networks.end()

    @property
    def running(self):
        """True from start until the sweep's process has ended."""
        return self._running

    def feed(self, line):
        """One line of the sweep's output: emits ``runProgress`` / ``runFinished`` for a sweep's runs."""
        if self.tally is None:
            return
        for kind, values, payload in self.tally.feed(line):
            self._emit(kind, values, payload)
        if not self._timer.isActive():
            self._timer.start()

    # The run of one sweep.

    def _begin(self, plan, mode, cost_label):
        self.kind, self.tally, self._t0 = mode, SweepTally(plan), time.monotonic()
        self._stopping = False
        self.message.show_message("")
        self.result.setText("")
        shown = [v for v in plan.values if v != START_ETA] if mode == "finder" else plan.values
        self.plot.reset(plan.parameter, shown, cost_label)
        self.command_view.setPlainText(plan.command_text(COMMAND_WIDTH))
        self._set_running(True)
        self._refresh()
        save = self.networks.start() if mode == "sweep" and not plan.scheduler else None   # a cluster's: not here
        self.process.start(plan.argv(save))

    def _emit(self, kind, values, payload):
        if self.kind != "sweep":
            return
        if kind == "finished":
            payload["network_file"] = self.networks.file_of(payload.get("sweep"))
        (self.runProgress if kind == "progress" else self.runFinished).emit(values, payload)
        self.networks.done(payload.get("network_file"))      # read by then, if wanted

    def _ended(self, status, errors, stopped):
        if self.tally is None:
            return
        for kind, values, payload in self.tally.close(stopped):
            self._emit(kind, values, payload)
        tally = self.tally
        self.networks.end()
        self._set_running(False)
        self._refresh()
        what = "Finding η" if self.kind == "finder" else "Sweep"
        text = tally.ending_text(what, status, stopped, time.monotonic() - self._t0)
        if status not in (0, 3) and not stopped:   # the sweep itself failed: its last words
            self.message.show_message(([line for line in errors.splitlines() if line.strip()] or [""])[-1])
        if self.kind == "finder" and not stopped:
            text = self._finder_done(tally) or text
        self.progress.setText(text)
        self.sweepEnded.emit(text)

    def _finder_done(self, tally):
        lines = {tally.plan.values[i]: tally.lines[i] for i in tally.lines}
        finding = finding_from_runs(lines)
        if finding is None:
            self.message.show_message("The finder could not measure the untrained network's cost.")
            return ""
        self.result.setText(finding.text() + " (Plots: the green line is the safe η; the dashed line the "
                            "untrained network's cost.)")
        if finding.eta is None:
            return "Finding η done: no η tried lowers the cost."
        self.plot.mark(finding.eta)
        start, stop, count = finding.proposed_range()
        self.form.set_parameter(ETA.key)
        self.form.set_range(start, stop, count, True)
        self.learningRateProposed.emit(finding.eta)
        return f"Finding η done: proposed a sweep of η from {start:g} to {stop:g}; press Start sweep."

    def _set_running(self, on):
        self._running = on
        (self._clock.start if on else self._clock.stop)()
        self.form.setEnabled(not on)
        self.stop_button.setEnabled(on)
        self._update_command()

    def _update_command(self):
        """The settings line, the command line, and whether Start can be pressed."""
        p = self.form.parameter()
        self.settings.setText("Other settings, from the window: " + settings_text(self.config, p.setting))
        if self.running:
            self.start_button.setEnabled(False)
            self.find_button.setEnabled(False)
            return
        try:
            plan = self.plan()
        except ValueError as e:   # a run that cannot start: said beside the values
            self.command_view.setPlainText("")
            if not self.form.message.text():
                self.form.message.show_message(str(e))
            plan = None
        else:
            plan = replace(plan, jobs=self.form.set_job_limit(plan.job_limit()))   # cores, memory of its runs
            self.command_view.setPlainText(plan.command_text(COMMAND_WIDTH))
            if self.tally is None:   # before the first sweep, the plot's axis shows the values to come
                self.plot.reset(plan.parameter, plan.values, "final training cost")
        self.start_button.setEnabled(plan is not None)
        self.find_button.setEnabled(not finder_plan(self.config).problem())

    def _refresh(self):
        """The progress line and bar, the best run so far, the summary plot."""
        t = self.tally
        if t is None:
            return
        finder = self.kind == "finder"
        what = "Finding η" if finder else f"Sweep over {t.plan.parameter.label}"
        done, total = t.epochs_done(), t.epochs_total()
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        if self.running:
            self.progress.setText(f"{what}: {len(t.ended)} of {t.total} runs done, {t.running} running · "
                                  f"epochs {done} of {total} · {time.monotonic() - self._t0:.0f} s"
                                  + " · stopping…" * self._stopping)
        points = t.points("validation_cost" if finder else "train_cost")
        if finder:
            points = [p for p in points if p[0] != START_ETA]
        self.plot.set_points(points)
        if finder:
            start = t.lines[0][0]["validation_cost"] if t.lines[0] else None
            self.plot.show_start(start)
        elif points:
            value, best, _ = max(points, key=lambda p: p[1])
            self.result.setText(f"Best validation accuracy{' so far' * self.running}: {best:.2f}% at "
                                f"{t.plan.parameter.label} = {t.plan.parameter.text(value)}")

