"""nncore: a from-scratch NumPy backpropagation core (NumPy and the standard library only).

The math is the derivation's: sigmoid neurons, quadratic cost C = ½‖y − aᴸ‖², the chain-rule facts
1–6, and gradient descent with step η. Extensions (mini-batches, cross-entropy, scaled
initialisation) are options; ``batch_size=1`` with the defaults is the derivation's algorithm.

Importing the package loads nothing heavy and sets nothing process-wide: the names below are looked
up in their modules on first use (PEP 562), so ``import nncore`` or ``import nncore.limits`` does not
load NumPy, and an entry point can still call :func:`nncore.process.use_one_blas_thread` first.
"""

from .lazy import lazy_exports

# name -> the module of this package that defines it
_EXPORTS = {
    "SGD": "training", "BatchReport": "reports", "ConfigError": "errors", "DataFileError": "errors",
    "Dataset": "data", "EpochReport": "reports", "Evaluation": "evaluation",
    "ModelFileError": "errors", "NNCoreError": "errors",
    "ReadOnlyFileError": "errors", "SaveError": "errors", "Network": "network", "RunEnd": "reports",
    "Split": "data", "TrainingControl": "control", "evaluate": "evaluation", "load": "modelfile",
    "load_dataset": "data", "save": "modelfile", "learning_speed": "gradient_norms",
    "NudgeStep": "input_gradients", "dream": "input_gradients", "dream_neuron": "input_gradients",
    "input_gradient": "input_gradients", "toward": "input_gradients", "toward_steps": "input_gradients",
    "RunSpec": "run_spec", "train_run": "runs", "prepare_run": "runs",
    "open_data": "data_sources", "DataShape": "data_shape", "LoadStopped": "errors",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
