"""The one table of limits, shared by the core, the command line and the window, and MNIST's geometry.

Every check of a setting (``validate_sizes``, ``validate_run``, the CLI's parsers, the settings
panel's fields) reads its bounds from here, so the three never disagree about what is accepted.
"""

from dataclasses import dataclass

# The images: 28 × 28 greyscale digits, flattened to 784 inputs, ten classes.
IMAGE_SIDE = 28
IMAGE_SHAPE = (IMAGE_SIDE, IMAGE_SIDE)
N_INPUTS = IMAGE_SIDE * IMAGE_SIDE
N_CLASSES = 10
MAX_CLASSES = 256    # a dataset's classes: labels are held as uint8


@dataclass(frozen=True)
class Range:
    """An inclusive range ``low ≤ value ≤ high`` of accepted values."""

    low: float
    high: float

    def __contains__(self, value):
        return self.low <= value <= self.high

    def text(self):
        """'1 to 10,000' or '1e-06 to 10,000', for messages that say what is accepted."""
        return f"{_fmt(self.low)} to {_fmt(self.high)}"


def _fmt(v):
    return f"{v:,}" if isinstance(v, int) else f"{v:,g}"


LEARNING_RATE = Range(1e-6, 1e4)      # η; the window's slider spans 1e-4 … 100 of it
EPOCHS = Range(1, 10_000)
LAYER_SIZE = Range(1, 4_096)          # neurons in any one layer
HIDDEN_LAYERS = Range(0, 6)           # layers between the input and the output
PARAMETERS = Range(1, 20_000_000)     # weights and biases of a whole network
BATCH_SIZE = Range(1, 10_000)         # and never more than the training set
SEED = Range(0, 2**31 - 1)            # what a Qt spin box can hold
L2 = Range(0.0, 1e3)                  # λ of L2 regularisation, C = C₀ + λ/(2n) Σ w²

# Memory: a dataset's float inputs, or a run's working arrays, at most this many bytes; a data file's
# pixels at most an eighth of it (their float32 copy takes four times as much, plus the network).
MEMORY_BUDGET = 1_000_000_000
MAX_DATA_BYTES = MEMORY_BUDGET // 8
