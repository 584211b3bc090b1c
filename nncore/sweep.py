"""``nncore sweep``: ``nncore train`` once for every combination of several values, a few runs at once.

Each run is the command ``python -m nncore train ... --json`` in a child process of its own, with
``OPENBLAS_NUM_THREADS=1`` (whatever the sweep's own), so that ``jobs`` runs share the cores instead of
fighting over them and no run's numbers depend on ``jobs``. They are exactly those of the same ``train``
command wherever ``train`` itself takes one BLAS thread (:func:`nncore.process.blas_threads_for`: every
layer below 200,000 weights, or below 700,000 at mini-batches under 32); for wider layers ``train``
takes two on a machine of two cores or more, which round their sums differently (the runs drift apart
by the third decimal), and a run equals ``OPENBLAS_NUM_THREADS=1 nncore train ...``. With ``--json``
every epoch line of every run is printed as it arrives, ``train``'s line plus ``"sweep": {...}``, the
run's swept values (lines of different runs interleave; each is whole); without, one line as each run
ends and a table at the end. With ``--json --run-ends``, also a line as each run ends,
``{"sweep": {...}, "run_end": {"outcome": ..., "status": ..., "epochs": ..., "messages": [...]}}``
(outcome ``finished``, ``diverged``, ``failed`` or ``stopped``), for programs that follow a sweep
(the window's Sweeps dialog) and must know at once that a run ended early. ``--save FILE`` saves
each run to ``FILE-<its swept values>.npz`` (e.g. ``net-eta0.5.npz``).

Children run in process groups of their own, so a Ctrl-C at the terminal reaches the sweep alone,
which passes exactly one on to each running child: each then does what ``train`` does on Ctrl-C (with
``--save``, its partly trained network goes to ``NAME-<values>.interrupted.npz``). SIGTERM, or an
error in the sweep, is passed on as SIGTERM; SIGHUP (the terminal closed) is handled as SIGTERM. A
child still running :data:`STOP_SECONDS` later is killed; every child is waited for. Were the sweep
killed outright (SIGKILL), its children end too: each is told the sweep's pid
(:func:`nncore.process.end_with_parent`), asks Linux for SIGTERM when the sweep dies, and elsewhere
checks between mini-batches that the sweep is still its parent. A sweep started by another program
that names itself the same way (the window's Sweeps dialog) ends, stopping its runs, when that one dies.

How many runs go at once is bounded (:func:`nncore.memory.bounded_jobs`) by the cores this process
may use and by the memory available, at :func:`nncore.memory.estimate`'s figure for the largest run.

The status is 0 when every run finished, 3 (train's) when some diverged and none failed, otherwise the
first failed run's; 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP. Every JSON line is strict
JSON (:func:`json_line`): a number that is not finite is written as null.
"""

import argparse
import itertools
import json
import math
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .process import PARENT_VARIABLE

EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_TERMINATED = 3, 130, 143   # 143: 128 + SIGTERM
STOP_SECONDS = 5.0   # a child that has not ended this long after being asked to stop is killed
PARENT_POLL_SECONDS = 1.0   # how often a sweep with no word from its runs checks that its own parent lives
# Signals that end a sweep as SIGTERM does: its runs stopped, the sweep says so, status 128 + the signal.
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@dataclass
class Run:
    """One combination: ``number`` (1-based), ``values`` (the swept options' values, e.g.
    ``{"eta": 0.5}``), ``args`` (train's options for it) and ``argv`` (the ``train`` arguments).
    Filled in as it runs: ``epochs`` (its JSON epoch records), ``status`` (a signal's as 128 + its
    number, as shells do), ``errors`` (its stderr) and ``stopped`` (by the sweep, before its end)."""

    number: int
    values: dict
    args: argparse.Namespace
    argv: list
    epochs: list = field(default_factory=list)
    status: int | None = None
    errors: str = ""
    stopped: bool = False

    def label(self):
        """'eta 0.5, seed 2', or 'the run' for a sweep of one."""
        return ", ".join(f"{key} {value_text(v)}" for key, v in self.values.items()) or "the run"


def plan(args):
    """Every combination of the values of ``args.swept`` (sweep's parsed options) as a list of Run.

    The options vary in the order they are declared, the last fastest. A value given twice is refused
    (ConfigError): its two runs would be one.
    """
    lists = {dest: getattr(args, dest) for dest in args.swept}
    for dest, values in lists.items():
        for v in values:
            if values.count(v) > 1:
                raise ConfigError(f"--{dest.replace('_', '-')} lists {value_text(v)} more than once; "
                                  "give each value once")
    varied = [dest for dest, values in lists.items() if len(values) > 1]
    runs = []
    for number, chosen in enumerate(itertools.product(*lists.values()), 1):
        chosen = dict(zip(lists, chosen))
        values = {dest: chosen[dest] for dest in varied}
        run_args = argparse.Namespace(**{**vars(args), **chosen, "json": True})
        if args.save is not None:
            run_args.save = save_path(args.save, values)
        runs.append(Run(number, values, run_args, train_argv(run_args)))
    return runs


def value_text(v):
    """A value as the command line reads it back exactly: '0.5', '3', '1e-06', '784,30,10'."""
    if isinstance(v, list):
        return ",".join(map(str, v))
    return repr(v).removesuffix(".0") if isinstance(v, float) else str(v)


def save_path(path, values):
    """``NAME-eta0.5-seed2.npz`` for ``path`` NAME.npz and a run's swept ``values``."""
    path = Path(path)
    tag = "".join(f"-{key.replace('_', '-')}{value_text(v).replace(',', '-')}" for key, v in values.items())
    return str(path.with_name(f"{path.stem}{tag}{path.suffix}" if path.suffix else f"{path.name}{tag}"))


def train_argv(args):
    """The ``train`` arguments that give the options of ``args`` (every one of ``args.train_options``)."""
    argv = []
    for flag, dest, is_switch in args.train_options:
        value = getattr(args, dest)
        if is_switch:
            argv += [flag] if value else []
        elif value is not None:
            argv.append(f"{flag}={value_text(value)}")   # '=': a value never reads as an option
    return argv


def json_line(record):
    """``record`` (dicts, lists, numbers, strings) as one line of strict JSON: a float that is not finite
    (NaN, ±inf), which JSON cannot hold, becomes null."""
    return json.dumps(_finite_or_null(record), allow_nan=False)


def _finite_or_null(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_null(v) for v in value]
    return value


def run(runs, *, jobs, as_json, run_ends=False, parent_gone=None):
    """Run ``runs``, ``jobs`` at once, printing as they go (and, with ``run_ends``, a JSON line as each
    run ends); returns the sweep's exit status.

    ``parent_gone`` (from :func:`nncore.process.end_with_parent`) tells when the program that started
    the sweep has died: the sweep then stops as on SIGTERM.
    """
    show = _Display(runs, min(jobs, len(runs)), as_json, run_ends)
    try:
        with _ending_signals_raise():
            _run_all(runs, show.jobs, show, parent_gone or (lambda: False))
    except (KeyboardInterrupt, _Terminated) as e:
        stopped = [r for r in runs if r.stopped]
        for r in stopped:
            show.messages(r)
            show.run_end(r)
        done = sum(r.status is not None for r in runs) - len(stopped)
        unstarted = len(runs) - done - len(stopped)
        print(f"nncore: sweep {_ended_by(e)} after {done} of {len(runs)} runs; the {len(stopped)} running "
              "were stopped" + (f" and {unstarted} never started" if unstarted else ""), file=sys.stderr)
        return EXIT_INTERRUPTED if isinstance(e, KeyboardInterrupt) else 128 + e.signum
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


def _run_all(runs, jobs, show, parent_gone):
    """Keep ``jobs`` children running until every run has ended; stop the rest on any exception."""
    waiting, active, lines = deque(runs), {}, queue.Queue()
    try:
        while waiting or active:
            while waiting and len(active) < jobs:
                r = waiting.popleft()
                active[r.number] = _Child(r, lines)
            try:
                number, line = lines.get(timeout=PARENT_POLL_SECONDS)
            except queue.Empty:
                if parent_gone():
                    raise _Terminated(signal.SIGTERM) from None
                continue
            if line is None:                       # its output ended: it has ended, or is about to
                child = active.pop(number)
                child.finish()
                show.finished(child.run)
            else:
                show.line(active[number].run, line)
    except BaseException as e:   # Ctrl-C is passed on as Ctrl-C, anything else as SIGTERM
        for child in active.values():
            child.run.stopped = True
        _stop(list(active.values()), signal.SIGINT if isinstance(e, KeyboardInterrupt) else signal.SIGTERM)
        raise


class _Child:
    """``python -m nncore train ARGV --json`` for one run: stdout read line by line on a thread of
    its own (into ``lines``, as ``(number, line)``, then ``(number, None)``), stderr into a file."""

    def __init__(self, run, lines):
        self.run = run
        self.errors = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", PARENT_VARIABLE: str(os.getpid())}
        self.process = subprocess.Popen([sys.executable, "-m", __package__, "train", *run.argv],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.errors,
                                        text=True, encoding="utf-8", env=env, process_group=0)
        self.reader = threading.Thread(target=_pump, args=(run.number, self.process.stdout, lines),
                                       name=f"sweep run {run.number}", daemon=True)
        self.reader.start()

    def finish(self, timeout=None):
        """Wait for the child; record its exit status and what it said on stderr."""
        status = self.process.wait()
        self.run.status = status if status >= 0 else 128 - status   # killed by signal N: 128 + N
        self.reader.join(timeout)
        self.process.stdout.close()
        self.errors.seek(0)
        self.run.errors = self.errors.read()
        self.errors.close()


def _pump(number, stream, lines):
    """Put every line of ``stream`` on ``lines`` as ``(number, line)``, and ``(number, None)`` at its end."""
    try:
        for line in stream:
            lines.put((number, line))
    except (OSError, ValueError):   # closed while the sweep stops
        pass
    finally:
        lines.put((number, None))


def _stop(children, sig):
    """Send ``sig`` to every child still running and wait for each (SIGKILL after STOP_SECONDS)."""
    try:
        for child in children:
            if child.process.poll() is None:
                _signal(child.process, sig)
        deadline = time.monotonic() + STOP_SECONDS
        for child in children:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
    except BaseException:           # a second Ctrl-C while waiting: no more patience
        for child in children:
            child.process.kill()
        raise
    finally:
        for child in children:
            child.finish(timeout=STOP_SECONDS)


def _signal(process, sig):
    """``process.send_signal(sig)``; where SIGINT cannot be sent to one process (Windows), terminate it."""
    try:
        process.send_signal(sig)
    except ValueError:
        process.terminate()


class _Terminated(BaseException):
    """SIGTERM or SIGHUP (``signum``) arrived: unwind like Ctrl-C, stopping every child on the way."""

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


class _Display:
    """What the sweep prints: JSON lines as they come, or a line per ended run and a table at the end."""

    def __init__(self, runs, jobs, as_json, run_ends=False):
        self.runs, self.jobs, self.as_json, self.run_ends = runs, jobs, as_json, as_json and run_ends
        self.t0 = time.perf_counter()
        if not as_json:
            print(f"sweep: {len(runs)} run{'s' * (len(runs) != 1)} of `nncore train`, {jobs} at once", flush=True)

    def line(self, run, line):
        """A line of a child's stdout: an epoch's JSON record."""
        try:
            record = json.loads(line)
        except ValueError:
            print(f"nncore: run {run.label()}: {line.rstrip()}", file=sys.stderr)
            return
        run.epochs.append(record)
        if self.as_json:
            print(json_line({**record, "sweep": run.values}), flush=True)

    def messages(self, run):
        """Pass on what a run said on stderr, each line named by the run."""
        for message in run.errors.splitlines():
            print(f"nncore: run {run.label()}: {message.removeprefix('nncore: ')}", file=sys.stderr)

    def finished(self, run):
        """A run ended: pass its messages on and say how it did."""
        self.messages(run)
        self.run_end(run)
        if not self.as_json:
            done = sum(r.status is not None for r in self.runs)
            print(f"run {done}/{len(self.runs)} ended: {run.label()}: {_outcome(run)}", flush=True)

    def run_end(self, run):
        """With ``--run-ends``: the JSON line that says a run ended, how, after how many epochs."""
        if self.run_ends:
            outcome = "stopped" if run.stopped else {0: "finished", EXIT_DIVERGED: "diverged"}.get(run.status, "failed")
            messages = [m.removeprefix("nncore: ") for m in run.errors.splitlines() if m.strip()]
            print(json_line({"sweep": run.values, "run_end": {"outcome": outcome, "status": run.status,
                                                              "epochs": len(run.epochs), "messages": messages}}),
                  flush=True)

    def table(self):
        """One row per run: its swept values, best validation accuracy and its epoch, final test
        accuracy and training cost, and how it ended if not normally."""
        if self.as_json:
            return
        keys = list(self.runs[0].values)
        head = [*keys, "best validation", "at epoch", "final test", "final cost", ""]
        rows = [[*(value_text(r.values[k]) for k in keys), *_numbers(r), _ending(r)] for r in self.runs]
        widths = [max(len(str(c)) for c in column) for column in zip(head, *rows)]
        print(f"sweep done: {len(self.runs)} runs in {time.perf_counter() - self.t0:.1f} s, {self.jobs} at once")
        for row in [head, *rows]:
            print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)).rstrip())


def _numbers(run):
    """[best validation %, its epoch, final test %, final training cost] of a run, '–' where missing."""
    if not run.epochs:
        return ["–"] * 4
    best = max(run.epochs, key=lambda e: e["validation_accuracy"])
    last = run.epochs[-1]
    cost = last["train_cost"]   # null in JSON when it was not finite
    return [f"{100 * best['validation_accuracy']:.2f}%", best["epoch"], f"{100 * last['test_accuracy']:.2f}%",
            "–" if cost is None else f"{cost:.4f}"]


def _ending(run):
    """'' for a run that finished, else how it ended."""
    return {0: "", EXIT_DIVERGED: "diverged"}.get(run.status, f"failed (status {run.status})")


def _outcome(run):
    """'test 93.10% after 3 epochs (best validation 93.52% at epoch 3)', and how it ended if not normally."""
    if not run.epochs:
        return _ending(run) or "no epoch finished"
    best, epoch, test, _ = _numbers(run)
    text = f"test {test} after {run.epochs[-1]['epoch']} epochs (best validation {best} at epoch {epoch})"
    return f"{text}; {_ending(run)}" if _ending(run) else text


def children_of(pid):
    """PIDs of the live processes whose parent is ``pid`` (Linux ``/proc``; elsewhere none)."""
    found = []
    if pid is None or not Path("/proc/self/stat").exists():
        return found
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found
