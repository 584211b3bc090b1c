"""Live cost and accuracy plots (pyqtgraph), one set of curves per run, redrawn a few times a second."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nncore.costs import COSTS

from ..widgets.decade_axis import DecadeAxis
from ..widgets.light_grid import LightGrid
from .axis_ranges import cost_range_values, needs_new_range, y_range
from .learning_speed_plot import LearningSpeedPlot
from .run_curves import RunCurves

REFRESH_MS = 200   # one plot with news redrawn per tick, in turns: the cost up to five times a second
X_PADDING = 0.02   # of the epochs shown, on either side
TURNS = ["cost", "accuracy", "speed"]   # the plots' order of turns at the refresh timer
SPARE_DELAY_MS = 500   # after the start (100 ms after a run's end): the next run's curves are made then


class PlotsPanel(QWidget):
    """Cost against epochs (per report and per-epoch mean), accuracy against epochs, and the current
    run's learning speed per layer (a smaller plot, redrawn only when an epoch adds a point)."""

    def __init__(self, history, parent=None):
        super().__init__(parent)
        self.history = history
        # a short axis label that fits the plot's smallest height; the title says what the cost is
        # Titles short enough for a laptop's Training page (about 380 px); the rest on hover.
        self.cost_plot = pg.PlotWidget(title="Cost per example", axisItems={"left": DecadeAxis("left")})
        self.cost_plot.setToolTip("The mean cost per example: the line joins the reports made while training, "
                                  "the dots are each epoch's mean")
        self.cost_plot.setLabel("left", "cost")
        self.cost_plot.setLabel("bottom", "epoch")
        self._cost_grid = LightGrid(self.cost_plot)
        self.cost_plot.getAxis("left").enableAutoSIPrefix(False)
        self.acc_plot = pg.PlotWidget(title="Accuracy (%)")
        self.acc_plot.setToolTip("Accuracy after each epoch: on the validation images (solid) and on the test "
                                 "images (dashed)")
        self.acc_plot.setLabel("left", "accuracy")      # the % in the title: 'accuracy (%)' is cut at 140 px
        for plot in (self.cost_plot, self.acc_plot):
            plot.getViewBox().disableAutoRange()   # see _fit: ranges change only when needed
        self.acc_plot.setLabel("bottom", "epoch")
        self._acc_grid = LightGrid(self.acc_plot)
        self.cost_choice = QComboBox()
        self.cost_choice.addItems(list(COSTS))
        self.cost_choice.setToolTip("The cost axis shows the runs of one cost: quadratic and cross-entropy "
                                    "costs have different scales")
        self.cost_choice.currentTextChanged.connect(self._cost_changed)
        self.log_cost = QCheckBox("log scale")
        self.log_cost.setToolTip("Show the cost on a logarithmic axis: late, small improvements stay visible")
        self.log_cost.toggled.connect(self._log_toggled)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Cost axis:"))
        controls.addWidget(self.cost_choice)
        controls.addWidget(self.log_cost)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.cost_plot, 1)
        layout.addWidget(self.acc_plot, 1)
        self.speed_plot = LearningSpeedPlot()
        for plot in (self.cost_plot, self.acc_plot):
            plot.setMinimumHeight(140)
        layout.addWidget(self.speed_plot, 0)
        self._curves = {}
        self.twins = {}    # run id -> (rank, first run's id) of runs repeating another (run_twins.twin_ranks)
        self._dirty = {"cost": set(), "accuracy": set()}   # runs with points not yet drawn, per plot
        self.current_id, self.highlighted_id = None, None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._turn = "cost"
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._spare = None      # a hidden RunCurves for the next run
        self._spare_timer = QTimer(self, singleShot=True)
        self._spare_timer.timeout.connect(self._make_spare)
        self.prepare_next_run()
        self.reset_ranges()

    @property
    def cost_shown(self):
        """The cost whose runs the cost axis shows ('quadratic' or 'cross-entropy')."""
        return self.cost_choice.currentText()

    def reset_ranges(self):
        """Back to the empty plots' ranges: cost 0–1 (or 0.001–1 on a log axis), accuracy 0–100%."""
        self.cost_plot.getViewBox().setRange(xRange=(0, 1), yRange=(-3, 0) if self.log_cost.isChecked() else (0, 1),
                                             padding=0)
        self.acc_plot.getViewBox().setRange(xRange=(0, 1), yRange=(0, 100), padding=0)
        for run_id in self._curves:
            self.mark_dirty(run_id)

    def _cost_changed(self, _cost):
        """The cost axis shows the other cost's runs: restyle, and fit the cost plot to them now (once;
        the accuracy plot stays as it is)."""
        self.restyle()
        self._fit(self.cost_plot, "cost", force=True)

    def _log_toggled(self, on):
        self.cost_plot.setLogMode(y=on)
        self.reset_ranges()
        self._fit(self.cost_plot, "cost", force=True)     # the decades the runs lie in, not the empty plot's three

    def add_run(self, record, current=True):
        """Give a run its curves; a new run becomes the current one and its cost the axis's.

        The curves are the spare set made while the window was idle, if there is one: creating four
        pyqtgraph items takes 5–10 ms, which pressing Train should not wait for.
        """
        curves, self._spare = self._spare, None
        if curves is None:
            curves = RunCurves(record, self.cost_plot, self.acc_plot)
        curves.record = record
        self._curves[record.run_id] = curves
        if current:
            self.current_id = record.run_id
            if self.cost_choice.currentText() != record.config.cost:
                self.cost_choice.setCurrentText(record.config.cost)    # restyles, refits the cost plot
                return
        self.restyle()

    def prepare_next_run(self, delay_ms=SPARE_DELAY_MS):
        """Make a spare set of curves for the next run in ``delay_ms``, when the window should be idle
        (at start, and after a run ends)."""
        self._spare_timer.start(delay_ms)

    def _make_spare(self):
        if self._spare is None:
            self._spare = RunCurves(None, self.cost_plot, self.acc_plot)

    def remove_run(self, run_id):
        """Delete a run's curves."""
        curves = self._curves.pop(run_id, None)
        if curves is not None:
            for item in curves.items():
                (self.cost_plot if item in (curves.batch, curves.epoch, *curves.markers)
                 else self.acc_plot).removeItem(item)
        for which in self._dirty.values():
            which.discard(run_id)

    def mark_dirty(self, run_id, which=("cost", "accuracy")):
        """The run has new points on ``which`` plots; they are drawn at those plots' next refresh."""
        for plot in which:
            self._dirty[plot].add(run_id)

    def restyle(self):
        """Apply visibility, current and highlight to every run's curves."""
        for run_id, curves in self._curves.items():
            curves.style(run_id == self.current_id, run_id == self.highlighted_id, self.cost_shown,
                         self.twins.get(run_id, (0, None))[0])

    def refresh(self, which=None):
        """Give the runs' curves their new points: on the cost plot, the accuracy plot, or both.

        The timer refreshes one plot at a time so that no single pass of the event loop repaints
        both (each repaint costs a few milliseconds of the GUI thread); hidden plots wait.
        """
        if which is None:
            for run_id in self._dirty["cost"] | self._dirty["accuracy"]:
                if run_id in self._curves:
                    self._curves[run_id].refresh()
            self._dirty = {"cost": set(), "accuracy": set()}
            self.speed_plot.show_run(self.speed_record())
            return
        if not self.isVisible():
            return
        for run_id in self._dirty[which]:
            if run_id in self._curves:
                self._curves[run_id].refresh(which)
        self._dirty[which] = set()

    def speed_record(self):
        """The run whose learning speed the plot shows: the one selected in the runs list, else the current
        run once it has an epoch's speeds, else the newest run that has some (a new run, or F10's one step,
        does not empty the plot before it measures anything)."""
        records = [c.record for c in self._curves.values() if c.record is not None]
        chosen = self._curves.get(self.highlighted_id) or self._curves.get(self.current_id)
        if chosen is not None and (chosen.record.learning_speed or chosen.record.run_id == self.highlighted_id):
            return chosen.record
        return next((r for r in reversed(records) if r.learning_speed and r.visible),
                    None if chosen is None else chosen.record)

    def showEvent(self, event):
        """Coming into view: draw what arrived while hidden, both plots and the learning speed."""
        super().showEvent(event)
        self.up_to_date()

    def up_to_date(self):
        """Every point drawn and both plots ranged to the runs on show (before a figure is made of them)."""
        self.refresh()
        self._fit(self.cost_plot, "cost")
        self._fit(self.acc_plot, "accuracy")

    def _tick(self):
        """One plot per tick, and only one with new points: the cost, the accuracy and the learning
        speed take turns, a plot without news giving its turn to the next. Nothing while hidden."""
        if not self.isVisible():
            return
        record = self.speed_record()
        news = {"cost": bool(self._dirty["cost"]), "accuracy": bool(self._dirty["accuracy"]),
                "speed": self.speed_plot.has_news(record)}
        k = TURNS.index(self._turn)
        turn = next((t for t in TURNS[k + 1:] + TURNS[:k + 1] if news[t]), None)
        if turn is None:
            return
        self._turn = turn
        if turn == "speed":
            self.speed_plot.show_run(record)
        else:
            self.refresh(turn)
            self._fit(self.cost_plot if turn == "cost" else self.acc_plot, turn)

    def _fit(self, plot, which, force=False):
        """Set the view range only when the data has outgrown it or shrunk well inside it, to round
        values (see axis_ranges).

        Auto-ranging on every update would rebuild the axes (text and ticks) a few times a second;
        this keeps the repaint of a plot at a couple of milliseconds.
        """
        runs = [c.record for c in self._curves.values() if c.record.visible]
        if which == "cost":
            runs = [r for r in runs if r.config.cost == self.cost_shown]
        if not runs:
            if force:        # no run of this cost: the empty plot's range
                plot.getViewBox().setRange(xRange=(0, 1), yRange=(-3, 0) if self.log_cost.isChecked() else (0, 1),
                                           padding=0)
            return
        x_high = max(max(r.last_epoch(), r.last_x()) for r in runs)
        if which == "cost":
            ys = cost_range_values(runs)
            if self.log_cost.isChecked():     # the view's range is in log10 units on a log axis
                ys = [np.log10(v) for v in ys if v > 0]
        else:
            ys = [v for r in runs for v in r.validation_accuracy + r.test_accuracy]
        ys = [v for v in ys if np.isfinite(v)]
        view = plot.getViewBox()
        (x0, x1), (y0, y1) = view.viewRange()
        margin = X_PADDING * x_high             # the range setXRange(0, x_high, padding) gives
        if force or not (np.isclose(x0, -margin) and np.isclose(x1, x_high + margin)):
            view.setXRange(0, x_high, padding=X_PADDING)   # a run's whole span: fixed while it trains
        if ys:
            low, high = min(ys), max(ys)
            target = y_range(which, low, high, log=which == "cost" and self.log_cost.isChecked())
            if force or needs_new_range((y0, y1), low, high, target):     # a falling cost does not move it
                view.setYRange(*target, padding=0)

    def curve_data(self, run_id):
        """(x, y) arrays actually plotted for a run: batch cost, epoch cost, validation accuracy."""
        c = self._curves[run_id]
        return {name: tuple(list(v) for v in item.getData())
                for name, item in (("batch_cost", c.batch), ("epoch_cost", c.epoch),
                                   ("validation_accuracy", c.val), ("test_accuracy", c.test))}
