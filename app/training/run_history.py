"""Every run's curves, kept so runs can be compared and restored; bounded so long sessions stay small.

No Qt here. A run's points are kept in plain lists; :meth:`RunRecord.to_dict` and
:meth:`RunRecord.from_dict` turn a record into JSON-ready values and back (the window keeps the
history across restarts with them).
"""

import csv
import io
import math
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from .training_config import TrainingConfig

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22"]
DEFAULT_MAX_RUNS = 12
_POINT_LISTS = ("batch_x", "batch_cost", "batch_eta", "epoch_x", "epoch_cost", "epoch_eta",
                "validation_accuracy", "test_accuracy")


@dataclass(frozen=True)
class RunSetup:
    """What a run was given besides its config: where it starts, the data, and my drawings added."""

    config: TrainingConfig
    first_epoch: int = 1             # > 1 when the run continues a trained network
    dataset: str = "MNIST"
    extra_examples: int = 0          # my labelled drawings added to the training set

    def data_text(self):
        """'50,000 MNIST + 12 of mine, distorted'."""
        text = f"{self.config.train_size:,} {self.dataset}"
        if self.extra_examples:
            text += f" + {self.extra_examples:,} of mine"
        return text + (", distorted" if self.config.distort else "")


@dataclass
class RunRecord:
    """One run: its setup, the points of its curves (with the η of each), and how it ended."""

    run_id: int
    setup: RunSetup
    color: str
    batch_x: list = field(default_factory=list)       # fractional epochs
    batch_cost: list = field(default_factory=list)    # mean cost per example since the last report
    batch_eta: list = field(default_factory=list)
    epoch_x: list = field(default_factory=list)       # whole epochs
    epoch_cost: list = field(default_factory=list)
    epoch_eta: list = field(default_factory=list)
    validation_accuracy: list = field(default_factory=list)   # percent
    test_accuracy: list = field(default_factory=list)         # percent
    eta_changes: list = field(default_factory=list)   # (fractional epoch, new η)
    saturation: list = field(default_factory=list)    # per epoch: tuple of per-layer shares
    learning_speed: list = field(default_factory=list)   # per epoch: tuple of per-layer ‖∂C/∂bˡ‖
    visible: bool = True
    end: object = None                                # the RunEnd once the run is over (not kept on disk)
    end_text: str = ""                                # how it ended, for people ('stopped in epoch 6')

    @property
    def config(self):
        """The run's TrainingConfig."""
        return self.setup.config

    @property
    def first_epoch(self):
        """The epoch the run started at."""
        return self.setup.first_epoch

    @property
    def label(self):
        """Legend text: '#3 784-30-10 η=3→1 m=10 quadratic normal, 50,000 MNIST + 12 of mine'."""
        etas = [self.config.learning_rate, *(eta for _, eta in self.eta_changes)]
        config = replace(self.config, learning_rate=etas[0]).label()
        if len(etas) > 1:
            config = config.replace(f"η={etas[0]:g}", "η=" + "→".join(f"{e:g}" for e in etas), 1)
        return f"#{self.run_id} {config}, {self.setup.data_text()}"

    def add_batch(self, report):
        self.batch_x.append(report.fractional_epoch)
        self.batch_cost.append(report.cost)
        self.batch_eta.append(report.learning_rate)

    def add_epoch(self, report):
        self.epoch_x.append(report.epoch)
        self.epoch_cost.append(report.train_cost)
        self.epoch_eta.append(report.learning_rate)
        self.validation_accuracy.append(100 * report.validation_accuracy)
        self.test_accuracy.append(100 * report.test_accuracy)
        self.saturation.append(tuple(report.saturation))
        self.learning_speed.append(tuple(report.learning_speed))

    def ended(self, end, summary=""):
        """The run is over; ``end`` is its RunEnd, ``summary`` what it reached and how it ended."""
        self.end, self.end_text = end, summary or end.message

    @property
    def finished(self):
        """True once the run is over (now, or in an earlier session)."""
        return bool(self.end_text)

    def last_x(self):
        """Where the run has got to, in epochs."""
        return self.batch_x[-1] if self.batch_x else float(self.first_epoch - 1)

    def last_epoch(self):
        """The epoch number this run ends at."""
        return self.first_epoch + self.config.epochs - 1

    def to_dict(self):
        """Plain values for JSON: setup, points, η changes, saturation, visibility and ending."""
        s = self.setup
        return {"run_id": self.run_id, "color": self.color, "config": s.config.to_dict(),
                "first_epoch": s.first_epoch, "dataset": s.dataset, "extra_examples": s.extra_examples,
                **{name: list(getattr(self, name)) for name in _POINT_LISTS},
                "eta_changes": [list(c) for c in self.eta_changes],
                "saturation": [list(s) for s in self.saturation], "visible": self.visible,
                "end_text": self.end_text or "ended when the window closed"}

    @classmethod
    def from_dict(cls, d):
        """A record from :meth:`to_dict`'s values; raises ValueError (or TypeError) if they are damaged."""
        setup = RunSetup(TrainingConfig.from_dict(d["config"]), int(d["first_epoch"]), str(d["dataset"]),
                         int(d["extra_examples"]))
        record = cls(int(d["run_id"]), setup, str(d["color"]), visible=bool(d["visible"]),
                     end_text=str(d["end_text"]))
        for name in _POINT_LISTS:
            setattr(record, name, [float(v) for v in d[name]])
        record.eta_changes = [(float(x), float(eta)) for x, eta in d["eta_changes"]]
        record.saturation = [tuple(float(v) for v in s) for s in d["saturation"]]
        lengths = {len(record.batch_x), len(record.batch_cost), len(record.batch_eta)}
        epochs = {len(getattr(record, n)) for n in _POINT_LISTS[3:]} | {len(record.saturation)}
        if len(lengths) != 1 or len(epochs) != 1:
            raise ValueError("a run's curves have points of different lengths")
        if not all(math.isfinite(v) or name.endswith("cost") for name in _POINT_LISTS
                   for v in getattr(record, name)):
            raise ValueError("a run's curves hold values that are not numbers")
        return record


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

    def add(self, run_id, setup):
        """Start recording a run; returns (record, ids of runs dropped to stay within the bound)."""
        return self.insert(RunRecord(run_id, setup, PALETTE[self._colors % len(PALETTE)]))

    def insert(self, record):
        """Keep a record made elsewhere (a restored one); returns (record, ids of runs dropped)."""
        self._colors += 1
        self._runs[record.run_id] = record
        dropped = []
        while len(self._runs) > self.max_runs:
            dropped.append(self._runs.popitem(last=False)[0])
        return record, dropped

    def remove(self, run_id):
        """Forget one run."""
        self._runs.pop(run_id, None)

    def to_csv(self):
        """All points of all runs as CSV text: one row per batch report and per epoch, with units."""
        buf = io.StringIO()
        out = csv.writer(buf)
        out.writerow(["run", "settings", "kind (batch report or epoch)", "epoch (fractional, epochs)",
                      "eta (learning rate)", "cost (mean per example)", "validation accuracy (%)",
                      "test accuracy (%)"])
        for r in self:
            for x, c, eta in zip(r.batch_x, r.batch_cost, r.batch_eta):
                out.writerow([r.run_id, r.label, "batch", f"{x:.5f}", f"{eta:g}", f"{c:.6g}", "", ""])
            for x, c, eta, v, t in zip(r.epoch_x, r.epoch_cost, r.epoch_eta, r.validation_accuracy,
                                       r.test_accuracy):
                out.writerow([r.run_id, r.label, "epoch", int(x), f"{eta:g}", f"{c:.6g}", f"{v:.2f}",
                              f"{t:.2f}"])
        return buf.getvalue()
