"""One run of a sweep, wherever an executor runs it: a local worker process or a Dask worker.

:func:`sweep_run` trains one :class:`~nncore.cli_options.PlannedRun` with :func:`nncore.runs.prepare_run`
(one BLAS thread: runs share the cores, and a run's numbers are ``nncore train``'s), loads the data
itself (once per worker process, :func:`dataset`), and speaks only through a *channel*: an event as
the run starts (``{"run": n, "started": worker}``), one per epoch (``{"run": n, "epoch": {...}}``, the
:meth:`~nncore.reports.EpochReport.to_json` record) and one as it ends (``{"run": n, "end": {...}}``).
Between reports it asks the channel whether the sweep wants it stopped (:data:`INTERRUPT`, as Ctrl-C:
a ``--save`` run's partly trained network goes beside the file as ``NAME.interrupted.npz``;
:data:`TERMINATE`: it just stops) and stops at the next mini-batch.

A local worker's channel is :class:`nncore.executors.ProcessChannel`, made once per process by the
executor's initializer; a Dask worker's comes with the call (:mod:`nncore.cluster`).
"""

import time
import traceback
from functools import lru_cache

import numpy as np

from .control import TrainingControl
from .errors import NNCoreError
from .executors import INTERRUPT, process_channel
from .modelfile import save as save_network
from .reports import EpochReport, RunEnd
from .runs import guessing_hint, prepare_run, save_interrupted

EXIT_FAILED, EXIT_USAGE, EXIT_DIVERGED = 1, 2, 3
STOP_POLL_SECONDS = 0.5   # how often a run asks whether the sweep wants it stopped


@lru_cache(maxsize=2)
def dataset(folder):
    """The dataset in ``folder`` (None: the bundled MNIST), loaded once per worker process."""
    from .data import load_dataset

    return load_dataset(folder)


def sweep_run(run, save=None, force=False, channel=None):
    """Train ``run`` (a PlannedRun), publishing its events on ``channel`` (None: this process's); save the
    network to ``save`` if given. Returns the end record, ``{"status", "outcome", "epochs", "messages"}``:
    outcome 'finished' (status 0), 'diverged' (3), 'stopped' (128 + the signal) or 'failed' (2 for a
    person's error, 1 for a bug), as ``nncore train`` would end."""
    channel = channel or process_channel()
    channel.put({"run": run.number, "started": channel.worker()})
    epochs, end = [], {"status": 0, "outcome": "finished", "messages": []}
    try:
        prepared = prepare_run(run.spec, dataset(run.spec.data), TrainingControl(), threads=1)
        last, stopped = _follow(prepared, run.number, channel, epochs)
        end = _ending(prepared, last, stopped, epochs, save, force)
    except NNCoreError as e:
        end = {"status": EXIT_USAGE, "outcome": "failed", "messages": [str(e)]}
    except Exception as e:   # a bug: said, never a hung sweep
        traceback.print_exc()
        end = {"status": EXIT_FAILED, "outcome": "failed", "messages": [f"internal error: {type(e).__name__}: {e}"]}
    end["epochs"] = len(epochs)
    channel.put({"run": run.number, "end": end})
    return end


def _follow(prepared, number, channel, epochs):
    """Run ``prepared``, publishing each epoch; returns (its RunEnd, the stop signal it obeyed or 0)."""
    last, stopped, asked = None, 0, time.monotonic()
    with np.errstate(over="ignore"):
        for report in prepared.sgd.run():
            if isinstance(report, EpochReport):
                epochs.append(report)
                channel.put({"run": number, "epoch": report.to_json()})
            elif isinstance(report, RunEnd):
                last = report
            if not stopped and time.monotonic() - asked >= STOP_POLL_SECONDS:
                asked, stopped = time.monotonic(), channel.stop_requested(number)
                if stopped:
                    prepared.sgd.control.stop()
    return last, stopped if last is not None and last.reason == "stopped" else 0


def _ending(prepared, last, stopped, epochs, save, force):
    """The end record of a run that ran: saved, or saved beside ``save`` when interrupted."""
    if stopped:
        messages = [save_interrupted(prepared.network, save, len(epochs))] if stopped == INTERRUPT else []
        return {"status": 128 + stopped, "outcome": "stopped", "messages": messages}
    diverged = last.reason == "diverged"
    messages = [last.message] if diverged else []
    hint = guessing_hint(epochs, prepared.spec.learning_rate)
    messages += [hint] if hint else []
    if save:
        save_network(prepared.network, save, force=force)
    return {"status": EXIT_DIVERGED if diverged else 0, "outcome": "diverged" if diverged else "finished",
            "messages": messages}
