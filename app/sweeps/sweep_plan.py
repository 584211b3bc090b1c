"""A sweep to run: the window's settings, the swept parameter and its values, as a command line (no Qt).

The command is ``python -m nncore sweep ... --jobs N --json --run-ends`` (or ``--scheduler ADDRESS``
instead of ``--jobs``, for a Dask cluster): the window's settings, a RunSpec's dict, as ``train``'s
options (:func:`nncore.cli_options.to_argv`), the swept one as a list; each run is checked by
:meth:`RunSpec.problems`, as ``nncore sweep`` checks it. ``--run-ends`` adds a JSON line as each run ends
(see :mod:`nncore.sweep`), so a run that diverged or failed is known at once. ``--jobs`` is bounded as the
sweep itself bounds it, by the cores and by the memory of the largest run (:meth:`SweepPlan.job_limit`).
"""

import shlex
import sys
from dataclasses import dataclass, field, fields

import nncore
from nncore.cli_options import to_argv, value_text
from nncore.limits import N_CLASSES, N_INPUTS
from nncore.memory import job_limit, usable_cores
from nncore.run_options import read_value
from nncore.run_spec import BY_FIELD, RunSpec

SETTINGS = frozenset(f.name for f in fields(RunSpec))   # what a sweep passes on: every field of the spec


def default_jobs():
    """Runs at once: the number of cores this process may use, as ``nncore sweep`` itself chooses."""
    return usable_cores()


@dataclass(frozen=True)
class SweepPlan:
    """``config`` (the window's settings, a RunSpec's dict) with ``parameter`` taking each of ``values``
    in turn, ``jobs`` runs at once, on this machine or on the Dask cluster of ``scheduler`` (an address
    'tcp://HOST:PORT', or '')."""

    config: dict
    parameter: object            # a parameters.Parameter
    values: tuple
    jobs: int = field(default_factory=default_jobs)
    scheduler: str = ""

    def argv(self, save=None):
        """The whole command: ``[python, "-m", "nncore", "sweep", ...]``; with ``save``, each run's network
        is saved beside that file (``--save``)."""
        where = ["--scheduler", self.scheduler] if self.scheduler else ["--jobs", str(self.jobs)]
        where += ["--save", save] if save else []
        return [sys.executable, "-m", nncore.__name__, "sweep", *self.options(), *where, "--json", "--run-ends"]

    def options(self):
        """The spec's options (:func:`nncore.cli_options.to_argv`), the swept one as a list (sizes: one
        --sizes per value)."""
        p = self.parameter
        if p.kind == "sizes":
            swept = [item for v in self.values for item in (p.flag, value_text(v))]
        else:
            swept = [p.flag, p.command_text(self.values)]
        return [*swept, *to_argv(self.spec(), leave_out={p.setting})]
    def command_text(self, width=None):
        """The command as one would type it: 'python -m nncore sweep --sizes 784,30,10 ...'; with
        ``width``, broken between options into lines of about that many characters (shell continuations)."""
        words = [shlex.quote(w) for w in ["python", *self.argv()[1:]]]
        if width is None:
            return " ".join(words)
        units = [" ".join(words[:4])]                       # python -m nncore sweep
        for word in words[4:]:                              # an option with its value stays together
            if word.startswith("--") or not units:
                units.append(word)
            else:
                units[-1] += " " + word
        lines = [units[0]]
        for unit in units[1:]:
            if len(lines[-1]) + 1 + len(unit) > width:
                lines.append("  " + unit)
            else:
                lines[-1] += " " + unit
        return " \\\n".join(lines)

    def run_config(self, value):
        """The settings of the run that gives ``parameter`` the value ``value`` (the window's keys)."""
        return {**self.config, self.parameter.setting: self.parameter.setting_value(value)}

    def epochs(self, value):
        """How many epochs the run of ``value`` trains."""
        return self.run_config(value)["epochs"]

    def spec(self, value=None):
        """The RunSpec of the run that gives ``parameter`` the value ``value`` (None: the window's own);
        ValueError or TypeError for a setting that is not of its kind."""
        config = self.config if value is None else self.run_config(value)      # inputs, classes: the data's
        return RunSpec(**{name: read_value(BY_FIELD[name], v) if name in BY_FIELD else v for name, v in config.items()})

    def job_limit(self):
        """The most runs this sweep may train at once (a :class:`nncore.memory.JobLimit`): one per core,
        and no more than the memory available holds at the estimate of its largest run."""
        return job_limit(max((self.spec(value).memory().total for value in self.values), default=0))

    def problem(self):
        """'' when every run can start; else what is wrong, in one line (:meth:`RunSpec.problems`)."""
        unknown = sorted(set(self.config) - SETTINGS)
        if unknown:
            return f"the sweep cannot pass on the setting {', '.join(unknown)} yet"
        if not self.values:
            return "no values to sweep"
        for value in self.values:
            try:
                found = self.spec(value).problems()
            except (TypeError, ValueError, OverflowError) as e:
                found = {"": str(e)}
            if found:
                return f"{self.parameter.label} {self.parameter.text(value)}: {next(iter(found.values()))}"
        return ""


def settings_text(config, swept):
    """'784-30-10, η 3, 30 epochs, …' with the swept setting left out."""
    parts = {"hidden": "-".join(map(str, [N_INPUTS, *config.get("hidden", []), N_CLASSES])),
             "learning_rate": f"η {config.get('learning_rate', 0):g}",
             "epochs": f"{config.get('epochs')} epochs", "batch_size": f"mini-batch {config.get('batch_size')}",
             "train_size": f"{config.get('train_size', 0):,} examples", "cost": f"{config.get('cost')} cost",
             "init": f"{config.get('init')} init", "seed": f"seed {config.get('seed')}",
             "distort": "distorted" if config.get("distort") else ""}
    return ", ".join(text for key, text in parts.items() if key != swept and text) + "."
