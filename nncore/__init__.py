"""nncore: a from-scratch NumPy backpropagation core (NumPy and the standard library only).

The math is the derivation's: sigmoid neurons, quadratic cost C = ½‖y − aᴸ‖², the chain-rule facts
1–6, and gradient descent with step η. Extensions (mini-batches, cross-entropy, scaled
initialisation) are options; ``batch_size=1`` with the defaults is the derivation's algorithm.
"""

from .control import TrainingControl
from .data import Dataset, Split, load_dataset
from .errors import ConfigError, DataFileError, ModelFileError, NNCoreError
from .modelfile import load
from .network import Network
from .reports import BatchReport, EpochReport, RunEnd
from .training import SGD, evaluate

__all__ = [
    "SGD", "BatchReport", "ConfigError", "DataFileError", "Dataset", "EpochReport", "ModelFileError",
    "NNCoreError", "Network", "RunEnd", "Split", "TrainingControl", "evaluate", "load",
    "load_dataset",
]
