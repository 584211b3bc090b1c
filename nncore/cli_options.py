"""A run spec's command-line options, both ways: ``nncore train``'s and ``nncore sweep``'s options, built
from :data:`nncore.run_spec.OPTIONS`, give :class:`~nncore.run_spec.RunSpec` objects
(:func:`spec_from_args`, :func:`plan_specs`), and a spec gives back its options (:func:`to_argv`).

Each value is checked as it is parsed, by :func:`nncore.run_options.value_problem` (so a bad value is one
line naming the option and what it accepts); the spec as a whole, against its data, by
:meth:`RunSpec.problems` with the options' names (:data:`FLAGS`). In a sweep, an option whose row has
``each`` takes several values: ',' a comma list, 'use' one value per use (--sizes, whose values hold
commas); the runs are every combination, the options varying in the table's order, the last fastest.
"""

import argparse
import itertools
from dataclasses import dataclass

from .data_shape import MNIST_SHAPE
from .errors import ConfigError, NNCoreError
from .limits import N_CLASSES, N_INPUTS
from .network import validate_sizes
from .run_options import value_problem
from .run_spec import OPTIONS, RunSpec

FLAGS = {o.field: o.flag for o in OPTIONS}   # the names RunSpec.problems gives the fields on the command line


def value_text(v):
    """A value as the command line reads it back exactly: '0.5', '3', '1e-06', '784,30,10'."""
    if isinstance(v, (list, tuple)):
        return ",".join(map(str, v))
    return repr(v).removesuffix(".0") if isinstance(v, float) else str(v)


def add_run_options(parser, in_sweep=False):
    """Add a run spec's options to ``parser`` (train's, or sweep's with ``in_sweep``: swept options take
    lists). Each option's dest is its RunSpec field; a value not given is None (the spec's default)."""
    for option in OPTIONS:
        kw = {"dest": option.field, "default": None, "help": option.help}
        if option.kind == "switch":
            kw.update(action="store_true", default=False)
        elif option.kind == "choice":
            kw.update(choices=list(option.accepted))
        else:
            kw.update(type=_parser(option))
        if option.kind in ("int", "float") and option.accepted is not None:
            kw["help"] += f" ({option.accepted.text()}{option.unit})"
        if in_sweep and option.each:
            one = kw["type"]
            kw.update(type=_comma_list(one) if option.each == "," else (lambda text, one=one: [one(text)]),
                      action=_Values)
            kw["help"] += "; a comma list to sweep it" if option.each == "," else "; repeat it to sweep it"
        parser.add_argument(option.flag, **kw)


def _parser(option):
    """A parser of one value of ``option``, refusing it in one line that names the option."""
    kind = {"int": int, "float": float}.get(option.kind, str)

    def parse(text):
        if option.kind == "sizes":
            return _sizes(text)
        try:
            value = kind(text)
        except ValueError:
            value = text
        problem = value_problem(option, value, option.flag)
        if problem:
            raise argparse.ArgumentTypeError(f"{problem}, got {text!r}")
        return value
    return parse


def _sizes(text):
    """'784,30,10' or '784-30-10' → [784, 30, 10], checked by the core; the input and output layers are
    checked against the data once it is loaded (:meth:`RunSpec.shape_problem`)."""
    try:
        return validate_sizes(text.replace("-", ",").split(","))
    except NNCoreError as e:
        raise argparse.ArgumentTypeError(f"{e} (e.g. --sizes {N_INPUTS},30,{N_CLASSES})") from None


def _comma_list(one):
    """A parser of a comma list of values, each parsed (and refused, with its message) by ``one``."""
    return lambda text: [one(item.strip()) for item in text.split(",")]


class _Values(argparse.Action):
    """A swept option's values: every use adds to the list."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, (getattr(namespace, self.dest) or []) + values)


def spec_from_args(args, n_train, shape=MNIST_SHAPE):
    """The RunSpec of train's parsed ``args``; ``n_train`` is the data's training split, the training set
    when --train-size is not given; ``shape`` the data's DataShape, whose inputs and classes are the
    network's ends when --sizes is not given. The spec is not checked as a whole here (:meth:`RunSpec.problems`)."""
    return _spec({o.field: getattr(args, o.field) for o in OPTIONS}, n_train, shape)


def _spec(given, n_train, shape=MNIST_SHAPE):
    kw = {field: tuple(v[1:-1]) if field == "hidden" else v for field, v in given.items() if v is not None}
    sizes = given.get("hidden")
    ends = (sizes[0], sizes[-1]) if sizes else (shape.inputs, shape.n_classes)
    return RunSpec(**{"train_size": n_train, "inputs": ends[0], "classes": ends[1], **kw})


@dataclass(frozen=True)
class PlannedRun:
    """One combination of a sweep: ``number`` (1-based), ``values`` (the swept options' values by option
    name, as the command line gives them: ``{"eta": 0.5, "sizes": [784, 30, 10]}``) and its ``spec``."""

    number: int
    values: dict
    spec: RunSpec

    def label(self):
        """'eta 0.5, seed 2', or 'the run' for a sweep of one."""
        return ", ".join(f"{key} {value_text(v)}" for key, v in self.values.items()) or "the run"


def plan_specs(args, n_train, shape=MNIST_SHAPE):
    """Every combination of the values of sweep's parsed ``args`` as a list of :class:`PlannedRun`.

    A value given twice is refused (ConfigError): its two runs would be one.
    """
    lists = {o: getattr(args, o.field) if o.each and getattr(args, o.field) else [getattr(args, o.field)]
             for o in OPTIONS}
    for option, values in lists.items():
        for v in values:
            if values.count(v) > 1:
                raise ConfigError(f"{option.flag} lists {value_text(v)} more than once; give each value once")
    varied = [o for o, values in lists.items() if len(values) > 1]
    runs = []
    for number, chosen in enumerate(itertools.product(*lists.values()), 1):
        chosen = dict(zip(lists, chosen))
        spec = _spec({o.field: v for o, v in chosen.items()}, n_train, shape)
        runs.append(PlannedRun(number, {o.key: chosen[o] for o in varied}, spec))
    return runs


def to_argv(spec, leave_out=()):
    """``spec``'s options, every one but the fields in ``leave_out``: ['--sizes=784,30,10', '--eta=3', ...]."""
    argv = []
    for option in OPTIONS:
        if option.field in leave_out:
            continue
        value = spec.sizes if option.field == "hidden" else getattr(spec, option.field)
        if option.kind == "switch":
            argv += [option.flag] if value else []
        elif value is not None:
            argv.append(f"{option.flag}={value_text(value)}")   # '=': a value never reads as an option
    return argv
