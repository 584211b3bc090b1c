"""What ``nncore sweep`` prints: each epoch record as it arrives (``--json``), or a line as each run ends
and a table at the end; with ``--json --run-ends`` also a line as each run ends."""

import sys
import time

from .cli_options import value_text
from .reports import json_line

EXIT_DIVERGED = 3


class Display:
    """The lines of a sweep of ``runs`` (:class:`nncore.sweep.Run`), ``jobs`` at once (None: as many as
    the cluster ``where`` runs)."""

    def __init__(self, runs, jobs, where, as_json, run_ends=False):
        self.runs, self.jobs, self.as_json, self.run_ends = runs, jobs, as_json, as_json and run_ends
        self.at_once = f"{jobs} at once" if jobs else f"on {where}"
        self.t0 = time.perf_counter()
        if not as_json:
            print(f"sweep: {len(runs)} run{'s' * (len(runs) != 1)} of `nncore train`, {self.at_once}", flush=True)

    def epoch(self, run, report):
        """A run finished an epoch (an EpochReport): with --json, train's line plus the run's values."""
        if self.as_json:
            print(json_line({**report.to_json(), "sweep": run.values}), flush=True)

    def messages(self, run):
        """Pass on what a run said, each line named by the run."""
        for message in run.messages:
            print(f"nncore: run {run.label()}: {message}", file=sys.stderr)

    def finished(self, run):
        """A run ended: pass its messages on and say how it did."""
        self.messages(run)
        self.run_end(run)
        if not self.as_json and not run.stopped:
            done = sum(r.status is not None for r in self.runs)
            print(f"run {done}/{len(self.runs)} ended: {run.label()}: {_outcome(run)}", flush=True)

    def run_end(self, run):
        """With ``--run-ends``: the JSON line that says a run ended, how, after how many epochs."""
        if self.run_ends:
            print(json_line({"sweep": run.values, "run_end": {"outcome": run.outcome, "status": run.status,
                                                              "epochs": len(run.epochs),
                                                              "messages": list(run.messages)}}), flush=True)

    def table(self):
        """One row per run: its swept values, best validation accuracy and its epoch, final test
        accuracy and training cost, and how it ended if not normally."""
        if self.as_json:
            return
        keys = list(self.runs[0].values)
        head = [*keys, "best validation", "at epoch", "final test", "final cost", ""]
        rows = [[*(value_text(r.values[k]) for k in keys), *_numbers(r), _ending(r)] for r in self.runs]
        widths = [max(len(str(c)) for c in column) for column in zip(head, *rows)]
        print(f"sweep done: {len(self.runs)} runs in {time.perf_counter() - self.t0:.1f} s, {self.at_once}")
        for row in [head, *rows]:
            print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)).rstrip())


def _numbers(run):
    """[best validation %, its epoch, final test %, final training cost] of a run, '–' where missing."""
    if not run.epochs:
        return ["–"] * 4
    best = max(run.epochs, key=lambda e: e.validation_accuracy)
    last = run.epochs[-1]
    return [f"{100 * best.validation_accuracy:.2f}%", best.epoch, f"{100 * last.test_accuracy:.2f}%",
            f"{last.train_cost:.4f}" if last.train_cost == last.train_cost else "–"]


def _ending(run):
    """'' for a run that finished, else how it ended."""
    return {0: "", EXIT_DIVERGED: "diverged"}.get(run.status, f"failed (status {run.status})")


def _outcome(run):
    """'test 93.10% after 3 epochs (best validation 93.52% at epoch 3)', and how it ended if not normally."""
    if not run.epochs:
        return _ending(run) or "no epoch finished"
    best, epoch, test, _ = _numbers(run)
    text = f"test {test} after {run.epochs[-1].epoch} epochs (best validation {best} at epoch {epoch})"
    return f"{text}; {_ending(run)}" if _ending(run) else text
