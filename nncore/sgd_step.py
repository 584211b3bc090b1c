"""Moved to :mod:`nncore.fast`; the names other modules' tests still import from here are re-exported."""

from .fast.buffers import StepBuffers  # noqa: F401
from .fast.steps import train_step  # noqa: F401
