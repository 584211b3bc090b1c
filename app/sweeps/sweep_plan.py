"""A sweep to run: the window's settings, the swept parameter and its values, as a command line (no Qt).

The command is ``python -m nncore sweep ... --jobs N --json --run-ends``: every setting of the window
as ``train``'s option, the swept one as a list. ``--run-ends`` adds a JSON line as each run ends (see
:mod:`nncore.sweep`), so a run that diverged or failed is known at once. ``--jobs`` is bounded as the
sweep itself bounds it, by the cores and by the memory of the largest run (:meth:`SweepPlan.job_limit`).
"""

import shlex
import sys
from dataclasses import dataclass, field

import nncore
from nncore.errors import ConfigError
from nncore.limits import N_CLASSES, N_INPUTS, SEED
from nncore.memory import estimate_mnist, job_limit, memory_refusal, usable_cores
from nncore.network import validate_sizes
from nncore.sweep import value_text
from nncore.training import validate_run

# The window's settings (``TrainingConfig.to_dict()``'s keys) → train's options, in command-line order.
# A new setting the sweep should pass on is one entry here; "distort" is a switch.
OPTIONS = {"hidden": "--sizes", "learning_rate": "--eta", "epochs": "--epochs", "batch_size": "--batch-size",
           "train_size": "--train-size", "cost": "--cost", "init": "--init", "seed": "--seed",
           "distort": "--distort", "l2": "--l2", "patience": "--patience", "halve_eta": "--halve-eta"}
SWITCHES = frozenset({"distort"})


def default_jobs():
    """Runs at once: the number of cores this process may use, as ``nncore sweep`` itself chooses."""
    return usable_cores()


@dataclass(frozen=True)
class SweepPlan:
    """``config`` (the window's settings) with ``parameter`` taking each of ``values`` in turn,
    ``jobs`` runs at once."""

    config: dict
    parameter: object            # a parameters.Parameter
    values: tuple
    jobs: int = field(default_factory=default_jobs)

    def argv(self):
        """The whole command: ``[python, "-m", "nncore", "sweep", ...]``."""
        return [sys.executable, "-m", nncore.__name__, "sweep", *self.options(),
                "--jobs", str(self.jobs), "--json", "--run-ends"]

    def options(self):
        """train's options for the settings, the swept one as a list (sizes: one --sizes per value)."""
        out = []
        for setting, flag in OPTIONS.items():
            if setting == self.parameter.setting:
                if self.parameter.kind == "sizes":
                    out += [item for v in self.values for item in (flag, value_text(v))]
                else:
                    out += [flag, self.parameter.command_text(self.values)]
            elif setting in SWITCHES:
                out += [flag] if self.config.get(setting) else []
            elif setting == "hidden":
                out += [flag, value_text(_sizes(self.config))]
            else:
                out += [flag, value_text(self.config[setting])]
        return out

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

    def job_limit(self):
        """The most runs this sweep may train at once (a :class:`nncore.memory.JobLimit`): one per core,
        and no more than the memory available holds at the estimate of its largest run."""
        per_run = 0
        for value in self.values:
            config = self.run_config(value)
            per_run = max(per_run, estimate_mnist(_sizes(config), config["batch_size"], config["train_size"]).total)
        return job_limit(per_run)

    def problem(self):
        """'' when every run can start; else what is wrong, in one line (the core's own checks)."""
        unknown = sorted(set(self.config) - set(OPTIONS))
        if unknown:
            return f"the sweep cannot pass on the setting {', '.join(unknown)} yet"
        if not self.values:
            return "no values to sweep"
        for value in self.values:
            try:
                _check(self.run_config(value))
            except (ConfigError, KeyError, TypeError, ValueError) as e:
                return f"{self.parameter.label} {self.parameter.text(value)}: {e}"
        return ""


def _check(config):
    """Raise ConfigError unless ``config`` can run, as ``train`` would say."""
    validate_sizes(_sizes(config))
    validate_run(config["learning_rate"], config["epochs"], config["batch_size"], config["train_size"])
    if config["seed"] not in SEED:
        raise ConfigError(f"the seed must be a whole number from {SEED.text()}, got {config['seed']}")
    message = memory_refusal(_sizes(config), config["batch_size"], config["train_size"])[1]
    if message:
        raise ConfigError(message)


def _sizes(config):
    """The layer sizes of the window's settings ``config``: [784, *hidden, 10]."""
    return [N_INPUTS, *config["hidden"], N_CLASSES]


def settings_text(config, swept):
    """'784-30-10, η 3, 30 epochs, …' with the swept setting left out."""
    parts = {"hidden": "-".join(map(str, [N_INPUTS, *config.get("hidden", []), N_CLASSES])),
             "learning_rate": f"η {config.get('learning_rate', 0):g}",
             "epochs": f"{config.get('epochs')} epochs", "batch_size": f"mini-batch {config.get('batch_size')}",
             "train_size": f"{config.get('train_size', 0):,} examples", "cost": f"{config.get('cost')} cost",
             "init": f"{config.get('init')} init", "seed": f"seed {config.get('seed')}",
             "distort": "distorted" if config.get("distort") else ""}
    return ", ".join(text for key, text in parts.items() if key != swept and text) + "."
