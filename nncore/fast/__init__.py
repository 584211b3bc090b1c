"""The fast path behind the derivation: training steps that compute what ``Network.backward`` and the
plain update compute, with reused buffers, one BLAS product that accumulates, and a BLAS-thread policy.

The math is :meth:`nncore.network.Network.backward` followed by W ← W − η·nabla_w, b ← b − η·nabla_b;
``tests/nncore/test_fast_properties.py`` holds every step to it over random sizes, costs, mini-batches
and dtypes. Read the derivation in ``network.py``, ``costs.py`` and ``activations.py``; read this only
for how it is made fast:

- :mod:`.passes`: the passes the steps share, each written once: σ, Fact 2 with σ′, the forward pass,
  the output error, one example's backward pass.
- :mod:`.steps`: :func:`train_step` (a mini-batch ``(m, n_0)``, or one example ``(n_0,)``) and
  :func:`train_single`, the training loop's step at m = 1.
- :mod:`.deferred`: the step at m = 1 with the first layer's rank-one updates deferred over a block.
- :mod:`.buffers`: :class:`StepBuffers`, every array a run's steps reuse.
- :mod:`.blas`: :class:`Gemm`, C ← αAB + βC in one call of NumPy's own OpenBLAS.
- :mod:`.threads`: how many BLAS threads to use and setting them (standard library only at import).

Importing this package loads nothing (the names are looked up in their modules on first use), so an
entry point can import :mod:`.threads` before NumPy loads.
"""

from ..lazy import lazy_exports

# name -> the module of this package that defines it
_EXPORTS = {
    "StepBuffers": "buffers", "WIDE_LAYER": "buffers", "BLAS_UPDATE_FROM": "buffers",
    "train_step": "steps", "train_single": "steps", "train_example": "steps",
    "train_example_deferred": "deferred", "FirstLayerBlock": "deferred", "Gemm": "blas",
    "use_one_blas_thread": "threads", "blas_threads": "threads", "set_blas_threads": "threads",
    "blas_threads_for": "threads", "blas_threads_chosen_by_user": "threads", "CoreMonitor": "threads",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
