"""The small immutable records that training yields instead of printing.

A run yields :class:`BatchReport` a few times a second (each covers the mini-batches since the
previous one), an :class:`EpochReport` after each epoch's evaluation, and one :class:`RunEnd` last.
"""

from dataclasses import dataclass
from enum import StrEnum


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
