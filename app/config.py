"""The settings of one training run, as the window collects them, and their checks (no Qt here)."""

from dataclasses import asdict, dataclass, field, replace

from nncore.costs import COSTS
from nncore.network import INITS

INPUT_SIZE, OUTPUT_SIZE = 784, 10
HIDDEN_RANGE = (1, 1024)
ETA_RANGE = (1e-4, 100.0)
EPOCHS_RANGE = (1, 1000)
TRAIN_SIZE_RANGE = (1000, 50_000)
SEED_RANGE = (0, 2**31 - 1)


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
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def sizes(self):
        """[784, *hidden, 10]."""
        return [INPUT_SIZE, *self.hidden, OUTPUT_SIZE]

    def sizes_text(self):
        """'784 → 30 → 10'."""
        return " → ".join(map(str, self.sizes))

    def num_weights(self):
        """Number of weights and biases of the network these sizes make."""
        s = self.sizes
        return sum(a * b + b for a, b in zip(s[:-1], s[1:]))

    def label(self):
        """Short description for a run's legend: '784-30-10 η=3 m=10 quadratic'."""
        return (f"{'-'.join(map(str, self.sizes))} η={self.learning_rate:g} m={self.batch_size} "
                f"{self.cost}{' normal' if self.init == 'normal' else ' scaled'}")

    def needs_new_weights(self, other):
        """True when going from ``other`` to this config changes the network's shape or kind."""
        return (self.hidden, self.cost, self.init) != (other.hidden, other.cost, other.init)

    def to_dict(self):
        """Plain types for settings storage."""
        d = asdict(self)
        d.pop("extra")
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, d):
        """A config from stored values; anything missing or invalid falls back to the default."""
        base = cls()
        try:
            cfg = replace(base, **{k: d[k] for k in base.to_dict() if k in d})
            cfg = replace(cfg, hidden=tuple(int(h) for h in cfg.hidden),
                          learning_rate=float(cfg.learning_rate), epochs=int(cfg.epochs),
                          batch_size=int(cfg.batch_size), train_size=int(cfg.train_size),
                          seed=int(cfg.seed), distort=bool(cfg.distort))
        except (TypeError, ValueError):
            return base
        return cfg if not problems(cfg) else base


def problems(cfg):
    """{field: message} for every setting that cannot run; empty when the config is good."""
    out = {}
    lo, hi = HIDDEN_RANGE
    if not all(lo <= h <= hi for h in cfg.hidden):
        out["hidden"] = f"each hidden layer needs {lo} to {hi:,} neurons"
    if not ETA_RANGE[0] <= cfg.learning_rate <= ETA_RANGE[1]:
        out["learning_rate"] = f"η must be from {ETA_RANGE[0]:g} to {ETA_RANGE[1]:g}"
    if not EPOCHS_RANGE[0] <= cfg.epochs <= EPOCHS_RANGE[1]:
        out["epochs"] = f"epochs must be from {EPOCHS_RANGE[0]} to {EPOCHS_RANGE[1]:,}"
    if not TRAIN_SIZE_RANGE[0] <= cfg.train_size <= TRAIN_SIZE_RANGE[1]:
        out["train_size"] = (f"training set must be from {TRAIN_SIZE_RANGE[0]:,} to "
                             f"{TRAIN_SIZE_RANGE[1]:,} examples")
    if not 1 <= cfg.batch_size <= min(cfg.train_size, 10_000):
        out["batch_size"] = (f"mini-batch size must be from 1 to the training-set size "
                             f"({min(cfg.train_size, 10_000):,})")
    if cfg.cost not in COSTS:
        out["cost"] = f"cost must be one of {', '.join(COSTS)}"
    if cfg.init not in INITS:
        out["init"] = f"initialisation must be one of {', '.join(INITS)}"
    if not SEED_RANGE[0] <= cfg.seed <= SEED_RANGE[1]:
        out["seed"] = f"seed must be from 0 to {SEED_RANGE[1]:,}"
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
}
