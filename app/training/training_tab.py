"""The Training tab: live plots beside the list of runs, and the run history behind both."""


from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QSplitter, QVBoxLayout, QWidget

from nncore.fileio import atomic_write
from nncore.reports import EpochReport

from .figure_export import figure_bytes, figure_suffix
from .plots_panel import PlotsPanel
from .run_history import DEFAULT_MAX_RUNS, PALETTE, RunHistory, RunRecord
from .run_twins import twin_note, twin_ranks
from .runs_panel import RunsPanel


class TrainingTab(QWidget):
    """Records every run's reports and shows them; exports them as CSV or PNG."""

    message = Signal(str, bool)   # text, is_error
    clearRequested = Signal()     # the runs list's Clear: the window decides what to keep
    runsRemoved = Signal(list)    # ids of runs no longer in the history

    def __init__(self, max_runs=DEFAULT_MAX_RUNS, parent=None):
        super().__init__(parent)
        self.history = RunHistory(max_runs)
        self.folders = None     # the window's FolderMemory: exports start in the folder last used for them
        self.plots = PlotsPanel(self.history)
        self.runs = RunsPanel()
        self.runs.visibilityChanged.connect(self._set_visible)
        self.runs.highlightChanged.connect(self._highlight)
        self.runs.clearRequested.connect(self.clearRequested)
        self.runs.exportCsvRequested.connect(lambda: self.export_csv())
        self.runs.figureRequested.connect(lambda which: self.save_figure(which))
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.plots)
        split.addWidget(self.runs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([700, 150])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    # ---- recording -----------------------------------------------------------------------
    def run_started(self, run_id, setup):
        """A run begins: a new record, curves and row (the oldest run goes beyond the bound)."""
        self._show(*self.history.add(run_id, setup))

    def add_finished_run(self, run_id, setup, epoch_lines, end_text):
        """A run trained elsewhere (a sweep's process): its epochs as ``train --json`` records, read by
        :meth:`EpochReport.from_json` (a record it refuses is left out) into the same curves as a run
        trained here, saturation and learning speed included."""
        record = RunRecord(run_id, setup, "")
        for line in epoch_lines:
            try:
                report = EpochReport.from_json(line)
            except ValueError:
                continue
            if report.validation_accuracy is not None and report.test_accuracy is not None:
                record.add_epoch(report)
        record.end_text = end_text
        record.color = PALETTE[len(self.history) % len(PALETTE)]
        self.restore_runs([record])
        return record

    def restore_runs(self, records):
        """Show runs kept from an earlier session (oldest first), with their curves and final text."""
        for record in records:
            self._show(*self.history.insert(record), current=False)
            self.runs.set_run_text(record.run_id, f"{record.label}: {record.end_text}")
        self.plots.refresh()

    def _show(self, record, dropped, current=True):
        for old in dropped:
            self.plots.remove_run(old)
            self.runs.remove_run(old)
        if dropped:
            self.runsRemoved.emit(dropped)
        self.plots.add_run(record, current=current)
        self.plots.mark_dirty(record.run_id)
        self.runs.add_run(record)
        self._tell_twins()

    def _tell_twins(self):
        """Runs that repeat an earlier one's settings and seed draw dashed over it, and their rows say so."""
        self.plots.twins = twin_ranks(self.history)
        for record in self.history:
            rank, first = self.plots.twins.get(record.run_id, (0, None))
            self.runs.set_note(record.run_id, twin_note(rank, first) if rank else "")
        self.plots.restyle()

    def batch(self, run_id, report):
        record = self.history.get(run_id)
        if record is not None:
            record.add_batch(report)
            self.plots.mark_dirty(run_id, which=("cost",))    # the accuracy changes only with epochs

    def epoch(self, run_id, report):
        record = self.history.get(run_id)
        if record is not None:
            record.add_epoch(report)
            self.plots.mark_dirty(run_id)
            self.runs.set_run_text(run_id, f"{record.label}: {report.accuracies_text()} (epoch {report.epoch})")

    def learning_rate_changed(self, run_id, eta):
        """Mark η's change on run ``run_id``'s cost curve, where the run has got to."""
        record = self.history.get(run_id)
        if record is not None:
            if record.eta_changes and record.eta_changes[-1][0] == record.last_x():
                record.eta_changes[-1] = (record.last_x(), eta)
            else:
                record.eta_changes.append((record.last_x(), eta))
            self.plots.mark_dirty(record.run_id)

    def run_ended(self, run_id, end):
        """The run is over: its row says how it ended and what it reached."""
        record = self.history.get(run_id)
        if record is not None:
            reached = (f"validation {record.validation_accuracy[-1]:.2f}%, test {record.test_accuracy[-1]:.2f}%; "
                       if record.validation_accuracy else "")
            record.ended(end, reached + end.message)
            self.runs.set_run_text(run_id, f"{record.label}: {record.end_text}")
        # The last points are marked: the plots' timer draws them in turns (not all three in one pass,
        # which took 15–30 ms of the GUI thread at a wide run's end), and not while hidden.
        self.plots.prepare_next_run(100)

    # ---- the list's requests -------------------------------------------------------------
    def _set_visible(self, run_id, visible):
        record = self.history.get(run_id)
        if record is not None and record.visible != visible:
            record.visible = visible
            self.plots.restyle()

    def _highlight(self, run_id):
        self.plots.highlighted_id = run_id
        self.plots.restyle()

    def clear_runs(self, keep=None):
        """Forget every run but ``keep`` (the id of a run still training, or None)."""
        removed = [r.run_id for r in self.history if r.run_id != keep]
        for run_id in removed:
            self.history.remove(run_id)
            self.plots.remove_run(run_id)
            self.runs.remove_run(run_id)
        self.plots.reset_ranges()
        self._tell_twins()
        if removed:
            self.runsRemoved.emit(removed)

    # ---- export --------------------------------------------------------------------------
    def export_csv(self, path=None):
        """Write every run's points as CSV (atomically). Returns the path, or None."""
        path = path or QFileDialog.getSaveFileName(self, "Export curves as CSV", self._start("runs.csv"),
                                                   "CSV files (*.csv)")[0]
        if not path:
            return None
        text = self.history.to_csv()
        try:
            atomic_write(path, lambda f: f.write(text.encode("utf-8")))
        except OSError as e:
            self.message.emit(f"Could not export to {path}: {e.strerror or e}. Nothing was changed.", True)
            return None
        self._remember(path)
        self.message.emit(f"Exported {len(self.history)} runs to {path}", False)
        return path

    def save_figure(self, which, path=None):
        """Save the cost or accuracy plot as a figure, SVG or PNG (figure_export), atomically; returns the path."""
        plot = self.plots.cost_plot if which == "cost" else self.plots.acc_plot
        newest = next(iter(reversed(list(self.history))), None)
        name = f"{which}-{newest.config.label().split()[0]}.svg" if newest is not None else f"{which}.svg"
        path = path or QFileDialog.getSaveFileName(self, f"Save the {which} plot", self._start(name),
                                                   "SVG drawings (*.svg);;PNG pictures (*.png)")[0]
        if not path:
            return None
        runs = [r for r in self.history if r.visible and (which != "cost" or r.config.cost == self.plots.cost_shown)]
        self.plots.up_to_date()
        try:
            data = figure_bytes(plot, runs, figure_suffix(path), which, self.plots.twins)
            atomic_write(path, lambda f: f.write(data))
        except OSError as e:
            self.message.emit(f"Could not save {path}: {e.strerror or e}. Nothing was changed.", True)
            return None
        self._remember(path)
        self.message.emit(f"Saved the {which} plot to {path}", False)
        return path

    def _start(self, name):
        """Where an export's dialog opens: ``name`` in the folder of the last export (the home folder at
        first), never the working folder."""
        return str(Path(Path.home() if self.folders is None else self.folders.folder("export")) / name)

    def _remember(self, path):
        if self.folders is not None:
            self.folders.remember("export", Path(path).parent)
