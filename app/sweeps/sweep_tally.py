"""Following a running sweep from its JSON lines: which run a line belongs to, its epochs, its end (no Qt).

``nncore sweep --json --run-ends`` prints, interleaved across runs, ``train``'s epoch line plus
``"sweep": {"eta": 0.5}``, and ``{"sweep": {...}, "run_end": {...}}`` as each run ends. :meth:`SweepTally.feed`
turns each line into events for the dialog's signals:

- ``("progress", values, line)``: ``values`` names the run, ``{parameter.key: value}`` (``{"eta": 0.5}``,
  ``{"sizes": [784, 30, 10]}``), and ``line`` is train's epoch line without ``"sweep"``: ``epoch``,
  ``train_cost`` (the mean over the epoch), ``validation_cost``, ``validation_accuracy`` and
  ``test_accuracy`` (fractions), ``seconds``, ``eval_seconds``, ``learning_rate``, ``saturation`` and
  ``learning_speed`` (per layer), ``epochs``: :meth:`nncore.reports.EpochReport.to_json`'s record, as read
  back by :meth:`~nncore.reports.EpochReport.from_json`.
- ``("finished", values, summary)``: see :func:`summary`.
"""

import json
import math

from nncore.reports import EpochReport

OUTCOMES = ("finished", "diverged", "failed", "stopped")


def summary(config, lines, outcome, status=None, messages=(), named=None):
    """What a run reached and how it ended, as plain values:

    ``config`` the run's settings (``TrainingConfig.to_dict()``'s keys), ``outcome`` one of
    :data:`OUTCOMES`, ``status`` train's exit status (None when not known), ``messages`` what it said
    (e.g. why it diverged), ``epochs`` the number of epochs it finished, ``best_validation_accuracy``
    and ``best_epoch``, ``final_validation_accuracy``, ``final_test_accuracy`` (fractions),
    ``final_train_cost``, ``final_validation_cost`` (None for each when no epoch finished),
    ``lines``, every epoch line (as in "progress"), and ``sweep``, the run's swept values as the sweep
    names them in its lines (``named``: how it names the run's files; None when no line came).
    """
    best = max(lines, key=lambda e: e["validation_accuracy"]) if lines else {}
    last = lines[-1] if lines else {}
    return {"config": dict(config), "outcome": outcome, "status": status, "messages": list(messages),
            "epochs": len(lines), "best_validation_accuracy": best.get("validation_accuracy"),
            "best_epoch": best.get("epoch"), "final_validation_accuracy": last.get("validation_accuracy"),
            "final_test_accuracy": last.get("test_accuracy"), "final_train_cost": last.get("train_cost"),
            "final_validation_cost": last.get("validation_cost"), "lines": [dict(e) for e in lines],
            "sweep": named}


class SweepTally:
    """The runs of one :class:`~app.sweeps.sweep_plan.SweepPlan`, filled in from the sweep's lines."""

    def __init__(self, plan):
        self.plan = plan
        self.lines = {i: [] for i in range(len(plan.values))}   # run index → its epoch lines
        self.started, self.ended = set(), {}                     # ended: run index → summary
        self.named = {}                                          # run index → its "sweep" in the lines
        self.ignored = 0                                         # lines that were not a run's

    def feed(self, text):
        """One line of the sweep's stdout → a list of events (empty for a line that names no run)."""
        try:
            record = json.loads(text)
            named = record.pop("sweep")
            index = self._index(named)
        except (ValueError, KeyError, TypeError, AttributeError):
            self.ignored += 1
            return []
        if index is None or index in self.ended:
            self.ignored += 1
            return []
        self.named[index] = named
        values = self.values(index)
        if "run_end" in record:
            end = record["run_end"]
            outcome = end.get("outcome") if end.get("outcome") in OUTCOMES else "failed"
            return [self._end(index, outcome, end.get("status"), end.get("messages", []))]
        try:
            record = EpochReport.from_json(record).to_json()   # the one reader of an epoch record
        except ValueError:
            self.ignored += 1
            return []
        self.started.add(index)
        self.lines[index].append(record)
        return [("progress", values, dict(record))]

    def close(self, stopped):
        """The sweep's process ended: every started run not yet ended ends now ('stopped' when the
        sweep was stopped, else 'failed'); runs that never started give no event."""
        outcome = "stopped" if stopped else "failed"
        return [self._end(i, outcome) for i in sorted(self.started - set(self.ended))]

    def values(self, index):
        """``{parameter.key: value}`` of run ``index``."""
        return {self.plan.parameter.key: self.plan.values[index]}

    def _index(self, named):
        """The run a line's ``"sweep"`` dict names; {} names the only run of a one-value sweep."""
        if not named and len(self.plan.values) == 1:
            return 0
        value = named[self.plan.parameter.key]
        matches = [i for i, v in enumerate(self.plan.values) if v == value]
        return matches[0] if matches else None

    def _end(self, index, outcome, status=None, messages=()):
        self.started.add(index)
        self.ended[index] = summary(self.plan.run_config(self.plan.values[index]), self.lines[index], outcome,
                                    status, messages, self.named.get(index))
        return ("finished", self.values(index), self.ended[index])

    # What the progress line says.

    @property
    def total(self):
        return len(self.plan.values)

    @property
    def running(self):
        """Runs training now, while the sweep runs: it keeps ``jobs`` going as long as any is left."""
        return min(self.plan.jobs, self.total - len(self.ended))

    def epochs_done(self):
        """Epochs finished by every run, plus the ones a run that ended early will never train."""
        return sum(len(lines) if i not in self.ended else self.plan.epochs(self.plan.values[i])
                   for i, lines in self.lines.items())

    def epochs_total(self):
        return sum(self.plan.epochs(v) for v in self.plan.values)

    def ending_text(self, what, status, stopped, seconds):
        """'Sweep done: 5 runs in 42 s, 1 diverged.', '… stopped after 2 of 5 runs.', '… failed …'."""
        done = sum(s["outcome"] != "stopped" for s in self.ended.values())
        if stopped:
            return f"{what} stopped after {done} of {self.total} runs."
        if status not in (0, 3):   # 3: some runs diverged, as train's status
            return f"{what} failed after {done} of {self.total} runs (status {status})."
        diverged = sum(s["outcome"] == "diverged" for s in self.ended.values())
        return f"{what} done: {self.total} runs in {seconds:.0f} s" + (f", {diverged} diverged." if diverged else ".")

    def points(self, cost_key="train_cost"):
        """(value, best validation accuracy in %, the last epoch's ``cost_key``) of every run with an
        epoch, for the summary plot; a cost that is not finite is None."""
        out = []
        for i, lines in self.lines.items():
            if lines:
                best = 100 * max(e["validation_accuracy"] for e in lines)
                cost = lines[-1][cost_key]
                out.append((self.plan.values[i], best, cost if _finite(cost) else None))
        return out


def _finite(x):
    return isinstance(x, (int, float)) and math.isfinite(x)
