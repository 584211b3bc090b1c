"""``nncore sweep``: ``nncore train`` once for every combination of several values, on an executor.

The runs are :class:`~nncore.run_spec.RunSpec` objects (:func:`nncore.cli_options.plan_specs`), each
trained by :func:`nncore.sweep_worker.sweep_run` where the executor puts it: local worker processes by
default (:class:`nncore.executors.LocalProcesses`: ``jobs`` at once, each with one BLAS thread, so that
no run's numbers depend on ``jobs``), or a Dask cluster (:class:`nncore.cluster.DaskCluster`,
``--scheduler``). A run's numbers are exactly those of the same ``nncore train`` wherever ``train``
itself takes one BLAS thread (:func:`nncore.fast.threads.blas_threads_for`: every layer below 200,000
weights, or below 700,000 at mini-batches under 32); for wider layers they equal
``OPENBLAS_NUM_THREADS=1 nncore train ...``. With ``--json`` every epoch record of every run is printed
as it arrives, ``train``'s line plus ``"sweep": {...}``, the run's swept values (lines of different runs
interleave; each is whole); without, one line as each run ends and a table at the end. With ``--json
--run-ends``, also a line as each run ends, ``{"sweep": {...}, "run_end": {"outcome": ..., "status":
..., "epochs": ..., "messages": [...]}}`` (outcome ``finished``, ``diverged``, ``failed`` or
``stopped``). ``--save FILE`` saves each run to ``FILE-<its swept values>.npz`` (``net-eta0.5.npz``).

Stopping: Ctrl-C (the workers are in process groups of their own, so it reaches the sweep alone),
SIGTERM, SIGHUP (the terminal closed), an error in the sweep, or the death of the program that started
it (:func:`nncore.process.end_with_parent`) cancels the runs not started and asks the running ones to
stop at their next report; after Ctrl-C each does what ``train`` does (with ``--save``, its partly
trained network goes to ``NAME-<values>.interrupted.npz``). A run still going :data:`STOP_SECONDS`
later is killed. Were the sweep killed outright (SIGKILL), its local workers end too (Linux tells
them; elsewhere they see it between mini-batches). A run whose worker dies is reported failed, never
waited for.

The status is 0 when every run finished, 3 (train's) when some diverged and none failed, otherwise the
first failed run's; 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP.
"""

import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cli_options import PlannedRun, value_text
from .reports import EpochReport
from .sweep_display import EXIT_DIVERGED, Display
from .sweep_worker import EXIT_FAILED, sweep_run

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143   # 143: 128 + SIGTERM
STOP_SECONDS = 5.0   # a run that has not ended this long after being asked to stop is killed
POLL_SECONDS = 0.5   # how often a sweep with no word from its runs looks at its parent and its workers
# Signals that end a sweep as SIGTERM does: its runs stopped, the sweep says so, status 128 + the signal.
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@dataclass
class Run:
    """One run of the sweep: its ``planned`` run and ``save`` file, then, as it goes, its ``epochs``
    (EpochReports), the ``worker`` it runs on, and how it ended: ``status`` (train's exit status),
    ``outcome`` and ``messages``."""

    planned: PlannedRun
    save: str | None = None
    epochs: list = field(default_factory=list)
    worker: object = None
    status: int | None = None
    outcome: str = ""
    messages: tuple = ()
    future: object = None

    @property
    def values(self):
        return self.planned.values

    @property
    def stopped(self):
        return self.outcome == "stopped"

    def label(self):
        return self.planned.label()

    def end(self, status, outcome, messages):
        self.status, self.outcome, self.messages = status, outcome, tuple(messages)


def save_path(path, values):
    """``NAME-eta0.5-seed2.npz`` for ``path`` NAME.npz and a run's swept ``values``."""
    path = Path(path)
    tag = "".join(f"-{key.replace('_', '-')}{value_text(v).replace(',', '-')}" for key, v in values.items())
    return str(path.with_name(f"{path.stem}{tag}{path.suffix}" if path.suffix else f"{path.name}{tag}"))


def run(planned, backend, *, jobs=None, save=None, force=False, as_json=False, run_ends=False, parent_gone=None):
    """Run the PlannedRuns ``planned`` on ``backend`` (see :mod:`nncore.executors`), printing as they go;
    returns the sweep's exit status. ``jobs`` is how many run at once (None: as the cluster decides);
    ``parent_gone`` (from :func:`nncore.process.end_with_parent`) tells when the program that started
    the sweep has died: the sweep then stops as on SIGTERM."""
    runs = [Run(p, save_path(save, p.values) if save else None) for p in planned]
    show = Display(runs, jobs and min(jobs, len(runs)), backend.where, as_json, run_ends)
    try:
        with _ending_signals_raise():
            _run_all(runs, backend, force, show, parent_gone or (lambda: False))
    except (KeyboardInterrupt, _Terminated) as e:
        how = signal.SIGINT if isinstance(e, KeyboardInterrupt) else e.signum
        stopped = sum(r.stopped for r in runs)
        done = sum(r.status is not None for r in runs) - stopped
        unstarted = len(runs) - done - stopped
        print(f"nncore: sweep {_ended_by(e)} after {done} of {len(runs)} runs; the {stopped} running were "
              "stopped" + (f" and {unstarted} never started" if unstarted else ""), file=sys.stderr)
        return EXIT_INTERRUPTED if how == signal.SIGINT else 128 + how
    finally:
        backend.close()
    show.table()
    failed = [r.status for r in runs if r.status not in (0, EXIT_DIVERGED)]
    return failed[0] if failed else EXIT_DIVERGED if EXIT_DIVERGED in (r.status for r in runs) else 0


def _ended_by(e):
    """'interrupted' (Ctrl-C), 'terminated' (SIGTERM) or 'terminated (SIGHUP: ...)', for the last message."""
    if isinstance(e, KeyboardInterrupt):
        return "interrupted"
    if e.signum == signal.SIGTERM:
        return "terminated"
    return f"terminated ({signal.Signals(e.signum).name}: its terminal or session ended)"


def _run_all(runs, backend, force, show, parent_gone):
    """Submit every run and follow their events until each has ended; on any exception stop the rest."""
    going = {r.planned.number: r for r in runs}
    try:
        for r in runs:
            r.future = backend.executor.submit(sweep_run, r.planned, r.save, force, backend.channel)
        while going:
            event = backend.next_event(POLL_SECONDS)
            if event is not None:
                _take(event, going, show)
            if parent_gone():
                raise _Terminated(signal.SIGTERM)
            _failures(going, backend, show)
    except BaseException as e:   # Ctrl-C is passed on as Ctrl-C, anything else as SIGTERM
        _stop(going, backend, show, signal.SIGINT if isinstance(e, KeyboardInterrupt) else signal.SIGTERM)
        raise


def _take(event, going, show):
    """One event of a run (see :mod:`nncore.sweep_worker`); events of a run already ended are dropped."""
    r = going.get(event.get("run"))
    if r is None:
        return
    if "started" in event:
        r.worker = event["started"]
    elif "epoch" in event:
        try:
            report = EpochReport.from_json(event["epoch"])
        except ValueError as e:
            print(f"nncore: run {r.label()}: {e}", file=sys.stderr)
            return
        r.epochs.append(report)
        show.epoch(r, report)
    elif "end" in event:
        end = event["end"]
        r.end(end.get("status"), end.get("outcome", "failed"), end.get("messages", ()))
        del going[r.planned.number]
        show.finished(r)


def _failures(going, backend, show):
    """Runs whose worker died or left (their future failed, or the backend says so): ended as failed."""
    lost = backend.lost({n: r.worker for n, r in going.items() if r.worker is not None})
    for number, r in list(going.items()):
        why = lost.get(number)
        if why is None and r.future.done() and not r.future.cancelled() and r.future.exception() is not None:
            e = r.future.exception()
            why = f"its worker ended before it did ({type(e).__name__}{': ' * bool(str(e))}{e})"
        if why is not None:
            r.end(EXIT_FAILED, "failed", [why])
            del going[number]
            show.finished(r)


def _stop(going, backend, show, how):
    """Cancel the runs not started, ask the running ones to stop, wait STOP_SECONDS for them, kill the rest."""
    backend.request_stop(how)
    backend.cancel_pending()
    try:
        deadline = time.monotonic() + STOP_SECONDS
        while any(r.worker is not None or not r.future.done() for r in going.values()) \
                and time.monotonic() < deadline:
            for number in [n for n, r in going.items() if r.worker is None and r.future.cancelled()]:
                del going[number]                     # never started
            event = backend.next_event(0.1)
            if event is not None:
                _take(event, going, show)
            _failures(going, backend, show)
    finally:                                          # also on a second Ctrl-C: no more patience
        late = {n: r.worker for n, r in going.items() if r.worker is not None}
        backend.kill(late)
        for number in late:
            going[number].end(128 + signal.SIGKILL, "stopped", ["killed: it did not stop in time"])
            show.finished(going.pop(number))


class _Terminated(BaseException):
    """SIGTERM or SIGHUP (``signum``) arrived: unwind like Ctrl-C, stopping every run on the way."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _ending_signals_raise():
    """While the sweep runs, each of ENDING_SIGNALS raises _Terminated (only the main thread can catch
    signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Terminated(signum)

    previous = {sig: signal.signal(sig, handler) for sig in ENDING_SIGNALS}
    try:
        yield
    finally:
        for sig, before in previous.items():
            signal.signal(sig, before)
