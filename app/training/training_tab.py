"""The Training tab: live plots beside the list of runs, and the run history behind both."""

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QSplitter, QVBoxLayout, QWidget

from nncore.fileio import atomic_write

from .plots_panel import PlotsPanel
from .run_history import DEFAULT_MAX_RUNS, RunHistory
from .runs_panel import RunsPanel


class TrainingTab(QWidget):
    """Records every run's reports and shows them; exports them as CSV or PNG."""

    message = Signal(str, bool)   # text, is_error
    clearRequested = Signal()     # the runs list's Clear: the window decides what to keep

    def __init__(self, max_runs=DEFAULT_MAX_RUNS, parent=None):
        super().__init__(parent)
        self.history = RunHistory(max_runs)
        self.plots = PlotsPanel(self.history)
        self.runs = RunsPanel()
        self.runs.visibilityChanged.connect(self._set_visible)
        self.runs.highlightChanged.connect(self._highlight)
        self.runs.clearRequested.connect(self.clearRequested)
        self.runs.exportCsvRequested.connect(lambda: self.export_csv())
        self.runs.exportPngRequested.connect(lambda: self.export_png())
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
    def run_started(self, run_id, config, first_epoch=1):
        record, dropped = self.history.add(run_id, config, first_epoch)
        for old in dropped:
            self.plots.remove_run(old)
            self.runs.remove_run(old)
        self.plots.add_run(record)
        self.runs.add_run(record)

    def batch(self, run_id, report):
        record = self.history.get(run_id)
        if record is not None:
            record.add_batch(report)
            self.plots.mark_dirty(run_id)

    def epoch(self, run_id, report):
        record = self.history.get(run_id)
        if record is not None:
            record.add_epoch(report)
            self.plots.mark_dirty(run_id)
            self.runs.set_run_text(run_id, f"{record.label}: validation "
                                           f"{100 * report.validation_accuracy:.2f}%, test "
                                           f"{100 * report.test_accuracy:.2f}% (epoch {report.epoch})")

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
        record = self.history.get(run_id)
        if record is not None:
            record.end = end
        self.plots.refresh()

    # ---- the list's requests -------------------------------------------------------------
    def _set_visible(self, run_id, visible):
        record = self.history.get(run_id)
        if record is not None:
            record.visible = visible
            self.plots.restyle()

    def _highlight(self, run_id):
        self.plots.highlighted_id = run_id
        self.plots.restyle()

    def clear_runs(self, keep=None):
        """Forget every run but ``keep`` (the id of a run still training, or None)."""
        for record in self.history:
            if record.run_id != keep:
                self.history.remove(record.run_id)
                self.plots.remove_run(record.run_id)
                self.runs.remove_run(record.run_id)

    # ---- export --------------------------------------------------------------------------
    def export_csv(self, path=None):
        """Write every run's points as CSV (atomically). Returns the path, or None."""
        path = path or QFileDialog.getSaveFileName(self, "Export curves as CSV", "runs.csv",
                                                   "CSV files (*.csv)")[0]
        if not path:
            return None
        text = self.history.to_csv()
        try:
            atomic_write(path, lambda f: f.write(text.encode("utf-8")))
        except OSError as e:
            self.message.emit(f"Could not export to {path}: {e.strerror or e}. Nothing was changed.", True)
            return None
        self.message.emit(f"Exported {len(self.history)} runs to {path}", False)
        return path

    def export_png(self, path=None):
        """Save the plots and the labelled list of runs as a PNG picture (atomically).

        Returns the path, or None.
        """
        path = path or QFileDialog.getSaveFileName(self, "Export plots as PNG", "plots.png",
                                                   "PNG images (*.png)")[0]
        if not path:
            return None
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".png", dir=target.parent or ".")
        os.close(fd)
        try:
            if not self.grab().save(tmp, "PNG"):
                raise OSError("the picture could not be written")
            os.replace(tmp, target)
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            self.message.emit(f"Could not export to {path}: {e.strerror or e}. Nothing was changed.", True)
            return None
        self.message.emit(f"Saved the plots to {path}", False)
        return path
