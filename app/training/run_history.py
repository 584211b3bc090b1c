"""Every run's curves, kept so runs can be compared; bounded so long sessions stay small (no Qt)."""

import csv
import io
from collections import OrderedDict
from dataclasses import dataclass, field

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22"]
DEFAULT_MAX_RUNS = 12


@dataclass
class RunRecord:
    """One run: its settings, the points of its curves, and how it ended."""

    run_id: int
    config: object
    color: str
    batch_x: list = field(default_factory=list)       # fractional epochs
    batch_cost: list = field(default_factory=list)
    epoch_x: list = field(default_factory=list)       # whole epochs
    epoch_cost: list = field(default_factory=list)
    validation_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    eta_changes: list = field(default_factory=list)   # (fractional epoch, new η)
    saturation: list = field(default_factory=list)    # per epoch: tuple of per-layer shares
    visible: bool = True
    end: object = None                                # the RunEnd, once the run is over
    first_epoch: int = 1                              # > 1 when the run continues a trained network

    @property
    def label(self):
        """Legend text: '#3 784-30-10 η=3 m=10 quadratic normal'."""
        return f"#{self.run_id} {self.config.label()}"

    def add_batch(self, report):
        self.batch_x.append(report.fractional_epoch)
        self.batch_cost.append(report.cost)

    def add_epoch(self, report):
        self.epoch_x.append(report.epoch)
        self.epoch_cost.append(report.train_cost)
        self.validation_accuracy.append(100 * report.validation_accuracy)
        self.test_accuracy.append(100 * report.test_accuracy)
        self.saturation.append(tuple(report.saturation))

    def last_x(self):
        """Where the run has got to, in epochs."""
        return self.batch_x[-1] if self.batch_x else float(self.first_epoch - 1)

    def last_epoch(self):
        """The epoch number this run ends at."""
        return self.first_epoch + self.config.epochs - 1


class RunHistory:
    """The runs of this session, oldest first, at most ``max_runs`` (the oldest are dropped)."""

    def __init__(self, max_runs=DEFAULT_MAX_RUNS):
        self.max_runs = max_runs
        self._runs = OrderedDict()
        self._colors = 0

    def __len__(self):
        return len(self._runs)

    def __iter__(self):
        return iter(list(self._runs.values()))

    def get(self, run_id):
        """The run with this id, or None."""
        return self._runs.get(run_id)

    def add(self, run_id, config, first_epoch=1):
        """Start recording a run; returns (record, ids of runs dropped to stay within the bound)."""
        record = RunRecord(run_id, config, PALETTE[self._colors % len(PALETTE)], first_epoch=first_epoch)
        self._colors += 1
        self._runs[run_id] = record
        dropped = []
        while len(self._runs) > self.max_runs:
            dropped.append(self._runs.popitem(last=False)[0])
        return record, dropped

    def remove(self, run_id):
        """Forget one run."""
        self._runs.pop(run_id, None)

    def to_csv(self):
        """All points of all runs as CSV text: one row per batch report and per epoch."""
        buf = io.StringIO()
        out = csv.writer(buf)
        out.writerow(["run", "settings", "kind", "epoch", "cost", "validation_accuracy_percent",
                      "test_accuracy_percent"])
        for r in self:
            for x, c in zip(r.batch_x, r.batch_cost):
                out.writerow([r.run_id, r.config.label(), "batch", f"{x:.5f}", f"{c:.6g}", "", ""])
            for x, c, v, t in zip(r.epoch_x, r.epoch_cost, r.validation_accuracy, r.test_accuracy):
                out.writerow([r.run_id, r.config.label(), "epoch", x, f"{c:.6g}", f"{v:.2f}", f"{t:.2f}"])
        return buf.getvalue()
