"""nncore: a from-scratch NumPy backpropagation core (NumPy and the standard library only).

The math is the derivation's: sigmoid neurons, quadratic cost C = ½‖y − aᴸ‖², the chain-rule facts
1–6, and gradient descent with step η. Extensions (mini-batches, cross-entropy, scaled
initialisation) are options; ``batch_size=1`` with the defaults is the derivation's algorithm.
"""

import os

# One BLAS thread: at these layer sizes a second thread gains nothing and stalls badly when another
# process (or the window's event loop) holds a core. Only effective if NumPy is not loaded yet;
# set OPENBLAS_NUM_THREADS yourself to choose otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .control import TrainingControl  # noqa: E402
from .data import Dataset, Split, load_dataset  # noqa: E402
from .errors import ConfigError, DataFileError, ModelFileError, NNCoreError  # noqa: E402
from .modelfile import load  # noqa: E402
from .network import Network  # noqa: E402
from .reports import BatchReport, EpochReport, RunEnd  # noqa: E402
from .training import SGD, evaluate  # noqa: E402

__all__ = [
    "SGD", "BatchReport", "ConfigError", "DataFileError", "Dataset", "EpochReport", "ModelFileError",
    "NNCoreError", "Network", "RunEnd", "Split", "TrainingControl", "evaluate", "load",
    "load_dataset",
]
