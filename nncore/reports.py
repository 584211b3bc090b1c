"""The small immutable records that training yields instead of printing.

A run yields :class:`BatchReport` a few times a second (each covers the mini-batches since the
previous one), an :class:`EpochReport` after each epoch's evaluation, and one :class:`RunEnd` last.

An epoch report travels as one JSON object (``nncore train --json``'s line, a sweep's, a run kept by
the window): :meth:`EpochReport.to_json` writes it and :meth:`EpochReport.from_json` is the one place
that reads it back, bounded and checked (:func:`json_line` makes the line strict JSON).
"""

import json
import math
from dataclasses import dataclass
from enum import StrEnum

MAX_LAYERS = 8          # per-layer lists read back: the hidden layers and the output, and no more
MAX_EPOCH = 10**9


@dataclass(frozen=True, slots=True)
class BatchReport:
    """Progress inside an epoch.

    ``cost`` is the mean cost per example over the mini-batches since the previous report;
    ``examples`` counts the examples of this epoch trained so far, out of ``epoch_size``.
    """

    epoch: int
    batch: int
    batches: int
    examples: int
    epoch_size: int
    cost: float
    learning_rate: float
    seconds: float

    @property
    def fractional_epoch(self):
        """Epochs done so far as a real number: 2.5 is halfway through the third epoch."""
        return self.epoch - 1 + self.examples / self.epoch_size


@dataclass(frozen=True, slots=True)
class EpochReport:
    """One finished epoch: the running-mean training cost, held-out cost and accuracies (0–1).

    ``seconds`` is the epoch's training time; ``eval_seconds`` the evaluation's. Accuracies and costs
    of a split that was not given are None. ``saturation`` is, per layer, the share of neurons whose
    σ′(z) is below 0.01 on the first 1,000 training examples (where learning has slowed, Fact 2).
    ``learning_speed`` is, per layer l = 1 … L, ‖∂C/∂bˡ‖ of the mean cost over the same examples
    (:func:`nncore.learning_speed`, in the network's dtype; Fact 3: ∂C/∂b = δ).
    """

    epoch: int
    epochs: int
    train_cost: float
    validation_cost: float | None
    validation_accuracy: float | None
    test_accuracy: float | None
    learning_rate: float
    seconds: float
    eval_seconds: float
    saturation: tuple = ()   # per layer: share of neurons with σ′(z) < 0.01 on 1,000 training examples
    learning_speed: tuple = ()   # per layer: ‖∂C/∂bˡ‖ on the same 1,000 training examples

    def accuracies_text(self):
        """'validation 95.49%, test 95.04%' (a split that was not given is left out)."""
        parts = [f"{name} {100 * v:.2f}%" for name, v in (("validation", self.validation_accuracy),
                                                           ("test", self.test_accuracy)) if v is not None]
        return ", ".join(parts)

    def to_json(self):
        """The report as plain JSON values: a dict of its fields, the per-layer tuples as lists."""
        return {"epoch": self.epoch, "train_cost": self.train_cost, "validation_cost": self.validation_cost,
                "validation_accuracy": self.validation_accuracy, "test_accuracy": self.test_accuracy,
                "seconds": self.seconds, "eval_seconds": self.eval_seconds, "learning_rate": self.learning_rate,
                "learning_speed": [float(v) for v in self.learning_speed],
                "saturation": [float(v) for v in self.saturation], "epochs": self.epochs}

    @classmethod
    def from_json(cls, d):
        """The report a :meth:`to_json` dict (or a line of it, parsed) holds; ValueError saying what is
        wrong otherwise. A cost written as null (it was not finite) reads as NaN, an accuracy as None
        (no such split); ``epochs``, ``saturation`` and the timings may be missing (older lines)."""
        if not isinstance(d, dict):
            raise ValueError("an epoch record is a JSON object")
        epoch = d.get("epoch")
        if not (_whole(epoch) and 1 <= epoch <= MAX_EPOCH):
            raise ValueError(f"an epoch record's epoch is a whole number from 1, got {epoch!r}")
        epochs = d.get("epochs", epoch)
        return cls(epoch, epochs if _whole(epochs) and epoch <= epochs <= MAX_EPOCH else epoch,
                   _number(d, "train_cost"), _number(d, "validation_cost", None),
                   _share(d, "validation_accuracy"), _share(d, "test_accuracy"), _number(d, "learning_rate"),
                   _number(d, "seconds", 0.0), _number(d, "eval_seconds", 0.0),
                   _per_layer(d, "saturation"), _per_layer(d, "learning_speed"))


class EndReason(StrEnum):
    """Why a run ended; equal to its string, so JSON and older comparisons read the same."""

    FINISHED = "finished"
    STOPPED = "stopped"
    DIVERGED = "diverged"   # the loop restored the last finite weights
    FAILED = "failed"       # the run could not start or broke off with an error (the app's worker)


@dataclass(frozen=True, slots=True)
class RunEnd:
    """The run is over: ``reason`` is an :class:`EndReason`; ``message`` is for people."""

    reason: EndReason
    epoch: int
    examples: int
    message: str


def epochs_text(n):
    """'1 epoch', '30 epochs', '1,000 epochs': a count of epochs for people."""
    return f"{n:,} epoch{'' if n == 1 else 's'}"


def json_line(record):
    """``record`` (dicts, lists, numbers, strings) as one line of strict JSON: a float that is not finite
    (NaN, ±inf), which JSON cannot hold, becomes null."""
    return json.dumps(_finite_or_null(record), allow_nan=False)


def _finite_or_null(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_null(v) for v in value]
    return value


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _real(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(d, key, missing=math.nan):
    """``d[key]`` as a float: null is NaN (not finite when written); ``missing`` when absent."""
    value = d.get(key, missing)
    if value is None:
        return math.nan if missing is not None else None
    if not _real(value):
        raise ValueError(f"an epoch record's {key} is a number, got {value!r}")
    return float(value)


def _share(d, key):
    """An accuracy, 0 to 1, or None."""
    value = d.get(key)
    if value is not None and not (_real(value) and 0 <= value <= 1):
        raise ValueError(f"an epoch record's {key} is a fraction from 0 to 1 or null, got {value!r}")
    return None if value is None else float(value)


def _per_layer(d, key):
    """A per-layer list of numbers (null: NaN) as a tuple of floats; () when absent."""
    values = d.get(key, [])
    if not (isinstance(values, list) and len(values) <= MAX_LAYERS and all(v is None or _real(v) for v in values)):
        raise ValueError(f"an epoch record's {key} is a list of at most {MAX_LAYERS} numbers")
    return tuple(math.nan if v is None else float(v) for v in values)
