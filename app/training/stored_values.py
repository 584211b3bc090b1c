"""Reading stored values back, bounded as they are read: whole numbers, texts, curves of numbers and
rows of per-layer numbers (no Qt here). Each refuses what it cannot use with a ValueError that names it."""

import numpy as np

MAX_POINTS = 1_000_000                     # per curve


def whole_number(value, allowed, what):
    """``value`` as an int if it is a whole number (an int or a whole float, not a bool) in the Range
    ``allowed``; else ValueError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value not in allowed \
            or value != int(value):
        raise ValueError(f"{what} is not a whole number from {allowed.text()}")
    return int(value)


def capped_text(value, limit, what):
    """``value`` if it is a str, cut to ``limit`` characters (the cut marked '…'); else ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a text")
    return value if len(value) <= limit else value[:limit - 1] + "…"


def required(d, key):
    """``d[key]``; ValueError naming ``key`` when it is missing."""
    if key not in d:
        raise ValueError(f"it has no {key}")
    return d[key]


def points(values, name, bounds, nan_outside=False):
    """``values`` (a list of at most MAX_POINTS numbers) as a list of floats within ``bounds`` (low,
    high). A value outside is NaN when ``nan_outside``, else ValueError naming ``name``."""
    low, high = bounds
    if not isinstance(values, list) or len(values) > MAX_POINTS \
            or not all(type(v) is float or type(v) is int for v in values):
        raise ValueError(f"its {name} are not a list of at most {MAX_POINTS:,} numbers")
    try:
        a = np.array(values, dtype=np.float64)
    except OverflowError:                       # an integer beyond float64 (10⁴⁰⁰)
        a = np.array([v if type(v) is float or abs(v) < 2**1000 else np.nan for v in values], np.float64)
    inside = (a >= low) & (a <= high)           # False for NaN and inf
    if nan_outside:
        a[~inside] = np.nan
    elif not inside.all():
        raise ValueError(f"its {name} hold values outside {low:g} to {high:g}")
    return a.tolist()


def rows(values, name, low, high):
    """The columns of ``values`` (a list of lists of ``low`` to ``high`` numbers, all of one length)."""
    if not isinstance(values, list) or len(values) > MAX_POINTS or not all(isinstance(r, list) for r in values) \
            or len({len(r) for r in values}) > 1 or values and not low <= len(values[0]) <= high:
        raise ValueError(f"its {name} are not rows of {low} to {high} numbers")
    return [list(column) for column in zip(*values)] if values else [[] for _ in range(low)]
