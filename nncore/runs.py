"""Train one :class:`~nncore.run_spec.RunSpec`: the importable run behind ``nncore train`` and every
sweep's runs, whatever executes them.

:func:`train_run` yields a run's epoch records (:class:`~nncore.reports.EpochReport`) and then its
:class:`~nncore.reports.RunEnd`; :func:`prepare_run` gives the network and the SGD loop themselves, for a
caller that wants the batch reports or the network (``nncore train`` shows the first and saves the
second). Both check the spec against the data first (:meth:`RunSpec.validate`) and draw the network
and then the shuffles from ``numpy.random.default_rng(spec.seed)``, so the same spec gives the same
numbers wherever it runs (for a wide network, with the same BLAS thread count: see :class:`nncore.SGD`).
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import Dataset
from .errors import NNCoreError
from .limits import N_CLASSES
from .modelfile import save as save_network
from .network import Network
from .reports import BatchReport
from .training import SGD

CHANCE_ACCURACY = 0.12       # at or below this, ten classes are being guessed (1.2 × chance)
LARGE_ETA = 10.0             # from here on sigmoid neurons may saturate at once (σ′ ≈ 0) and never learn


@dataclass(frozen=True)
class PreparedRun:
    """A run ready to go: its ``spec``, the ``data`` cut to its training set, the ``network`` (trained in
    place) and the ``sgd`` loop whose ``run()`` trains it."""

    spec: object
    data: Dataset
    network: Network
    sgd: SGD


def prepare_run(spec, data=None, control=None, *, threads=None, names=None):
    """The :class:`PreparedRun` of ``spec`` on ``data`` (a loaded Dataset; None opens ``spec.data`` by
    :func:`nncore.data_sources.open_data`). The network records the data's shape (``data_shape``).

    ``control`` (a :class:`~nncore.control.TrainingControl`) stops, pauses and steps it; ``threads`` is
    SGD's BLAS thread count (None: chosen by the work); ``names`` names the fields in the
    :class:`~nncore.errors.ConfigError` raised for a spec that cannot run on the data ({'learning_rate':
    '--eta'}).
    """
    if data is None:
        from .data_sources import open_data

        data = open_data(spec.data, images=spec.images)
    spec.validate(data, names)
    data = data.with_train_size(spec.train_size)
    rng = np.random.default_rng(spec.seed)
    network = Network(spec.sizes, cost=spec.cost, init=spec.init, rng=rng, dtype=np.dtype(spec.dtype))
    network.data_shape = data.shape   # saved with it: the data's inputs, class names and preprocessing
    sgd = SGD(network, data.train, **spec.sgd_options(), rng=rng, validation=data.validation, test=data.test,
              control=control, threads=threads)
    return PreparedRun(spec, data, network, sgd)


def train_run(spec, data=None, control=None, *, threads=None):
    """Train ``spec`` (see :func:`prepare_run`); yields each :class:`~nncore.reports.EpochReport` as its
    epoch ends, then the :class:`~nncore.reports.RunEnd`. Overflow from a far too large η ends the run
    as 'diverged', without NumPy's warnings."""
    run = prepare_run(spec, data, control, threads=threads)
    with np.errstate(over="ignore"):
        for report in run.sgd.run():
            if not isinstance(report, BatchReport):
                yield report


def interrupted_path(path):
    """Where the partly trained network of an interrupted run goes: ``NAME.interrupted.npz`` beside ``path``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.interrupted{path.suffix}" if path.suffix else f"{path.name}.interrupted")


def save_interrupted(network, save, done):
    """An interrupted run (``done`` full epochs): the ``save`` file is never replaced; the partly trained
    network goes beside it (:func:`interrupted_path`). Returns what happened, in one line for people."""
    epochs = f"after {done} full epoch{'s' * (done != 1)}" if done else "before the first epoch ended"
    if not save:
        return f"interrupted {epochs}; nothing was saved"
    partial = interrupted_path(save)
    try:
        save_network(network, partial)
    except (NNCoreError, OSError) as e:
        return (f"interrupted {epochs}; the partly trained network could not be saved ({e}); {save} was not "
                "touched")
    return f"interrupted {epochs}; the partly trained network was saved to {partial}; {save} was not touched"


def guessing_hint(epochs, eta, smaller="--eta 3", n_classes=N_CLASSES):
    """Sigmoid networks saturated by a large η never diverge, they guess: what to try (a ``smaller`` η,
    as the reader would give it), or '' when the EpochReports ``epochs`` of a run at η = ``eta`` on
    ``n_classes`` classes did better than chance (or η was not large)."""
    if not epochs or epochs[-1].validation_accuracy is None or eta < LARGE_ETA:
        return ""
    best = max(r.validation_accuracy for r in epochs)
    if best > CHANCE_ACCURACY * N_CLASSES / n_classes:   # 1.2 × chance
        return ""
    return (f"the network is guessing (best validation accuracy {100 * best:.2f}%, chance is "
            f"{100 / n_classes:.0f}%): η = {eta:g} is large enough to saturate sigmoid neurons (σ′ ≈ 0), "
            f"which then stop learning. Try a smaller learning rate η, e.g. {smaller}")
