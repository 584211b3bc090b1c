"""Every run's curves, kept so runs can be compared and restored; bounded so long sessions stay small.

No Qt here. A run's points are kept in plain lists; :meth:`RunRecord.to_dict` and
:meth:`RunRecord.from_dict` turn a record into JSON-ready values and back (the window keeps the
history across restarts with them). What is read back is bounded as it is read (:data:`RUN_ID`,
:data:`FIRST_EPOCH`, :data:`MAX_COST`, ...), so no view ever meets a value it cannot draw.
"""

import csv
import io
import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from nncore.limits import EPOCHS, HIDDEN_LAYERS, Range

from .stored_values import capped_text, points, required, rows, whole_number
from .training_config import TrainingConfig

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22"]
DEFAULT_MAX_RUNS = 12
_POINT_LISTS = ("batch_x", "batch_cost", "batch_eta", "epoch_x", "epoch_cost", "epoch_eta",
                "validation_accuracy", "test_accuracy")

# What a stored run may hold; anything else is refused (or, for a cost, read as no value).
RUN_ID = Range(1, 1_000_000_000)
FIRST_EPOCH = Range(1, 1_000_000)          # a network continued many times over
EXTRA_EXAMPLES = Range(0, 10_000_000)
MAX_COST = 1e12                            # a cost above this, inf or NaN is NaN: no value, as a diverged run's
MAX_NAME, MAX_TEXT = 200, 1_000            # characters of a dataset's name, of how a run ended
MAX_SPEED = 1e12                           # a learning speed ‖∂C/∂bˡ‖ above this, inf or NaN is NaN
MAX_LESSON_RUNS = 100                      # run buttons of one lesson
_PER_LAYER = ("saturation", "learning_speed")
_X = (0.0, float(FIRST_EPOCH.high + EPOCHS.high))
_BOUNDS = {"batch_x": _X, "epoch_x": _X, "batch_eta": (0.0, 1e12), "epoch_eta": (0.0, 1e12),
           "batch_cost": (0.0, MAX_COST), "epoch_cost": (0.0, MAX_COST),
           "validation_accuracy": (0.0, 100.0), "test_accuracy": (0.0, 100.0)}
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


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
    lesson: tuple = None                              # (lesson key, run index) when a lesson's button started it
    visible: bool = True
    end: object = None                                # the RunEnd once the run is over (not kept on disk)
    end_text: str = ""                                # how it ended, for people ('stopped in epoch 6')
    saved_running: bool = False                       # read from a file written while the run trained

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

    def unfinished_text(self, closing=False):
        """How a run still going is written down: ended by the window's closing (``closing``), else as a
        crash (a kill, a power cut) would leave it, with the epoch whose network the store keeps."""
        if closing:
            return "ended when the window closed"
        if not self.epoch_x:
            return f"stopped unexpectedly in epoch {self.first_epoch}, before it ended"
        k = int(self.epoch_x[-1])
        return f"stopped unexpectedly after epoch {k}; the network of epoch {k} is kept"

    def to_dict(self, closing=False):
        """Plain values for JSON: setup, points, η changes, saturation, learning speed, the lesson run it
        is, visibility and ending (of a run still going: :meth:`unfinished_text`, and "running")."""
        s = self.setup
        return {"run_id": self.run_id, "color": self.color, "config": s.config.to_dict(),
                "first_epoch": s.first_epoch, "dataset": s.dataset, "extra_examples": s.extra_examples,
                **{name: list(getattr(self, name)) for name in _POINT_LISTS},
                "eta_changes": [list(c) for c in self.eta_changes],
                **{name: [list(v) for v in getattr(self, name)] for name in _PER_LAYER},
                "lesson": None if self.lesson is None else list(self.lesson), "visible": self.visible,
                "end_text": self.end_text or self.unfinished_text(closing),
                "running": not (self.end_text or closing)}

    @classmethod
    def from_dict(cls, d):
        """A record from :meth:`to_dict`'s values. Raises ValueError saying what is damaged: a missing
        or mistyped field, a number out of its range (the run id, the first epoch, an accuracy, ...),
        curves of different lengths. Costs and speeds out of range are NaN; texts are cut to their length.
        A record written before the learning speed and the lesson were kept reads without them."""
        if not isinstance(d, dict):
            raise ValueError("it is not a record")
        config, fallbacks = TrainingConfig.from_stored(required(d, "config"))
        if fallbacks:
            raise ValueError(f"its settings ({', '.join(fallbacks)}) are not usable")
        setup = RunSetup(config, whole_number(required(d, "first_epoch"), FIRST_EPOCH, "its first epoch"),
                         capped_text(required(d, "dataset"), MAX_NAME, "its dataset"),
                         whole_number(required(d, "extra_examples"), EXTRA_EXAMPLES, "its number of my drawings"))
        color = required(d, "color")
        if not isinstance(color, str) or not _COLOR.fullmatch(color):
            raise ValueError("its colour is not a colour")
        if not isinstance(required(d, "visible"), bool):
            raise ValueError("its visibility is not true or false")
        record = cls(whole_number(required(d, "run_id"), RUN_ID, "its run id"), setup, color,
                     visible=d["visible"], end_text=capped_text(required(d, "end_text"), MAX_TEXT, "its ending"),
                     lesson=_lesson(d.get("lesson")), saved_running=d.get("running") is True)
        for name in _POINT_LISTS:
            setattr(record, name, points(required(d, name), name, _BOUNDS[name], nan_outside=name.endswith("cost")))
        changes = rows(required(d, "eta_changes"), "η changes", 2, 2)
        record.eta_changes = list(zip(points(changes[0], "η changes' epochs", _X),
                                      points(changes[1], "η changes' values", _BOUNDS["batch_eta"])))
        record.saturation = _per_layer(required(d, "saturation"), "saturation", (0.0, 1.0))
        speeds = d.get("learning_speed", [])
        record.learning_speed = _per_layer(speeds, "learning speed", (0.0, MAX_SPEED), nan_outside=True)
        lengths = {len(record.batch_x), len(record.batch_cost), len(record.batch_eta)}
        epochs = {len(getattr(record, n)) for n in _POINT_LISTS[3:]} | {len(record.saturation)}
        if len(lengths) != 1 or len(epochs | ({len(speeds)} if speeds else set())) != 1:
            raise ValueError("its curves have points of different lengths")
        return record


def _per_layer(values, name, bounds, nan_outside=False):
    """Rows of per-layer numbers (one row an epoch, each of up to the layers' count) as tuples."""
    columns = rows(values, name, 0, HIDDEN_LAYERS.high + 1)
    if not columns:
        return [()] * len(values)      # rows of no layer (a record that measured none), or no rows
    return list(zip(*(points(column, name, bounds, nan_outside) for column in columns)))


def _lesson(value):
    """The lesson run a record is, (lesson key, run index), or None; ValueError if it is neither."""
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
            and len(value[0]) <= MAX_NAME and type(value[1]) is int and 0 <= value[1] < MAX_LESSON_RUNS):
        raise ValueError("its lesson is not a lesson's name and run")
    return value[0], value[1]


def newest_records(entries, max_runs):
    """The newest ``max_runs`` usable records among stored ``entries`` (:meth:`RunRecord.to_dict`'s
    values, oldest first). Returns (pairs, skipped, older): ``pairs`` [(record, its entry)], oldest
    first; ``skipped`` a sentence for each damaged entry met (a repeated run id is damaged too);
    ``older`` the entries before the newest usable ones, not read (the history would drop them)."""
    pairs, skipped, ids = [], [], set()
    for i in range(len(entries) - 1, -1, -1):
        if len(pairs) == max_runs:
            return pairs[::-1], skipped, entries[:i + 1]
        try:
            record = RunRecord.from_dict(entries[i])
            if record.run_id in ids:
                raise ValueError(f"it repeats run #{record.run_id}")
        except ValueError as e:
            skipped.append(f"a saved run was damaged and is skipped ({e})")
            continue
        ids.add(record.run_id)
        pairs.append((record, entries[i]))
    return pairs[::-1], skipped, []


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
