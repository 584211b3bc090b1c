"""How one setting of a training run is described, checked and read: :class:`Option`, a row of
:data:`nncore.run_spec.OPTIONS` (its command-line option, its name for people, what it accepts, whether
a sweep can vary it); :func:`value_problem`, the one check of a value against its row; and
:func:`read_value`, which reads a stored or typed value by its kind and never raises on damaged input
beyond TypeError, ValueError or OverflowError.

Nothing here names a setting: adding one is a row of ``OPTIONS`` and a field of ``RunSpec``.
"""

import math
from dataclasses import dataclass

from .limits import HIDDEN_LAYERS, Range, _fmt

MAX_TEXT = 4_096                          # characters of a data folder's name read back


@dataclass(frozen=True)
class Below(Range):
    """A half-open range ``low ≤ value < high``."""

    def __contains__(self, value):
        return self.low <= value < self.high

    def text(self):
        """'0 to below 1'."""
        return f"{_fmt(self.low)} to below {_fmt(self.high)}"


@dataclass(frozen=True)
class Option:
    """One setting: ``field`` (RunSpec's name), ``flag`` (the command line's), ``what`` (people's name,
    in messages: 'η'), ``kind`` ('float', 'int', 'sizes', 'choice', 'switch' or 'text'), ``accepted``
    (a Range, or the choices), ``unit`` (said after the range: ' epochs (0: off)'), ``each`` (how a
    sweep lists it: ',' a comma list, 'use' one value per use, '' not swept), ``log`` (a sweep spaces
    it logarithmically), ``examples`` (a sweep's example values) and ``help``."""

    field: str
    flag: str
    what: str
    kind: str
    accepted: object = None
    unit: str = ""
    each: str = ""
    log: bool = False
    examples: tuple = ()
    help: str = ""

    @property
    def key(self):
        """The option's name without dashes: 'eta', 'batch_size' (a sweep's JSON names runs by it)."""
        return self.flag.removeprefix("--").replace("-", "_")


def value_problem(option, value, name=None):
    """'' when ``value`` is of ``option``'s kind and accepted, else what is accepted, in one phrase named
    ``name`` (default ``option.what``): 'η must be from 1e-06 to 10,000'. Of hidden layers only the
    kind is checked here; their number and widths by :func:`nncore.network.validate_sizes`."""
    name = name or option.what
    kind, accepted = option.kind, option.accepted
    if kind == "switch":
        return "" if isinstance(value, bool) else f"{name} is on or off (true or false)"
    if kind == "choice":
        return "" if value in accepted else f"{name} must be one of {', '.join(accepted)}"
    if kind == "text":
        return "" if value is None or (isinstance(value, str) and 0 < len(value) <= MAX_TEXT) else \
            f"{name} must be a folder name"
    if kind == "sizes":   # their count, widths and parameters: nncore.network.validate_sizes
        return "" if isinstance(value, tuple) and all(_whole(v) for v in value) else \
            f"{name} must be a list of whole numbers of neurons"
    fits = _whole(value) if kind == "int" else _real(value)
    if accepted is not None and not (fits and value in accepted):
        return f"{name} must be from {accepted.text()}{option.unit}"
    return "" if fits else f"{name} must be a {'whole ' * (kind == 'int')}number"


def read_value(option, value):
    """A stored or typed ``value`` as ``option``'s kind (a whole float becomes an int, a list of widths a
    tuple); raises TypeError, ValueError or OverflowError for anything else, never more: damaged input
    (a string, 1e400, a dict, a list of a million widths) costs no more than looking at it."""
    kind = option.kind
    if kind == "sizes":
        if not isinstance(value, (list, tuple)) or len(value) > HIDDEN_LAYERS.high:
            raise TypeError(f"hidden layers are a list of at most {HIDDEN_LAYERS.high} sizes")
        return tuple(_as_whole(v) for v in value)
    if kind == "int":
        return _as_whole(value)
    if kind == "float":
        if not _real(value):
            raise TypeError(f"not a number: {value!r}")
        return float(value)
    if kind == "switch" and not isinstance(value, bool):
        raise TypeError(f"not true or false: {value!r}")
    if kind in ("choice", "text") and not (isinstance(value, str) or (kind == "text" and value is None)):
        raise TypeError(f"not a name: {value!r}")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ValueError("a name too long to be one")
    return value


def _real(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _as_whole(value):
    if not _real(value) or value != int(value):
        raise ValueError(f"not a whole number: {value!r}")
    return int(value)
