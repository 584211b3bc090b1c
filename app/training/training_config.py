"""The window's run settings: :class:`nncore.run_spec.RunSpec`, with the window's training sets (no Qt here).

A ``TrainingConfig`` is a RunSpec in everything (fields, checks, memory estimate, dict form, label); the
one difference is the smallest training set the window offers (:data:`TRAIN_SIZE`), so the window
refuses what ``nncore train`` refuses, before allocating, by the very same checks.
"""

from dataclasses import dataclass
from typing import ClassVar

from nncore.limits import Range
from nncore.memory import MNIST_TRAIN
from nncore.run_spec import EPOCHS_OR_OFF, RunSpec

__all__ = ["EPOCHS_OR_OFF", "PRESETS", "TRAIN_SIZE", "TrainingConfig", "problems"]

TRAIN_SIZE = Range(1_000, MNIST_TRAIN)   # the window's choice: MNIST's training split, or a part of it


@dataclass(frozen=True)
class TrainingConfig(RunSpec):
    """A :class:`~nncore.run_spec.RunSpec` trained on at least 1,000 examples (the window's choice)."""

    least_train: ClassVar[int] = TRAIN_SIZE.low


def problems(cfg):
    """{field: message} for every setting of ``cfg`` that cannot run (:meth:`RunSpec.problems`)."""
    return cfg.problems()


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
