"""What a sweep can vary, one table entry per parameter, and how its values are typed (no Qt here).

A value is kept in the form ``nncore sweep`` prints it back in its JSON ``"sweep"`` dict: η a float,
mini-batch size, seed and epochs whole numbers, the layer sizes a list with the input and output
(``[784, 30, 10]``). :data:`PARAMETERS` are the sweepable rows of the run spec's table
(:data:`nncore.run_spec.OPTIONS`, those ``nncore sweep`` takes as lists): a setting made sweepable there
is offered here too.
"""

import math
import re
from dataclasses import dataclass

from nncore.cli_options import value_text
from nncore.errors import ConfigError
from nncore.limits import LAYER_SIZE, N_CLASSES, N_INPUTS, Range
from nncore.network import validate_sizes
from nncore.run_spec import OPTIONS

MAX_VALUES = 24          # runs in one sweep: the window keeps the last 12 runs, so more would be lost
SIGNIFICANT_DIGITS = 3   # range values are rounded to this many, so they read well and repeat exactly


@dataclass(frozen=True)
class Parameter:
    """One sweepable option.

    ``key`` is the sweep's name for it (its JSON ``"sweep"`` key; the option is ``--key`` with dashes),
    ``setting`` the window's (a key of ``TrainingConfig.to_dict()``), ``kind`` "float", "int" or
    "sizes" (for "sizes" a range is the width of every hidden layer), ``accepted`` its limits, ``log``
    whether ranges are log-spaced and the summary plot's axis logarithmic by default.
    """

    key: str
    setting: str
    label: str
    kind: str
    accepted: Range
    log: bool = False
    default_list: str = ""
    default_range: tuple = (1, 10, 5)

    @property
    def flag(self):
        """The command-line option: '--eta', '--batch-size'."""
        return "--" + self.key.replace("_", "-")

    def parse(self, text):
        """One typed value in the sweep's form; ValueError saying what is accepted."""
        text = text.strip()
        if self.kind == "sizes":
            return self._sizes([text] if text else [])
        kind = float if self.kind == "float" else int
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value not in self.accepted:
            noun = "a number" if kind is float else "a whole number"
            raise ValueError(f"{self.label} must be {noun} from {self.accepted.text()}, got {text!r}")
        return value

    def _sizes(self, hidden):
        """[784, *hidden, 10] checked by the core; ``hidden`` as texts like '128-64' or '30'."""
        widths = [w for item in hidden for w in re.split(r"[-,\s]+", item) if w]
        try:
            return validate_sizes([N_INPUTS, *widths, N_CLASSES])
        except ConfigError as e:
            raise ValueError(f"hidden layers {'-'.join(widths) or '(none)'}: {e}") from None

    def parse_list(self, text):
        """The values of a typed list, in order, each once: '0.1, 0.5, 3' (sizes: '30; 100; 128-64')."""
        items = text.split(";") if self.kind == "sizes" else re.split(r"[,;\s]+", text)
        values = _unique(self.parse(item) for item in items if item.strip())
        if not values:
            raise ValueError(f"list one or more values of {self.label}, e.g. {self.default_list}")
        return _at_most(values)

    def values_in_range(self, start, stop, count, log, hidden_layers=1):
        """``count`` values from ``start`` to ``stop`` (texts), evenly or log-spaced, rounded to
        SIGNIFICANT_DIGITS (whole numbers for whole-number parameters; a value rounded onto another
        is kept once). For "sizes", ``start`` and ``stop`` are a width given to each of
        ``hidden_layers`` hidden layers."""
        sizes = self.kind == "sizes"
        one = Parameter(self.key, self.setting, "a hidden layer's width" if sizes else self.label,
                        "int" if sizes else self.kind, LAYER_SIZE if sizes else self.accepted)
        a, b = one.parse(start), one.parse(stop)
        if not 1 <= count <= MAX_VALUES:
            raise ValueError(f"the number of values must be from 1 to {MAX_VALUES}, got {count}")
        if log and min(a, b) <= 0:
            raise ValueError(f"a log-spaced range needs {self.label} above 0")
        steps = [a] if count == 1 else [_between(a, b, i / (count - 1), log) for i in range(count)]
        values = _unique(round(v) if one.kind == "int" else _rounded(v) for v in steps)
        if sizes:
            return [self._sizes([str(w)] * max(hidden_layers, 1)) for w in values]
        return values

    def text(self, value):
        """A value for people: '0.5', '10', '784-30-10'."""
        if self.kind == "sizes":
            return "-".join(map(str, value))
        return f"{value:g}" if isinstance(value, float) else str(value)

    def command_text(self, values):
        """The option's value on the command line: '0.01,0.1,1' (sizes: one use per value)."""
        return ",".join(value_text(v) for v in values)

    def setting_value(self, value):
        """The window's form of a value: the hidden layers for sizes, else the value itself."""
        return list(value[1:-1]) if self.kind == "sizes" else value


def _between(a, b, t, log):
    return a * (b / a) ** t if log else a + (b - a) * t


def _rounded(v):
    return float(f"{v:.{SIGNIFICANT_DIGITS}g}")


def _unique(values):
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _at_most(values):
    if len(values) > MAX_VALUES:
        raise ValueError(f"at most {MAX_VALUES} values in one sweep, got {len(values)}")
    return values


# The window's ranges for the parameters it has always offered; any other sweepable row of the spec's
# table gets its examples' first and last value.
RANGES = {"learning_rate": ("0.1", "10", 5), "batch_size": ("10", "50", 5), "seed": ("1", "5", 5),
          "epochs": ("5", "30", 6), "hidden": ("10", "100", 4)}
ORDER = ("learning_rate", "batch_size", "seed", "epochs", "hidden")   # the dialog's first choices, in order


def _of(option):
    """The Parameter of a sweepable row of :data:`nncore.run_spec.OPTIONS`."""
    texts = ["-".join(map(str, e)) if isinstance(e, tuple) else f"{e:g}" for e in option.examples]
    return Parameter(option.key, option.field, option.what, option.kind, option.accepted, option.log,
                     ("; " if option.kind == "sizes" else ", ").join(texts),
                     RANGES.get(option.field, (texts[0], texts[-1], len(texts))))


PARAMETERS = tuple(_of(o) for o in sorted((o for o in OPTIONS if o.each),
                                          key=lambda o: ORDER.index(o.field) if o.field in ORDER else len(ORDER)))
ETA = PARAMETERS[0]


def parameter(key):
    """The entry of :data:`PARAMETERS` named ``key`` ('eta', 'batch_size', ...)."""
    return next(p for p in PARAMETERS if p.key == key)
