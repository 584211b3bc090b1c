"""One training run, described once: :class:`RunSpec`, and the table of its settings, :data:`OPTIONS`.

A RunSpec is immutable and plain (numbers, names, a tuple of hidden widths), so it can be stored, sent
to another process or machine, and compared. It is the window's ``TrainingConfig``, the runs of
``nncore train`` and ``nncore sweep`` (:mod:`nncore.cli_options` turns options into specs and back),
what :func:`nncore.runs.train_run` trains, what the session store and the lesson files keep (its
:meth:`~RunSpec.to_dict`), and it is checked in one place, :meth:`RunSpec.problems`: every value
against its row of :data:`OPTIONS` (the ranges of :mod:`nncore.limits`), the network by
:func:`~nncore.network.validate_sizes`, the mini-batch and the training set against the data, and the
memory the run would take by :func:`nncore.memory.estimate` against :data:`~nncore.limits.MEMORY_BUDGET`.

Adding a setting: a field here, its row in :data:`OPTIONS`, and what it does where the run uses it.
"""

from dataclasses import asdict, dataclass, replace
from typing import ClassVar

from .costs import COSTS
from .data_shape import MNIST_SHAPE
from .errors import ConfigError
from .limits import BATCH_SIZE, EPOCHS, L2, LAYER_SIZE, LEARNING_RATE, N_CLASSES, N_INPUTS, SEED, Range
from .memory import MNIST_HELD_OUT, MNIST_ROWS, MNIST_TRAIN, estimate
from .network import INITS, count_parameters, sizes_text, validate_sizes
from .run_options import Below, Option, read_value, value_problem

DTYPES = ("float32", "float64")
IMAGE_FITS = ("auto", "centre", "resize", "own")   # nncore.image_folder.CHOICES, without loading it
EPOCHS_OR_OFF = Range(0, EPOCHS.high)   # patience and η halving: 0 is off
MOMENTUM = Below(0.0, 1.0)              # μ of v ← μv − η∇C; 0 is plain gradient descent

# In the order they are read back (train_size before batch_size, which is checked against it).
OPTIONS = (
    Option("hidden", "--sizes", "hidden layers", "sizes", LAYER_SIZE, each="use", examples=((10,), (30,), (100,)),
           help=f"layer sizes, input and output included, e.g. {N_INPUTS},30,{N_CLASSES}"),
    Option("learning_rate", "--eta", "η", "float", LEARNING_RATE, each=",", log=True, examples=(0.1, 0.5, 3.0),
           help="learning rate η"),
    Option("epochs", "--epochs", "epochs", "int", EPOCHS, each=",", examples=(5, 10, 30),
           help="passes over the training set"),
    Option("train_size", "--train-size", "training set", "int", None, " examples",
           help="train on only the first N training examples (default: the whole training split)"),
    Option("batch_size", "--batch-size", "mini-batch size", "int", BATCH_SIZE, each=",", examples=(1, 10, 100),
           help="mini-batch size; 1 is the derivation's per-example update"),
    Option("cost", "--cost", "cost", "choice", tuple(COSTS), help="log-likelihood has a softmax output layer"),
    Option("init", "--init", "initialisation", "choice", INITS, help="normal: N(0, 1); scaled: N(0, 1/n_in)"),
    Option("seed", "--seed", "seed", "int", SEED, each=",", examples=(1, 2, 3), help="seed of the random generator"),
    Option("distort", "--distort", "distortion", "switch",
           help="change each training image every time it is used: other forms of 7, 1, 4 and 9 (crossbar, "
                "flag and base, closed, hooked tail), shifts, rotations, scaling, width, slant, elastic "
                "distortion and stroke weight (helps read hand-drawn digits)"),
    Option("l2", "--l2", "λ", "float", L2, each=",", examples=(0.0, 0.1, 1.0),
           help="L2 regularisation λ: C = C₀ + λ/(2n) Σ w², n the training-set size"),
    Option("patience", "--patience", "patience", "int", EPOCHS_OR_OFF, " epochs (0: off)",
           help="stop after N epochs without a better validation accuracy and keep the best network"),
    Option("halve_eta", "--halve-eta", "halving after", "int", EPOCHS_OR_OFF, " epochs (0: off)",
           help="halve η after N epochs without a better validation accuracy; stop at 1/128 of its start"),
    Option("momentum", "--momentum", "momentum μ", "float", MOMENTUM, " (0: plain gradient descent)", each=",",
           examples=(0.0, 0.5, 0.9), help="momentum μ (Nielsen, chapter 3): v ← μv − η∇C, w ← w + v"),
    Option("dtype", "--dtype", "dtype", "choice", DTYPES, help="the network's floating-point type"),
    Option("data", "--data", "data", "text",
           help="the data: a folder of images in one subfolder per class (optionally inside train/ and test/), "
                "a CSV table, a folder of train.csv and test.csv, or a folder of IDX files named as MNIST's "
                "(default: the bundled MNIST)"),
    Option("images", "--images", "image fit", "choice", IMAGE_FITS,
           help="an image folder's images: auto (own size when they all share one of at most 4,096 pixels, "
                "else centre), centre (28×28, aspect kept, centred by mass as the pad's drawings), resize "
                "(28×28, aspect not kept) or own (their own size, which they must share)"),
)
BY_FIELD = {o.field: o for o in OPTIONS}


@dataclass(frozen=True)
class DataCounts:
    """What a check needs of a dataset: examples in all (``rows``), training examples (``train``), the
    larger held-out split (``held_out``) and whether there is a validation split."""

    rows: int = MNIST_ROWS
    train: int = MNIST_TRAIN
    held_out: int = MNIST_HELD_OUT
    validation: bool = True

    @classmethod
    def of(cls, data):
        """The counts of a loaded :class:`~nncore.data.Dataset`, or the bundled MNIST's for None."""
        if data is None:
            return cls()
        n_val, n_test = len(data.validation), len(data.test)
        return cls(len(data.train) + n_val + n_test, len(data.train), max(n_val, n_test), n_val > 0)


@dataclass(frozen=True)
class RunSpec:
    """Everything a training run needs, and nothing it produces.

    ``hidden`` are the widths between the 784 inputs and the 10 outputs; ``patience`` and ``halve_eta``
    are epochs, 0 for off; ``momentum`` is μ, 0 for plain gradient descent (the derivation's algorithm);
    ``dtype`` is 'float32' or 'float64'; ``data`` a path (:func:`nncore.data_sources.open_data`), None for
    the bundled MNIST, and ``images`` an image folder's fit. ``inputs`` and ``classes`` are the sizes of the
    input and output layers, the data's (not options: they follow the data, :meth:`problems` checks it).
    """

    least_train: ClassVar[int] = 1   # the smallest training set accepted (the window asks for more)

    hidden: tuple = (30,)
    learning_rate: float = 3.0
    epochs: int = 30
    batch_size: int = 10
    train_size: int = MNIST_TRAIN
    cost: str = "quadratic"
    init: str = "normal"
    seed: int = 1
    distort: bool = False
    l2: float = 0.0          # λ of L2 regularisation, C = C₀ + λ/(2n) Σ w²
    patience: int = 0        # stop after this many epochs without a better validation accuracy; 0 off
    halve_eta: int = 0       # halve η after this many epochs without a better validation accuracy; 0 off
    momentum: float = 0.0    # μ: v ← μv − η∇C, w ← w + v; 0 is plain SGD
    dtype: str = "float32"
    data: str | None = None
    images: str = "auto"
    inputs: int = N_INPUTS   # n_0, the data's inputs
    classes: int = N_CLASSES  # n_L, the data's classes

    @property
    def sizes(self):
        """[n_0, *hidden, n_L]: [784, *hidden, 10] for MNIST."""
        return [self.inputs, *self.hidden, self.classes]

    def sizes_text(self):
        """'784 → 30 → 10'."""
        return sizes_text(self.sizes)

    def num_weights(self):
        """Number of weights and biases of the network these sizes make."""
        return count_parameters(self.sizes)

    def label(self):
        """Short description for a run's legend: '784-30-10 η=3 m=10 quadratic normal λ=5 μ=0.9'."""
        return (f"{'-'.join(map(str, self.sizes))} η={self.learning_rate:g} m={self.batch_size} "
                f"{self.cost} {self.init}" + (f" λ={self.l2:g}" if self.l2 else "")
                + (f" μ={self.momentum:g}" if self.momentum else ""))

    def needs_new_weights(self, other):
        """True when going from ``other`` to this spec changes the network's shape or kind."""
        return (self.sizes, self.cost, self.init) != (other.sizes, other.cost, other.init)

    def sgd_options(self):
        """The keyword arguments of :class:`nncore.SGD` this spec sets (its data, rng and network aside)."""
        from .augment import distort_batch  # NumPy's image code, only once a run starts

        return {"learning_rate": self.learning_rate, "epochs": self.epochs, "batch_size": self.batch_size,
                "distort": distort_batch if self.distort else None, "l2": self.l2,
                "patience": self.patience or None, "halve_eta": self.halve_eta or None,
                "momentum": self.momentum}

    # ---- checks --------------------------------------------------------------------------
    def problems(self, data=None, names=None):
        """{field: message} for every setting that cannot run; empty when the spec is good.

        ``data`` is the loaded :class:`~nncore.data.Dataset` the run will use (None: the bundled
        MNIST's counts); ``names`` names fields in the messages ({field: '--eta'}; default: each
        option's ``what``, 'η'). The memory check runs once the sizes, mini-batch and data are good.
        """
        names, counts = names or {}, DataCounts.of(data)
        out = {}
        for option in OPTIONS:
            message = value_problem(option, getattr(self, option.field), names.get(option.field))
            if message:
                out[option.field] = message
        if "hidden" not in out:
            try:
                validate_sizes(self.sizes)          # the core's one check of widths, layers and parameters
            except ConfigError as e:
                out["hidden"] = str(e)
        if "hidden" not in out:
            message = self.shape_problem(MNIST_SHAPE if data is None else data.shape, names.get("hidden"))
            if message:
                out["hidden"] = message
        self._against(counts, names, out)
        if not out.keys() & {"hidden", "batch_size", "train_size", "dtype"}:
            field, message = self._memory_refusal(counts)
            if message:
                out[field] = message
        return out

    def shape_problem(self, shape, name=None):
        """'' when the input and output layers fit the DataShape ``shape``, else one line saying what it needs."""
        if (self.inputs, self.classes) == (shape.inputs, shape.n_classes):
            return ""
        name = name or "the network's sizes"
        example = ",".join(map(str, [shape.inputs, *self.hidden, shape.n_classes]))
        return (f"{name} must start with the data's {shape.inputs_text()} inputs and end with its "
                f"{shape.classes_text()} classes, e.g. {example}; got {','.join(map(str, self.sizes))}")

    def _against(self, counts, names, out):
        """The training set, mini-batch and schedule checked against the data's ``counts``."""
        train = BY_FIELD["train_size"]
        bound = replace(train, accepted=Range(min(self.least_train, counts.train), counts.train))   # all of small data
        message = out.get("train_size") or value_problem(bound, self.train_size, names.get("train_size"))
        if message:
            out["train_size"] = message
        elif "batch_size" not in out:
            batch = replace(BY_FIELD["batch_size"], accepted=Range(1, min(self.train_size, BATCH_SIZE.high)),
                            unit=" (at most the training set)")
            message = value_problem(batch, self.batch_size, names.get("batch_size"))
            if message:
                out["batch_size"] = message
        for field in ("patience", "halve_eta"):
            if getattr(self, field) and not counts.validation and field not in out:
                out[field] = (f"{names.get(field) or BY_FIELD[field].what} watches the validation accuracy, "
                              "but the data has no validation split")

    def memory(self, data=None):
        """The :class:`~nncore.memory.RunMemory` of this run on ``data`` (None: the bundled MNIST)."""
        counts = DataCounts.of(data)
        return estimate(self.sizes, self.batch_size, self.dtype, counts.rows, self.train_size, counts.held_out)

    def _memory_refusal(self, counts):
        """``(field, message)`` when the run needs more memory than is accepted, else ``("", "")``;
        ``field`` is the setting to change: 'batch_size' when a smaller mini-batch fits, else 'hidden'."""
        need = estimate(self.sizes, self.batch_size, self.dtype, counts.rows, self.train_size, counts.held_out)
        if need.fits():
            return "", ""
        otherwise = "use fewer or narrower hidden layers" + (", or float32" if self.dtype != "float32" else "")
        return ("batch_size" if need.largest_batch() >= 1 else "hidden",
                need.refusal("use a mini-batch size of {} or less", otherwise))

    def validate(self, data=None, names=None):
        """Raise :class:`~nncore.errors.ConfigError` with the first of :meth:`problems`, if any; returns self."""
        found = self.problems(data, names)
        if found:
            raise ConfigError(next(iter(found.values())))
        return self

    # ---- plain values --------------------------------------------------------------------
    def to_dict(self):
        """Plain values for JSON (settings, run records, lessons, the Sweeps dialog): hidden as a list."""
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, d):
        """A spec from stored values, field by field: a missing or unusable value keeps its default."""
        return cls.from_stored(d)[0]

    @classmethod
    def from_stored(cls, d):
        """(spec, names of the stored fields that could not be used and fell back to their defaults).

        A damaged file can hold anything (a string, 1e400, a dict, unknown names); none of it raises,
        and each value is read by its kind before it is looked at further (:func:`read_value`).
        """
        spec, fallbacks = cls(), []
        if not isinstance(d, dict):
            return spec, ([] if d in (None, {}) else ["all of them"])
        for option in OPTIONS:
            name = option.field
            if name not in d:
                continue
            try:
                candidate = replace(spec, **{name: read_value(option, d[name])})
                bad = candidate.problems()
            except (TypeError, ValueError, OverflowError):
                bad = {name: "unusable"}
            if name not in bad and not (name == "train_size" and "batch_size" in bad):
                spec = candidate
            else:
                fallbacks.append(name)
        sizes = {k: d[k] for k in ("inputs", "classes") if type(d.get(k)) is int and d[k] in LAYER_SIZE}
        return replace(spec, **sizes), fallbacks     # the data's sizes, as recorded (not checked: no data here)
