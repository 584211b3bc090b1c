"""The settings of one training run, as the window collects them, and their checks (no Qt here).

The checks are the command line's: the core's limits, and the memory a run would take on MNIST by
:mod:`nncore.memory`'s estimate, so the window refuses what ``nncore train`` refuses, before allocating.
"""

from dataclasses import asdict, dataclass, replace

from nncore.costs import COSTS
from nncore.errors import ConfigError
from nncore.limits import (
    BATCH_SIZE,
    EPOCHS,
    L2,
    LEARNING_RATE,
    N_CLASSES,
    N_INPUTS,
    SEED,
    Range,
)
from nncore.memory import memory_refusal
from nncore.network import INITS, count_parameters, sizes_text, validate_sizes

TRAIN_SIZE = Range(1_000, 50_000)   # the window's choice: MNIST's training split, or a part of it
EPOCHS_OR_OFF = Range(0, EPOCHS.high)   # patience and halve_eta: 0 is off


@dataclass(frozen=True)
class TrainingConfig:
    """Everything a run needs: layer sizes (input and output included), η, and the usual knobs."""

    hidden: tuple = (30,)
    learning_rate: float = 3.0
    epochs: int = 30
    batch_size: int = 10
    train_size: int = 50_000
    cost: str = "quadratic"
    init: str = "normal"
    seed: int = 1
    distort: bool = False
    l2: float = 0.0          # λ of L2 regularisation, C = C₀ + λ/(2n) Σ w²
    patience: int = 0        # early stopping after this many epochs without a better validation accuracy; 0 off
    halve_eta: int = 0       # halve η after this many epochs without a better validation accuracy; 0 off

    @property
    def sizes(self):
        """[784, *hidden, 10]."""
        return [N_INPUTS, *self.hidden, N_CLASSES]

    def sizes_text(self):
        """'784 → 30 → 10'."""
        return sizes_text(self.sizes)

    def num_weights(self):
        """Number of weights and biases of the network these sizes make."""
        return count_parameters(self.sizes)

    def label(self):
        """Short description for a run's legend: '784-30-10 η=3 m=10 quadratic normal'."""
        return (f"{'-'.join(map(str, self.sizes))} η={self.learning_rate:g} m={self.batch_size} "
                f"{self.cost} {self.init}" + (f" λ={self.l2:g}" if self.l2 else ""))

    def needs_new_weights(self, other):
        """True when going from ``other`` to this config changes the network's shape or kind."""
        return (self.hidden, self.cost, self.init) != (other.hidden, other.cost, other.init)

    def to_dict(self):
        """Plain types for settings storage (and the Sweeps dialog, which passes each on to nncore sweep)."""
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, d):
        """A config from stored values, field by field: a missing or unusable value keeps its default."""
        return cls.from_stored(d)[0]

    @classmethod
    def from_stored(cls, d):
        """(config, names of the stored fields that could not be used and fell back to their defaults).

        A damaged settings file can hold anything (a string, 1e400, a dict); none of it raises.
        """
        cfg, fallbacks = cls(), []
        if not isinstance(d, dict):
            return cfg, ([] if d in (None, {}) else ["all of them"])
        for name, kind in _FIELD_TYPES.items():
            if name not in d:
                continue
            try:
                candidate = replace(cfg, **{name: kind(d[name])})
                bad = problems(candidate)
            except (TypeError, ValueError, OverflowError):
                bad = {name: "unusable"}
            if name not in bad and not (name == "train_size" and "batch_size" in bad):
                cfg = candidate
            else:
                fallbacks.append(name)
        return cfg, fallbacks


def _hidden(value):
    if not isinstance(value, (list, tuple)):
        raise TypeError("hidden layers are a list of sizes")
    return tuple(_whole(h) for h in value)


def _whole(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise ValueError(f"not a whole number: {value!r}")
    return int(value)


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a number: {value!r}")
    return float(value)


def _name(value):
    if not isinstance(value, str):
        raise TypeError(f"not a name: {value!r}")
    return value


def _flag(value):
    if not isinstance(value, bool):
        raise TypeError(f"not true or false: {value!r}")
    return value


_FIELD_TYPES = {"hidden": _hidden, "learning_rate": _number, "epochs": _whole,
                "train_size": _whole, "batch_size": _whole, "cost": _name, "init": _name,
                "seed": _whole, "distort": _flag, "l2": _number, "patience": _whole, "halve_eta": _whole}


def problems(cfg):
    """{field: message} for every setting that cannot run; empty when the config is good."""
    out = {}
    try:
        validate_sizes(cfg.sizes)          # the core's one check of widths, layers and parameters
    except ConfigError as e:
        out["hidden"] = str(e)
    if cfg.learning_rate not in LEARNING_RATE:
        out["learning_rate"] = f"η must be from {LEARNING_RATE.text()}"
    if cfg.epochs not in EPOCHS:
        out["epochs"] = f"epochs must be from {EPOCHS.text()}"
    if cfg.train_size not in TRAIN_SIZE:
        out["train_size"] = f"training set must be from {TRAIN_SIZE.text()} examples"
    batch = Range(BATCH_SIZE.low, min(cfg.train_size, BATCH_SIZE.high))
    if cfg.batch_size not in batch:
        out["batch_size"] = f"mini-batch size must be from {batch.text()} (at most the training set)"
    if cfg.cost not in COSTS:
        out["cost"] = f"cost must be one of {', '.join(COSTS)}"
    if cfg.init not in INITS:
        out["init"] = f"initialisation must be one of {', '.join(INITS)}"
    if cfg.seed not in SEED:
        out["seed"] = f"seed must be from {SEED.text()}"
    if cfg.l2 not in L2:
        out["l2"] = f"λ must be from {L2.text()}"
    for name, what in (("patience", "patience"), ("halve_eta", "halving after")):
        if getattr(cfg, name) not in EPOCHS_OR_OFF:
            out[name] = f"{what} must be from {EPOCHS_OR_OFF.text()} epochs (0: off)"
    if not out.keys() & {"hidden", "batch_size", "train_size"}:
        field, message = memory_refusal(cfg.sizes, cfg.batch_size, cfg.train_size)
        if message:
            out[field] = message
    return out


PRESETS = {
    "Book, chapter 1 (784-30-10, η 3, 30 epochs)": TrainingConfig(),
    "Quick look (10,000 examples, 3 epochs)": TrainingConfig(epochs=3, train_size=10_000),
    "The derivation's algorithm (one example per step)": TrainingConfig(
        learning_rate=0.5, batch_size=1, epochs=5),
    "Cross-entropy, scaled init (784-100-10, η 0.5)": TrainingConfig(
        hidden=(100,), learning_rate=0.5, cost="cross-entropy", init="scaled"),
    "Saturation demo (784-100-10, quadratic, normal init)": TrainingConfig(
        hidden=(100,), learning_rate=3.0, epochs=10),
    "Deeper (784-128-64-10, cross-entropy)": TrainingConfig(
        hidden=(128, 64), learning_rate=0.5, cost="cross-entropy", init="scaled", epochs=20),
    "Vanishing gradient (784-30-30-30-30-10)": TrainingConfig(
        hidden=(30, 30, 30, 30), learning_rate=0.1, cost="cross-entropy", init="scaled", epochs=30),
    "Softmax, log-likelihood, L2 (784-100-10, η 0.5, λ 5)": TrainingConfig(
        hidden=(100,), learning_rate=0.5, cost="log-likelihood", init="scaled", l2=5.0),
}
